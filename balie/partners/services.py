"""Writes for the social map: partners, their services (with codes, area and weekly hours) and verification.

Each write checks that the coordinator manages the partner, runs in one transaction and is audit-logged.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from balie.core import audit
from balie.core.audit import Event

from .models import HoursKind, Partner, Service, ServiceHours, join_multi
from .selectors import managed_partners

if TYPE_CHECKING:
    from .forms import PartnerForm, ServiceForm

Slot = tuple[int, dt.time, dt.time]


def _require_managed(user: Any, partner: Partner) -> None:
    if not managed_partners(user).filter(pk=partner.pk).exists():
        raise PermissionDenied(gettext("Deze partner hoort niet bij uw organisatie."))


@transaction.atomic
def partner_save(*, user: Any, form: PartnerForm) -> Partner:
    """Create or change a partner of the coordinator's own organisation (national partners stay read-only)."""
    partner = form.save(commit=False)
    created = partner.pk is None
    if created:
        managed_partners(user)  # raises for anyone but a coordinator
        partner.organisation_id = user.organisation_id
    else:
        _require_managed(user, partner)
    partner.save()
    audit.log(Event.PARTNER_CREATED if created else Event.PARTNER_CHANGED, user=user, obj=partner)
    return partner


@transaction.atomic
def service_save(*, user: Any, form: ServiceForm) -> Service:
    """Create or change a service: its fields, codes, service area and weekly hours, all in one transaction."""
    service = form.save(commit=False)
    _require_managed(user, service.partner)
    created = service.pk is None
    data = form.cleaned_data
    service.instanties = join_multi(data["instantie_codes"])
    service.onderwerpen = join_multi(data["onderwerp_codes"])
    service.behoefteprofielen = join_multi(data["profiel_codes"])
    service.languages = join_multi(data["taal_codes"])
    service.save()
    service.gemeenten.set(data["gemeente_codes"])
    service_hours_replace(service=service, warm=data["warm_hours"], open_=data["open_hours"])
    audit.log(Event.PARTNER_SERVICE_CREATED if created else Event.PARTNER_SERVICE_CHANGED, user=user, obj=service)
    return service


def service_hours_replace(*, service: Service, warm: list[Slot], open_: list[Slot]) -> None:
    """The typed hours are the whole truth for the service: old slots go, the new ones are written at once."""
    service.hours.all().delete()
    ServiceHours.objects.bulk_create(
        [ServiceHours(service=service, kind=HoursKind.WARME_LIJN, weekday=d, opens=o, closes=c) for d, o, c in warm]
        + [ServiceHours(service=service, kind=HoursKind.OPEN, weekday=d, opens=o, closes=c) for d, o, c in open_]
    )


@transaction.atomic
def partner_mark_verified(*, user: Any, partner: Partner, today: dt.date | None = None) -> dt.date:
    """The coordinator checked the partner and all its services today (the 12-month flag resets)."""
    _require_managed(user, partner)
    today = today or timezone.localdate()
    Partner.objects.filter(pk=partner.pk).update(last_verified=today)
    partner.services.update(last_verified=today)
    partner.last_verified = today
    audit.log(Event.PARTNER_VERIFIED, user=user, obj=partner)
    return today
