"""A year earlier that was not registered whole is no comparison (issue 13.4, "every comparison is like for like").

A municipality that started registering in Balie in June has, for that year, seven months where the year after has
twelve: its report for the next year must not say "+70 %". The months it does have are shown as counted, the change
is left out everywhere (summary, key figures, tables, functions) and the report says from when Balie was used. A
comparison with a period that lies wholly after the start keeps its change.
"""

from __future__ import annotations

import datetime as dt

import pytest

from balie.desk.models import Question
from balie.insight import rollup
from tests.test_insight_report import ENDED, _fast, sections  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PREVIOUS = ENDED.year - 1  # the last whole year (a running year would be compared the same way)


def _started(month: dt.date, seed: int) -> None:
    from balie.demo.registrations import generate

    generate(registrations=1800, years=3, seed=seed)
    Question.objects.filter(location__gemeente__cbs_code="GM0599", date__lt=month).delete()
    rollup.rebuild()


@pytest.mark.parametrize("seed", [5, 17])
def test_a_year_registered_in_part_gives_no_change(network, users, client_for, seed):
    start = dt.date(PREVIOUS - 1, 6, 1)  # June of the year the report compares with
    _started(start, seed)
    client = client_for("gemeente")
    response = client.get(f"/inzicht/verantwoording/GM0599/{PREVIOUS}.csv")
    assert response.status_code == 200
    meta, tables = sections(response.content)
    assert "geregistreerd vanaf juni" in meta[0], meta
    page = client.get(f"/inzicht/verantwoording/GM0599/{PREVIOUS}.html").content.decode()
    assert "pas geregistreerd vanaf juni" in page
    assert "een verschil van" not in page
    rate = next(line for line in page.split("<p") if "Per 10.000 inwoners" in line)
    assert ", tegen" not in rate, rate  # no rate a year earlier either
    months = tables["Vragen per maand"][1:]  # under its header
    assert any(row[2] not in ("0", "<5", "") for row in months[:-1]), "the months that were registered are shown"
    assert all(row[3] == "" for row in months), months  # no change in any month, nor in the total
    key = {r[0]: r for r in tables["Kerncijfers"][1:]}
    assert "geregistreerd vanaf juni" in key["Vragen"][2] and "%" not in key["Vragen"][2], key["Vragen"]
    for title, rows in tables.items():
        header = next((r for r in [rows[0]] if rows), [])
        if "Verschil (%)" in header:
            column = header.index("Verschil (%)")
            assert all(r[column] == "" for r in rows[1:]), (title, rows)


def test_a_period_after_the_start_keeps_its_change(network, users, client_for):
    start = dt.date(PREVIOUS - 1, 6, 1)
    _started(start, 5)
    client = client_for("gemeente")
    _, tables = sections(client.get(f"/inzicht/verantwoording/GM0599/{PREVIOUS}-K4.csv").content)
    page = client.get(f"/inzicht/verantwoording/GM0599/{PREVIOUS}-K4.html").content.decode()
    assert "pas geregistreerd" not in page and "een verschil van" in page
    total = tables["Vragen per maand"][-1]  # its own last row
    assert total[0] == "Totaal" and total[3] != "", total
