"""Dutch numbers written as words, as a bailiff's writ dates itself ("de twaalfde januari tweeduizend zevenentwintig")."""

from __future__ import annotations

_UNITS = {"een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17,
          "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90}


def number_word(word: str) -> int | None:
    """A Dutch number from 1 to 99 written as one word ("zevenentwintig", "tweeëntwintig"), or None."""
    word = word.lower().replace("ë", "e")
    if word in _UNITS or word in _TEENS or word in _TENS:
        return _UNITS.get(word) or _TEENS.get(word) or _TENS[word]
    unit, sep, tens = word.partition("en")
    while sep:
        if unit in _UNITS and tens in _TENS:
            return _UNITS[unit] + _TENS[tens]
        head, sep, tens = tens.partition("en")
        unit = unit + "en" + head  # "zevenentwintig": the first "en" is part of "zeven"
    return None


_ORDINAL_IRREGULAR = {"eerste": 1, "derde": 3, "achtste": 8}


def ordinal_word(word: str) -> int | None:
    """"twaalfde" -> 12, "eenendertigste" -> 31 (the day of a date written in words), or None."""
    word = word.lower()
    if word in _ORDINAL_IRREGULAR:
        return _ORDINAL_IRREGULAR[word]
    for suffix in ("ste", "de"):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            number = number_word(base)
            if number and 1 <= number <= 31:
                return number
    return None
