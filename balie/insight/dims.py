"""The dimensions of the rollups and which cells one question counts in.

Letters keep the cube names short (the cube column is in every key): K kanaal, V vraagsoort,
I instantie, O onderwerp, B behoefteprofiel, C complexiteit, U uitkomst, L leeftijdsgroep,
A achterliggende problematiek. Bestuurslaag is not stored: it is a set of instanties (code lists).
"""

from __future__ import annotations

from balie.desk.journal import CODE_FIELDS, Fact

# letter -> Question field, in the order of the desk journal's codes (a fact's codes[i] is the field of letter i)
FIELDS: dict[str, str] = dict(zip(("K", "V", "I", "O", "B", "C", "U", "L", "A"), CODE_FIELDS, strict=True))
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


INDEX = {letter: i for i, letter in enumerate(FIELDS)}


def values(fact: Fact, letter: str) -> list[str]:
    """The codes of one dimension of a question: a multi-valued one counts under each code, or under "" if none."""
    raw = fact.codes[INDEX[letter]]
    if letter in MULTI:
        return [v for v in raw.split("|") if v] or [""]
    return [raw]


def cell_keys(fact: Fact) -> list[tuple[str, str, str]]:
    """(cube, a, b) of every cell the question counts in."""
    keys: list[tuple[str, str, str]] = []
    shown = {letter: values(fact, letter) for letter in FIELDS}
    for first, second in CUBES:
        if second is None:
            # A single is stored as a pair with an empty filter code, so "no filter" is an index prefix too.
            keys += [(first, "", b) for b in shown[first]]
        else:
            name = f"{first}:{second}"
            keys += [(name, a, b) for a in shown[first] for b in shown[second]]
    return keys
