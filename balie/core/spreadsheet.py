"""Spreadsheet cells that stay text: no formula from a CSV or XLSX export (review M3, "CSV injection").

A spreadsheet runs a cell as a formula when it starts with = + - or @ (and some with a tab or a carriage return).
Names of locations and partners come from coordinators and notes from anyone at a desk, and our exports reach other
organisations (gemeente, landelijk), so every text cell of every export goes through this module:

- ``safe_cell`` puts an apostrophe before such a cell, the usual neutraliser (OWASP). Leading spaces and quotes are
  looked through, because some spreadsheets trim them first.
- A Dutch Excel opens a ``.csv`` with ``;`` as the separator and does not honour our quotes; a line break inside a
  quoted note then starts a new row. So the same check applies after every ``;`` and every line break in a cell.
- ``xlsx_cell`` also forces the string data type, so openpyxl never writes a formula whatever the text.
- ``restore_cell`` undoes ``safe_cell`` exactly. Our own CSV import uses it, so export → import → export stays
  byte-identical and a note that really starts with "=" survives the round trip. The two are a bijection: a text
  that already looks neutralised (``'=...``) gets one apostrophe more on the way out and loses one on the way in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet treat a cell as a formula (OWASP: = + - @ tab carriage return).
TRIGGERS = "=+-@\t\r"
QUOTE = "'"
# Where a Dutch Excel (list separator ";") starts a new cell or row when it ignores the CSV quoting.
_SEPARATORS = ";\n\r"
# Spreadsheets may skip leading spaces (also no-break spaces) and a neutralising apostrophe before reading the cell.
_SKIPPED = " \u00a0'"

# A cell start (the beginning, or just after a separator) followed by skippable characters and a trigger.
_RISKY_START = rf"(?:^|(?<=[{_SEPARATORS}]))(?=[{_SKIPPED}]*[{re.escape(TRIGGERS)}])"
_NEUTRALISE = re.compile(_RISKY_START)
_RESTORE = re.compile(rf"(?:^|(?<=[{_SEPARATORS}])){QUOTE}(?=[{_SKIPPED}]*[{re.escape(TRIGGERS)}])")
_FIRST_RISKY = re.compile(rf"[{_SKIPPED}]*[{re.escape(TRIGGERS)}]")
_FIRST_CHARS = frozenset(TRIGGERS + _SKIPPED)


def is_risky(value: str) -> bool:
    """True if a spreadsheet could read the start of this text as a formula."""
    return _FIRST_RISKY.match(value) is not None


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text. Anything but a string (a number, None) is left as it is."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] not in _FIRST_CHARS and ";" not in value and "\n" not in value and "\r" not in value:
        return value  # the common case (codes, dates, one-line notes), without the regular expression: exports are big
    return _NEUTRALISE.sub(QUOTE, value)


def restore_cell(value: str) -> str:
    """The original text of a cell written by safe_cell (for our own CSV import)."""
    if QUOTE not in value:
        return value  # the common case, at C speed
    return _RESTORE.sub("", value)


def safe_row(values: Iterable[Any]) -> list[Any]:
    """safe_cell on every value; written out because it runs per row of exports with millions of rows."""
    sub, first = _NEUTRALISE.sub, _FIRST_CHARS
    return [sub(QUOTE, v) if isinstance(v, str) and v and (v[0] in first or ";" in v or "\n" in v or "\r" in v) else v
            for v in values]


def restore_row(values: Iterable[str]) -> list[str]:
    return [restore_cell(v) for v in values]


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """An XLSX cell: text that starts like a formula gets the apostrophe and is written as a string, never a formula.

    openpyxl makes any string that starts with "=" a formula; a cell object with data_type "s" is written as text.
    One XLSX cell is one cell, so only its start matters (no ";" or line-break splitting as in a CSV). Control
    characters that XML cannot hold are dropped; openpyxl would refuse the whole file for one of them.
    """
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_risky(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=QUOTE + value)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append``: every risky text as a string cell (works for normal and write-only sheets)."""
    return [xlsx_cell(sheet, v) for v in values]
