"""The slip handed to the visitor after a referral (issue 14 item 3): who, where, when, what to bring.

Plain Dutch (B1) or English, never a code: the slip is read at home by someone who got stuck. It holds no personal
data of the visitor either (it may be left on a table); only the partner's public details and the library's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import pgettext

from balie.core import codelists
from balie.core.models import CodeList
from balie.partners.models import HoursKind

from .models import WARM_KINDS, Referral

LANGUAGES = ("nl", "en")


def _(text: str) -> str:
    # Every slip text has the context "slip": its words (weekdays, "Adres") may read differently elsewhere.
    return pgettext("slip", text)


@dataclass(frozen=True)
class Place:
    name: str
    address: str
    transport: str


@dataclass
class Slip:
    language: str
    partner: str
    service: str
    phone: str
    email: str
    website: str
    places: list[Place] = field(default_factory=list)
    hours: str = ""
    access: str = ""
    cost: str = ""
    topic: str = ""
    bring: list[str] = field(default_factory=list)
    next_step: str = ""
    library: str = ""
    library_phone: str = ""
    library_address: str = ""
    date: dt.date | None = None


def _weekdays() -> tuple[str, ...]:
    return (_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag"))


def hours_in_words(hours: list) -> str:
    """'maandag tot en met donderdag 09:00 tot 16:00': whole words, in the slip's language (no "ma-do")."""
    days = _weekdays()
    by_time: dict[tuple[dt.time, dt.time], list[int]] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        by_time.setdefault((h.opens, h.closes), []).append(h.weekday)
    parts = []
    for (opens, closes), weekdays in by_time.items():
        runs: list[list[int]] = []
        for d in sorted(set(weekdays)):
            if runs and d == runs[-1][-1] + 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        names = [days[r[0]] if len(r) == 1 else _("%(first)s tot en met %(last)s") % {"first": days[r[0]], "last": days[r[-1]]}
                 for r in runs]
        parts.append(_("%(days)s van %(opens)s tot %(closes)s") % {
            "days": ", ".join(names), "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"})
    return "; ".join(parts)


def label(code_list: str, code: str, language: str) -> str:
    if not code:
        return ""
    if language == "en":
        from balie.core.models import Code

        english = Code.objects.filter(list=code_list, code=code, version__published_at__isnull=False).exclude(label_en="").order_by(
            "-version__number").values_list("label_en", flat=True).first()
        if english:
            return english
    return codelists.label_of(code_list, code)


def what_to_bring(instantie: str, onderwerp: str) -> list[str]:
    """A short list in the active language, from what the question was about (the social map has no such field)."""
    items = [_("Een geldig identiteitsbewijs (paspoort, identiteitskaart of rijbewijs)."),
             _("De brieven of berichten over uw vraag, ook als u ze niet begrijpt.")]
    if onderwerp in {"BETALEN", "AANGIFTE", "WIJZIGEN", "AANVRAGEN"} or instantie in {"BELASTINGDIENST", "TOESLAGEN", "CJIB", "BANK"}:
        items.append(_("Uw bankpasje en een overzicht van uw inkomen en vaste lasten."))
    if onderwerp in {"INLOGGEN", "MACHTIGEN"} or instantie in {"DIGID", "MIJNOVERHEID"}:
        items.append(_("Uw telefoon, en uw DigiD-gegevens als u die heeft."))
    if onderwerp in {"BEZWAAR"}:
        items.append(_("De brief waar u het niet mee eens bent, met de datum erop."))
    items.append(_("Dit briefje."))
    return items


def build(referral: Referral, language: str = "nl") -> Slip:
    """The slip's content in Dutch or English (an unknown language gives Dutch)."""
    language = language if language in LANGUAGES else "nl"
    with translation.override(language):
        service = referral.service
        partner = referral.partner
        location = referral.question.location
        hours = [h for h in service.hours.all() if h.kind == HoursKind.OPEN] if service else []
        warm_hours = [h for h in service.hours.all() if h.kind == HoursKind.WARME_LIJN] if service else []
        places = [
            Place(p.name, ", ".join(x for x in (p.address, f"{p.postcode} {p.plaats}".strip()) if x), p.transport)
            for p in (service.locations.all() if service else [])
        ]
        if referral.kind in WARM_KINDS and referral.has_contact:
            next_step = _("%(partner)s neemt contact met u op. Hoort u binnen een week niets? Bel dan zelf het nummer hieronder.") % {
                "partner": partner.name}
        elif referral.kind in WARM_KINDS:
            next_step = _("Wij hebben %(partner)s over u verteld. Bel zelf het nummer hieronder of ga langs.") % {"partner": partner.name}
        else:
            next_step = _("Bel zelf het nummer hieronder of ga langs. Zeg dat de bibliotheek u stuurt.")
        access = {"inloop": _("U kunt zonder afspraak langskomen."), "afspraak": _("Maak eerst een afspraak."),
                  "beide": _("U kunt zonder afspraak langskomen of een afspraak maken.")}.get(service.access if service else "", "")
        topic_inst = label(CodeList.INSTANTIE, referral.instantie, language)
        topic_ond = label(CodeList.ONDERWERP, referral.onderwerp, language)
        return Slip(
            language=language,
            partner=partner.name,
            service=service.name if service else "",
            phone=(service.warm_phone if service and service.warm_phone else "") or partner.phone,
            email=(service.email if service else "") or partner.email,
            website=partner.website,
            places=places,
            hours=hours_in_words(hours or warm_hours),
            access=access,
            cost=(service.cost if service else ""),
            topic=" · ".join(x for x in (topic_inst, topic_ond.lower() if topic_ond else "") if x),
            bring=what_to_bring(referral.instantie, referral.onderwerp),
            next_step=next_step,
            library=f"{location.organisation.naam}, {location.naam}",
            library_phone=location.phone,
            library_address=", ".join(x for x in (location.address, f"{location.postcode} {location.plaats}".strip()) if x),
            date=referral.created_at.date() if referral.created_at else None,
        )
