"""The dimensions of the rollups and which cells one question counts in.

Letters keep the cube names short (the cube column is in every key): K kanaal, V vraagsoort,
I instantie, O onderwerp, B behoefteprofiel, C complexiteit, U uitkomst, L leeftijdsgroep,
A achterliggende problematiek. Bestuurslaag is not stored: it is a set of instanties (code lists).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# letter -> Question field
FIELDS: dict[str, str] = {
    "K": "kanaal", "V": "vraagsoort", "I": "instantie", "O": "onderwerp", "B": "behoefteprofielen",
    "C": "complexiteit", "U": "uitkomst", "L": "leeftijdsgroep", "A": "achterliggend",
}
# letter -> code list name (labels)
LISTS: dict[str, str] = {
    "K": "kanaal", "V": "vraagsoort", "I": "instantie", "O": "onderwerp", "B": "behoefteprofiel",
    "C": "complexiteit", "U": "uitkomst", "L": "leeftijdsgroep", "A": "achterliggend",
}
MULTI = {"B", "A"}  # "|X|Y|" fields: a question counts once under each of its codes, or under "" when it has none
SHOWN = tuple(FIELDS)  # every dimension is shown on the dashboard
FILTERS = ("K", "V", "I", "O", "B", "C", "U", "L")  # achterliggend is shown, not filtered on


def cubes() -> list[tuple[str, str | None]]:
    """(filter letter, shown letter or None): singles for the unfiltered view, ordered pairs for one filter."""
    result: list[tuple[str, str | None]] = [(d, None) for d in SHOWN]
    for f in FILTERS:
        for d in SHOWN:
            if d != f or d in MULTI:  # B:B holds co-occurring need profiles
                result.append((f, d))
    return result


def cube_name(first: str, second: str | None) -> str:
    return first if second is None else f"{first}:{second}"


CUBES = cubes()


@dataclass(frozen=True, slots=True)
class Fact:
    """What the rollups need of one question."""

    month: dt.date
    location_id: int
    codes: tuple[str, ...]  # in FIELDS order; multi fields as "|X|Y|"
    minutes: int | None
    tally: bool
    weekday: int
    hour: int

    def values(self, letter: str) -> list[str]:
        raw = self.codes[INDEX[letter]]
        if letter in MULTI:
            return [v for v in raw.split("|") if v] or [""]
        return [raw]


INDEX = {letter: i for i, letter in enumerate(FIELDS)}


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def cell_keys(fact: Fact) -> list[tuple[str, str, str]]:
    """(cube, a, b) of every cell the question counts in."""
    keys: list[tuple[str, str, str]] = []
    values = {letter: fact.values(letter) for letter in FIELDS}
    for first, second in CUBES:
        if second is None:
            # A single is stored as a pair with an empty filter code, so "no filter" is an index prefix too.
            keys += [(first, "", b) for b in values[first]]
        else:
            name = f"{first}:{second}"
            keys += [(name, a, b) for a in values[first] for b in values[second]]
    return keys
