"""Realistic, deterministic demo registrations for the demo network (``load_demo``).

The same seed (and the same day) always gives the same rows, on SQLite and PostgreSQL alike:
every random choice comes from one ``random.Random(seed)`` and ids are handed out in order.
The shape of the data is in ``weights.py`` (where, when, what), the questions are drawn in ``mix.py``,
the notes in ``notes.py``; this module spreads the registrations over the days and visits, and
``bulk.py`` loads them (COPY or executemany, bypassing the ORM, in a writer thread).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from balie.core import codelists
from balie.core.models import CodeListVersion

from . import bulk, notes
from .mix import Mix
from .sampling import Dist
from .sites import Site, Window, load_sites, local_codes
from .weights import GROWTH_PER_YEAR, MONTH_FACTOR, TAX_SEASON, WEEKDAY_FACTOR

CHUNK_VISITS = 50_000
# Visits that are "in progress" today at the busiest location, so the desk's today list is not empty.
TODAY_HANDFUL = 6

Rnd = Callable[[], float]
Arrival = tuple[int, Site, int, int | None]  # (seconds since local midnight, location, questions, staff user id)


def generate(*, registrations: int, years: int, seed: int, now: dt.datetime | None = None) -> int:
    """Create ``registrations`` demo questions (in visits of 1-3) over the last ``years`` years. Returns the number created.

    Deterministic: the same seed and the same ``now`` (default: the current minute) give the same rows on any database.
    Nothing is dated after ``now``.
    """
    if registrations <= 0:
        return 0
    if years < 1:
        raise ValueError("years moet minstens 1 zijn")
    rng = random.Random(seed)
    clock = _Clock.at(now)
    version = codelists.current_version()
    sites = [site for site in load_sites() if site.windows]
    if not sites:
        raise RuntimeError("Er is geen actieve locatie met openingstijden; draai eerst build_network().")
    mix = Mix(version, local_codes())
    notes.check_texts()
    plan = _plan(rng.random, clock, sites, registrations=registrations, years=years)
    return _Writer(rng, mix, clock, version).write(plan)


def closed_days(years: Iterable[int]) -> set[dt.date]:
    """Dutch public holidays: the weekly hours do not apply, as on the public pages (balie.network.schedule.hours)."""
    return set(holidays.country_holidays("NL", years=list(years)))


@dataclass(frozen=True)
class _Clock:
    now: dt.datetime
    tz: ZoneInfo
    today: dt.date
    now_secs: int  # seconds since local midnight

    @classmethod
    def at(cls, now: dt.datetime | None) -> _Clock:
        now = (now or timezone.now()).replace(second=0, microsecond=0)
        tz = ZoneInfo(settings.TIME_ZONE) if settings.USE_TZ else timezone.get_current_timezone()
        local = now.astimezone(tz)
        return cls(now=now, tz=tz, today=local.date(), now_secs=local.hour * 3600 + local.minute * 60)


# --- which day gets how many ------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    sites: list[Site]
    today: dt.date
    days: list[dt.date]
    quotas: list[int]  # registrations per day, not counting today's handful
    today_windows: dict[int, Window]  # location -> the part of today's opening that has already happened
    top: Site  # the busiest location, where today's handful is
    handful: int
    handful_window: Window | None


def _start_date(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _plan(rnd: Rnd, clock: _Clock, sites: list[Site], *, registrations: int, years: int) -> _Plan:
    today = clock.today
    start = _start_date(today, years)
    days = [start + dt.timedelta(days=i) for i in range(1, (today - start).days + 1)]
    closed = closed_days(range(start.year, today.year + 1))
    weights = _day_weights(rnd, days, sites, closed)
    # Today: only what has already happened, plus a handful at the busiest location "just now".
    today_windows = _today_windows(clock, sites, closed)
    weights[-1] *= _elapsed_share(sites, today.weekday(), today_windows)
    top = max(sites, key=lambda site: (site.weight, -site.pk))
    handful_window = _handful_window(clock, top, closed)
    handful = min(TODAY_HANDFUL, max(1, registrations // 100), registrations) if handful_window else 0
    return _Plan(sites=sites, today=today, days=days, quotas=_quotas(weights, registrations - handful), today_windows=today_windows,
                 top=top, handful=handful, handful_window=handful_window)


def _day_weights(rnd: Rnd, days: list[dt.date], sites: list[Site], closed: set[dt.date]) -> list[float]:
    """Relative busyness per day: open locations, weekday, month, steady growth and some day-to-day noise."""
    weekday_weight = [sum(site.weight for site in sites if wd in site.windows) * WEEKDAY_FACTOR[wd] for wd in range(7)]
    growth = math.log(1 + GROWTH_PER_YEAR) / 365.25
    weights = []
    for i, day in enumerate(days):
        w = 0.0 if day in closed else weekday_weight[day.weekday()] * MONTH_FACTOR[day.month] * math.exp(growth * i)
        weights.append(w * (0.85 + 0.3 * rnd()))
    return weights


def _today_windows(clock: _Clock, sites: list[Site], closed: set[dt.date]) -> dict[int, Window]:
    if clock.today in closed:
        return {}
    wd = clock.today.weekday()
    windows = {}
    for site in sites:
        if wd in site.windows:
            lo, hi = site.windows[wd]
            hi = min(hi, clock.now_secs)
            if hi > lo:
                windows[site.pk] = (lo, hi)
    return windows


def _elapsed_share(sites: list[Site], wd: int, today_windows: dict[int, Window]) -> float:
    """The part of today's (weighted) opening hours that has already happened."""
    if not today_windows:
        return 0.0
    full = sum(site.weight * (site.windows[wd][1] - site.windows[wd][0]) for site in sites if wd in site.windows)
    elapsed = sum(site.weight * (today_windows[site.pk][1] - today_windows[site.pk][0]) for site in sites if site.pk in today_windows)
    return elapsed / max(full, 1)


def _handful_window(clock: _Clock, top: Site, closed: set[dt.date]) -> Window | None:
    """The last half hour or more before now at the busiest location, if it is open today and has its own staff."""
    wd = clock.today.weekday()
    if not top.default_staff or wd not in top.windows or clock.today in closed:
        return None
    lo, hi = top.windows[wd]
    hi = min(hi, clock.now_secs)
    if hi - lo < 1800:
        lo = max(7 * 3600, hi - 3600)
    return (lo, hi) if hi > lo else None


def _quotas(weights: list[float], budget: int) -> list[int]:
    """Whole numbers per day that add up to ``budget`` exactly, in proportion to ``weights``."""
    total_w = sum(weights) or 1.0
    quotas, acc, given = [], 0.0, 0
    for w in weights:
        acc += w
        target = round(acc * budget / total_w)
        quotas.append(target - given)
        given = target
    quotas[-1] += budget - given  # rounding leftovers (only when every weight was zero)
    return quotas


# --- one day's visits ---------------------------------------------------------------------------
def _open_windows(plan: _Plan, day: dt.date) -> tuple[list[Site], dict[int, Window]]:
    wd = day.weekday()
    if day == plan.today:
        open_sites = [site for site in plan.sites if site.pk in plan.today_windows]
        windows = plan.today_windows
    else:
        open_sites = [site for site in plan.sites if wd in site.windows]
        windows = {site.pk: site.windows[wd] for site in open_sites}
    if not open_sites:
        top = plan.top
        open_sites, windows = [top], {top.pk: top.windows.get(wd) or next(iter(top.windows.values()))}
    return open_sites, windows


def _arrivals(rnd: Rnd, mix: Mix, plan: _Plan, day: dt.date, quota: int, extra: int) -> list[Arrival]:
    """The day's visits in time order: ``quota`` questions spread over the open locations, plus ``extra`` just now."""
    open_sites, windows = _open_windows(plan, day)
    site_dist = Dist([(site, site.weight) for site in open_sites])
    arrivals = []
    left = quota
    while left > 0:
        size = min(mix.sizes.pick(rnd()), left)
        left -= size
        site = site_dist.pick(rnd())
        secs = site.moment(rnd, windows[site.pk])
        staff = site.staff.pick(rnd()) if site.staff else None
        arrivals.append((secs, site, size, staff))
    if extra:
        lo, hi = plan.handful_window
        for _ in range(extra):
            arrivals.append((lo + int(rnd() * (hi - lo)), plan.top, 1, plan.top.default_staff))
    arrivals.sort(key=lambda a: (a[0], a[1].pk))
    return arrivals


@dataclass(frozen=True)
class _Day:
    date: dt.date
    iso: str
    weekday: int
    offset: int  # UTC offset in seconds
    tax_season: bool


class _Writer:
    """Turns the plan into rows, with ids in order, and hands them to the bulk loader in chunks."""

    def __init__(self, rng: random.Random, mix: Mix, clock: _Clock, version: CodeListVersion):
        self.rnd, self.bits = rng.random, rng.getrandbits
        self.mix, self.clock = mix, clock
        self.sink_cls = bulk.sink_class()
        self.fmt = bulk.RowFormat(self.sink_cls, version_id=version.pk, tz=clock.tz)
        self.visit_rows: list[tuple] = []
        self.question_rows: list[tuple] = []
        self.visit_id = self.question_id = self.created = 0

    def write(self, plan: _Plan) -> int:
        with transaction.atomic():
            self.visit_id, self.question_id = bulk.last_ids(self.sink_cls)
            sink = bulk.open_sink(self.sink_cls)
            self.pipeline = bulk.Pipeline(sink)
            try:
                for day, quota in zip(plan.days, plan.quotas, strict=True):
                    extra = plan.handful if day == plan.today else 0
                    if quota > 0 or extra:
                        self._day(day, _arrivals(self.rnd, self.mix, plan, day, quota, extra))
                    if len(self.visit_rows) >= CHUNK_VISITS:
                        self._flush()
                self._flush()
            finally:
                self.pipeline.close()
            sink.finish(self.visit_id, self.question_id)
        return self.created

    def _flush(self) -> None:
        if self.visit_rows:
            self.pipeline.put(self.visit_rows, self.question_rows)
            self.visit_rows, self.question_rows = [], []

    def _day(self, date: dt.date, arrivals: list[Arrival]) -> None:
        # Opening hours are 07:00-18:00 local; the UTC offset is constant then (DST switches at night).
        offset = int(dt.datetime.combine(date, dt.time(12), self.clock.tz).utcoffset().total_seconds())
        day = _Day(date=date, iso=date.isoformat(), weekday=date.weekday(), offset=offset, tax_season=date.month in TAX_SEASON)
        for secs, site, size, staff in arrivals:
            self._visit(day, secs, site, size, staff)

    def _visit(self, day: _Day, secs: int, site: Site, size: int, staff: int | None) -> None:
        self.visit_id += 1
        uuid = bulk.uuid4_hex(self.bits)
        ts = self.fmt.timestamp(day.date, day.iso, secs, day.offset)
        kanaal = self.mix.kanaal(self.rnd, site, day.weekday, secs)
        visit = self.fmt.visit(self.visit_id, uuid, organisation_id=site.organisation_id, location_id=site.pk, ts=ts, kanaal=kanaal,
                               user=staff)
        self.visit_rows.append(visit)
        visitor = self.mix.visitor(self.rnd)
        for position in range(1, size + 1):
            self.question_id += 1
            answer = self.mix.question(self.rnd, tax_season=day.tax_season, organisation_id=site.organisation_id, visitor=visitor)
            self.question_rows.append(
                self.fmt.question(visit, self.question_id, bulk.uuid4_hex(self.bits), day_iso=day.iso, position=position, answer=answer))
        self.created += size
