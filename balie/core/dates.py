"""Reading dates from query strings: a wrong date is explained on the page, never an error page."""

from __future__ import annotations

import datetime as dt


def parse_day(raw: str, default: dt.date, label: str, problems: list[str]) -> dt.date:
    """The ISO date in ``raw``, or ``default`` with a Dutch explanation added to ``problems``."""
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(f"'{raw[:20]}' is geen datum bij '{label}'; gebruik JJJJ-MM-DD. We tonen {default:%d-%m-%Y}.")
        return default
