"""CSV/XLSX export, CSV import (command and coordinator page) and their round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from balie.desk.exchange import importing
from balie.desk.exchange import views as import_views
from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import ImportJob, Question, Visit
from balie.desk.services import visit_register
from balie.network.models import Location, Organisation

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast(settings):
    # The name model (deduce) takes seconds to load; BSN/IBAN redaction does not need it.
    settings.BALIE_PII_NAMES = False
    settings.TASKS = IMMEDIATE


def _register(users, username: str, location: str, moment: dt.datetime, *questions: dict, kanaal: str = "") -> Visit:
    visit, _ = visit_register(
        user=users[username], location=Location.objects.get(code=location), questions=list(questions),
        started_at=moment, kanaal=kanaal,
    )
    return visit


@pytest.fixture
def registrations(network, users):
    """Registrations covering what the format must carry: local codes, multi-values, awkward notes, same-minute visits."""
    q = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    _register(users, "medewerker", "RDAM-CENTRAAL", dt.datetime(2024, 3, 12, 10, 15, 42, tzinfo=AMS),
              {**q, "digid_detail": "APP", "behoefteprofielen": ["WEGWIJS", "STEUN"], "complexiteit": "2", "duur_minuten": "15",
               "leeftijdsgroep": "65_74", "taal": "NL", "notitie": 'Brief van "Woonstad", uitgelegd\nkomt volgende week terug'},
              {"instantie": "WONEN_WOONSTAD", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN", "achterliggend": ["FINANCIEEL", "WONEN"]})
    # Two visits in the same minute: after import they differ only in visit id, and the order must still hold.
    _register(users, "collega", "RDAM-ZUIDPLEIN", dt.datetime(2024, 3, 12, 10, 15, 5, tzinfo=AMS),
              {**q, "notitie": "=uitleg, geen formule"},
              kanaal="TELEFOON")
    _register(users, "collega", "RDAM-ZUIDPLEIN", dt.datetime(2024, 3, 12, 10, 15, 50, tzinfo=AMS),
              {"instantie": "GEMEENTE_ROTTERDAMPAS", "onderwerp": "AANVRAGEN", "uitkomst": "DEELS", "vraagsoort": "DIENSTVERLENING"})
    _register(users, "medewerker", "RDAM-VOEDSELBANK-ZUID", dt.datetime(2023, 11, 2, 14, 0, tzinfo=AMS),
              {"instantie": "BELASTINGDIENST", "onderwerp": "AANGIFTE", "uitkomst": "NIET_OPGELOST", "duur_minuten": "480"})
    _register(users, "medewerker-gouda", "GOUDA-CHOCOLADEFABRIEK", dt.datetime(2024, 1, 5, 9, 5, tzinfo=AMS),
              {"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "OPGELOST", "notitie": "Gouda"})
    # Winter and summer time: the file holds local time.
    _register(users, "medewerker-gouda", "GOUDA-NIEUWERKERK", dt.datetime(2024, 7, 1, 16, 45, tzinfo=AMS),
              {**q, "taal": "AR"}, {"instantie": "TOESLAGEN", "onderwerp": "WIJZIGEN", "uitkomst": "OPGELOST"})


def export(tmp_path: Path, *args: str, name: str = "export.csv") -> bytes:
    target = tmp_path / name
    call_command("export_registrations", "--output", str(target), *args, stderr=io.StringIO())
    return target.read_bytes()


def counts() -> tuple[int, int]:
    return Visit.objects.count(), Question.objects.count()


def row(**values: str) -> dict[str, str]:
    base = {name: "" for name in HEADER}
    base.update(organisatie="BIB-RDAM", locatie="RDAM-CENTRAAL", bezoek="1", datum="2024-03-12", tijd="10:00", kanaal="INLOOP",
                instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST")
    base.update(values)
    return base


def csv_bytes(*rows: dict[str, str], header: tuple[str, ...] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def import_errors(tmp_path: Path, data: bytes) -> list[str]:
    """Run the import command on a bad file; return the error lines it printed. The database must not change."""
    path = tmp_path / "import.csv"
    path.write_bytes(data)
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="niets geïmporteerd"):
        call_command("import_registrations", str(path), stderr=err, stdout=io.StringIO())
    assert counts() == before
    return err.getvalue().splitlines()


# --- export -----------------------------------------------------------------------------------------------


def test_it_exports_one_row_per_question_in_the_documented_format(registrations, tmp_path):
    text = export(tmp_path).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == list(HEADER)
    assert len(lines) == 1 + Question.objects.count()
    first = dict(zip(HEADER, lines[1]))
    # Ordered by organisation code: BIB-GOUDA before BIB-RDAM; bezoek is a running number.
    assert (first["organisatie"], first["locatie"], first["bezoek"], first["datum"], first["tijd"]) == (
        "BIB-GOUDA", "GOUDA-CHOCOLADEFABRIEK", "1", "2024-01-05", "09:05")
    by_note = {r[HEADER.index("notitie")]: dict(zip(HEADER, r)) for r in lines[1:]}
    digid = by_note['Brief van "Woonstad", uitgelegd\nkomt volgende week terug']
    assert (digid["behoefteprofielen"], digid["digid_detail"], digid["duur_minuten"]) == ("WEGWIJS|STEUN", "APP", "15")
    assert digid["tijd"] == "10:15"  # local time, seconds dropped
    local = [dict(zip(HEADER, r)) for r in lines[1:] if r[HEADER.index("instantie")] == "WONEN_WOONSTAD"]
    assert local and local[0]["achterliggend"] == "FINANCIEEL|WONEN" and local[0]["bezoek"] == digid["bezoek"]
    summer = [dict(zip(HEADER, r)) for r in lines[1:] if r[HEADER.index("datum")] == "2024-07-01"]
    assert {r["tijd"] for r in summer} == {"16:45"}


def test_it_exports_one_organisation_and_to_stdout(registrations):
    out = io.StringIO()
    call_command("export_registrations", "--organisation", "bib-gouda", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(HEADER)
    assert len(lines) == 1 + Question.objects.filter(organisation__code="BIB-GOUDA").count()
    assert all(line.startswith("BIB-GOUDA,") for line in lines[1:])


def test_it_refuses_an_unknown_organisation_and_xlsx_without_output(registrations):
    with pytest.raises(CommandError, match="Onbekende organisatie 'BIB-NERGENS'"):
        call_command("export_registrations", "--organisation", "BIB-NERGENS")
    with pytest.raises(CommandError, match="--output"):
        call_command("export_registrations", "--format", "xlsx")


def test_it_exports_xlsx_readable_by_openpyxl_with_the_same_header(registrations, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "export.xlsx"
    call_command("export_registrations", "--format", "xlsx", "--output", str(target), stderr=io.StringIO())
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert len(rows) == 1 + Question.objects.count()
    notes = [cell for r in sheet.iter_rows(min_row=2) for cell in r if cell.value == "'=uitleg, geen formule"]
    # A note starting with "=" stays text, never a formula: string type, and the apostrophe as in the CSV (review M3).
    assert notes and notes[0].data_type == "s"


def test_it_continues_on_a_new_sheet_when_excel_would_run_out_of_rows(registrations, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from balie.desk.exchange import exporting

    monkeypatch.setattr(exporting, "XLSX_ROWS_PER_SHEET", 5)
    target = tmp_path / "export.xlsx"
    assert exporting.write_xlsx(target) == 8
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames == ["registraties", "registraties 2"]
    sizes = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    assert [len(rows) for rows in sizes] == [6, 4] and sizes[1][0] == HEADER


# --- round trip -------------------------------------------------------------------------------------------


def test_it_round_trips_export_import_export_byte_identical(registrations, tmp_path):
    original = export(tmp_path, name="a.csv")
    Visit.objects.all().delete()  # an empty database with the same network
    assert counts() == (0, 0)
    out = io.StringIO()
    call_command("import_registrations", str(tmp_path / "a.csv"), stdout=out)
    assert "8 vragen in 6 bezoeken geïmporteerd" in out.getvalue()
    assert export(tmp_path, name="b.csv") == original
    imported = Question.objects.select_related("visit").get(instantie_local="WONEN_WOONSTAD")
    assert (imported.instantie, imported.visit.source, imported.created_by, imported.visit.created_by) == ("WONEN", "import", None, None)
    assert imported.date == dt.date(2024, 3, 12) and imported.position == 2


def test_it_checks_without_saving_on_dry_run(registrations, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(export(tmp_path))
    before = counts()
    out = io.StringIO()
    call_command("import_registrations", str(path), "--dry-run", stdout=out)
    assert "Controle geslaagd: 8 vragen in 6 bezoeken" in out.getvalue()
    assert counts() == before


def test_it_accepts_a_utf8_bom_and_redacts_a_bsn_in_a_note(network, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(row(notitie="Klant gaf BSN 111222333 op, café gezocht")))
    call_command("import_registrations", str(path), stdout=io.StringIO())
    note = Question.objects.get().note
    assert "111222333" not in note and "[BSN]" in note and "café" in note


def test_it_imports_an_empty_bezoek_as_a_visit_per_row_and_defaults_the_kanaal(network, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(row(bezoek="", kanaal=""), row(bezoek="", locatie="RDAM-VOEDSELBANK-ZUID", kanaal="")))
    call_command("import_registrations", str(path), stdout=io.StringIO())
    assert sorted(Visit.objects.values_list("kanaal", flat=True)) == ["LOCATIE", "SPREEKUUR"]  # outreach; Tuesday 10:00 slot


def test_it_reports_progress_every_1000_rows_then_saving(network):
    text = csv_bytes(*(row(bezoek=str(i)) for i in range(2500))).decode()
    calls: list[tuple[str, int, int]] = []
    result = importing.import_text(text, progress=lambda *args: calls.append(args))
    assert result.created == 2500 and result.visits == 2500
    assert calls == [("controleren", n, 2500) for n in (0, 1000, 2000, 2500)] + [("opslaan", 2500, 2500)]


# --- bad input: the exact Dutch message, line and column; nothing saved --------------------------------------

BAD_FILES = {
    "unknown code": (
        lambda: csv_bytes(row(), row(uitkomst="GELUKT")),
        "regel 3, kolom uitkomst: Onbekende code 'GELUKT' voor uitkomst.",
    ),
    "future date": (
        lambda: csv_bytes(row(datum="2031-01-01")),
        "regel 2, kolom datum: De datum 01-01-2031 10:00 ligt in de toekomst. (in het bestand: 2031-01-01 10:00)",
    ),
    "date before 2019": (
        lambda: csv_bytes(row(datum="2018-12-31")),
        "regel 2, kolom datum: De datum ligt voor 01-01-2019; zo oude registraties neemt Balie niet aan.",
    ),
    "invalid date": (
        lambda: csv_bytes(row(datum="31-13-2024")),
        "regel 2, kolom datum: '31-13-2024' is geen geldige datum.",
    ),
    "invalid time": (
        lambda: csv_bytes(row(tijd="25:00")),
        "regel 2, kolom tijd: '25:00' is geen geldige tijd.",
    ),
    "negative duration": (
        lambda: csv_bytes(row(duur_minuten="-5")),
        "regel 2, kolom duur_minuten: De duur moet tussen 1 en 480 minuten liggen (niet -5).",
    ),
    "100 KB note": (
        lambda: csv_bytes(row(notitie="x" * 102_400)),
        "regel 2, kolom notitie: De notitie is 102400 tekens; het maximum is 2000.",
    ),
    "visit inconsistency": (
        lambda: csv_bytes(row(bezoek="7"), row(bezoek="7", tijd="11:00")),
        "regel 3, kolom tijd: bezoek '7' heeft op regel 2 tijd '10:00', hier '11:00'.",
    ),
    "location of another organisation": (
        lambda: csv_bytes(row(locatie="GOUDA-CHOCOLADEFABRIEK")),
        "regel 2, kolom locatie: de locatie 'GOUDA-CHOCOLADEFABRIEK' hoort niet bij de organisatie BIB-RDAM.",
    ),
    "unknown organisation": (
        lambda: csv_bytes(row(organisatie="BIB-NERGENS")),
        "regel 2, kolom organisatie: onbekende organisatie 'BIB-NERGENS'.",
    ),
    "missing column": (
        lambda: csv_bytes(row(), header=tuple(n for n in HEADER if n != "taal")),
        "regel 1: deze kolom ontbreekt: taal.",
    ),
    "misspelled column": (
        lambda: csv_bytes(row(), header=tuple("lokatie" if n == "locatie" else n for n in HEADER)),
        "regel 1, kolom lokatie: onbekende kolom 'lokatie'. Bedoelt u 'locatie'?",
    ),
    # Tabs between the columns are read now (Excel's "Unicode-tekst", a spreadsheet's TSV); see test_import_outside.py.
    "a value in a column without a name": (
        lambda: csv_bytes(row(), row(notitie="x")).replace(b"\r\n", b",\r\n").replace(b"x,\r\n", b",x\r\n"),
        "regel 3: in kolom 19 staat iets, maar die kolom heeft geen naam in de kopregel.",
    ),
    "wrong number of fields": (
        lambda: csv_bytes(row()) + b"BIB-RDAM,RDAM-CENTRAAL,2\r\n",
        "regel 3: deze regel heeft 3 kolommen in plaats van 18.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_it_rejects_a_bad_file_with_a_dutch_message_naming_line_and_column(registrations, tmp_path, case):
    make, expected = BAD_FILES[case]
    errors = import_errors(tmp_path, make())
    assert any(line.startswith(expected) for line in errors), errors


def test_it_rejects_a_file_in_no_known_encoding_and_suggests_csv_utf8(registrations, tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252 (nor Latin-1 text anyone types).
    errors = import_errors(tmp_path, csv_bytes(row(), row(notitie="uitleg over café"), encoding="latin-1").replace(b"\xe9", b"\x81"))
    assert len(errors) == 1
    assert errors[0].startswith("regel 3, kolom notitie: het bestand is niet opgeslagen als UTF-8")
    assert "CSV UTF-8" in errors[0]


def test_it_reports_every_error_with_physical_line_numbers(registrations, tmp_path):
    data = csv_bytes(
        row(notitie="twee\nregels"),          # lines 2-3
        row(uitkomst="GELUKT"),               # line 4
        row(bezoek="2", datum="2031-01-01"),  # line 5
        row(bezoek="3", duur_minuten="veel", taal="KLINGON"),  # line 6
    )
    errors = import_errors(tmp_path, data)
    assert [e.split(":")[0] for e in errors] == [
        "regel 4, kolom uitkomst", "regel 5, kolom datum", "regel 6, kolom taal", "regel 6, kolom duur_minuten",
    ]


def test_it_rejects_an_empty_file_and_a_header_only_file(network, tmp_path):
    assert import_errors(tmp_path, b"")[0].startswith("regel 1: het bestand is leeg")
    assert import_errors(tmp_path, csv_bytes())[0].startswith("regel 2: het bestand bevat geen registraties")


# --- coordinator page ----------------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "registraties.csv", **extra):
    return client.post("/balie/importeren/", {"bestand": SimpleUploadedFile(name, data, content_type="text/csv")}, **extra)


def test_it_imports_an_uploaded_file_and_shows_the_finished_progress_page(client_for, registrations, tmp_path):
    data = export(tmp_path, "--organisation", "BIB-RDAM")
    Visit.objects.all().delete()
    client = client_for("coordinator")
    assert "Controleren en importeren" in client.get("/balie/importeren/").content.decode()
    response = upload(client, data)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/balie/importeren/{job.uuid}/"
    assert (job.status, job.created_count, job.content, job.created_by.username) == ("klaar", 5, "", "coordinator")
    assert Question.objects.filter(organisation__code="BIB-RDAM").count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "5 vragen zijn geïmporteerd" in page and 'href="/balie/"' in page and "hx-trigger" not in page


def test_it_polls_the_progress_fragment_while_the_import_runs(client_for, network):
    job = ImportJob.objects.create(organisation=Organisation.objects.get(code="BIB-RDAM"), status="controleren",
                                   total_rows=4000, processed_rows=1000, content="x")
    client = client_for("coordinator")
    page = client.get(f"/balie/importeren/{job.uuid}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "htmx" in page
    fragment = client.get(f"/balie/importeren/{job.uuid}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert f'hx-get="/balie/importeren/{job.uuid}/"' in fragment
    assert '<progress class="progress" aria-label="Voortgang van de controle" max="4000" value="1000">' in fragment
    job.status = "opslaan"
    job.save()
    assert "Bezig met opslaan…" in client.get(f"/balie/importeren/{job.uuid}/", HTTP_HX_REQUEST="true").content.decode()


def test_it_shows_all_errors_in_a_table_and_imports_nothing(client_for, network):
    response = upload(client_for("coordinator"), csv_bytes(row(uitkomst="GELUKT"), row(bezoek="2", duur_minuten="-5")))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Niet geïmporteerd" in page and "Er staan 2 fouten" in page
    assert "<td class=\"num\">2</td><td>uitkomst</td><td>Onbekende code &#x27;GELUKT&#x27; voor uitkomst." in page
    assert "<td class=\"num\">3</td><td>duur_minuten</td>" in page
    assert counts() == (0, 0) and not ImportJob.objects.exists()


def test_it_checks_a_large_file_in_the_task_and_shows_its_errors(client_for, network, monkeypatch):
    monkeypatch.setattr(import_views, "SYNC_CHECK_MAX_LINES", 1)  # treat the file as large: the worker checks it
    response = upload(client_for("coordinator"), csv_bytes(row(), row(bezoek="2", datum="2018-05-01")))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.content) == ("afgekeurd", 1, "")  # the file text is gone after the job
    reason = "De datum ligt voor 01-01-2019; zo oude registraties neemt Balie niet aan. (in het bestand: 2018-05-01 10:00)"
    assert job.errors == [{"regel": 3, "kolom": "datum", "reden": reason}]
    page = client_for("coordinator").get(response["Location"]).content.decode()
    assert "Er staat 1 fout in het bestand" in page and "zo oude registraties" in page
    assert counts() == (0, 0)


def test_it_refuses_a_file_above_the_size_limit(client_for, network, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_UPLOAD_MB", 1)
    response = upload(client_for("coordinator"), csv_bytes(row()) + b" " * 1024 * 1024)
    assert response.status_code == 422
    assert "Het maximum is 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_shows_the_encoding_error_on_the_page(client_for, network):
    response = upload(client_for("coordinator"), csv_bytes(row(notitie="café"), encoding="latin-1").replace(b"\xe9", b"\x81"))
    assert response.status_code == 422
    assert "CSV UTF-8" in response.content.decode()


def test_it_allows_importing_only_to_coordinators(client_for, network):
    client = client_for("medewerker")
    assert client.get("/balie/importeren/").status_code == 403
    assert upload(client, csv_bytes(row())).status_code == 403
    assert client.get("/balie/exporteren/").status_code == 403
    assert client_for("gemeente").get("/balie/importeren/").status_code == 403
    assert counts() == (0, 0)


def test_it_only_imports_into_the_coordinators_own_organisation(client_for, network):
    client = client_for("coordinator-gouda")
    response = upload(client, csv_bytes(row(locatie="GOUDA-CHOCOLADEFABRIEK", organisatie="BIB-GOUDA"), row(bezoek="2")))
    assert response.status_code == 422
    assert "<td class=\"num\">3</td><td>organisatie</td><td>U kunt alleen voor BIB-GOUDA importeren.</td>" in response.content.decode()
    assert counts() == (0, 0)


def test_it_hides_another_organisations_import_job(client_for, network):
    job = ImportJob.objects.create(organisation=Organisation.objects.get(code="BIB-RDAM"))
    assert client_for("coordinator-gouda").get(f"/balie/importeren/{job.uuid}/").status_code == 404


def test_it_downloads_only_the_coordinators_own_organisation(client_for, registrations):
    response = client_for("coordinator-gouda").get("/balie/exporteren/")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="balie-bib-gouda-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff" + ",".join(HEADER))
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))[1:]
    assert len(rows) == Question.objects.filter(organisation__code="BIB-GOUDA").count() == 3
    assert {r[0] for r in rows} == {"BIB-GOUDA"}
