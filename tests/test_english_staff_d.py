"""Issue 14 item 4, part D: what was still Dutch for a staff user who chose English.

The CSV import's errors (on the page and stored by the worker), the forecast's notes (stored in Dutch, shown in the
reader's language, old rows too), the reasons on a 403 page and the errors core raises (idempotency, workflow, consent,
code lists), the letter explainer's summary and staff notes, the survey poster, and counts that said "1 errors. Correct
them". Every page is fetched through the real stack by a user whose account language is English; the Dutch user of the
same page still reads Dutch, with the right singular and plural.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from languages import client_in
from test_no_raw_codes import visible_text  # tests/ is on sys.path (conftest.py lives there)

from balie.desk.exchange.csvformat import HEADER

# Dutch words that an English message never holds (whole words, case-insensitive). Column names and values quoted from
# the file are taken out before the check (they are the file's own words).
DUTCH = ("de", "het", "een", "niet", "geen", "alleen", "deze", "dit", "kunt", "moet", "uw", "fout", "fouten", "regel",
         "regels", "kolom", "kolommen", "bestand", "staat", "mag", "zijn", "wordt", "naar", "bij", "voor", "met", "brief",
         "bedrag", "weken", "dagen", "gegevens", "prognose", "seizoen", "jaar", "verbeter", "bezoek", "hoe", "uit", "ontbreekt",
         "onbekende", "codelijst")
DUTCH_WORD = re.compile(r"(?<![\w'-])(" + "|".join(DUTCH) + r")(?![\w'-])", re.IGNORECASE)


def dutch_in(text: str, data: tuple[str, ...] = ()) -> list[str]:
    text = re.sub(r"'[^']*'", " ", text)  # quoted from the file or the letter
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    return [m.group(0) for m in DUTCH_WORD.finditer(text)]


def english(user):
    return client_in(user, "en")


def dutch_client(user):
    return client_in(user, "nl")


# --- 1. CSV import errors -----------------------------------------------------------------------------------------------

def _row(rnd: random.Random, **values: str) -> dict[str, str]:
    base = {name: "" for name in HEADER}
    base.update(organisatie="BIB-RDAM", locatie="RDAM-CENTRAAL", bezoek=str(rnd.randint(1, 10**6)), datum="2024-03-12",
                tijd=f"{rnd.randint(9, 16):02d}:{rnd.randint(0, 59):02d}", kanaal="INLOOP", instantie="DIGID",
                onderwerp="INLOGGEN", uitkomst="OPGELOST")
    base.update(values)
    return base


def _csv(rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(name, "") for name in header])
    return out.getvalue().encode()


def _bad_files(rnd: random.Random) -> list[bytes]:
    """One file per kind of error the import's own checks report, with generated values."""
    word = "".join(rnd.choice("abcdefghkmnpqrstuvwxyz") for _ in range(rnd.randint(4, 9)))
    missing = rnd.sample([n for n in HEADER if n not in ("organisatie", "locatie", "bezoek", "datum", "tijd", "kanaal")], rnd.randint(1, 3))
    dropped = tuple(n for n in HEADER if n not in missing)
    visit = str(rnd.randint(1, 999))
    good = _csv([_row(rnd)]).decode()
    return [
        _csv([_row(rnd, organisatie=word.upper())]),
        _csv([_row(rnd, organisatie="")]),
        _csv([_row(rnd, locatie=word.upper())]),
        _csv([_row(rnd, locatie="GOUDA-BIEB")]) if rnd.random() < 0.5 else _csv([_row(rnd, locatie="")]),
        _csv([_row(rnd, datum=f"{rnd.randint(1, 28)}-{rnd.randint(13, 40)}-2024")]),
        _csv([_row(rnd, tijd=f"{rnd.randint(24, 99)}:{rnd.randint(0, 59):02d}")]),
        _csv([_row(rnd, datum=(timezone.localdate() + dt.timedelta(days=rnd.randint(2, 300))).isoformat())]),
        _csv([_row(rnd)], header=dropped),
        _csv([_row(rnd)], header=(*HEADER, word)),
        _csv([_row(rnd)], header=(*HEADER[:-1], HEADER[-1] + "x")),
        _csv([_row(rnd, bezoek=visit, tijd="10:00"), _row(rnd, bezoek=visit, tijd="11:0" + str(rnd.randint(0, 9)))]),
        (good + "a,b" + ",c" * rnd.randint(0, 5) + "\r\n").encode(),
        (good.split("\r\n")[0] + "\r\n" + good.split("\r\n")[1].replace("BIB-RDAM", '"BIB-RDAM', 1) + "\r\n").encode(),
        (good.split("\r\n")[0] + "\r\n" + good.split("\r\n")[1].replace("BIB-RDAM", '"BIB"-RDAM', 1) + "\r\n").encode(),
        # A tab-separated file is read now (Excel's "Unicode-tekst"); these are what the import still refuses around it.
        b"PK\x03\x04" + good.encode(),  # an Excel workbook
        _csv([_row(rnd, datum=f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2024")]),
        (good.split("\r\n")[0] + ",\r\n" + good.split("\r\n")[1] + "," + word + "\r\n").encode(),  # a value in an unnamed column
        b"",
        good.split("\r\n")[0].encode() + b"\r\n",
        good.encode().replace(b"INLOOP", b"INL\x00OOP"),
        good.encode("utf-8").replace(b"INLOOP", b"INL\x81\x8dOOP"),
    ]


def _upload(client, data: bytes):
    return client.post("/balie/importeren/", {"bestand": SimpleUploadedFile("registraties.csv", data, content_type="text/csv")})


def _reasons(html: str) -> list[str]:
    return [visible_text(cell) for cell in re.findall(r"<tr><td class=\"num\">.*?</td><td>.*?</td><td>(.*?)</td></tr>", html, re.S)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_import_page_gives_every_kind_of_file_error_in_english(users, seed):
    rnd = random.Random(seed)
    client = english(users["coordinator"])
    for data in _bad_files(rnd):
        response = _upload(client, data)
        html = response.content.decode()
        assert response.status_code == 422, html[:500]
        reasons = _reasons(html) or [visible_text(m) for m in re.findall(r'<p class="utrecht-alert__message">(.*?)</p>', html, re.S)]
        assert reasons, html[:2000]
        for reason in reasons:
            assert not dutch_in(reason, HEADER), (reason, dutch_in(reason, HEADER), data[:300])


def test_a_dutch_coordinator_still_reads_dutch_with_one_or_more_missing_columns(users):
    rnd = random.Random(7)
    client = dutch_client(users["coordinator"])
    for _ in range(4):
        missing = rnd.sample(["taal", "leeftijdsgroep", "notitie", "complexiteit"], rnd.randint(1, 3))
        html = _upload(client, _csv([_row(rnd)], header=tuple(n for n in HEADER if n not in missing))).content.decode()
        expected = "deze kolom ontbreekt" if len(missing) == 1 else "deze kolommen ontbreken"
        assert expected in html.lower(), html[:2000]


def test_the_worker_stores_the_errors_in_the_language_of_the_coordinator_who_uploaded(users):
    from balie.core import crypto
    from balie.desk.exchange import tasks
    from balie.desk.models import ImportJob
    from balie.network.models import Organisation

    rnd = random.Random(11)
    for language in ("en", "nl"):
        coordinator = users["coordinator"]
        coordinator.language = language
        coordinator.save(update_fields=["language"])
        rows = [_row(rnd, organisatie=rnd.choice(["BIB-XX", "", "BIB-RDAM"]), datum=rnd.choice(["2024-02-31", "2024-03-12"]),
                     tijd=rnd.choice(["25:00", "10:00"])) for _ in range(rnd.randint(3, 8))]
        rows.append(_row(rnd, datum="nooit"))
        job = ImportJob.objects.create(organisation=Organisation.objects.get(code="BIB-RDAM"), created_by=coordinator,
                                       content=crypto.seal_text(_csv(rows).decode()), file_name="x.csv")
        with translation.override("nl"):  # the worker's own language is the default one
            tasks.run_import.call(job.pk)
        job.refresh_from_db()
        assert job.status == "afgekeurd" and job.errors
        for error in job.errors:
            found = dutch_in(error["reden"], HEADER)
            assert (not found) if language == "en" else bool(found), (language, error)
        html = english(coordinator).get(f"/balie/importeren/{job.uuid}/").content.decode() if language == "en" else ""
        assert all(not dutch_in(reason, HEADER) for reason in _reasons(html))


@pytest.mark.parametrize("reason", ["Er ging iets mis bij het verwerken. Er is niets opgeslagen. Probeer het later opnieuw.",
                                    "De import is onderbroken; probeer het opnieuw. Er is niets opgeslagen.",
                                    "U hebt de import gestopt. Er is niets opgeslagen."])
def test_a_failed_or_stopped_job_stored_in_dutch_is_shown_in_english(users, reason):
    from balie.desk.models import ImportJob
    from balie.network.models import Organisation

    job = ImportJob.objects.create(organisation=Organisation.objects.get(code="BIB-RDAM"), status="mislukt", error_count=1,
                                   errors=[{"regel": 0, "kolom": "", "reden": reason}], finished_at=timezone.now())
    html = english(users["coordinator"]).get(f"/balie/importeren/{job.uuid}/").content.decode()
    assert reason not in html and "Nothing was saved" in html
    assert reason in dutch_client(users["coordinator"]).get(f"/balie/importeren/{job.uuid}/").content.decode()


def test_an_import_of_one_line_says_line_not_lines(users):
    from balie.desk.models import ImportJob
    from balie.network.models import Organisation

    for total, en, nl in ((1, "1 line is fine", "1 regel is goed"), (random.randint(2, 9999), "lines are fine", "regels zijn goed")):
        job = ImportJob.objects.create(organisation=Organisation.objects.get(code="BIB-RDAM"), status="opslaan", total_rows=total,
                                       processed_rows=total, content="x")
        assert en in english(users["coordinator"]).get(f"/balie/importeren/{job.uuid}/").content.decode()
        assert nl in dutch_client(users["coordinator"]).get(f"/balie/importeren/{job.uuid}/").content.decode()


def test_the_recent_imports_list_names_each_status_in_english(users):
    from balie.desk.exchange.models import ImportStatus
    from balie.desk.models import ImportJob
    from balie.network.models import Organisation

    organisation = Organisation.objects.get(code="BIB-RDAM")
    statuses = random.Random(9).sample(list(ImportStatus.values), 5)  # the page lists the last five
    for status in statuses:
        ImportJob.objects.create(organisation=organisation, status=status, file_name=f"{status}.csv")
    html = english(users["coordinator"]).get("/balie/importeren/").content.decode()
    cells = re.findall(r'\.csv</a></td><td>(.*?)</td>', html)
    assert len(cells) == 5
    with translation.override("nl"):
        dutch_labels = {str(label) for label in ImportStatus.labels}
    for cell in cells:
        assert not dutch_in(cell) and cell not in dutch_labels, cell
    with translation.override("en"):
        assert {str(ImportStatus(s).label) for s in statuses} == set(cells)


# --- 2. Forecast notes ----------------------------------------------------------------------------------------------------

def _series(rnd: random.Random, weeks: int, growth: float) -> tuple[list[dt.date], list[float]]:
    start = dt.date(2020, 1, 6)
    days = [start + dt.timedelta(weeks=i) for i in range(weeks)]
    level = rnd.uniform(5, 60)
    counts = [max(0.0, round(level * growth ** (i / 52) * (1 + 0.3 * math.sin(2 * math.pi * i / 52)) + rnd.gauss(0, 1)))
              for i in range(weeks)]
    return days, counts


def test_forecast_notes_are_shown_in_english_also_for_rows_stored_before(users):
    from balie.forecast.model import predict
    from balie.forecast.models import ForecastRun, LocationForecast
    from balie.network.models import Location

    rnd = random.Random(2027)
    location = Location.objects.get(code="RDAM-CENTRAAL")
    cases = [rnd.randint(1, 7), rnd.randint(8, 51), rnd.randint(52, 103)]
    notes = []
    for weeks in cases:
        days, counts = _series(rnd, weeks, 1.0)
        notes.append(predict(days, counts, [days[-1] + dt.timedelta(weeks=1)]).note)
    days, counts = _series(rnd, rnd.randint(110, 200), rnd.uniform(3, 12))  # grows far beyond MAX_YEARLY_GROWTH
    erratic = predict(days, counts, [days[-1] + dt.timedelta(weeks=1)]).note
    assert erratic.startswith("De trend (+") and all(notes)
    percent = rnd.randint(-99, 999)
    # Exactly as the version before this one wrote it (an f-string), still in the database after the upgrade.
    old = (f"De trend ({percent:+.0f}% per jaar) is te grillig om door te trekken; de prognose gebruikt alleen het seizoen.")
    client = english(users["coordinator"])
    for i, note in enumerate([*notes, erratic, old]):
        run = ForecastRun.objects.create(started_at=timezone.now() + dt.timedelta(minutes=i), finished_at=timezone.now(),
                                         history_until=dt.date(2024, 1, 1))
        LocationForecast.objects.create(run=run, location=location, method="seizoen", note=note, history_weeks=10)
        html = client.get("/prognose/RDAM-CENTRAAL/").content.decode()
        shown = re.search(r'role="status"><div class="utrecht-alert__content"><p class="utrecht-alert__message">(.*?)</p>', html, re.S)
        assert shown, html[:1000]
        text = visible_text(shown.group(1))
        assert note not in html and not dutch_in(text), (note, text)
        if note is old:
            assert f"{percent:+d}%" in text
    assert old in dutch_client(users["coordinator"]).get("/prognose/RDAM-CENTRAAL/").content.decode()


# --- 3. Reasons of a refusal, and errors raised by core ---------------------------------------------------------------

def test_every_refused_page_gives_its_reason_in_english(users):
    from access_table import EXPECTED
    from access_walk import all_patterns

    from balie.core.access import _MESSAGES

    dutch_reasons = {str(m) for m in _MESSAGES.values()}
    seen = 0
    for actor in ("medewerker", "coordinator", "gemeente", "landelijk", "partner"):
        client = english(users[actor])
        for pattern in all_patterns():
            if pattern.kwargs or EXPECTED.get(pattern.key, {}).get(actor) != 403:
                continue
            from django.urls import reverse

            response = client.get(reverse(pattern.key))
            if response.status_code != 403 or "text/html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            text = visible_text(response.content.decode())
            assert not any(reason in text for reason in dutch_reasons), (actor, pattern.key, text)
            assert not dutch_in(text), (actor, pattern.key, dutch_in(text), text)
    assert seen > 50


def test_core_errors_follow_the_active_language(users):
    from django.core.exceptions import ValidationError

    from balie.core import consent
    from balie.core import services as core_services
    from balie.core.idempotency import IdempotencyConflict
    from balie.core.models import CodeListVersion
    from balie.desk import services as desk_services
    from balie.network.models import Location

    rnd = random.Random(5)
    question = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    location = Location.objects.get(code="RDAM-CENTRAAL")
    key = f"desk:{rnd.randint(1, 10**9)}"
    desk_services.visit_register(user=users["medewerker"], location=location, questions=[question], submission_key=key)
    messages = []
    for language in ("en", "nl"):
        with translation.override(language):
            with pytest.raises(IdempotencyConflict) as conflict:
                desk_services.visit_register(user=users["medewerker"], location=location,
                                             questions=[{**question, "uitkomst": "DEELS"}], submission_key=key)
            name = rnd.choice(["naam", "telefoon", "email", "voorkeur"])
            too_long = consent.too_long(name, "x" * (consent.CONTACT_MAX_LENGTH[name] + rnd.randint(1, 500)))
            draft = (CodeListVersion.objects.filter(published_at__isnull=True).first()
                     or core_services.draft_create(user=users["landelijk"], description="test"))
            with pytest.raises(ValidationError) as invalid:
                core_services.code_save(user=users["landelijk"], version=draft, list_name="bestaat_niet", code="X", label="x")
        assert too_long is not None
        messages.append((language, [conflict.value.message, conflict.value.api_message, too_long.message, invalid.value.messages[0]]))
    for language, texts in messages:
        for text in texts:
            assert bool(dutch_in(text)) == (language == "nl"), (language, text)


# --- 4. The letter explainer ---------------------------------------------------------------------------------------------

def _letters() -> list[str]:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "balie" / "letters" / "data" / "brieven"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def _letter_data(html: str) -> tuple[str, ...]:
    """What the page quotes from the letter itself (sender, references, sentences, the glossary's terms, the text read).

    A glossary term is the Dutch word in the letter; its explanation is not letter data and must be English here.
    """
    found = re.findall(r'data-field="afzender">(.*?)</dd>', html, re.S)
    found += re.findall(r"<dt>(.*?)</dt><dd>.*?</dd>", html, re.S)
    found += re.findall(r"<td>([^<]{25,})</td>", html)  # the sentence of a deadline
    refs = re.search(r"Mention this number[^<]*</h3>\s*<p[^>]*>(.*?)</p>", html, re.S)
    if refs:
        found += refs.group(1).split("<br>")
    return tuple(visible_text(x) for x in found if x.strip())


def _without_text_read(html: str) -> str:
    return re.sub(r'<pre class="recognised">.*?</pre>', "", html, flags=re.S)


def test_the_letter_summary_and_notes_are_in_english_for_an_english_page(users):
    rnd = random.Random(14)
    texts = _letters()
    # A letter without a date of its own, with a period counted from it: the staff note names that period.
    period = rnd.choice(["zes weken", "vier weken", "14 dagen", "twee weken"])
    texts.append("Geachte heer, Wij hebben uw aanvraag voor huurtoeslag bekeken. Bent u het niet eens met dit besluit? "
                 f"Dan kunt u binnen {period} na de dagtekening bezwaar maken bij Dienst Toeslagen. Met vriendelijke groet.")
    client = english(users["medewerker"])
    for text in texts:
        response = client.post("/hulpmiddelen/brief/", {"tekst": text})
        html = response.content.decode()
        assert response.status_code == 200, html[:500]
        summary = re.search(r'<section class="summary".*?</section>', html, re.S).group(0)
        details = _without_text_read(re.search(r'<section class="print-hide" aria-labelledby="details".*?</section>', html, re.S).group(0))
        data = _letter_data(html)
        for part in (summary, details):
            found = dutch_in(visible_text(part), data)
            assert not found, (found, visible_text(part)[:1500])
        assert "Your letter in short" in summary and "By when?" in summary
    assert period in visible_text(details) and "did not find the date of the letter" in details
    dutch = dutch_client(users["medewerker"]).post("/hulpmiddelen/brief/", {"tekst": texts[0]}).content.decode()
    assert "Uw brief in het kort" in dutch and "Wat moet u doen?" in dutch


def test_a_letter_in_another_language_is_refused_in_english(users):
    client = english(users["medewerker"])
    letter = ("Dear Sir or Madam, we have received your application and we will contact you if we need more information. "
              "Please keep this letter for your records and call us if you have any questions about the payment. " * 2)
    html = client.post("/hulpmiddelen/brief/", {"tekst": letter}).content.decode()
    assert "This letter seems to be written in English" in html and "Deze brief lijkt" not in html


# --- 5. The survey poster ------------------------------------------------------------------------------------------------

def test_the_survey_poster_is_english_for_an_english_coordinator_and_dutch_on_request(users):
    from balie.core.qr import qr_svg

    client = english(users["coordinator"])
    html = client.get("/enquete/RDAM-CENTRAAL/poster/").content.decode()
    main = re.search(r'<main class="poster">.*?</main>', html, re.S).group(0)
    assert '<html lang="en">' in html and "How was your visit?" in main
    assert not dutch_in(visible_text(main).replace("Informatiepunt", ""), ("In het Nederlands: typ de link over en kies",)), visible_text(main)
    url = re.search(r'<p class="poster__url">(.*?)</p>', main).group(1)
    assert str(qr_svg(f"http://{url}/?lang=en", scale=8)) in main  # the code opens the form in English
    dutch = client.get("/enquete/RDAM-CENTRAAL/poster/?taal=nl").content.decode()
    assert '<html lang="nl">' in dutch and "Hoe was uw bezoek?" in dutch and "The same poster in English" in dutch
    assert "Hoe was uw bezoek?" in dutch_client(users["coordinator"]).get("/enquete/RDAM-CENTRAAL/poster/").content.decode()


# --- 6. Counts: one error is "error", and "it" -----------------------------------------------------------------------------

def _hsds_package(rnd: random.Random, errors: int) -> bytes:
    import zipfile
    from pathlib import Path

    official = Path(__file__).parent / "fixtures" / "hsds-official"
    files = {p.name: p.read_text(encoding="utf-8") for p in official.glob("*.csv")}
    rows = list(csv.DictReader(io.StringIO(files["services.csv"])))
    broken = {"email": "info@", "status": "open", "assured_date": "05-01-2026", "last_modified": "gisteren"}
    for column in rnd.sample(sorted(broken), errors):
        rows[0][column] = broken[column]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    files["services.csv"] = out.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("errors", [1, 2, 3, 4])
def test_the_hsds_page_counts_its_errors_in_singular_and_plural(users, errors):
    rnd = random.Random(errors)
    for make, one, many in ((english, ("1 error. Correct it", "Correct them"), "errors. Correct them"),
                            (dutch_client, ("1 fout. Verbeter die", "Verbeter ze"), "fouten. Verbeter ze")):
        client = make(users["coordinator"])
        response = client.post("/sociale-kaart/importeren/", {"bestanden": SimpleUploadedFile("hsds.zip", _hsds_package(rnd, errors))})
        html = response.content.decode()
        assert response.status_code == 422
        total = len(re.findall(r"<tr><td>services\.csv</td>", html))
        assert total == errors, (errors, total)
        if total == 1:
            assert one[0] in html and one[1] not in html
        else:
            assert f"{total} {many}" in html


def test_the_referral_form_errors_follow_the_active_language(db):
    from balie.referrals.services import clean_contact

    rnd = random.Random(3)
    for _ in range(5):
        contact = {"naam": rnd.choice(["", " "]), "telefoon": str(rnd.randint(1, 99999)), "email": rnd.choice(["x@y", "geen-adres"])}
        for language in ("en", "nl"):
            with translation.override(language):
                _, errors = clean_contact(dict(contact))
            assert len(errors) == 3
            for error in errors:
                text = error.message.replace(contact["telefoon"], " ").replace(contact["email"], " ")
                assert bool(dutch_in(text)) == (language == "nl"), (language, error.message)


def test_saving_and_deleting_a_closure_says_so_in_english(users):
    from balie.network.models import Closure

    rnd = random.Random(21)
    client = english(users["coordinator"])
    start = timezone.localdate() + dt.timedelta(days=rnd.randint(10, 200))
    reason = f"{rnd.choice(['Studiedag', 'Verbouwing', 'Inventaris'])} {rnd.randint(1000, 9999)}"
    saved = client.post("/organisatie/locaties/RDAM-CENTRAAL/rooster/sluitingen/nieuw/",
                        {"start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=rnd.randint(0, 5))).isoformat(),
                         "reason": reason}, follow=True)
    closure = Closure.objects.get(reason=reason)
    deleted = client.post(f"/organisatie/locaties/RDAM-CENTRAAL/rooster/sluitingen/{closure.pk}/verwijderen/", follow=True)
    for response, english_text, dutch_text in ((saved, "has been saved", "is opgeslagen"), (deleted, "Deleted:", "Verwijderd:")):
        html = response.content.decode()
        assert english_text in html and dutch_text not in html, visible_text(html)[:800]


def _lookalike_hosts(rnd: random.Random) -> list[str]:
    """Generated imitations of real names, one per trick the check names (subdomain, characters, extension, hyphen,
    typo, name inside another address)."""
    brand = rnd.choice(["belastingdienst", "toeslagen", "mijnoverheid"])
    i = rnd.randint(1, len(brand) - 3)
    swapped = brand[:i] + brand[i + 1] + brand[i] + brand[i + 2:]
    junk = "".join(rnd.choice("qxzkvw") for _ in range(rnd.randint(4, 8)))
    return [f"{brand}.nl.{junk}.info", f"{brand}.{rnd.choice(['com', 'org', 'info'])}", f"{brand[:i]}-{brand[i:]}.nl",
            f"{swapped}.nl", f"{brand}{brand[-1]}.nl", f"{brand[:i]}{brand[i + 1:]}.nl", f"{brand}-{junk}.com",
            f"{brand.replace('l', '1', 1) if 'l' in brand else brand.replace('m', 'rn', 1)}.nl"]


def test_the_message_check_names_a_lookalike_trick_in_english(users):
    rnd = random.Random(31)
    client = english(users["medewerker"])
    for host in _lookalike_hosts(rnd):
        message = f"Beste klant, controleer uw gegevens via https://{host}/inloggen voor vandaag."
        html = client.post("/hulpmiddelen/bericht/", {"tekst": message}).content.decode()
        found = [visible_text(r) for r in re.findall(r'<ul class="reasons">(.*?)</ul>', html, re.S)]
        assert found, html[:1000]
        assert not dutch_in(found[0], (host,)), (host, found[0])


@pytest.mark.parametrize(("points", "size"), [((5000, 5000), "176 × 176 cm"), ((3000, 20000), "106 × 706 cm")])
def test_a_pdf_page_far_larger_than_a_letter_is_refused_in_english(users, points, size):
    """The refusal carries the page size; it is translated as a pattern with the size filled in after."""
    from test_upload_limits import pdf, upload

    response = upload(english(users["medewerker"]), pdf([(*points, b"")]), "brief.pdf")
    html = response.content.decode()
    assert response.status_code == 413
    assert f"This PDF has a page of {size}: much larger than a letter." in html
    assert "veel groter dan een brief" not in html


def test_a_closure_is_named_in_the_language_of_the_page():
    """The schedule page names a closure for screen readers ("Wijzigen: 24-12-2026 t/m 27-12-2026: ...")."""
    from balie.network.models import Closure

    closure = Closure(start_date=dt.date(2026, 12, 24), end_date=dt.date(2026, 12, 27), reason="Kerst")
    with translation.override("en"):
        assert str(closure) == "24-12-2026 to 27-12-2026: Kerst"
    with translation.override("nl"):
        assert str(closure) == "24-12-2026 t/m 27-12-2026: Kerst"
