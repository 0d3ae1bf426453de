"""Signals in the database: detection on Question rows, the workflow, scoping, suppression and the report."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from signal_data import FLAT, insert, question_rows  # tests/ is on sys.path (conftest.py lives there)

from balie.core.models import AuditEvent
from balie.desk.models import Question, Visit
from balie.network.models import Location
from balie.partners.models import Partner, PartnerUser
from balie.signals import services
from balie.signals.models import ScopeKind, Signal, SignalStatusChange, Status

UNTIL = dt.date(2026, 11, 9)  # a Monday well in the past of the test clock
WEEKS = 70






def add_questions(location: Location, counts: dict[str, int], week: dt.date, note: str = "") -> None:
    insert(question_rows(location, counts, week, note))


def build_history(network, *, jump: bool) -> None:
    rdam = Location.objects.get(code="RDAM-CENTRAAL")
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    rows: list[tuple] = []
    for k in range(WEEKS):
        week = UNTIL - dt.timedelta(weeks=WEEKS - 1 - k)
        rows += question_rows(rdam, FLAT, week) + question_rows(gouda, FLAT, week)
        if jump and k >= WEEKS - 2:
            rows += question_rows(rdam, {"UWV": 25}, week, note="Upload van documenten bij UWV lukt niet")
    insert(rows)


@pytest.fixture
def recipient(network):
    return Partner.objects.create(name="UWV", signal_email="signalen@uwv.example", signal_codes="|UWV|", receives_signals=True,
                                  receives_referrals=False)


@pytest.fixture
def signal(network, users, recipient):
    build_history(network, jump=True)
    services.run(UNTIL)
    s = Signal.objects.get(scope_key="organisatie:BIB-RDAM", instantie="UWV", onderwerp="", kind="aantal")
    PartnerUser.objects.create(user=users["partner"], partner=recipient)
    return s


def test_it_finds_nothing_in_flat_registrations(network):
    build_history(network, jump=False)
    assert services.find(UNTIL) == []


def test_it_flags_a_jump_at_every_scope_level_with_json_output(network):
    build_history(network, jump=True)
    out = StringIO()
    call_command("detect_signals", "--json", "--until", UNTIL.isoformat(), "--dry-run", stdout=out)
    rows = json.loads(out.getvalue())
    counts = [r for r in rows if r["kind"] == "aantal" and r["instantie"] == "UWV" and r["onderwerp"] is None]
    assert {r["scope"] for r in counts} == {"organisatie:BIB-RDAM", "gemeente:GM0599", "landelijk"}
    org = next(r for r in counts if r["scope"] == "organisatie:BIB-RDAM")
    assert org["start_week"] == (UNTIL - dt.timedelta(weeks=1)).isoformat() and org["end_week"] == UNTIL.isoformat()
    assert org["observed"] == 66 and 15 < org["expected"] < 17 and org["q_value"] < 0.05
    assert org["examples"] and "Upload" in org["examples"][0]
    gm = next(r for r in counts if r["scope"] == "gemeente:GM0599")
    assert gm["examples"] == []  # notes never leave the library organisation
    assert not any(r["instantie"] == "DIGID" for r in rows)
    assert Signal.objects.count() == 0


def _detect_json() -> list[dict]:
    out = StringIO()
    call_command("detect_signals", "--json", "--until", UNTIL.isoformat(), "--dry-run", stdout=out)
    return json.loads(out.getvalue())


def test_it_gives_identical_output_after_export_wipe_and_import(network, tmp_path):
    # The honest round trip: the exchange CSV written by export_registrations, everything deleted,
    # then read back by import_registrations (which checks and stores rows like the desk does).
    build_history(network, jump=True)
    before = _detect_json()
    assert any(r["scope"] == "organisatie:BIB-RDAM" and r["instantie"] == "UWV" for r in before)
    path = tmp_path / "registraties.csv"
    call_command("export_registrations", "--output", str(path), stderr=StringIO())
    count = Question.objects.count()
    Question.objects.all().delete()
    Visit.objects.all().delete()
    assert _detect_json() == []
    call_command("import_registrations", str(path), stdout=StringIO())
    assert Question.objects.count() == count
    assert not Visit.objects.exclude(source="import").exists()
    assert _detect_json() == before


def test_it_analyses_imported_registrations_exactly_like_desk_ones(network):
    build_history(network, jump=True)
    Question.objects.update(created_by=None)
    Visit.objects.update(source="import")
    found = services.find(UNTIL)
    assert any(f.scope == "organisatie:BIB-RDAM" and f.instantie == "UWV" for f in found)


def test_it_stores_signals_with_append_only_history_and_does_not_duplicate_them(signal):
    assert signal.status == Status.NIEUW
    assert list(signal.history.values_list("to_status", flat=True)) == [Status.NIEUW]
    services.run(UNTIL)
    assert Signal.objects.filter(scope_key="organisatie:BIB-RDAM", instantie="UWV", onderwerp="", kind="aantal").count() == 1


def test_it_walks_the_workflow_and_sends_a_suppressed_report(signal, users, recipient, django_capture_on_commit_callbacks):
    services.confirm(signal, by=users["coordinator"], description="Uploaden in de app van UWV lukt niet.", impact="Geen uitkering.")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_report(signal, by=users["coordinator"], recipient=recipient, include_examples=False)
    call_command("run_worker", "--once", verbosity=0)  # the worker sends what the request queued (core/outbox.py)
    assert mail.outbox[-1].to == ["signalen@uwv.example"]
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"
    assert "/signalen/reactie/" in message.body
    html = services.report.render_html(signal, include_examples=False)
    assert "Upload van documenten" not in html  # examples only when the coordinator ticks them
    assert "Upload van documenten" in services.report.render_html(signal, include_examples=True)
    services.respond(signal, by=users["partner"], text="Er was een storing.", change="Hersteld", change_date=UNTIL)
    services.close(signal, by=users["coordinator"], solved=True)
    statuses = list(SignalStatusChange.objects.filter(signal=signal).values_list("to_status", flat=True))
    assert statuses == [Status.NIEUW, Status.BEVESTIGD, Status.GEMELD, Status.REACTIE, Status.OPGELOST]


def test_it_publishes_counts_outside_the_library_by_the_one_rule(signal):
    """Counts under 5 are "<5"; larger ones get the cell-key noise (ADR 0015), the same for the same week every time,
    and the signal's total is published on its own, so it minus the other weeks does not give a hidden week."""
    report = services.report
    shown = [report.count(signal, n, "week", "2026-01-05") for n in (0, 1, 4)]
    assert shown == ["<5", "<5", "<5"]
    for n in (5, 12, 80):
        value = report.count(signal, n, "week", "2026-01-05")
        assert value == report.count(signal, n, "week", "2026-01-05")
        assert value == "<5" or abs(int(value) - n) <= 3
    rows = report.weekly_rows(signal, suppressed=True)
    assert rows and all(r["observed"] == "<5" or int(r["observed"]) >= 5 for r in rows)
    assert [r["observed"] for r in rows] == [r["observed"] for r in report.weekly_rows(signal, suppressed=True)]
    assert report.expected(3.4) == "<5" and report.expected(12.6) == "13" and report.expected(0.2) == "0"


def test_a_signal_report_during_a_mail_outage_is_reported_once_and_shows_that_it_is_not_delivered_yet(
        signal, users, recipient, client_for, settings, django_capture_on_commit_callbacks):
    from test_mail_outbox import OUTAGES, FlakyBackend  # the mail server that can be down (review M8)

    from balie.core.models import OutgoingMail

    settings.EMAIL_BACKEND = "test_mail_outbox.FlakyBackend"
    FlakyBackend.failure, mail.outbox = OUTAGES["refused"], []
    try:
        services.confirm(signal, by=users["coordinator"], description="Uploaden lukt niet.", impact="Geen uitkering.")
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("coordinator").post(f"/signalen/{signal.uuid}/", {"action": "send", "recipient": recipient.pk})
        assert response.status_code == 302
        signal.refresh_from_db()
        assert signal.status == Status.GEMELD and OutgoingMail.objects.count() == 1
        call_command("run_worker", "--once", verbosity=0)
        page = client_for("coordinator").get(f"/signalen/{signal.uuid}/").content.decode()
        assert "Organisatie nog niet bereikt per e-mail" in page
        FlakyBackend.failure = None
        OutgoingMail.objects.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=5))  # past the retry and the sweep grace
        call_command("run_worker", "--once", verbosity=0)
        assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"
        assert AuditEvent.objects.filter(event="signal_report_sent").count() == 1
    finally:
        FlakyBackend.failure = None


def test_it_reopens_a_solved_signal_when_the_problem_comes_back(signal, users, recipient):
    services.confirm(signal, by=users["coordinator"], description="x", impact="y")
    services.send_report(signal, by=users["coordinator"], recipient=recipient, include_examples=False)
    services.close(signal, by=users["coordinator"], solved=True)
    services.run(UNTIL)
    signal.refresh_from_db()
    assert signal.status == Status.NIEUW
    assert signal.history.last().note.startswith("Het probleem komt terug")


def test_it_merges_signals_of_several_libraries_into_a_national_one(network, users):
    build_history(network, jump=True)
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    for k in (1, 0):
        add_questions(gouda, {"UWV": 25}, UNTIL - dt.timedelta(weeks=k))
    services.run(UNTIL)
    national = Signal.objects.filter(pk__in=Signal.objects.filter(scope_kind=ScopeKind.LANDELIJK, instantie="UWV", onderwerp="", children__isnull=False).values("pk")).get()
    assert set(national.children.values_list("scope_key", flat=True)) == {"organisatie:BIB-GOUDA", "organisatie:BIB-RDAM"}


# --- views: owner, colleague-level roles and outsiders ------------------------------------------
def test_it_shows_a_library_signal_only_to_its_own_coordinator(signal, client_for):
    url = f"/signalen/{signal.uuid}/"
    owner = client_for("coordinator").get(url)
    assert owner.status_code == 200 and "Upload van documenten" in owner.content.decode()
    assert client_for("coordinator-gouda").get(url).status_code == 404
    assert client_for("gemeente").get(url).status_code == 404
    assert client_for("medewerker").get(url).status_code == 403


def test_it_shows_the_gemeente_aggregates_without_notes_or_small_counts(signal, client_for):
    gm = Signal.objects.get(scope_key="gemeente:GM0599", instantie="UWV", onderwerp="", kind="aantal")
    page = client_for("gemeente").get(f"/signalen/{gm.uuid}/").content.decode()
    assert "Upload van documenten" not in page and "Voorbeeldnotities" not in page
    assert client_for("coordinator").get(f"/signalen/{gm.uuid}/").status_code == 404
    listing = client_for("gemeente").get("/signalen/").content.decode()
    assert "Open signalen per gemeente" in listing and "Rotterdam" in listing


def test_it_lets_a_partner_see_and_answer_only_signals_addressed_to_it(signal, users, recipient, client_for):
    url = f"/signalen/{signal.uuid}/"
    assert client_for("partner").get(url).status_code == 404  # not reported yet
    client_for("coordinator").post(url, {"action": "confirm", "description": "Uploaden lukt niet.", "impact": "Geen uitkering."})
    client_for("coordinator").post(url, {"action": "send", "recipient": recipient.pk})
    signal.refresh_from_db()
    assert signal.status == Status.GEMELD
    page = client_for("partner").get(url).content.decode()
    assert "Upload van documenten" not in page
    other = Signal.objects.get(scope_key="gemeente:GM0599", instantie="UWV", onderwerp="", kind="aantal")
    assert client_for("partner").get(f"/signalen/{other.uuid}/").status_code == 404
    response = client_for("partner").post(url, {"action": "respond", "text": "Storing verholpen.", "change": "Nieuwe versie",
                                                 "change_date": UNTIL.isoformat()})
    assert response.status_code == 302
    assert client_for("partner").post(url, {"action": "confirm", "description": "x", "impact": "y"}).status_code == 403
    signal.refresh_from_db()
    assert signal.status == Status.REACTIE


def test_it_shows_a_partner_account_the_signals_and_referrals_of_its_one_organisation(signal, users, client_for,
                                                                                     django_capture_on_commit_callbacks):
    """One PartnerUser link: the same organisation receives the referral and the signal, and the account sees both."""
    from balie.desk import services as desk_services
    from balie.referrals import services as referral_services

    PartnerUser.objects.filter(user=users["partner"]).delete()
    shm = Partner.objects.create(name="SchuldHulpMaatje", organisation=signal.organisation, email="shm@example.nl",
                                 receives_signals=True, signal_codes="|UWV|")
    PartnerUser.objects.create(user=users["partner"], partner=shm)
    services.confirm(signal, by=users["coordinator"], description="Uploaden lukt niet.", impact="Geen uitkering.")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_report(signal, by=users["coordinator"], recipient=shm, include_examples=False)
    call_command("run_worker", "--once", verbosity=0)
    visit, _ = desk_services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "DOORVERWEZEN"}])
    referral, _ = referral_services.referral_create(user=users["medewerker"], question=visit.questions.get(), partner=shm, service=None,
                                                    kind="samen_gebeld", consent=False, contact=None, notify=False)
    client = client_for("partner")
    assert str(signal.uuid) in client.get("/signalen/").content.decode()
    assert client.get(f"/signalen/{signal.uuid}/").status_code == 200
    assert str(referral.uuid) in client.get("/verwijzingen/").content.decode()
    # The e-mail went to the general address: the organisation has no separate one for signals.
    assert mail.outbox[-1].to == ["shm@example.nl"]


def test_it_offers_only_organisations_that_receive_signals_and_keeps_signal_only_ones_off_the_social_map(signal, users, recipient, client_for):
    Partner.objects.create(name="Wijkteam", organisation=signal.organisation, email="w@example.nl", signal_codes="|UWV|")  # flag off
    from balie.signals import selectors

    assert [p.name for p in selectors.recipients_for(users["coordinator"], signal)] == ["UWV"]
    social_map = client_for("coordinator").get("/sociale-kaart/").content.decode()
    assert "Wijkteam" in social_map and ">UWV<" not in social_map


def test_it_turns_a_social_map_partner_into_a_recipient_instead_of_adding_it_twice(network, users, client_for):
    shm = Partner.objects.create(name="SchuldHulpMaatje", organisation=network["BIB-RDAM"], email="info@shm.example")
    response = client_for("coordinator").post("/signalen/ontvangers/nieuw/", {"name": "schuldhulpmaatje", "email": "info@shm.example",
                                                                              "codes": "CJIB"})
    assert response.status_code == 302
    shm.refresh_from_db()
    assert Partner.objects.count() == 1
    assert (shm.receives_referrals, shm.receives_signals, shm.codes, shm.signal_email) == (True, True, ["CJIB"], "")
    assert AuditEvent.objects.filter(event="signal_recipient_created", object_uuid=str(shm.uuid), user=users["coordinator"]).exists()


def test_it_accepts_a_response_through_the_expiring_link_for_one_signal_only(signal, users, recipient, client):
    services.confirm(signal, by=users["coordinator"], description="x", impact="y")
    services.send_report(signal, by=users["coordinator"], recipient=recipient, include_examples=False)
    token = services.response_token(signal)
    assert client.get(f"/signalen/reactie/{token}/").status_code == 200
    assert client.get(f"/signalen/reactie/{token}x/").status_code == 404
    response = client.post(f"/signalen/reactie/{token}/", {"text": "Wij kijken ernaar."})
    assert response.status_code == 302
    assert signal.responses.get().text == "Wij kijken ernaar."


def test_it_refuses_an_expired_link(signal, users, recipient, client, settings):
    from unittest import mock

    services.confirm(signal, by=users["coordinator"], description="x", impact="y")
    services.send_report(signal, by=users["coordinator"], recipient=recipient, include_examples=False)
    token = services.response_token(signal)
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 31 * 86400):
        assert client.get(f"/signalen/reactie/{token}/").status_code == 404


def test_it_serves_the_pdf_report_only_to_who_may_send_it(signal, client_for):
    url = f"/signalen/{signal.uuid}/rapport/"
    response = client_for("coordinator").get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for("coordinator-gouda").get(url).status_code == 404
    assert client_for("gemeente").get(url).status_code == 404


def test_it_shows_before_and_after_figures_once_solved(signal, users, recipient, client_for):
    services.confirm(signal, by=users["coordinator"], description="x", impact="y")
    services.send_report(signal, by=users["coordinator"], recipient=recipient, include_examples=False)
    services.respond(signal, by=users["partner"], text="Opgelost", change="App aangepast", change_date=UNTIL - dt.timedelta(weeks=1))
    services.close(signal, by=users["coordinator"], solved=True)
    figures = services.before_after(signal)
    assert figures["before"] == 8 * 8 and figures["after"] == 2 * (8 + 25)
    assert "Voor en na de verandering" in client_for("coordinator").get(f"/signalen/{signal.uuid}/").content.decode()


def test_it_runs_as_a_background_task(network):
    from balie.signals.tasks import detect_signals_task

    build_history(network, jump=True)
    assert detect_signals_task.call(UNTIL.isoformat()) > 0
    assert Signal.objects.filter(instantie="UWV").exists()


# --- recipients: coordinator (local, own library), landelijk (national), everyone else refused ---
def test_it_lets_a_coordinator_manage_only_its_own_local_recipients(network, client_for):
    national = Partner.objects.create(name="UWV", signal_email="s@uwv.example", signal_codes="|UWV|", receives_signals=True)
    owner = client_for("coordinator")
    response = owner.post("/signalen/ontvangers/nieuw/", {"name": "Woonstad Rotterdam", "email": "signalen@woonstad.example",
                                                         "codes": ["WONEN_WOONSTAD", "WONEN"]})
    assert response.status_code == 302
    mine = Partner.objects.get(name="Woonstad Rotterdam")
    assert (mine.organisation.code, mine.national, mine.signal_codes) == ("BIB-RDAM", False, "|WONEN_WOONSTAD|WONEN|")
    assert (mine.receives_signals, mine.receives_referrals) == (True, False)  # not on the social map by itself
    listing = owner.get("/signalen/ontvangers/").content.decode()
    assert "Woonstad Rotterdam" in listing and "s@uwv.example" not in listing
    assert owner.get(f"/signalen/ontvangers/{national.uuid}/").status_code == 404
    edit = owner.post(f"/signalen/ontvangers/{mine.uuid}/", {"name": "Woonstad", "email": "nieuw@woonstad.example", "codes": "WONEN_WOONSTAD"})
    assert edit.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.signal_report_email, mine.codes) == ("Woonstad", "nieuw@woonstad.example", ["WONEN_WOONSTAD"])
    bad = owner.post("/signalen/ontvangers/nieuw/", {"name": "X", "email": "x@example.nl", "codes": "BESTAAT_NIET"})
    assert bad.status_code == 422 and "BESTAAT_NIET staat niet in de lijst" in bad.content.decode()

    # A colleague library: neither sees nor edits Rotterdam's recipient, nor uses Rotterdam's local codes.
    other = client_for("coordinator-gouda")
    assert "Woonstad" not in other.get("/signalen/ontvangers/").content.decode()
    assert other.get(f"/signalen/ontvangers/{mine.uuid}/").status_code == 404
    assert other.post("/signalen/ontvangers/nieuw/", {"name": "Y", "email": "y@example.nl", "codes": "WONEN_WOONSTAD"}).status_code == 422

    # Outsiders and lower roles.
    for username in ("medewerker", "gemeente", "partner"):
        assert client_for(username).get("/signalen/ontvangers/").status_code == 403
        assert client_for(username).post("/signalen/ontvangers/nieuw/", {"name": "Z", "email": "z@example.nl", "codes": "UWV"}).status_code == 403
    assert Partner.objects.filter(receives_signals=True).count() == 2


def test_it_lets_landelijk_manage_only_the_national_recipients(network, client_for):
    local = Partner.objects.create(name="Woonstad", signal_email="w@example.nl", signal_codes="|WONEN_WOONSTAD|",
                                   receives_signals=True, organisation=network["BIB-RDAM"])
    client = client_for("landelijk")
    assert client.post("/signalen/ontvangers/nieuw/", {"name": "SVB", "email": "signalen@svb.example", "codes": "SVB"}).status_code == 302
    svb = Partner.objects.get(name="SVB")
    assert svb.national and svb.organisation is None
    listing = client.get("/signalen/ontvangers/").content.decode()
    assert "signalen@svb.example" in listing and "w@example.nl" not in listing
    assert client.get(f"/signalen/ontvangers/{local.uuid}/").status_code == 404
    # Local codes belong to one library: not on a national recipient.
    assert client.post("/signalen/ontvangers/nieuw/", {"name": "W", "email": "w2@example.nl", "codes": "WONEN_WOONSTAD"}).status_code == 422
    assert client_for("coordinator").get(f"/signalen/ontvangers/{svb.uuid}/").status_code == 404


# --- note themes ------------------------------------------------------------------------------
def test_it_shows_a_note_theme_with_related_words_and_examples_only_inside_the_library(network, client_for):
    build_history(network, jump=True)
    rdam = Location.objects.get(code="RDAM-CENTRAAL")
    rows: list[tuple] = []
    for k in range(5, 45):  # a year of ordinary UWV notes before the problem
        week = UNTIL - dt.timedelta(weeks=k)
        rows += question_rows(rdam, {"UWV": 2}, week, note="Brief van UWV uitgelegd")
        rows += question_rows(rdam, {"UWV": 1}, week, note="WW-uitkering aanvragen")
    insert(rows)
    services.run(UNTIL)
    theme = Signal.objects.get(kind="thema", scope_key="organisatie:BIB-RDAM", instantie="UWV")
    # One recurring note is one theme: its words ("upload", "lukt niet", ...) are grouped under it.
    assert theme.phrase in "upload van documenten bij uwv lukt niet"
    related = theme.evidence["weekly"][0]["related"]
    assert "upload" in related and "uwv lukt niet" in related
    assert theme.observed == 50 and theme.expected < 5
    page = client_for("coordinator").get(f"/signalen/{theme.uuid}/").content.decode()
    assert "Thema in de notities" in page and f"\u201c{theme.phrase}\u201d" in page
    assert "Verwante woorden" in page and "uwv lukt niet" in page
    assert "Upload van documenten bij UWV lukt niet" in page  # example notes, for the library itself
    assert "steeds vaker" in client_for("coordinator").get("/signalen/").content.decode()
    # Notes never leave the library: no theme signals outside the organisation, not even the list entry.
    assert client_for("coordinator-gouda").get(f"/signalen/{theme.uuid}/").status_code == 404
    assert client_for("gemeente").get(f"/signalen/{theme.uuid}/").status_code == 404
    assert not Signal.objects.filter(kind="thema").exclude(scope_kind="organisatie").exists()
