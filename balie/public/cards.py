"""What the public pages show about a location right now: today's hours, open now, the next consultation hours.

The display texts are worked out here in Python, in the active language, rather than in the template: a search page
shows ten cards and the template engine costs far more per card than these few string operations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from balie.network.models import Location
from balie.network.schedule import hours
from balie.network.schedule.selectors import schedules_for

WINDOW_DAYS = 14


@dataclass
class LocationCard:
    location: Location
    schedule: hours.Schedule
    today: hours.Day
    open_now: bool
    open_until: dt.time | None
    next_slots: tuple[hours.Slot, ...]  # consultation hours in the next 14 days
    km: float | None = None

    @property
    def has_hours(self) -> bool:
        return bool(self.schedule.weekly or self.next_slots)

    @cached_property
    def url(self) -> str:
        return reverse("public:location", args=[self.location.code])

    @cached_property
    def distance(self) -> str:
        return "" if self.km is None else _("%(km)s km") % {"km": number_format(self.km, 1)}

    @cached_property
    def address(self) -> str:
        loc = self.location
        place = f"{loc.postcode} {loc.plaats}".strip()
        return f"{loc.address}, {place}" if loc.address else place

    @cached_property
    def status(self) -> tuple[bool, str, str, str]:
        """(open, label, detail, reason): always words, never colour alone. `reason` is a closure reason as the
        library typed it (Dutch, so the template marks its language)."""
        if self.open_now:
            return True, _("Nu open"), _("tot %(time)s") % {"time": f"{self.open_until:%H:%M}"} if self.open_until else "", ""
        if self.today.closure:
            return False, _("Vandaag gesloten"), "", self.today.closure
        if self.today.holiday and not self.today.slots:
            return False, _("Vandaag gesloten"), self.today.holiday, ""
        return False, _("Nu gesloten"), "", ""

    @cached_property
    def today_lines(self) -> list[str]:
        return [f"{kind_label(s.kind)} {span(s)}" for s in self.today.slots] or [_("Geen inloop of spreekuur")]

    @cached_property
    def next_line(self) -> tuple[str, str] | None:
        """(when, title) of the next consultation hour."""
        if not self.next_slots:
            return None
        slot = self.next_slots[0]
        when = _("vandaag") if slot.date == self.today.date else date_format(slot.date, "l j F")
        return f"{when}, {span(slot)}", slot.title

    @cached_property
    def features(self) -> list[str]:
        """Accessibility, in the visitor's language (the public-transport note is separate: it is the library's text)."""
        loc, lines = self.location, []
        if loc.wheelchair_accessible is not None:
            lines.append(_("Toegankelijk met een rolstoel") if loc.wheelchair_accessible else _("Niet toegankelijk met een rolstoel"))
        if loc.hearing_loop is not None:
            lines.append(_("Ringleiding voor mensen met een hoortoestel") if loc.hearing_loop else _("Geen ringleiding"))
        return lines


def kind_label(kind: str) -> str:
    return _("IDO-spreekuur") if kind == hours.SPREEKUUR else _("Inloop")


def span(slot: object) -> str:
    """'10:00–12:00' for anything with start and end."""
    return f"{slot.start:%H:%M}–{slot.end:%H:%M}"  # type: ignore[attr-defined]


def build_cards(
    locations: Sequence[Location],
    now: dt.datetime,
    *,
    language: str = "nl",
    km: dict[int, float] | None = None,
    load_days: int = WINDOW_DAYS,
    next_limit: int | None = None,
) -> list[LocationCard]:
    """`load_days`: how far ahead sessions and closures are loaded (the location page looks 8 weeks ahead).
    `next_limit`: how many upcoming consultation hours to work out (a search result shows one)."""
    local = now.astimezone(hours.TZ)
    schedules = schedules_for(locations, start=local.date(), end=local.date() + dt.timedelta(days=max(load_days, WINDOW_DAYS)))
    cards = []
    for loc in locations:
        schedule = schedules[loc.pk]
        until = hours.open_until(schedule, local)
        cards.append(
            LocationCard(
                location=loc,
                schedule=schedule,
                today=hours.day_plan(schedule, local.date(), language=language),
                open_now=until is not None,
                open_until=until,
                next_slots=tuple(hours.next_consultations(schedule, local, days=WINDOW_DAYS, limit=next_limit)),
                km=(km or {}).get(loc.pk),
            )
        )
    return cards


def worth_showing(card: LocationCard) -> bool:
    """An outreach location only matters to a visitor while a session is planned there."""
    return card.has_hours if card.location.is_outreach else True
