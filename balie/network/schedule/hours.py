"""Opening and consultation hours as pure functions over plain data (no database), so they are easy to test.

Rules, in order:
- A closure (one location, or the whole organisation) cancels everything that day, one-off sessions included.
- A Dutch public holiday (core.dates, on the `holidays` package) cancels the weekly hours; a one-off session still takes place,
  so a coordinator who wants to open on a holiday plans a session.
- "Consultation hours" are the weekly IDO-spreekuur slots plus every one-off session (often outreach).
Times are wall-clock times in Europe/Amsterdam.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from balie.core.dates import holidays_between, public_holiday

TZ = ZoneInfo("Europe/Amsterdam")
INLOOP = "INLOOP"
SPREEKUUR = "SPREEKUUR"


@dataclass(frozen=True)
class WeeklySlot:
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    kind: str
    staff: int = 1


@dataclass(frozen=True)
class OneOffSession:
    date: dt.date
    start: dt.time
    end: dt.time
    kind: str
    title: str = ""
    staff: int = 1


@dataclass(frozen=True)
class ClosurePeriod:
    start_date: dt.date
    end_date: dt.date
    reason: str


@dataclass(frozen=True)
class Schedule:
    weekly: tuple[WeeklySlot, ...] = ()
    sessions: tuple[OneOffSession, ...] = ()
    closures: tuple[ClosurePeriod, ...] = ()


@dataclass(frozen=True)
class Slot:
    """One concrete slot on one date."""

    date: dt.date
    start: dt.time
    end: dt.time
    kind: str
    title: str = ""
    staff: int = 1
    one_off: bool = False

    @property
    def is_consultation(self) -> bool:
        return self.one_off or self.kind == SPREEKUUR

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start, tzinfo=TZ)

    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end, tzinfo=TZ)


@dataclass(frozen=True)
class Day:
    date: dt.date
    slots: tuple[Slot, ...] = ()
    closure: str = ""  # reason shown to visitors
    holiday: str = ""  # name of the public holiday
    cancelled: tuple[Slot, ...] = field(default=())  # weekly slots that would have been there


@dataclass(frozen=True)
class Deviation:
    """A run of days on which weekly hours do not take place."""

    first: dt.date
    last: dt.date
    reason: str
    kind: str  # "feestdag" or "sluiting"


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def day_plan(schedule: Schedule, day: dt.date, *, language: str = "nl") -> Day:
    weekly = tuple(
        Slot(day, w.start, w.end, w.kind, staff=w.staff) for w in schedule.weekly if w.weekday == day.weekday()
    )
    sessions = tuple(
        Slot(day, s.start, s.end, s.kind, title=s.title, staff=s.staff, one_off=True)
        for s in schedule.sessions
        if s.date == day
    )
    closure = next((c.reason for c in schedule.closures if c.start_date <= day <= c.end_date), "")
    if closure:
        return Day(day, (), closure=closure, cancelled=tuple(sorted(weekly + sessions, key=_order)))
    holiday = public_holiday(day, language)
    if holiday:
        return Day(day, tuple(sorted(sessions, key=_order)), holiday=holiday, cancelled=tuple(sorted(weekly, key=_order)))
    return Day(day, tuple(sorted(weekly + sessions, key=_order)))


def _order(slot: Slot) -> tuple[dt.time, dt.time, str]:
    return (slot.start, slot.end, slot.kind)


def current_slots(schedule: Schedule, now: dt.datetime) -> list[Slot]:
    """Slots going on at this moment."""
    local = _local(now)
    plan = day_plan(schedule, local.date())
    return [s for s in plan.slots if s.start <= local.time() < s.end]


def is_open(schedule: Schedule, now: dt.datetime) -> bool:
    return bool(current_slots(schedule, now))


def open_until(schedule: Schedule, now: dt.datetime) -> dt.time | None:
    """End of the current opening, following slots that touch or overlap (10-12 and 12-17 is open until 17)."""
    local = _local(now)
    slots = day_plan(schedule, local.date()).slots
    current = [s for s in slots if s.start <= local.time() < s.end]
    if not current:
        return None
    until = max(s.end for s in current)
    changed = True
    while changed:
        changed = False
        for s in slots:
            if s.start <= until < s.end:
                until, changed = s.end, True
    return until


def upcoming(
    schedule: Schedule, now: dt.datetime, *, days: int = 14, consultation_only: bool = True, limit: int | None = None
) -> list[Slot]:
    """Slots that have not ended yet, from now through the next `days` days (today counts as day 1).

    `limit` stops early: a search result shows only the next one, and ten results are worked out per search.
    """
    local = _local(now)
    result: list[Slot] = []
    if not (schedule.weekly or schedule.sessions):
        return result
    for offset in range(days):
        day = local.date() + dt.timedelta(days=offset)
        for slot in day_plan(schedule, day).slots:
            if consultation_only and not slot.is_consultation:
                continue
            if slot.ends_at() > local:
                result.append(slot)
        if limit is not None and len(result) >= limit:
            return result[:limit]
    return result


def next_consultations(schedule: Schedule, now: dt.datetime, *, days: int = 14, limit: int | None = None) -> list[Slot]:
    return upcoming(schedule, now, days=days, limit=limit)


def exceptions(schedule: Schedule, start: dt.date, *, days: int = 56, language: str = "nl") -> list[Deviation]:
    """Holidays and closures in the window that cancel at least one weekly slot or session, consecutive days merged."""
    runs: list[Deviation] = []
    if not (schedule.weekly or schedule.sessions):
        return runs
    last_day = start + dt.timedelta(days=days - 1)
    # Only a closure or a holiday cancels anything, so only those days need a plan (open data does this for every
    # location, so ordinary days are skipped without looking at them).
    candidates = set(holidays_between(start, last_day, language))
    for c in schedule.closures:
        day = max(c.start_date, start)
        while day <= min(c.end_date, last_day):
            candidates.add(day)
            day += dt.timedelta(days=1)
    for day in sorted(candidates):
        plan = day_plan(schedule, day, language=language)
        if not plan.cancelled:
            continue
        reason, kind = (plan.closure, "sluiting") if plan.closure else (plan.holiday, "feestdag")
        last = runs[-1] if runs else None
        # A closure over a weekend (no hours on Sunday) is still one run.
        if last and last.reason == reason and last.kind == kind and (day - last.last).days <= 3:
            runs[-1] = Deviation(last.first, day, reason, kind)
        else:
            runs.append(Deviation(day, day, reason, kind))
    return runs


def week_table(schedule: Schedule) -> list[tuple[int, list[WeeklySlot], list[WeeklySlot]]]:
    """Per weekday (0-6): (weekday, walk-in slots, consultation slots), for the "vaste tijden" table."""
    rows = []
    for weekday in range(7):
        slots = sorted((w for w in schedule.weekly if w.weekday == weekday), key=lambda w: (w.start, w.end))
        rows.append((weekday, [w for w in slots if w.kind == INLOOP], [w for w in slots if w.kind == SPREEKUUR]))
    return rows
