"""Periods of the dashboards and the report: a year, a quarter or a month (the rollups count whole months)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .figures import add_months

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
PATTERN = re.compile(r"^(\d{4})(?:-K([1-4])|-(\d{2}))?$")


@dataclass(frozen=True)
class Period:
    key: str  # "2025", "2025-K2" or "2025-03"
    first: dt.date
    last: dt.date  # first day of the last month

    @classmethod
    def parse(cls, value: str) -> Period:
        match = PATTERN.match((value or "").strip().upper())
        if not match:
            raise ValueError("Kies een jaar (2025), een kwartaal (2025-K2) of een maand (2025-03).")
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise ValueError("Kies een jaar tussen 2000 en 2100.")
        if match.group(2):
            q = int(match.group(2))
            first = dt.date(year, 3 * q - 2, 1)
            return cls(f"{year}-K{q}", first, add_months(first, 2))
        if match.group(3):
            month = int(match.group(3))
            if not 1 <= month <= 12:
                raise ValueError("Een maand loopt van 01 tot 12.")
            first = dt.date(year, month, 1)
            return cls(f"{year}-{month:02d}", first, first)
        return cls(str(year), dt.date(year, 1, 1), dt.date(year, 12, 1))

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        return cls.parse(str((today or dt.date.today()).year))

    @property
    def last_day(self) -> dt.date:
        """The period's final day (``last`` is the first day of its last month)."""
        return add_months(self.last, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if "-K" in self.key:
            return f"{self.key[-1]}e kwartaal {self.first.year}"
        if len(self.key) == 7:
            return f"{MONTHS[self.first.month - 1]} {self.first.year}"
        return str(self.first.year)

    @property
    def previous_label(self) -> str:
        return Period.parse(self.key.replace(str(self.first.year), str(self.first.year - 1), 1)).label

    @property
    def is_report_period(self) -> bool:
        return len(self.key) != 7


def choices(today: dt.date | None = None, years: int = 6) -> list[tuple[str, str]]:
    """The periods offered in the filter: recent years, their quarters and the months of this year."""
    today = today or dt.date.today()
    result: list[tuple[str, str]] = []
    for year in range(today.year, today.year - years, -1):
        result.append((str(year), str(year)))
        for q in range(4, 0, -1):
            if dt.date(year, 3 * q - 2, 1) <= today:
                result.append((f"{year}-K{q}", f"{q}e kwartaal {year}"))
    for month in range(today.month, 0, -1):
        result.append((f"{today.year}-{month:02d}", f"{MONTHS[month - 1]} {today.year}"))
    return result
