"""Insight: suppression, role scoping per view, figures against raw SQL, exports, the report and open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from balie.core import privacy
from balie.desk.services import visit_register
from balie.insight.periods import Period
from balie.network.models import Location

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
LAST_YEAR = dt.date.today().year - 1
NOTE = "Zeer geheime notitie over de buurvrouw"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def register(users, username, location, day, n, **question):
    base = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    for i in range(n):
        visit_register(user=users[username], location=Location.objects.get(code=location), questions=[{**base, **question}],
                       started_at=dt.datetime.combine(day, dt.time(10, i % 50), AMS))


@pytest.fixture
def data(network, users):
    """Rotterdam: 40 DigiD, 12 UWV, 3 SVB (small), 2 with a note; Gouda: 20 Belastingdienst; all in March last year."""
    day = dt.date(LAST_YEAR, 3, 12)
    register(users, "medewerker", "RDAM-CENTRAAL", day, 40, duur_minuten="10", behoefteprofielen=["WEGWIJS"])
    register(users, "collega", "RDAM-ZUIDPLEIN", day, 12, instantie="UWV", onderwerp="BERICHT", uitkomst="DOORVERWEZEN")
    register(users, "medewerker", "RDAM-CENTRAAL", day, 3, instantie="SVB", onderwerp="AANVRAGEN", uitkomst="DEELS")
    register(users, "medewerker", "RDAM-CENTRAAL", day, 2, instantie="CJIB", onderwerp="BETALEN", notitie=NOTE)
    register(users, "medewerker-gouda", "GOUDA-CHOCOLADEFABRIEK", day, 20, instantie="BELASTINGDIENST", onderwerp="AANGIFTE")
    return day


def export_rows(client, table, **params):
    params.setdefault("periode", str(LAST_YEAR))
    response = client.get(f"/inzicht/export/{table}.csv", params)
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8-sig")
    assert NOTE not in text
    return [row for row in csv.reader(io.StringIO(text)) if row and not row[0].startswith("#")]


def as_dict(rows):
    return {r[0]: r[1] for r in rows[1:]}


# ------------------------------------------------------------------ suppression (one module, all views use it)
def test_suppression_hides_small_cells_and_one_more_so_they_cannot_be_derived():
    hidden, total_hidden = privacy.protect_list([40, 12, 3, 0])
    assert hidden == [False, True, True, False] and not total_hidden  # 3 is small; 12 (next smallest) goes with it
    hidden, _ = privacy.protect_list([40, 12, 30])
    assert hidden == [False, False, False]
    hidden, _ = privacy.protect_list([40, 1, 1, 50])
    assert hidden == [True, True, True, False]  # 1 + 1 = 2 < 5 would reveal both ones: hide the 40 too
    hidden, total_hidden = privacy.protect_list([3])
    assert hidden == [True] and total_hidden
    assert privacy.show(3, True) == "<5" and privacy.show(12, True) == "×" and privacy.show(1234, False) == "1.234"


def test_suppression_of_a_table_leaves_no_row_or_column_with_one_derivable_cell():
    rng = random.Random(1)
    for _ in range(300):
        rows, cols = rng.randint(1, 6), rng.randint(1, 6)
        values = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 20, 60]) for _ in range(cols)] for _ in range(rows)]
        hidden, hide_rows, hide_cols = privacy.protect(values)
        for r, c in itertools.product(range(rows), range(cols)):
            assert not (0 < values[r][c] < 5) or hidden[r][c]
        groups = [([(r, c) for c in range(cols)], hide_rows[r]) for r in range(rows)]
        groups += [([(r, c) for r in range(rows)], hide_cols[c]) for c in range(cols)]
        for cells, total_hidden in groups:
            shut = [values[r][c] for r, c in cells if hidden[r][c]]
            if shut and not total_hidden:
                assert len(shut) >= 2 and sum(shut) >= 5, (values, hidden)


# ------------------------------------------------------------------ role scoping
def test_coordinator_sees_the_own_organisation_with_exact_numbers(data, client_for):
    client = client_for("coordinator")
    response = client.get("/inzicht/", {"periode": LAST_YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Centrale Bibliotheek" in html and "Chocoladefabriek" not in html
    instanties = as_dict(export_rows(client, "instanties"))
    assert instanties["DigiD (Logius)"] == "40" and instanties["SVB"] == "3" and "Belastingdienst" not in instanties
    assert NOTE not in html


def test_outsiders_get_404_for_places_outside_their_scope(data, client_for):
    assert client_for("coordinator").get("/inzicht/", {"locatie": "GOUDA-CHOCOLADEFABRIEK"}).status_code == 404
    assert client_for("coordinator-gouda").get("/inzicht/", {"locatie": "RDAM-CENTRAAL"}).status_code == 404
    assert client_for("gemeente").get("/inzicht/", {"gemeente": "GM0513"}).status_code == 404
    assert client_for("gemeente").get("/inzicht/", {"locatie": "GOUDA-CHOCOLADEFABRIEK"}).status_code == 404
    assert client_for("gemeente").get("/inzicht/export/instanties.csv", {"locatie": "GOUDA-CHOCOLADEFABRIEK"}).status_code == 404
    assert client_for("coordinator-gouda").get(f"/inzicht/verantwoording/GM0599/{LAST_YEAR}.pdf").status_code == 404
    assert client_for("gemeente").get(f"/inzicht/verantwoording/GM0513/{LAST_YEAR}.csv").status_code == 404


@pytest.mark.parametrize("username", ["medewerker", "partner", "beheerder"])
def test_other_roles_get_403(data, client_for, username):
    client = client_for(username)
    assert client.get("/inzicht/").status_code == 403
    assert client.get("/inzicht/export/instanties.csv").status_code == 403
    assert client.get("/inzicht/verantwoording/").status_code == 403


def test_anonymous_users_are_sent_to_login(data, client):
    response = client.get("/inzicht/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_gemeente_sees_only_its_municipality_and_only_suppressed_aggregates(data, client_for):
    client = client_for("gemeente")
    html = client.get("/inzicht/", {"periode": LAST_YEAR}).content.decode()
    assert "Chocoladefabriek" not in html and NOTE not in html
    instanties = as_dict(export_rows(client, "instanties"))
    assert instanties["DigiD (Logius)"] == "40"
    assert instanties["SVB"] == "<5" and instanties["CJIB"] == "<5"
    assert "Belastingdienst" not in instanties  # Gouda is not theirs
    totals = export_rows(client, "instanties")[-1]
    assert totals[0] == "Totaal" and totals[1] == "57"
    # 3 + 2 = 5 hidden in two cells: protected, and the total stays.
    locaties = as_dict(export_rows(client, "locaties"))
    assert locaties["Bibliotheek Zuidplein"] == "12"


def test_landelijk_sees_everything_suppressed_by_province_municipality_organisation(data, client_for):
    client = client_for("landelijk")
    html = client.get("/inzicht/", {"periode": LAST_YEAR}).content.decode()
    assert "Vragen per provincie" in html and "Vragen per gemeente" in html and "Vragen per organisatie" in html
    instanties = as_dict(export_rows(client, "instanties"))
    assert instanties["Belastingdienst"] == "20" and instanties["SVB"] == "<5"
    orgs = as_dict(export_rows(client, "organisaties"))
    assert orgs == {"Bibliotheek Rotterdam": "57", "Bibliotheek Gouda": "20", "Totaal": "77"}


def test_a_lone_small_cell_is_protected_by_a_second_one(network, users, client_for):
    day = dt.date(LAST_YEAR, 5, 2)
    register(users, "medewerker", "RDAM-CENTRAAL", day, 30)
    register(users, "medewerker", "RDAM-CENTRAAL", day, 9, instantie="UWV", onderwerp="BERICHT", uitkomst="DOORVERWEZEN")
    register(users, "medewerker", "RDAM-CENTRAAL", day, 2, instantie="SVB", onderwerp="BERICHT", uitkomst="DEELS")
    uitkomst = as_dict(export_rows(client_for("gemeente"), "uitkomst"))
    assert uitkomst["Deels, komt terug"] == "<5" and uitkomst["Doorverwezen"] == "×" and uitkomst["Opgelost"] == "30"
    assert as_dict(export_rows(client_for("coordinator"), "uitkomst"))["Deels, komt terug"] == "2"


# ------------------------------------------------------------------ figures against raw SQL
@pytest.mark.parametrize("params", [{}, {"instantie": "DIGID"}, {"bestuurslaag": "RIJK"}, {"locatie": "RDAM-ZUIDPLEIN"},
                                    {"uitkomst": "OPGELOST", "kanaal": "INLOOP"}])
def test_dashboard_figures_equal_raw_sql(network, users, client_for, params):
    from balie.demo.registrations import generate
    from balie.insight import rollup

    generate(registrations=3000, years=2, seed=11)
    rollup.rebuild()
    client = client_for("coordinator")
    year = dt.date.today().year
    rows = export_rows(client, "onderwerpen", periode=year, **params)
    where = ["q.organisation_id = (SELECT id FROM network_organisation WHERE code = 'BIB-RDAM')", "q.date >= %s", "q.date < %s"]
    sql_params: list = [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    if "instantie" in params:
        where.append("q.instantie = %s")
        sql_params.append(params["instantie"])
    if "bestuurslaag" in params:
        where.append("q.instantie IN (SELECT code FROM core_code c JOIN core_codelistversion v ON c.version_id = v.id "
                     "WHERE c.list = 'instantie' AND c.bestuurslaag = %s)")
        sql_params.append(params["bestuurslaag"])
    if "locatie" in params:
        where.append("q.location_id = (SELECT id FROM network_location WHERE code = %s)")
        sql_params.append(params["locatie"])
    if "uitkomst" in params:
        where.append("q.uitkomst = %s AND q.kanaal = %s")
        sql_params += [params["uitkomst"], params["kanaal"]]
    with connection.cursor() as cur:
        cur.execute(f"SELECT q.onderwerp, COUNT(*) FROM desk_question q WHERE {' AND '.join(where)} GROUP BY q.onderwerp", sql_params)
        raw = dict(cur.fetchall())
    from balie.insight.tables import labels

    names = labels("O")
    shown = {r[0]: int(r[1]) for r in rows[1:-1] if r[1] != "0"}
    assert shown == {names[code]: n for code, n in raw.items()}
    assert int(rows[-1][1]) == sum(raw.values())


# ------------------------------------------------------------------ exports, report, open data
def test_every_dashboard_table_exports_as_csv_and_xlsx(data, client_for):
    from openpyxl import load_workbook

    client = client_for("gemeente")
    html = client.get("/inzicht/", {"periode": LAST_YEAR}).content.decode()
    keys = sorted(set(__import__("re").findall(r"/inzicht/export/([a-z]+)\.csv", html)))
    assert {"kerncijfers", "maanden", "instanties", "onderwerpen", "uitkomst", "behoefteprofielen", "uren", "buiten"} <= set(keys)
    for key in keys:
        rows = export_rows(client, key)
        assert len(rows) >= 2
        response = client.get(f"/inzicht/export/{key}.xlsx", {"periode": LAST_YEAR})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert NOTE not in " ".join(map(str, values))
        assert any("<5" in str(v) or "afgeschermd" in str(v) for v in values)  # the legend is in every suppressed export


def test_the_accountability_report_is_a_pdf_with_the_key_figures(data, client_for, tmp_path):
    client = client_for("gemeente")
    assert client.get("/inzicht/verantwoording/").status_code == 200
    response = client.get(f"/inzicht/verantwoording/GM0599/{LAST_YEAR}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Verantwoording Informatiepunt Digitale Overheid" in text and "Rotterdam" in text
    assert "57 vragen" in text  # the total, in the plain-language summary
    assert "DigiD" in text and "<5" in text and NOTE not in text
    assert "Belastingdienst" not in text  # Gouda's questions are not Rotterdam's
    rows = [r for r in csv.reader(io.StringIO(client.get(f"/inzicht/verantwoording/GM0599/{LAST_YEAR}-K1.csv").content.decode("utf-8-sig")))]
    assert any(r[:2] == ["Vragen", "57"] for r in rows)
    assert client.get(f"/inzicht/verantwoording/GM0599/{LAST_YEAR}-K1.xlsx").status_code == 200


def test_a_coordinator_report_covers_only_the_own_locations(data, client_for):
    response = client_for("coordinator-gouda").get(f"/inzicht/verantwoording/GM0513/{LAST_YEAR}.csv")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "Belastingdienst" in text and "DigiD" not in text


def test_open_data_is_public_suppressed_and_documented(data, client):
    page = client.get("/inzicht/open-data/")
    assert page.status_code == 200 and "aantal_vragen" in page.content.decode()
    response = client.get("/inzicht/open-data.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    rotterdam = [r for r in rows if r["gemeente_code"] == "GM0599" and r["dimensie"] == "instantie" and r["jaar"] == str(LAST_YEAR)]
    assert {r["code"]: r["aantal_vragen"] for r in rotterdam} == {"DIGID": "40", "UWV": "12", "SVB": "<5", "CJIB": "<5"}
    assert all(v["aantal_vragen"] in ("<5", "×") or int(v["aantal_vragen"]) >= 5 for v in rows)


def test_period_parsing():
    assert Period.parse("2025-K2").first == dt.date(2025, 4, 1) and Period.parse("2025-K2").last == dt.date(2025, 6, 1)
    assert Period.parse("2025-03").label == "maart 2025" and Period.parse("2025").label == "2025"
    with pytest.raises(ValueError):
        Period.parse("2025-K5")


def test_a_wrong_period_is_explained_not_an_error(data, client_for):
    response = client_for("coordinator").get("/inzicht/", {"periode": "vorig jaar"})
    assert response.status_code == 200 and "Kies een jaar" in response.content.decode()


def test_the_nav_shows_inzicht_to_the_roles_that_may_see_it(data, client_for):
    for username, shown in [("coordinator", True), ("gemeente", True), ("landelijk", True), ("medewerker", False)]:
        html = client_for(username).get("/start/", follow=True).content.decode()
        assert ('href="/inzicht/"' in html) is shown, username


def test_the_rebuild_task_runs(data, settings):
    from balie.insight.models import Cell
    from balie.insight.tasks import rebuild_rollups_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Cell.objects.all().delete()
    result = rebuild_rollups_task.enqueue()
    assert result.return_value > 0 and Cell.objects.filter(cube="I").exists()


def test_a_quarter_is_compared_with_the_same_quarter_a_year_earlier(network, users, client_for):
    register(users, "medewerker", "RDAM-CENTRAAL", dt.date(LAST_YEAR - 1, 11, 5), 7)  # Q4 two years ago: the comparison
    register(users, "medewerker", "RDAM-CENTRAAL", dt.date(LAST_YEAR, 6, 5), 50)  # between the two quarters: not counted
    register(users, "medewerker", "RDAM-CENTRAAL", dt.date(LAST_YEAR, 11, 5), 9)
    rows = export_rows(client_for("coordinator"), "instanties", periode=f"{LAST_YEAR}-K4")
    assert rows[-1][:4] == ["Totaal", "9", "100.0", "7"]
