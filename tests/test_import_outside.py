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
import re

import pytest
from openpyxl import Workbook

from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import ImportJob
from tests.test_import_safety import _fast, counts, exported, new_row, registered, table, upload  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def write(rows: list[list[str]], delimiter: str = ",", end: str = "\r\n", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=end, quoting=quoting).writerows(rows)
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
    # Found by probing (session 16): a file made for Excel by another program, and UTF-16 from exports that skip the BOM.
    "Excel's 'sep=;' line first": lambda rows: ("sep=;\r\n" + write(rows, ";")).encode("cp1252"),
    "UTF-16 LE without a BOM": lambda rows: write(rows, "\t").encode("utf-16-le"),
    "UTF-16 BE with a BOM, semicolons": lambda rows: b"\xfe\xff" + write(rows, ";").encode("utf-16-be"),
    "every field quoted": lambda rows: write(rows, ";", quoting=csv.QUOTE_ALL).encode("utf-8-sig"),
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
    "a NUL character in UTF-16": (lambda rows: write(rows[:3] + [rows[3][:-1] + ["een\x00notitie"]], "\t").encode("utf-16"),
                                  "Hier staat een onzichtbaar NUL-teken (0x00)"),
    "an Excel workbook": (_workbook, "Dit is een werkmap van Excel of LibreOffice (.xlsx, .xls of .ods), geen CSV-bestand"),
}


@pytest.mark.parametrize("shape", list(REFUSED))
def test_what_cannot_be_read_safely_is_refused_saying_what_to_do(client_for, registered, shape):  # noqa: F811
    make, message = REFUSED[shape]
    before = counts()
    response = upload(client_for("coordinator"), make(table(exported(registered))), "bestand.csv")
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422 and message in html and counts() == before and not ImportJob.objects.exists()


def test_after_excels_sep_line_an_error_names_the_row_as_excel_shows_it(client_for, registered):  # noqa: F811
    """Excel hides the "sep=" line, so the header is its row 1: an error in the third data row is on line 4."""
    rows = table(exported(registered))
    rows[3][rows[0].index("datum")] = "gisteren"
    response = upload(client_for("coordinator"), ("sep=;\r\n" + write(rows, ";")).encode("cp1252"), "bestand.csv")
    html = response.content.decode()
    assert response.status_code == 422 and not ImportJob.objects.exists()
    assert re.search(r"<td[^>]*>\s*4\s*</td>\s*<td[^>]*>\s*datum\s*</td>", html), html[-3000:]
