"""The desk's journal of rollup facts (ADR 0012): what each write added to or removed from the counts.

Owned by the writer. Every desk write (register, tally, correct, undo, import) appends the facts of the questions it
touched here, inside its own transaction, so the journal commits or rolls back with the registration and can never
miss one. The dashboards (insight.rollup.fold) consume the journal into their cells; a rebuild recounts from the
registrations and drops the journal rows of the months it recounts. The desk knows nothing about dashboards.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .models import JournalEntry

# The question fields the counts are split by, in the order a fact (and a journal row's `codes`) holds them.
CODE_FIELDS: tuple[str, ...] = (
    "kanaal", "vraagsoort", "instantie", "onderwerp", "behoefteprofielen", "complexiteit", "uitkomst", "leeftijdsgroep",
    "achterliggend",
)


@dataclass(frozen=True, slots=True)
class Fact:
    """What the counts need of one question."""

    month: dt.date  # first day of the month of the question's date
    location_id: int
    codes: tuple[str, ...]  # in CODE_FIELDS order; multi-valued fields as "|X|Y|"
    minutes: int | None
    tally: bool
    weekday: int  # local time, 0 = Monday
    hour: int


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def fact(question: Any) -> Fact:
    """The facts of a Question (instance or dict with the same names)."""
    get = question.get if isinstance(question, dict) else (lambda name: getattr(question, name))
    local = timezone.localtime(get("started_at"))
    return Fact(
        month=month_of(get("date")),
        location_id=get("location_id"),
        codes=tuple(get(name) or "" for name in CODE_FIELDS),
        minutes=get("duration_minutes"),
        tally=bool(get("tally")),
        weekday=local.weekday(),
        hour=local.hour,
    )


def facts_of(questions: Iterable[Any]) -> list[Fact]:
    return [fact(q) for q in questions]


def net(added: Iterable[Fact], removed: Iterable[Fact]) -> Counter[Fact]:
    """Facts with their net weight: a correction that changes nothing the counts see weighs nothing."""
    weights: Counter[Fact] = Counter(added)
    weights.subtract(removed)
    return Counter({f: v for f, v in weights.items() if v})


# The columns of a journal row, in the order entry_values gives them.
COLUMNS = ("month", "location_id", "codes", "minutes", "tally", "weekday", "hour", "n")


def entry_values(f: Fact, weight: int) -> tuple[Any, ...]:
    """One journal row in COLUMNS order (the import writes these with its own bulk insert)."""
    return (f.month, f.location_id, "\t".join(f.codes), f.minutes, f.tally, f.weekday, f.hour, weight)


def append(*, added: Iterable[Fact] = (), removed: Iterable[Fact] = ()) -> int:
    """Journal the net change (call inside the write's transaction). Returns the number of rows written."""
    weights = net(added, removed)
    JournalEntry.objects.bulk_create(
        [JournalEntry(**dict(zip(COLUMNS, entry_values(f, weight)))) for f, weight in weights.items()], batch_size=2000,
    )
    return len(weights)


def entry_fact(month: dt.date | str, location_id: int, codes: str, minutes: int | None, tally: Any, weekday: int, hour: int) -> Fact:
    """A journal row (as read back with raw SQL; SQLite returns the month as text) as a Fact."""
    return Fact(month=month if isinstance(month, dt.date) else dt.date.fromisoformat(month), location_id=location_id,
                codes=tuple(codes.split("\t")), minutes=minutes, tally=bool(tally), weekday=weekday, hour=hour)
