"""Dutch working days (Monday-Friday without public holidays), for the 10-working-day follow-up rule."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself does not count)."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        count += is_working_day(current)
    return count
