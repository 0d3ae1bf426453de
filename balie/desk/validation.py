"""Validation of one question, shared by the desk form, the API and the CSV import.

Every message is Dutch, names the field and says why, so staff (and import files) can be fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core import codelists
from balie.core.models import CodeList, CodeListVersion
from balie.network.models import LocalCode, Organisation

EARLIEST_DATE = dt.date(2019, 1, 1)
MAX_NOTE_LENGTH = 2000
MAX_DURATION = 480
# Clock skew between a tablet and the server must not reject a registration made "now".
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
DIGID_FIELDS = ("DIGID", "INLOGGEN")

FIELD_LABELS = {
    "vraagsoort": gettext_noop("vraagsoort"),
    "instantie": gettext_noop("instantie"),
    "onderwerp": gettext_noop("onderwerp"),
    "digid_detail": gettext_noop("DigiD-detail"),
    "behoefteprofielen": gettext_noop("behoefteprofielen"),
    "complexiteit": gettext_noop("complexiteit"),
    "achterliggend": gettext_noop("achterliggende problematiek"),
    "uitkomst": gettext_noop("uitkomst"),
    "duur_minuten": gettext_noop("duur"),
    "leeftijdsgroep": gettext_noop("leeftijdsgroep"),
    "taal": gettext_noop("taal"),
    "notitie": gettext_noop("notitie"),
    "kanaal": gettext_noop("kanaal"),
    "datum": gettext_noop("datum"),
    "tijd": gettext_noop("tijd"),
}

# Vraagsoort follows from the instantie's bestuurslaag when staff leave it open.
VRAAGSOORT_BY_LAAG = {
    "RIJK": "OVERHEID",
    "GEMEENTE": "OVERHEID",
    "PROVINCIE": "OVERHEID",
    "WATERSCHAP": "OVERHEID",
    "ZORG": "DIENSTVERLENING",
    "PRIVAAT": "DIENSTVERLENING",
    "GEEN": "VAARDIGHEDEN",
}


@dataclass
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.field, "reason": self.message}


class RegistrationInvalid(Exception):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


@dataclass
class CodeContext:
    """Everything needed to validate codes, fetched once per request or import."""

    version: CodeListVersion
    organisation: Organisation
    lists: dict[str, dict[str, str]] = field(default_factory=dict)
    local: dict[str, dict[str, LocalCode]] = field(default_factory=dict)

    @classmethod
    def build(cls, organisation: Organisation, version: CodeListVersion | None = None) -> CodeContext:
        version = version or codelists.current_version()
        ctx = cls(version=version, organisation=organisation)
        for name in CodeList.values:
            # Labels in the page's language (the desk shows them); resolve() also reads a Dutch label back.
            ctx.lists[name] = codelists.display_codes(version, name)
        ctx.local = {CodeList.INSTANTIE: {}, CodeList.ONDERWERP: {}}
        for local in LocalCode.objects.filter(organisation=organisation, active=True):
            ctx.local[local.list][local.code] = local
        return ctx

    def resolve(self, list_name: str, raw: str) -> tuple[str, str] | None:
        """A national code, a local code (mapped to its national one) or a label, case-insensitive."""
        value = (raw or "").strip()
        if not value:
            return None
        national = self.lists[list_name]
        upper = value.upper()
        if upper in national:
            return upper, ""
        local = self.local.get(list_name, {})
        if upper in local:
            return local[upper].national_code, local[upper].code
        lowered = value.lower()
        dutch = codelists.codes(self.version, list_name) if codelists.english() else {}
        for labels in (national, dutch):
            for code, label in labels.items():
                if label.lower() == lowered or f"{code} — {label}".lower() == lowered:
                    return code, ""
        for code, entry in local.items():
            if entry.label.lower() == lowered:
                return entry.national_code, code
        return None


def _known(ctx: CodeContext, list_name: str, raw: Any, name: str, errors: list[FieldError]) -> str:
    value = str(raw or "").strip().upper()
    if value and value not in ctx.lists[list_name]:
        options = ", ".join(ctx.lists[list_name])
        errors.append(FieldError(name, _("Onbekende code '%(raw)s' voor %(field)s. Kies uit: %(options)s.") % {
            "raw": raw, "field": _(FIELD_LABELS[name]), "options": options}))
        return ""
    return value


def _multi(ctx: CodeContext, list_name: str, raw: Any, name: str, errors: list[FieldError]) -> list[str]:
    if raw in (None, ""):
        return []
    items = raw.split("|") if isinstance(raw, str) else list(raw)
    result = []
    for item in items:
        code = _known(ctx, list_name, item, name, errors)
        if code:
            result.append(code)
    return result


def clean_question(ctx: CodeContext, data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate one question's fields. Returns model field values and a list of errors."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {}

    for name in ("instantie", "onderwerp"):
        raw = data.get(name)
        if not str(raw or "").strip():
            errors.append(FieldError(name, _("Kies een %(field)s; dit veld is verplicht.") % {"field": _(FIELD_LABELS[name])}))
            continue
        resolved = ctx.resolve(name, str(raw))
        if resolved is None:
            errors.append(FieldError(name, _("Onbekende %(field)s '%(raw)s'. Kies een landelijke code of een lokale code van uw organisatie.") % {
                "field": _(FIELD_LABELS[name]), "raw": raw}))
            continue
        out[name], out[f"{name}_local"] = resolved

    if not str(data.get("uitkomst") or "").strip():
        errors.append(FieldError("uitkomst", _("Kies een uitkomst; dit veld is verplicht.")))
    else:
        out["uitkomst"] = _known(ctx, CodeList.UITKOMST, data.get("uitkomst"), "uitkomst", errors)

    vraagsoort = _known(ctx, CodeList.VRAAGSOORT, data.get("vraagsoort"), "vraagsoort", errors)
    if not vraagsoort and "instantie" in out:
        laag = codelists.bestuurslagen(ctx.version).get(out["instantie"], "")
        vraagsoort = "OVERIG" if out["instantie"] == "OVERIG" else VRAAGSOORT_BY_LAAG.get(laag, "OVERIG")
    out["vraagsoort"] = vraagsoort

    detail = _known(ctx, CodeList.DIGID_DETAIL, data.get("digid_detail"), "digid_detail", errors)
    if detail and out.get("instantie") != "DIGID" and out.get("onderwerp") != "INLOGGEN":
        errors.append(FieldError("digid_detail", _("Een DigiD-detail hoort alleen bij een vraag over DigiD of inloggen.")))
        detail = ""
    out["digid_detail"] = detail
    profiles = _multi(ctx, CodeList.BEHOEFTEPROFIEL, data.get("behoefteprofielen"), "behoefteprofielen", errors)
    out["behoefteprofielen"] = codelists.join_multi(profiles)
    out["achterliggend"] = codelists.join_multi(_multi(ctx, CodeList.ACHTERLIGGEND, data.get("achterliggend"), "achterliggend", errors))
    out["complexiteit"] = _known(ctx, CodeList.COMPLEXITEIT, data.get("complexiteit"), "complexiteit", errors)
    out["leeftijdsgroep"] = _known(ctx, CodeList.LEEFTIJDSGROEP, data.get("leeftijdsgroep"), "leeftijdsgroep", errors)
    out["taal"] = _known(ctx, CodeList.TAAL, data.get("taal"), "taal", errors)

    duration = data.get("duur_minuten")
    if duration in (None, ""):
        out["duration_minutes"] = None
    else:
        try:
            minutes = int(str(duration).strip())
        except ValueError:
            errors.append(FieldError("duur_minuten", _("De duur '%(duration)s' is geen heel aantal minuten.") % {"duration": duration}))
        else:
            if minutes < 1 or minutes > MAX_DURATION:
                errors.append(FieldError("duur_minuten", _("De duur moet tussen 1 en %(max)s minuten liggen (niet %(minutes)s).") % {
                    "max": MAX_DURATION, "minutes": minutes}))
            else:
                out["duration_minutes"] = minutes

    note = data.get("notitie") or ""
    if not isinstance(note, str):
        errors.append(FieldError("notitie", _("De notitie moet tekst zijn.")))
    elif len(note) > MAX_NOTE_LENGTH:
        errors.append(FieldError("notitie", _("De notitie is %(n)s tekens; het maximum is %(max)s. Houd het kort en anoniem.") % {
            "n": len(note), "max": MAX_NOTE_LENGTH}))
    else:
        out["note"] = note.strip()
    return out, errors


def clean_kanaal(ctx: CodeContext, raw: Any, errors: list[FieldError]) -> str:
    return _known(ctx, CodeList.KANAAL, raw, "kanaal", errors)


def clean_moment(moment: dt.datetime | None, errors: list[FieldError], *, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    if moment is None:
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + FUTURE_TOLERANCE:
        errors.append(FieldError("datum", _("De datum %(moment)s ligt in de toekomst.") % {"moment": f"{timezone.localtime(moment):%d-%m-%Y %H:%M}"}))
    elif timezone.localtime(moment).date() < EARLIEST_DATE:
        errors.append(FieldError("datum", _("De datum ligt voor %(first)s; zo oude registraties neemt Balie niet aan.") % {
            "first": f"{EARLIEST_DATE:%d-%m-%Y}"}))
    return moment
