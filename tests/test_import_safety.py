"""Imports that cannot silently double or lose data (issue 13, item 5; review B4).

Files are generated from a real export in the shapes coordinators make: unchanged, Excel-NL (semicolons, Windows-1252,
Dutch dates, decimal commas), UTF-8 with a BOM, mixed line ends, and one with an unbalanced quote in the middle.
Rows already in Balie stop the import; "overslaan" and "vervangen" are tested end to end over HTTP, replace is all or
nothing and audited, and registrations a referral hangs on stay.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum

from balie.core.models import AuditEvent
from balie.desk.exchange import exporting, importing
from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import ImportJob, JournalEntry, Question, Visit
from balie.desk.services import visit_register
from balie.network.models import Location, Organisation

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def registered(network, users):
    """Twenty visits of Rotterdam in March 2024, some with two questions, notes with awkward characters."""
    rng = random.Random(13)
    codes = [("DIGID", "INLOGGEN"), ("BELASTINGDIENST", "AANGIFTE"), ("UWV", "BERICHT"), ("TOESLAGEN", "WIJZIGEN")]
    for i in range(20):
        moment = dt.datetime(2024, 3, 4 + i % 10, 9 + i % 8, rng.choice([0, 15, 30, 45]), rng.randrange(60), tzinfo=AMS)
        location = Location.objects.get(code=rng.choice(["RDAM-CENTRAAL", "RDAM-ZUIDPLEIN"]))
        questions = [{"instantie": c[0], "onderwerp": c[1], "uitkomst": "OPGELOST", "duur_minuten": str(rng.choice([5, 15, 30])),
                      "notitie": rng.choice(["", "uitleg gegeven", 'brief van "de gemeente"; komt terug', "café in Ëlst"])}
                     for c in rng.sample(codes, rng.choice([1, 1, 2]))]
        visit_register(user=users["coordinator"], location=location, questions=questions, started_at=moment)
    return Organisation.objects.get(code="BIB-RDAM")


def exported(organisation: Organisation) -> str:
    return "".join(exporting.csv_chunks(organisation, bom=True)).lstrip("\ufeff")


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def new_row(n: int) -> list[str]:
    values = {"organisatie": "BIB-RDAM", "locatie": "RDAM-CENTRAAL", "bezoek": f"nieuw-{n}", "datum": "2024-03-20",
              "tijd": f"{10 + n}:05", "kanaal": "INLOOP", "instantie": "RDW", "onderwerp": "AANVRAGEN", "uitkomst": "DEELS",
              "duur_minuten": "20", "notitie": "nieuwe regel, met é"}
    return [values.get(column, "") for column in HEADER]


def shaped(rows: list[list[str]], shape: str) -> bytes:
    """The rows as a coordinator's program would write them."""
    if shape == "excel-nl":
        # Dutch Excel: ';' between the columns, Windows-1252, dates as 4-3-2024, minutes as 15,0, CRLF.
        at_date, at_minutes = HEADER.index("datum"), HEADER.index("duur_minuten")
        out = []
        for k, r in enumerate(rows):
            r = list(r)
            if k and r[at_date]:
                d = dt.date.fromisoformat(r[at_date])
                r[at_date] = f"{d.day}-{d.month}-{d.year}"
            if k and r[at_minutes]:
                r[at_minutes] += ",0"
            out.append(r)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(out)
        return buffer.getvalue().encode("cp1252")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    if shape == "mixed-line-ends":
        lines = text.split("\r\n")
        text = "".join(line + random.Random(len(line)).choice(["\r\n", "\n", "\r"]) for line in lines[:-1])
        return text.encode("utf-8")
    if shape == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def run(path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_registrations", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> tuple[int, int]:
    return Visit.objects.count(), Question.objects.count()


def journal_total() -> int:
    return JournalEntry.objects.aggregate(n=Sum("n"))["n"] or 0


@pytest.mark.parametrize("shape", ["as-exported", "excel-nl", "bom", "mixed-line-ends"])
def test_reimporting_exported_rows_stops_and_skip_adds_only_new_rows(registered, tmp_path, shape):
    rows = table(exported(registered))
    existing = len(rows) - 1
    before = counts()
    path = tmp_path / "terug.csv"
    path.write_bytes(shaped(rows + [new_row(1), new_row(2)], shape))
    with pytest.raises(CommandError, match=f"{existing} regels staan al in Balie"):
        run(path)
    assert counts() == before
    out = run(path, "--dubbel", "overslaan")
    assert f"{existing} regels stonden er al en zijn overgeslagen" in out
    assert counts() == (before[0] + 2, before[1] + 2)
    added = Question.objects.filter(instantie="RDW").order_by("started_at")
    assert [q.note for q in added] == ["nieuwe regel, met é"] * 2
    assert added[0].started_at == dt.datetime(2024, 3, 20, 11, 5, tzinfo=AMS)
    assert journal_total() == Question.objects.count()
    # The same file again: everything is there now, nothing changes.
    run(path, "--dubbel", "overslaan")
    assert counts() == (before[0] + 2, before[1] + 2)


def test_replace_this_period_swaps_the_period_at_the_files_locations_and_is_audited(registered, tmp_path, users):
    rows = table(exported(registered))
    # A corrected file: every outcome becomes DEELS, and one question is gone.
    at = HEADER.index("uitkomst")
    corrected = [rows[0]] + [r[:at] + ["DEELS"] + r[at + 1:] for r in rows[1:-1]]
    gouda_before = Question.objects.exclude(organisation=registered).count()
    path = tmp_path / "verbeterd.csv"
    # One unchanged row makes it a re-import; the rest replace what was there.
    path.write_bytes(shaped(corrected + [rows[-1]], "as-exported"))
    out = run(path, "--dubbel", "vervangen")
    assert f"{len(rows) - 1} registraties van de periode zijn vervangen" in out
    rdam = Question.objects.filter(organisation=registered)
    assert rdam.count() == len(rows) - 1 and rdam.filter(uitkomst="DEELS").count() == len(rows) - 2
    assert Question.objects.exclude(organisation=registered).count() == gouda_before
    assert not Visit.objects.filter(questions__isnull=True).exists()
    assert journal_total() == Question.objects.count()
    event = AuditEvent.objects.filter(event="registrations_imported").latest("pk")
    assert event.extra["duplicates"] == "vervangen" and event.extra["replaced"] == len(rows) - 1
    assert event.extra["period"] == ["2024-03-04", "2024-03-13"]


def test_replace_is_all_or_nothing(registered):
    text = exported(registered)
    before = (counts(), journal_total(), sorted(Question.objects.values_list("uuid", flat=True)))

    def fail(result):
        raise RuntimeError("storing broke halfway")

    with pytest.raises(RuntimeError):
        importing.import_text(text, duplicates=importing.Mode.REPLACE, after_save=fail)
    assert (counts(), journal_total(), sorted(Question.objects.values_list("uuid", flat=True))) == before


def test_replace_keeps_a_registration_a_referral_hangs_on(registered, users):
    from balie.demo.partners import build_social_map
    from balie.partners.models import Partner
    from balie.referrals import services as referral_services

    build_social_map()
    question = Question.objects.filter(organisation=registered).order_by("started_at").first()
    partner = Partner.objects.filter(organisation=registered).first()
    referral_services.referral_create(user=users["coordinator"], question=question, partner=partner, service=None, kind="informatie")
    importing.import_text(exported(registered), duplicates=importing.Mode.REPLACE)
    assert Question.objects.filter(pk=question.pk).exists()
    # Its row in the file was skipped, not added a second time.
    assert Question.objects.filter(organisation=registered).count() == len(table(exported(registered))) - 1


# --- over HTTP ---------------------------------------------------------------------------------------------------------
def upload(client, data: bytes, name: str = "bestand.csv"):
    return client.post("/balie/importeren/", {"bestand": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_the_coordinator_chooses_over_http(client_for, registered):
    client = client_for("coordinator")
    rows = table(exported(registered))
    before = counts()
    response = upload(client, shaped(rows + [new_row(3)], "excel-nl"), "excel.csv")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "keuze" and job.duplicates["count"] == len(rows) - 1 and job.content and counts() == before
    page = client.get(response["Location"]).content.decode()
    assert f"{len(rows) - 1} regels uit dit bestand staan al in Balie" in page and 'name="keuze"' in page
    assert "hx-trigger" not in page  # no polling while the coordinator reads
    assert client.post(f"/balie/importeren/{job.uuid}/keuze/", {"keuze": "misschien"}).status_code == 422
    done = client.post(f"/balie/importeren/{job.uuid}/keuze/", {"keuze": "overslaan"})
    assert done.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count, job.content) == ("klaar", 1, "") and counts() == (before[0] + 1, before[1] + 1)
    assert "die al in Balie stonden, zijn overgeslagen" in client.get(done["Location"]).content.decode()
    # A second upload; stopping saves nothing and ends the job.
    upload(client, shaped(rows, "bom"))
    second = ImportJob.objects.latest("created_at")
    assert second.status == "keuze"
    client.post(f"/balie/importeren/{second.uuid}/keuze/", {"keuze": "stoppen"})
    second.refresh_from_db()
    assert second.status == "mislukt" and second.content == "" and counts() == (before[0] + 1, before[1] + 1)
    # A third, replacing the period.
    upload(client, shaped(rows, "as-exported"))
    third = ImportJob.objects.latest("created_at")
    client.post(f"/balie/importeren/{third.uuid}/keuze/", {"keuze": "vervangen"})
    third.refresh_from_db()
    assert third.status == "klaar" and Question.objects.filter(organisation=registered).count() == len(rows) - 1 + 1
    # Another library's coordinator cannot see or answer the job.
    other = client_for("coordinator-gouda")
    assert other.post(f"/balie/importeren/{third.uuid}/keuze/", {"keuze": "vervangen"}).status_code == 404


def test_an_unbalanced_quote_in_the_middle_is_an_error_naming_its_line(client_for, registered):
    rows = table(exported(registered))
    good = shaped(rows[:6], "as-exported").decode()
    lines = good.split("\r\n")
    lines[3] = lines[3].replace(",INLOOP,", ',"INLOOP,', 1)  # a quote opened on line 4 and never closed
    data = ("\r\n".join(lines) + "\r\n" + "\r\n".join(good.split("\r\n")[1:])).encode()
    before = counts()
    response = upload(client_for("coordinator"), data)
    html = response.content.decode()
    assert response.status_code == 422 and counts() == before
    assert '<td class="num">4</td>' in html and "aanhalingsteken" in html
    # The same in a semicolon file from Dutch Excel.
    nl = shaped(rows[:6], "excel-nl").decode("cp1252").split("\r\n")
    nl[2] = nl[2].replace(";INLOOP;", ';"INLOOP;', 1)
    response = upload(client_for("coordinator"), "\r\n".join(nl * 2).encode("cp1252"))
    assert response.status_code == 422 and '<td class="num">3</td>' in response.content.decode()


def test_it_refuses_a_file_in_an_unknown_encoding_saying_what_to_do(client_for, network):
    data = ",".join(HEADER).encode() + b"\r\n" + "BIB-RDAM,RDAM-CENTRAAL,1,2024-03-04,10:00,INLOOP,,DIGID,INLOGGEN,,,,,OPGELOST,,,,caf\x81\r\n".encode("latin-1")
    response = upload(client_for("coordinator"), data)
    html = response.content.decode()
    assert response.status_code == 422 and "CSV UTF-8" in html and "notitie" in html
