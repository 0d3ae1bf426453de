"""Amounts in a letter: every euro amount, written as letters and OCR write them, and the amount a payment sentence
names or points back at (explain.py)."""

from __future__ import annotations

import re

from .dates import digitise

# OCR noise: spaces in "€1 .234,56" / "€ 1.234, 56" / "€ 1 234,56", "€. 105,00", "EUR135,46", € read as E or C before cents,
# "€ 1.881.91" (comma read as full stop). Digits that fit none of these ("€ 1,234.56") are left out rather than read wrong.
_WHOLE = r"(\d{1,3}(?:[ \t]?\.[ \t]?\d{3})+|\d{1,3}(?:[ \t]\d{3})+(?=[ \t]?,)|\d+)"
# A credit is printed with a minus after the sign ("€ -12,00", "€-631,41"): the amount is read without its sign.
AMOUNT = re.compile(r"(?:€|EUR(?![^\W\d_])|euro\b|\b(?-i:[EC])(?=[ \t]?\d[\d. \t]*,[ \t]?(?:\d{2}|-)))\s*(?:[.:]\s*)?(?:-\s?)?" + _WHOLE +
                    r"(?:[ \t]?,[ \t]?(\d{2}(?!\d)|-{1,2})|\.(\d{2})(?!\d))?(?!\d)(?![.,]\d)", re.IGNORECASE)
# "45,- euro"; OCR often loses the dash ("42,\neuro").
AMOUNT_AFTER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d+),(\d{2}|[-–—]{1,2})?\s*(?:euro|EUR)\b", re.IGNORECASE)


# "onder 10 euro", "1.500 euro": whole euros written with the word.
AMOUNT_WORD = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d{1,6})\s+euro\b", re.IGNORECASE)


def _normalise_amount(whole: str, cents: str | None) -> str:
    value = re.sub(r"[.\s]", "", whole)
    cents = cents if cents and cents.isdigit() else "00"
    return f"{int(value)}.{cents}"


def _amounts_at(text: str) -> list[tuple[int, str]]:
    """(position, amount) of every amount in a digitised text ("€ 1O5,00" read as 105), in order."""
    found = [(m.start(), _normalise_amount(m.group(1), m.group(2) or m.group(3))) for m in AMOUNT.finditer(text)]
    found += [(m.start(), _normalise_amount(m.group(1), m.group(2))) for m in AMOUNT_AFTER.finditer(text)]
    found += [(m.start(), _normalise_amount(m.group(1), None)) for m in AMOUNT_WORD.finditer(text)]
    return sorted(found)


# A table whose header, caption or total row says it counts in euros ("Totaal (in euro's)", "Bedrag (€)", "in EUR")
# prints its cells without the sign: "Schoonmaak trappenhuis  |  96,00 |  118,44". Such a cell is an amount: a number
# with cents standing alone between the table's bars or gaps (not "1.234,56 kWh", not "12,5%").
EURO_TABLE = re.compile(r"\(\s*(?:in\s+)?(?:€|eur|euro'?s?)\s*\)|\bin\s+(?:€|eur\b|euro'?s?\b)|\bbedrag(?:en)?\s*(?:\(\s*)?(?:€|eur\b)",
                        re.IGNORECASE)
TABLE_CELL = re.compile(r"(?:(?<=^)|(?<=[|\s]))(-\s?)?(\d{1,3}(?:\.\d{3})+|\d{1,6}),(\d{2})(?=[ \t]*(?:$|\||[ \t]\s*[-\d€|]))", re.MULTILINE)


def _table_amounts(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for block in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        rows = block.group(0)
        if not EURO_TABLE.search(rows) or not re.search(r"\||\S[ \t]{2,}\S", rows):
            continue  # only a table (bars or columns) that names euros
        found += [(block.start() + m.start(), _normalise_amount(m.group(2), m.group(3))) for m in TABLE_CELL.finditer(rows)]
    return found


def find_amounts(text: str) -> list[str]:
    text = digitise(text)  # digitise keeps positions
    return list(dict.fromkeys(amount for _, amount in sorted(_amounts_at(text) + _table_amounts(text))))


def format_euro(amount: str) -> str:
    """'1234.56' -> '€ 1.234,56' (how Dutch letters and visitors write it)."""
    whole, _, cents = amount.partition(".")
    return "€ " + f"{int(whole):,}".replace(",", ".") + "," + (cents or "00")


# "Wilt u dit bedrag betalen", "het volledige bedrag": the sentence points back at an amount named before it.
THE_AMOUNT = re.compile(r"\b(dit|dat|het|deze)\s+(\w+\s+)?(totaal)?bedrag\b|\b(dit|het) totaal\b", re.IGNORECASE)
TOTAL = re.compile(r"\b(totaal|totaalbedrag|in totaal|totale bedrag)\b\D{0,25}$", re.IGNORECASE)
LOOK_BACK = 3  # sentences


def named_before(sentences: list[str]) -> str:
    """The amount an earlier sentence names: in the nearest one with amounts, the one labelled as the total, or its
    only amount. Several amounts and no total: no guess (the summary then names none)."""
    for sentence in reversed(sentences[-LOOK_BACK:]):
        text = digitise(sentence)
        found = _amounts_at(text)
        if not found:
            continue
        totals = [amount for start, amount in found if TOTAL.search(text[max(0, start - 30):start])]
        if totals:
            return totals[-1]
        distinct = list(dict.fromkeys(amount for _, amount in found))
        return distinct[0] if len(distinct) == 1 else ""
    return ""
