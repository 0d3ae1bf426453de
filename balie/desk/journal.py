"""The desk's journal of rollup facts (ADR 0012): what each write added to or removed from the counts.

Owned by the writer. Every desk write (register, tally, correct, undo, import) appends the facts of the questions it
touched here, inside its own transaction, so the journal commits or rolls back with the registration and can never
miss one. The dashboards (insight.rollup.fold) consume the journal into their cells; a rebuild recounts from the
registrations and drops the journal rows of the months it recounts. The desk knows nothing about dashboards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from balie.core import privacy

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
    key: int = 0  # the question's record key (core.privacy): the cells keep the sum, the dashboards' noise depends on it


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
        key=privacy.question_key(get("visit_id"), get("position")),
    )


def facts_of(questions: Iterable[Any]) -> list[Fact]:
    return [fact(q) for q in questions]


def net(added: Iterable[Fact], removed: Iterable[Fact]) -> dict[Fact, tuple[int, int]]:
    """Facts (their keys set aside) with their net weight and the net sum of their record keys.

    A correction that changes nothing the counts see weighs nothing and moves no key; identical questions (an
    import) become one row with their count and the sum of their keys.
    """
    totals: dict[Fact, list[int]] = {}
    for sign, facts in ((1, added), (-1, removed)):
        for f in facts:
            row = totals.setdefault(replace(f, key=0), [0, 0])
            row[0] += sign
            row[1] += sign * f.key
    return {f: (weight, keys) for f, (weight, keys) in totals.items() if weight or keys}


# The columns of a journal row, in the order entry_values gives them.
COLUMNS = ("month", "location_id", "codes", "minutes", "tally", "weekday", "hour", "n", "k")


def entry_values(f: Fact, weight: int, keys: int) -> tuple[Any, ...]:
    """One journal row in COLUMNS order (the import writes these with its own bulk insert)."""
    return (f.month, f.location_id, "\t".join(f.codes), f.minutes, f.tally, f.weekday, f.hour, weight, keys)


def append(*, added: Iterable[Fact] = (), removed: Iterable[Fact] = ()) -> int:
    """Journal the net change (call inside the write's transaction). Returns the number of rows written."""
    weights = net(added, removed)
    JournalEntry.objects.bulk_create(
        [JournalEntry(**dict(zip(COLUMNS, entry_values(f, weight, keys)))) for f, (weight, keys) in weights.items()], batch_size=2000,
    )
    return len(weights)


def entry_fact(month: dt.date | str, location_id: int, codes: str, minutes: int | None, tally: Any, weekday: int, hour: int) -> Fact:
    """A journal row (as read back with raw SQL; SQLite returns the month as text) as a Fact (its key sum is the row's k)."""
    return Fact(month=month if isinstance(month, dt.date) else dt.date.fromisoformat(month), location_id=location_id,
                codes=tuple(codes.split("\t")), minutes=minutes, tally=bool(tally), weekday=weekday, hour=hour)
