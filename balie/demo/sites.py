"""The active locations as the demo registrations see them: opening windows, consultation slots, weight and staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from balie.accounts.models import Role
from balie.core.models import CodeList
from balie.network.models import HoursKind, LocalCode, Location

from .sampling import Dist
from .weights import DEFAULT_LIBRARY_HOURS, DEFAULT_OUTREACH_HOURS, HOUR_WEIGHTS, LOCATION_WEIGHTS, OUTREACH_HOURS

Window = tuple[int, int]  # (start, end) in seconds since local midnight


@dataclass
class Site:
    pk: int
    code: str
    organisation_id: int
    outreach: bool
    weight: float
    windows: dict[int, Window]  # weekday -> the day's opening window
    spreekuur: dict[int, list[Window]]
    staff: Dist | None
    default_staff: int | None
    hour_cache: dict[Window, Dist | None] = field(default_factory=dict)

    def hours(self, start: int, end: int) -> Dist | None:
        """Hour distribution (peaks 10-12, 14-15) inside [start, end)."""
        key = (start, end)
        if key not in self.hour_cache:
            pairs = []
            for hour, w in HOUR_WEIGHTS.items():
                lo, hi = max(start, hour * 3600), min(end, (hour + 1) * 3600)
                if hi > lo:
                    pairs.append(((lo, hi), w * (hi - lo) / 3600))
            self.hour_cache[key] = Dist(pairs) if pairs else None
        return self.hour_cache[key]

    def moment(self, rnd: Callable[[], float], window: Window) -> int:
        """A time of arrival inside ``window`` (seconds since midnight), busier in the peak hours."""
        lo, hi = window
        hours = self.hours(lo, hi)
        if hours is None:
            return lo + int(rnd() * (hi - lo))
        a, b = hours.pick(rnd())
        return a + int(rnd() * (b - a))


def secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def load_sites() -> list[Site]:
    """Every active location of an active organisation, ordered by code (so ids and choices are stable)."""
    users = list(
        get_user_model().objects.filter(role__in=[Role.MEDEWERKER, Role.COORDINATOR], organisation__isnull=False, is_active=True)
        .order_by("username").values("pk", "role", "organisation_id", "default_location_id")
    )
    locations = Location.objects.filter(active=True, organisation__active=True).order_by("code").prefetch_related("weekly_hours")
    return [_site(loc, users) for loc in locations]


def _site(loc: Location, users: list[dict]) -> Site:
    windows, spreekuur = _windows(loc)
    staff, default_staff = _staff(loc, users)
    return Site(
        pk=loc.pk, code=loc.code, organisation_id=loc.organisation_id, outreach=loc.is_outreach,
        weight=LOCATION_WEIGHTS.get(loc.code, 0.8 if loc.is_outreach else 1.0), windows=windows, spreekuur=spreekuur,
        staff=staff, default_staff=default_staff,
    )


def _windows(loc: Location) -> tuple[dict[int, Window], dict[int, list[Window]]]:
    """Per weekday the span from first opening to last closing, and the consultation-hour slots."""
    windows: dict[int, Window] = {}
    spreekuur: dict[int, list[Window]] = {}
    slots = [(s.weekday, s.start, s.end, s.kind) for s in loc.weekly_hours.all()]
    if not slots:
        # Outreach locations (and a library added without hours) still get registrations, on plausible days.
        hours = OUTREACH_HOURS.get(loc.code, DEFAULT_OUTREACH_HOURS) if loc.is_outreach else DEFAULT_LIBRARY_HOURS
        slots = [(d, a, b, HoursKind.INLOOP) for d, a, b in hours]
    for weekday, start, end, kind in sorted(slots, key=lambda s: (s[0], s[1], s[2], s[3])):
        if weekday == 6 or end <= start:
            continue  # closed on Sunday, whatever the hours say
        lo, hi = windows.get(weekday, (secs(start), secs(end)))
        windows[weekday] = (min(lo, secs(start)), max(hi, secs(end)))
        if kind == HoursKind.SPREEKUUR:
            spreekuur.setdefault(weekday, []).append((secs(start), secs(end)))
    return windows, spreekuur


def _staff(loc: Location, users: list[dict]) -> tuple[Dist | None, int | None]:
    """Who registers here: mostly the staff based at this location; the first of them registers today's handful."""
    weights = []
    default_staff = None
    for u in users:
        if u["organisation_id"] != loc.organisation_id:
            continue
        own = u["default_location_id"] == loc.pk
        weights.append((u["pk"], 6.0 if own else (1.0 if u["role"] == Role.MEDEWERKER else 0.5)))
        if own and u["role"] == Role.MEDEWERKER and default_staff is None:
            default_staff = u["pk"]
    return (Dist(weights) if weights else None), default_staff


def local_codes() -> dict[tuple[int, str], list[str]]:
    """(organisation, national instantie) -> the organisation's own sub-codes for it."""
    out: dict[tuple[int, str], list[str]] = {}
    for lc in LocalCode.objects.filter(active=True).order_by("organisation_id", "list", "code"):
        if lc.list == CodeList.INSTANTIE:
            out.setdefault((lc.organisation_id, lc.national_code), []).append(lc.code)
    return out
