"""Parsing an HSDS JSON file within limits (jsonread flattens what it gives).

Numbers keep the text they were written with (Number), NaN and Infinity are refused (they are no JSON), an object that
names a key twice is marked (jsonread reports it with its path), and parsing stops at MAX_OBJECTS objects. Before
parsing, a count of quotes bounds the strings, which bounds the memory a file can take; a file nested deeper than
Python's recursion limit is refused like one deeper than MAX_DEPTH. The JSON itself is read by core.jsonload, whose
typed error is worded here.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.utils.translation import gettext

from balie.core.csvcheck import RowError
from balie.core.jsonload import JsonError, Kind, loads

from .schema import HsdsRejected

MAX_DEPTH = 32  # levels of arrays and objects; the fullest official example needs 12
MAX_OBJECTS = 100_000  # per file; 10,000 services (validate.MAX_ROWS) with a few nested objects each
MAX_STRINGS = 2_000_000  # per file, keys and values: bounds the memory of a 20 MB file of short strings (about 150 MB)


class Number(str):
    """A JSON number, kept as it was written (51.50 stays 51.50, 1e3 stays 1e3)."""


class _Object(dict[str, Any]):
    duplicates: list[str] = []  # keys the object names twice; json.loads would keep the last silently


class _TooMany(Exception):
    """More than MAX_OBJECTS objects: parsing stops there."""


BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


def parse(text: str, name: str) -> Any:
    """The parsed file, or HsdsRejected with a Dutch message naming the file."""
    if text.count('"') > 2 * MAX_STRINGS:
        raise _rejected(name, gettext("Dit JSON-bestand bevat meer dan %(max)s teksten. Splits de sociale kaart in kleinere "
                                      "bestanden.") % {"max": f"{MAX_STRINGS:,}".replace(",", ".")})
    objects = 0

    def pairs(items: list[tuple[str, Any]]) -> _Object:
        nonlocal objects
        objects += 1
        if objects > MAX_OBJECTS:
            raise _TooMany
        obj = _Object(items)
        if len(obj) < len(items):
            obj.duplicates = sorted(k for k, n in Counter(k for k, _ in items).items() if n > 1)
        return obj

    try:
        return loads(text, object_pairs_hook=pairs, parse_int=Number, parse_float=Number)
    except _TooMany as exc:
        raise _rejected(name, gettext("Dit JSON-bestand bevat meer dan %(max)s objecten. Splits de sociale kaart in kleinere "
                                      "bestanden.") % {"max": f"{MAX_OBJECTS:,}".replace(",", ".")}) from exc
    except JsonError as exc:
        raise _rejected(name, _message(exc)) from exc


def _message(error: JsonError) -> str:
    if error.kind is Kind.TOO_DEEP:
        return gettext("Dit JSON-bestand is dieper genest dan %(max)s niveaus.") % {"max": MAX_DEPTH}
    if error.kind is Kind.SYNTAX:
        return gettext("Dit is geen geldige JSON: de fout zit op regel %(line)s, positie %(column)s. Sla het bestand op "
                       "als JSON in UTF-8.") % {"line": error.line, "column": error.column}
    # NaN and Infinity; numbers stay text (Number), so no other value fails here.
    return gettext("Dit is geen geldige JSON: NaN en Infinity zijn geen getallen in JSON.")


def _rejected(name: str, message: str) -> HsdsRejected:
    return HsdsRejected([RowError(0, "", message, file=name)])
