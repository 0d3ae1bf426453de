"""Registration CSVs as other programs write them (issue 13, item 5), found by probing with files we did not make.

Each shape is made from a real export and uploaded over HTTP: it must be recognised (the rows that are already in Balie
are found, whatever the separator, encoding, column order or date spelling), or refused with a message that says what
to do, saving nothing. Shapes: Excel's "Unicode-tekst" (UTF-16, tabs), a spreadsheet's TSV, the empty columns a
spreadsheet leaves after the last one, a date column holding date-times at midnight, dates with slashes (day/month or
month/day: never guessed) and an Excel workbook instead of a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import ImportJob
from tests.test_import_safety import _fast, counts, exported, new_row, registered, table, upload  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def write(rows: list[list[str]], delimiter: str = ",", end: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=end).writerows(rows)
    return buffer.getvalue()


def dates(rows: list[list[str]], spell) -> list[list[str]]:
    at = rows[0].index("datum")
    return [rows[0]] + [[spell(dt.date.fromisoformat(c)) if k == at else c for k, c in enumerate(r)] for r in rows[1:]]


RECOGNISED = {
    "Excel Unicode-tekst (UTF-16, tabs)": lambda rows: b"\xff\xfe" + write(rows, "\t").encode("utf-16-le"),
    "TSV, UTF-8, LF": lambda rows: write(rows, "\t", "\n").encode(),
    "empty columns after the last": lambda rows: write([r + ["", ""] for r in rows], ";").encode("cp1252"),
    "empty columns, data rows shorter": lambda rows: write([rows[0] + ["", "", ""]] + rows[1:]).encode(),
    "date-times at midnight (ISO)": lambda rows: write(dates(rows, lambda d: f"{d.isoformat()} 00:00:00")).encode(),
    "date-times at midnight (Dutch Excel)": lambda rows: write(dates(rows, lambda d: f"{d.day}-{d.month}-{d.year} 0:00"), ";").encode(),
}


@pytest.mark.parametrize("shape", list(RECOGNISED))
def test_files_of_other_programs_are_recognised_and_their_duplicates_found(client_for, registered, shape):  # noqa: F811
    client = client_for("coordinator")
    rows = table(exported(registered))
    before = counts()
    # The columns in another order as well: a coordinator's spreadsheet is never ours.
    order = list(reversed(range(len(HEADER))))
    data = RECOGNISED[shape]([[r[k] for k in order] for r in rows + [new_row(4)]])
    response = upload(client, data, "uit-een-ander-programma.csv")
    assert response.status_code == 302, response.content.decode()[-3000:]
    job = ImportJob.objects.get()
    assert job.status == "keuze" and job.duplicates["count"] == len(rows) - 1 and counts() == before
    client.post(f"/balie/importeren/{job.uuid}/keuze/", {"keuze": "overslaan"})
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("klaar", 1) and counts() == (before[0] + 1, before[1] + 1)


def _workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


REFUSED = {
    "dates with slashes": (lambda rows: write(dates(rows, lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}")).encode(),
                           "kan dag/maand of maand/dag zijn. Schrijf de datum als JJJJ-MM-DD (2024-03-15) of als D-M-JJJJ"),
    "a date with a time of day": (lambda rows: write(dates(rows, lambda d: f"{d.isoformat()} 10:15")).encode(),
                                  "is geen geldige datum"),
    "a value in a column without a name": (lambda rows: write([rows[0] + [""]] + [r + ["x"] for r in rows[1:]]).encode(),
                                           "kolom 19 staat iets, maar die kolom heeft geen naam"),
    "an Excel workbook": (_workbook, "Dit is een werkmap van Excel of LibreOffice (.xlsx, .xls of .ods), geen CSV-bestand"),
}


@pytest.mark.parametrize("shape", list(REFUSED))
def test_what_cannot_be_read_safely_is_refused_saying_what_to_do(client_for, registered, shape):  # noqa: F811
    make, message = REFUSED[shape]
    before = counts()
    response = upload(client_for("coordinator"), make(table(exported(registered))), "bestand.csv")
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422 and message in html and counts() == before and not ImportJob.objects.exists()
