"""Export registrations as CSV or XLSX, in constant memory, for the command and the coordinator download.

Rows are read with values_list().iterator() in a fixed order (organisation code, started_at,
visit id, question id): the order makes the running "bezoek" number deterministic, so an
export of re-imported data is byte-identical to the original export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from balie.core.spreadsheet import safe_row, xlsx_cell
from balie.network.models import Organisation

from ..models import Question
from . import csvformat

CHUNK_SIZE = 5000
# Rows per piece of a streamed HTTP response: big enough to keep overhead low, small enough to start at once.
STREAM_ROWS = 500
XLSX_ROWS_PER_SHEET = 1_048_576 - 1  # Excel's row limit, minus the header

_FIELDS = (
    "organisation__code", "location__code", "visit_id", "started_at", "kanaal", "vraagsoort",
    "instantie", "instantie_local", "onderwerp", "onderwerp_local", "digid_detail", "behoefteprofielen",
    "complexiteit", "achterliggend", "uitkomst", "duration_minutes", "leeftijdsgroep", "taal", "note",
)


def _queryset(organisation: Organisation | None) -> Any:
    qs = Question.objects.all()
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation__code", "started_at", "visit_id", "id").values_list(*_FIELDS)


def rows(organisation: Organisation | None = None) -> Iterator[list[str]]:
    """File rows (strings, in csvformat.HEADER order), without the header."""
    tz = timezone.get_current_timezone()
    number = 0
    last_visit: int | None = None
    datum = tijd = ""
    for (org, loc, visit_id, started_at, kanaal, vraagsoort, instantie, instantie_local, onderwerp, onderwerp_local,
         digid, behoefte, complexiteit, achterliggend, uitkomst, duration, leeftijd, taal, note) in _queryset(organisation).iterator(
            chunk_size=CHUNK_SIZE):
        if visit_id != last_visit:
            # Questions of one visit are adjacent (same organisation and started_at), so a change means a new visit.
            number += 1
            last_visit = visit_id
            local = started_at.astimezone(tz)
            datum, tijd = local.strftime(csvformat.DATE_FORMAT), local.strftime(csvformat.TIME_FORMAT)
        yield [
            org, loc, str(number), datum, tijd, kanaal, vraagsoort, instantie_local or instantie, onderwerp_local or onderwerp,
            digid, csvformat.multi_to_file(behoefte), complexiteit, csvformat.multi_to_file(achterliggend), uitkomst,
            "" if duration is None else str(duration), leeftijd, taal, note,
        ]


def write_csv(stream: IO[str], organisation: Organisation | None = None) -> int:
    """Write header and rows to a text stream opened with newline=''. Returns the number of rows."""
    out = csvformat.writer(stream)
    out.writerow(csvformat.HEADER)
    count = 0
    for count, row in enumerate(rows(organisation), start=1):
        out.writerow(safe_row(row))  # a note or code that starts like a formula stays text (review M3)
    return count


class _Buffer:
    """csv.writer target that hands back what was written, so rows can be streamed as strings."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def csv_chunks(organisation: Organisation | None = None, *, bom: bool = False) -> Iterator[str]:
    """The CSV file in pieces, for StreamingHttpResponse. A BOM makes Excel read the file as UTF-8."""
    buffer = _Buffer()
    out = csvformat.writer(buffer)
    out.writerow(csvformat.HEADER)
    yield ("\ufeff" if bom else "") + buffer.take()
    for count, row in enumerate(rows(organisation), start=1):
        out.writerow(safe_row(row))  # a note or code that starts like a formula stays text (review M3)
        if count % STREAM_ROWS == 0:
            yield buffer.take()
    yield buffer.take()


def write_xlsx(target: str | Path | IO[bytes], organisation: Organisation | None = None) -> int:
    """A write-only workbook streams rows to disk; a normal workbook would hold every cell in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    bezoek, datum, duur = (csvformat.HEADER.index(n) for n in ("bezoek", "datum", "duur_minuten"))
    count = 0
    for count, row in enumerate(rows(organisation), start=1):
        if (count - 1) % XLSX_ROWS_PER_SHEET == 0:
            # Excel opens at most 1,048,576 rows per sheet; continue on a next sheet with the header repeated.
            number = (count - 1) // XLSX_ROWS_PER_SHEET + 1
            sheet = workbook.create_sheet("registraties" if number == 1 else f"registraties {number}")
            sheet.append(list(csvformat.HEADER))
        # Empty cells are left out: fewer XML elements, and openpyxl without lxml is slow per cell.
        # Text that starts like a formula gets an apostrophe and the string type: openpyxl would make "=..." a formula (M3).
        # xlsx_cell also drops control characters XML cannot hold (older notes may have them).
        cells = [xlsx_cell(sheet, value) if value else None for value in row]
        values: list[Any] = [None if cell == "" else cell for cell in cells]
        values[bezoek] = int(row[bezoek])
        values[datum] = dt.date.fromisoformat(row[datum])
        values[duur] = int(row[duur]) if row[duur] else None
        sheet.append(values)
    if count == 0:
        workbook.create_sheet("registraties").append(list(csvformat.HEADER))
    workbook.save(target)
    return count
