"""Periods of the dashboards and the report: a month, a quarter or a year, compared like for like.

The rollups count whole months, so a period counts whole months only. A period that is still running (this year, this
quarter) counts up to and including the last month that has ended, and is compared with *the same months* a year
earlier: "januari t/m november 2026 (lopend jaar)" against "januari t/m november 2025". A month that has not ended
yet, a period in the future or before Balie's first year, or anything that is not a period at all is refused with a
message (the views answer 400).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .figures import add_months

# Dutch names, translated where they are shown (month_name): the English staff screen and report say "January".
MONTHS = [gettext_noop("januari"), gettext_noop("februari"), gettext_noop("maart"), gettext_noop("april"), gettext_noop("mei"),
          gettext_noop("juni"), gettext_noop("juli"), gettext_noop("augustus"), gettext_noop("september"),
          gettext_noop("oktober"), gettext_noop("november"), gettext_noop("december")]
PATTERN = re.compile(r"^(\d{4})(?:-K([1-4])|-(\d{2}))?$")
FIRST_YEAR = 2019  # the first IDOs opened in 2019; nothing can have been registered earlier
MAX_LENGTH = 16


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The first day of the last month that has ended."""
    return add_months((today or timezone.localdate()).replace(day=1), -1)


def month_name(month: int) -> str:
    """The name of a month (1-12) in the language of the page."""
    return _(MONTHS[month - 1])


def _span(first: dt.date, last: dt.date) -> str:
    """"oktober t/m november 2026", "december 2025 t/m februari 2026", or one month."""
    if first == last:
        return f"{month_name(first.month)} {first.year}"
    if first.year == last.year:
        return _("%(first)s t/m %(last)s %(year)s") % {"first": month_name(first.month), "last": month_name(last.month), "year": last.year}
    return _("%(first)s %(first_year)s t/m %(last)s %(year)s") % {
        "first": month_name(first.month), "first_year": first.year, "last": month_name(last.month), "year": last.year}


def partial_note(start: dt.date | None) -> str:
    """" (geregistreerd vanaf maart 2025, dus geen verschil)": wherever a year earlier is shown but was not registered
    whole (figures.Figures.prev_partial_from)."""
    if start is None:
        return ""
    return _(" (geregistreerd vanaf %(month)s %(year)s, dus geen verschil)") % {"month": month_name(start.month), "year": start.year}


@dataclass(frozen=True)
class Period:
    key: str  # "2025", "2025-K2" or "2025-03"
    first: dt.date
    last: dt.date  # first day of the last month that is counted (a running period: the last month that has ended)
    kind: str = "year"  # "year", "quarter" or "month"
    full_last: dt.date | None = None  # first day of the period's last month when it is complete

    @classmethod
    def parse(cls, value: str, today: dt.date | None = None) -> Period:
        """A period from its key; ValueError with a message for the user when it is not one that can be reported on."""
        today = today or timezone.localdate()
        text = (value or "").strip().upper()
        match = PATTERN.match(text) if len(text) <= MAX_LENGTH else None
        if not match:
            raise ValueError(_("Kies een jaar (2025), een kwartaal (2025-K2) of een maand (2025-03)."))
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= today.year:
            raise ValueError(_("Kies een jaar van %(first)s tot en met %(last)s.") % {"first": FIRST_YEAR, "last": today.year})
        if match.group(2):
            q = int(match.group(2))
            first, kind, key = dt.date(year, 3 * q - 2, 1), "quarter", f"{year}-K{q}"
            full_last = add_months(first, 2)
        elif match.group(3):
            month = int(match.group(3))
            if not 1 <= month <= 12:
                raise ValueError(_("Een maand loopt van 01 tot en met 12."))
            first = full_last = dt.date(year, month, 1)
            kind, key = "month", f"{year}-{month:02d}"
        else:
            first, full_last, kind, key = dt.date(year, 1, 1), dt.date(year, 12, 1), "year", str(year)
        ended = last_complete_month(today)
        if first > ended:
            raise ValueError(_("Deze periode is nog niet voorbij. Kies een periode tot en met %(month)s.")
                             % {"month": _span(ended, ended)})
        return cls(key, first, min(full_last, ended), kind, full_last)

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        """The year of the last month that has ended (in January: last year, complete)."""
        today = today or timezone.localdate()
        return cls.parse(str(last_complete_month(today).year), today)

    @property
    def running(self) -> bool:
        """Still going on: only its months that have ended are counted (and compared)."""
        return self.full_last is not None and self.last < self.full_last

    @property
    def last_day(self) -> dt.date:
        """The final day that is counted (``last`` is the first day of the last counted month)."""
        return add_months(self.last, 1) - dt.timedelta(days=1)

    @property
    def name(self) -> str:
        """The period as chosen: "2026", "3e kwartaal 2026", "maart 2026"."""
        if self.kind == "quarter":
            return _("%(q)se kwartaal %(year)s") % {"q": self.key[-1], "year": self.first.year}
        if self.kind == "month":
            return f"{month_name(self.first.month)} {self.first.year}"
        return str(self.first.year)

    @property
    def label(self) -> str:
        """What is counted, said so when the period is still running."""
        if not self.running:
            return self.name
        # In the language of the page, like the report (an English-speaking coordinator gets an English report).
        what = _("lopend jaar") if self.kind == "year" else _("lopend kwartaal")
        return f"{_span(self.first, self.last)} ({what})"

    @property
    def previous_label(self) -> str:
        """The same months a year earlier (the comparison of every table)."""
        first, last = add_months(self.first, -12), add_months(self.last, -12)
        if self.running:
            return _span(first, last)
        if self.kind == "quarter":
            return _("%(q)se kwartaal %(year)s") % {"q": self.key[-1], "year": first.year}
        return _span(first, first) if self.kind == "month" else str(first.year)

    @property
    def in_text(self) -> str:
        """The label inside a sentence: "in het 3e kwartaal 2026", "in 2026", "in januari t/m november 2026"."""
        return _("het %(period)s") % {"period": self.label} if self.kind == "quarter" and not self.running else self.label

    @property
    def previous_in_text(self) -> str:
        """The comparison inside a sentence: "in het 3e kwartaal 2025"."""
        return _("het %(period)s") % {"period": self.previous_label} if self.kind == "quarter" and not self.running else self.previous_label

    @property
    def is_report_period(self) -> bool:
        return True


def choices(today: dt.date | None = None, years: int = 6) -> list[tuple[str, str]]:
    """The periods offered: recent years (this one as the running year), their quarters, and the months of the last year.

    Only periods with at least one month that has ended, so every choice can be reported on."""
    today = today or timezone.localdate()
    ended = last_complete_month(today)
    result: list[tuple[str, str]] = []
    for year in range(ended.year, max(FIRST_YEAR, ended.year - years + 1) - 1, -1):
        result.append((str(year), Period.parse(str(year), today).label))
        for q in range(4, 0, -1):
            if dt.date(year, 3 * q - 2, 1) <= ended:
                result.append((f"{year}-K{q}", Period.parse(f"{year}-K{q}", today).label))
    month = ended
    for _i in range(12):
        result.append((f"{month.year}-{month.month:02d}", _span(month, month)))
        month = add_months(month, -1)
    return result
