"""The registration exchange file: one row per question, shared by export and import.

Kept apart from both so the two can never drift: the round trip export → import → export
must give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext

from balie.core.csvcheck import normalise_line_ends, physical_lines

HEADER: tuple[str, ...] = (
    "organisatie", "locatie", "bezoek", "datum", "tijd", "kanaal", "vraagsoort", "instantie", "onderwerp",
    "digid_detail", "behoefteprofielen", "complexiteit", "achterliggend", "uitkomst", "duur_minuten",
    "leeftijdsgroep", "taal", "notitie",
)
MULTI_SEPARATOR = "|"
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
# Spreadsheets write CRLF; the csv module's default, spelled out because the round trip depends on it.
LINE_TERMINATOR = "\r\n"
UTF8_BOM = b"\xef\xbb\xbf"

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Spreadsheets drop the leading zero ("9:05") or add seconds ("09:05:00"); both are harmless.
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


def multi_to_file(stored: str) -> str:
    """'|A|B|' in the database -> 'A|B' in the file."""
    return stored.strip(MULTI_SEPARATOR)


def writer(stream: Any) -> Any:
    """A csv writer for the exchange format (CRLF line ends, minimal quoting)."""
    return csv.writer(stream, lineterminator=LINE_TERMINATOR)


# A Dutch Excel turns 2024-03-15 into 15-3-2024 when it opens and saves the file; with the year last it is never ambiguous.
_DUTCH_DATE_RE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
# A spreadsheet whose date column holds date-times writes the date with midnight ("2024-03-15 00:00:00", "15-3-2024 0:00");
# the time of the visit is in the column tijd, so only a midnight is taken off (any other time would be a second answer).
_MIDNIGHT_RE = re.compile(r"[ T]0?0:00(:00(\.0+)?)?$")


def parse_date(raw: str) -> dt.date | None:
    value = _MIDNIGHT_RE.sub("", raw.strip())
    try:
        if _DATE_RE.fullmatch(value):
            return dt.date.fromisoformat(value)
        if match := _DUTCH_DATE_RE.fullmatch(value):
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def parse_time(raw: str) -> dt.time | None:
    match = _TIME_RE.fullmatch(raw.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class NotUtf8(ValueError):
    def __init__(self, line: int, column: str, byte: int):
        self.line, self.column, self.byte = line, column, byte
        super().__init__(f"regel {line}: geen UTF-8")


class Workbook(ValueError):
    """An Excel or LibreOffice workbook (.xlsx, .xls, .ods) instead of a CSV file: recognised by its first bytes, so the
    coordinator is told to save it as CSV instead of hearing that byte 0x99 is not UTF-8."""


# .xlsx and .ods are ZIP archives, .xls an OLE2 compound file.
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


class HasNul(ValueError):
    """A NUL character (0x00): PostgreSQL cannot store it in a text, and no spreadsheet writes one (review L3)."""

    def __init__(self, line: int, column: str):
        self.line, self.column = line, column
        super().__init__(f"regel {line}: NUL-teken")


def decode(data: bytes) -> str:
    """Bytes of an uploaded file -> text, with "\n" line ends.

    UTF-8 with or without a BOM (Excel's "CSV UTF-8"), UTF-16 (Excel's "Unicode-tekst", with a BOM; some exports leave
    it out) and Windows-1252 (what a Dutch Excel writes for plain "CSV": é and ë as single bytes) are recognised. A file
    that is none of these is refused (NotUtf8) with the line and column of the first byte that does not fit. Old Mac line
    ends (a lone CR) become line ends, and Excel's "sep=" line is left out. A spreadsheet workbook is refused as such
    (Workbook); a NUL character as well (HasNul).
    """
    if data.startswith(WORKBOOK_MAGIC):
        raise Workbook()
    utf16 = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16_without_bom(data)
    if utf16:
        try:
            # Checked for NUL as UTF-8, where a NUL character is a 0x00 byte again.
            data = data.decode(utf16).removeprefix("\ufeff").encode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: reported below as an unreadable byte
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            line_start = data.rfind(b"\n", 0, exc.start) + 1
            line = data.count(b"\n", 0, exc.start) + 1
            raise NotUtf8(line, _column_at(data, line_start, exc.start), data[exc.start]) from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise HasNul(data.count(b"\n", 0, nul) + 1, _column_at(data, data.rfind(b"\n", 0, nul) + 1, nul))
    return _without_separator_line(normalise_line_ends(text))


def _utf16_without_bom(data: bytes) -> str:
    """"utf-16-le" or "utf-16-be" for UTF-16 written without its BOM (some exports do): a header of plain letters then
    has a NUL as every second byte. "" for anything else, which decode() reads (or refuses) as usual."""
    head = data[:2000]
    if len(head) < 8 or len(head) % 2:
        return ""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return ""


# Excel reads a first line "sep=;" as the separator to use and does not show it, so the header is its row 1; a file
# made for Excel by another program may start with one.
_SEPARATOR_LINE_RE = re.compile(r"\A\ufeff?sep=([,;\t])[,;\t]*\r?\n")


def _without_separator_line(text: str) -> str:
    """The text without Excel's "sep=" line (the header decides the separator anyway); line numbers then count as Excel
    shows the rows."""
    return _SEPARATOR_LINE_RE.sub("", text, count=1)


def delimiter_of(text: str) -> str:
    """",", ";" or a tab: a Dutch Excel writes "CSV (puntkomma's)" with ";" between the columns, Excel's "Unicode-tekst"
    (UTF-16) and a spreadsheet's "tab-separated values" a tab. The header line decides; a tie is a comma."""
    header = text[:text.find("\n") if "\n" in text else len(text)]
    return max((",", ";", "\t"), key=header.count)


def unnamed_columns(names: list[str], fields: list[str]) -> tuple[list[str] | None, int | None]:
    """(the row without the cells of header columns that have no name, or None when the row has another width than the
    header; the first such column, 1-based, that holds a value, or None).

    A spreadsheet adds empty columns after the last one ("...;notitie;;;") when cells to the right were ever formatted;
    they carry nothing, so they are read past. Empty cells past the header's width are dropped, and a row that stops
    before trailing unnamed columns is read as if it had them empty."""
    width = len(names)
    if len(fields) > width and not any(f.strip() for f in fields[width:]):
        fields = fields[:width]
    elif len(fields) < width and not any(names[len(fields):]):
        fields = fields + [""] * (width - len(fields))
    if len(fields) != width:
        return None, None
    filled = next((k + 1 for k, (n, f) in enumerate(zip(names, fields)) if not n and f.strip()), None)
    return [f for n, f in zip(names, fields) if n], filled


def _column_at(data: bytes, line_start: int, offset: int) -> str:
    """Name the column holding the bad byte, so staff know where to look (best effort)."""
    header_end = data.find(b"\n")
    header = data[:header_end if header_end >= 0 else len(data)].decode("utf-8-sig", errors="replace").strip()
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    try:
        index = len(next(csv.reader([prefix + "x"], delimiter=delimiter_of(header)))) - 1
    except (csv.Error, StopIteration):
        return ""
    names = header.split(delimiter_of(header))
    return names[index].strip() if line_start > 0 and index < len(names) else ""


class BrokenQuotes(csv.Error):
    """The quotes of the file do not pair up (review L2). A csv.Error, so every reader of records() stops on it."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(f"regel {line}: {message}")


def quote_advice() -> str:
    return gettext("Een tekst met een komma, een aanhalingsteken of een nieuwe regel staat tussen aanhalingstekens (\"), "
                   "en een aanhalingsteken in die tekst staat er dubbel (\"\"). Excel doet dat vanzelf bij 'CSV UTF-8'.")


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(physical first line of the record, fields). Quoted notes may span lines, so csv.line_num alone is not enough.

    Strict: a quote that is never closed, or text after a closing quote, stops the reading with BrokenQuotes
    instead of silently swallowing the rest of the file into one note (review L2).
    """
    delimiter = delimiter_of(text)
    reader = csv.reader(physical_lines(text), strict=True, delimiter=delimiter)
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _broken(start, reader.line_num, str(exc)) from exc
        if reader.line_num > start:
            _check_swallowed(start, fields, delimiter)
        yield start, fields
        previous_end = reader.line_num


def _broken(start: int, now: int, reason: str) -> csv.Error:
    if "unexpected end of data" in reason:
        return BrokenQuotes(start, gettext(
            "hier begint een tekst met een aanhalingsteken (\") dat nergens wordt afgesloten. De rest van het bestand "
            "(regel %(start)s tot en met %(end)s) zou zo één tekst worden."
        ) % {"start": start, "end": now} + " " + quote_advice())
    if "expected after" in reason:
        if now != start:
            text = gettext("na een afsluitend aanhalingsteken (\") staat op regel %(line)s nog tekst in dezelfde kolom.") % {
                "line": now}
        else:
            text = gettext("na een afsluitend aanhalingsteken (\") staat op deze regel nog tekst in dezelfde kolom.")
        return BrokenQuotes(start, text + " " + quote_advice())
    if "field larger than field limit" in reason:
        return BrokenQuotes(start, gettext(
            "een tekst is langer dan %(limit)s tekens. Staat er ergens een aanhalingsteken (\") dat niet wordt afgesloten?"
        ) % {"limit": f"{csv.field_size_limit():,}".replace(",", ".")} + " " + quote_advice())
    return BrokenQuotes(start, gettext("het bestand is vanaf hier niet te lezen als CSV (%(reason)s).") % {"reason": reason})


def _check_swallowed(start: int, fields: list[str], delimiter: str = ",") -> None:
    """A text that spans lines and holds a whole row: a quote opened too early and closed by a later stray one."""
    offset = 0
    for value in fields:
        inner = value.split("\n")
        for k, text in enumerate(inner[1:], start=1):
            if text.count(delimiter) >= len(HEADER) - 1:
                raise BrokenQuotes(start, gettext(
                    "een tekst tussen aanhalingstekens (\") loopt over meerdere regels en bevat op regel %(line)s een hele "
                    "registratie. Waarschijnlijk ontbreekt een aanhalingsteken, of staat er een te veel; anders zouden die "
                    "regels samen één tekst worden."
                ) % {"line": start + offset + k} + " " + quote_advice())
        offset += len(inner) - 1
