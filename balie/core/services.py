"""Writes to the national code lists (landelijk role only). Published versions are never edited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import audit, codelists
from .access import Cap, scope_of
from .audit import Event
from .models import Bestuurslaag, Code, CodeList, CodeListVersion


def require_landelijk(user: Any) -> None:
    scope_of(user).require(Cap.NATIONAL, gettext("Alleen de landelijke rol beheert de landelijke codelijsten."))


@transaction.atomic
def draft_create(*, user: Any, description: str) -> CodeListVersion:
    """Start a new version as a copy of the newest published one."""
    require_landelijk(user)
    if CodeListVersion.objects.filter(published_at__isnull=True).exists():
        raise ValidationError(gettext("Er is al een conceptversie; publiceer of bewerk die eerst."))
    base = codelists.current_version()
    draft = CodeListVersion.objects.create(number=base.number + 1, description=description)
    Code.objects.bulk_create(
        Code(version=draft, list=c.list, code=c.code, label=c.label, label_en=c.label_en, explanation=c.explanation,
             bestuurslaag=c.bestuurslaag, sort_order=c.sort_order, active=c.active)
        for c in base.codes.all()
    )
    audit.log(Event.CODELIST_DRAFT_CREATED, user=user, obj=draft, number=draft.number)
    return draft


def _require_draft(version: CodeListVersion) -> None:
    if not version.is_draft:
        raise ValidationError(gettext("Een gepubliceerde versie verandert nooit; maak een nieuwe conceptversie."))


@transaction.atomic
def code_save(*, user: Any, version: CodeListVersion, list_name: str, code: str, label: str,
              active: bool = True, bestuurslaag: str = "", label_en: str = "") -> Code:
    require_landelijk(user)
    _require_draft(version)
    code = code.strip().upper()
    if list_name not in CodeList.values:
        raise ValidationError(gettext("Onbekende codelijst '%(name)s'.") % {"name": list_name})
    if not code or not code.replace("_", "").isalnum():
        raise ValidationError(gettext("Een code bestaat uit hoofdletters, cijfers en _ (bijvoorbeeld NIEUWE_APP)."))
    if not label.strip():
        raise ValidationError(gettext("Geef de code een omschrijving."))
    if list_name == CodeList.INSTANTIE and bestuurslaag not in Bestuurslaag.values:
        # Without one the organisation falls outside every breakdown by bestuurslaag (review 2026-12, landelijk).
        raise ValidationError(gettext("Kies de bestuurslaag van deze instantie (bijvoorbeeld Rijk of Gemeente)."))
    obj, created = Code.objects.update_or_create(
        version=version, list=list_name, code=code,
        defaults={"label": label.strip(), "active": active, "bestuurslaag": bestuurslaag, "label_en": label_en},
    )
    if created:
        obj.sort_order = version.codes.filter(list=list_name).count()
        obj.save(update_fields=["sort_order"])
    audit.log(Event.CODELIST_CODE_SAVED, user=user, obj=version, list=list_name, code=code, created=created)
    return obj


@transaction.atomic
def draft_publish(*, user: Any, version: CodeListVersion) -> CodeListVersion:
    require_landelijk(user)
    _require_draft(version)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    codelists.clear_cache()
    audit.log(Event.CODELIST_PUBLISHED, user=user, obj=version, number=version.number)
    return version
