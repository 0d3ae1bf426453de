"""The report's key figures as a spreadsheet reads them (issue 13.4, "text and tables agree"; review: the Excel version
stored the key figures as text, "1.521" and "72%", and the CSV mixed "1.521" with the tables' 1521).

Found by opening the downloads of a seed the report tests do not use: every key figure that is a number is a number
cell in the XLSX, a percentage says so in its label, and the questions in the key figures are the total of the months
table in both the CSV and the XLSX.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from balie.core import privacy
from tests.test_insight_report import ENDED, _fast, make_data, sections  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("username", "key"), [("gemeente", str(ENDED.year - 1)), ("coordinator", f"{ENDED.year - 1}-K4")])
def test_key_figures_are_numbers_that_agree_with_the_tables(network, users, client_for, username, key):
    make_data(91, n=1500)
    client = client_for(username)
    book = load_workbook(io.BytesIO(client.get(f"/inzicht/verantwoording/GM0599/{key}.xlsx").content))
    rows = [r for r in book["Kerncijfers"].iter_rows(values_only=True) if r and r[0]]
    figures = {r[0]: r[1] for r in rows[rows.index(("Kerncijfer", "Waarde", "Toelichting")) + 1:]}
    assert figures, rows
    for label, value in figures.items():
        assert isinstance(value, int) or value in (privacy.SMALL, "afgeschermd"), (label, value)
    assert any(label.endswith("(%)") for label in figures)
    months = [r for r in book["Vragen per maand"].iter_rows(values_only=True) if r and r[0] == "Totaal"]
    assert figures["Vragen"] == months[0][1]
    _, tables = sections(client.get(f"/inzicht/verantwoording/GM0599/{key}.csv").content)
    in_csv = {r[0]: r[1] for r in tables["Kerncijfers"][1:]}
    assert in_csv["Vragen"] == tables["Vragen per maand"][-1][1] == str(figures["Vragen"])
