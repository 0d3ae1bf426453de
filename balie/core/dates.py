"""Dates in one place: Dutch weekday names, public holidays (the `holidays` package), working days, and reading
dates from query strings (a wrong date is explained on the page, never an error page)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils.translation import gettext, gettext_lazy, gettext_noop

# Index = datetime.weekday(): 0 is Monday. Pages that follow the visitor's language use Django's catalogue instead
# (django.utils.dates.WEEKDAYS); these are for exports and the open-data API, which are Dutch. Staff pages show
# weekday_name(), which follows the staff user's language.
WEEKDAYS: tuple[str, ...] = (gettext_noop("maandag"), gettext_noop("dinsdag"), gettext_noop("woensdag"),
                             gettext_noop("donderdag"), gettext_noop("vrijdag"), gettext_noop("zaterdag"),
                             gettext_noop("zondag"))
WEEKDAYS_SHORT: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAY_CHOICES: list[tuple[int, str]] = [(i, gettext_lazy(name)) for i, name in enumerate(WEEKDAYS)]  # model choices: lazy


def weekday_name(weekday: int) -> str:
    """The name of a weekday (0 is Monday) in the language of the page."""
    return gettext(WEEKDAYS[weekday])


@lru_cache(maxsize=32)
def _holidays(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("NL", years=year, language=language).items())


def _catalogue(language: str) -> str:
    return "en_US" if language == "en" else "nl"


def public_holiday(day: dt.date, language: str = "nl") -> str:
    """Name of the Dutch public holiday on this day (in Dutch, or English for "en"), or ""."""
    return _holidays(day.year, _catalogue(language)).get(day, "")


@lru_cache(maxsize=64)
def holidays_between(first: dt.date, last: dt.date, language: str = "nl") -> tuple[dt.date, ...]:
    """The Dutch public holidays from first through last, in order."""
    days: list[dt.date] = []
    for year in range(first.year, last.year + 1):
        days += [d for d in _holidays(year, _catalogue(language)) if first <= d <= last]
    return tuple(sorted(days))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year, "nl")


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


# Dates a page can sensibly show. Far outside it, date arithmetic (a year back from 0001-01-02) overflows (review L1).
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


def parse_day(raw: str, default: dt.date, label: str, problems: list[str]) -> dt.date:
    """The ISO date in ``raw``, or ``default`` with a Dutch explanation added to ``problems``."""
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(gettext("'%(raw)s' is geen datum bij '%(label)s'; gebruik JJJJ-MM-DD. We tonen %(default)s.") % {
            "raw": raw[:20], "label": label, "default": f"{default:%d-%m-%Y}"})
        return default
    if not FIRST_DAY <= day <= LAST_DAY:
        problems.append(gettext("'%(raw)s' bij '%(label)s' ligt buiten %(first)s tot en met %(last)s. We tonen %(default)s.") % {
            "raw": raw[:20], "label": label, "first": f"{FIRST_DAY:%Y}", "last": f"{LAST_DAY:%Y}", "default": f"{default:%d-%m-%Y}"})
        return default
    return day
