"""Announcements (aanmeldingen, issue 16): a partner or municipality announces a visitor; the desk sees it today, starts
the registration from it, and the sender sees the anonymous outcome. Scoping (owner, colleague, other organisation),
consent and encryption, PII in the text, the append-only loop, expiry and retention, the API and the figures."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from balie.announcements import selectors, services
from balie.announcements.models import Announcement, AnnouncementStatusChange, Status
from balie.core.access import scope_of
from balie.core.models import AppendOnlyViolation, AuditEvent
from balie.demo.partners import build_social_map
from balie.network.models import Location

pytestmark = pytest.mark.django_db
RNG = random.Random(20261216)


@pytest.fixture
def social(network, users):
    return build_social_map()


@pytest.fixture
def api(users):
    def make(username: str) -> APIClient:
        out = io.StringIO()
        call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
        return client

    return make


def announce(user, *, location="RDAM-CENTRAAL", day=None, **kw):
    values = {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "description": "Wil een betalingsregeling aanvragen.", **kw}
    announcement, _ = services.announcement_create(
        user=user, location=Location.objects.get(code=location), expected_on=day or timezone.localdate(), **values)
    return announcement


def new_bsn() -> str:
    while True:
        head = "".join(str(RNG.randrange(10)) for _ in range(8))
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if check < 10 and head != "00000000":
            return head + str(check)


def register_post(client, announcement, uitkomst="OPGELOST"):
    return client.post(f"/balie/?locatie={announcement.location.code}", {
        "submission_key": f"k{RNG.randrange(10**9)}", "question_count": "1", "aanmelding": str(announcement.uuid),
        "q-0-instantie": announcement.instantie, "q-0-onderwerp": announcement.onderwerp, "q-0-uitkomst": uitkomst,
    })


# --- three users and the roles -------------------------------------------------------------------------------------
def test_it_shows_an_announcement_to_its_library_and_sender_and_to_nobody_else(users, social, client_for, api):
    announcement = announce(users["partner"])
    url = f"/aanmeldingen/{announcement.uuid}/"
    assert client_for("medewerker").get(url).status_code == 200  # owner organisation
    assert client_for("collega").get(url).status_code == 200  # colleague
    assert client_for("medewerker-gouda").get(url).status_code == 404  # other organisation
    assert client_for("partner").get(url).status_code == 200  # the sender
    assert client_for("gemeente").get(url).status_code == 404  # did not send this one
    assert client_for("landelijk").get(url).status_code == 403
    assert api("medewerker-gouda").get(f"/api/v1/aanmeldingen/{announcement.uuid}").status_code == 404
    assert api("collega").get(f"/api/v1/aanmeldingen/{announcement.uuid}").status_code == 200
    assert [a["uuid"] for a in api("medewerker-gouda").get("/api/v1/aanmeldingen").json()["results"]] == []


def test_it_lets_a_municipality_announce_only_to_its_own_locations(users, social):
    gemeente = users["gemeente"]
    allowed = set(services.announce_locations(gemeente).values_list("gemeente_id", flat=True))
    assert allowed and allowed <= set(scope_of(gemeente).gemeente_ids)
    announcement = announce(gemeente)
    assert announcement.gemeente_id in scope_of(gemeente).gemeente_ids and announcement.partner_id is None
    with pytest.raises(services.AnnouncementInvalid) as exc:
        announce(gemeente, location="GOUDA-CHOCOLADEFABRIEK")
    assert [e.field for e in exc.value.errors] == ["locatie"]
    with pytest.raises(services.AnnouncementInvalid):
        announce(users["partner"], location="GOUDA-CHOCOLADEFABRIEK")  # Rotterdam's partner: not Gouda's IDO
    with pytest.raises(Exception):
        announce(users["medewerker"])  # staff receive announcements, they do not send them


# --- the loop: desk registers from the announcement, the sender sees the outcome -------------------------------------
@pytest.mark.parametrize("uitkomst,status,shown", [
    ("OPGELOST", Status.GEHOLPEN, "Gekomen, geholpen"),
    ("DOORVERWEZEN", Status.GEHOLPEN, "Gekomen, geholpen"),
    ("NIET_OPGELOST", Status.GEKOMEN, "Gekomen, niet geholpen"),
])
def test_it_closes_the_loop_when_the_desk_registers_from_the_announcement(users, social, client_for, api, uitkomst, status, shown):
    announcement = announce(users["partner"])
    desk = client_for("medewerker")
    today_page = desk.get("/balie/vandaag/").content.decode()
    assert "Aangemeld voor vandaag" in today_page and str(announcement.uuid) in today_page
    # Expected visitors stand above the day's list of registrations (which can be long), not below it.
    day_list = re.search(r"<caption>\d+ vra(ag|gen)</caption>|Nog geen registraties vandaag", today_page)
    assert day_list and today_page.index("Aangemeld voor vandaag") < day_list.start()
    assert str(announcement.uuid) in desk.get("/wachtrij/balie/?locatie=RDAM-CENTRAAL").content.decode()  # the queue too
    assert str(announcement.uuid) not in desk.get("/wachtrij/balie/?locatie=RDAM-ZUIDPLEIN").content.decode()
    form = desk.get(f"/balie/?aanmelding={announcement.uuid}&instantie=BELASTINGDIENST&onderwerp=BETALEN").content.decode()
    assert f'name="aanmelding" value="{announcement.uuid}"' in form and "Aangemeld door SchuldHulpMaatje" in form
    assert register_post(desk, announcement, uitkomst).status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == status and announcement.uitkomst == uitkomst and announcement.visit is not None
    history = list(announcement.history.values_list("from_status", "to_status"))
    assert history[:2] == [("", Status.AANGEMELD), (Status.AANGEMELD, Status.GEKOMEN)]
    assert len(history) == (3 if status == Status.GEHOLPEN else 2)
    assert shown in client_for("partner").get(f"/aanmeldingen/{announcement.uuid}/").content.decode()
    body = api("partner").get(f"/api/v1/aanmeldingen/{announcement.uuid}").json()
    assert body["status"] == status and body["uitkomst"] == uitkomst
    assert "notitie" not in json.dumps(body) and "Aangemeld" not in body.get("contact", "")
    # Saving the same form again (double click) changes nothing more.
    assert AnnouncementStatusChange.objects.filter(announcement=announcement).count() == len(history)


def test_a_foreign_or_malformed_announcement_id_changes_nothing(users, social, client_for):
    announcement = announce(users["partner"])
    gouda = client_for("medewerker-gouda")
    for raw in (str(announcement.uuid), "not-a-uuid", "x" * 500, ""):
        response = gouda.post("/balie/", {"submission_key": f"g{RNG.randrange(10**9)}", "question_count": "1", "aanmelding": raw,
                                          "q-0-instantie": "UWV", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"})
        assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == Status.AANGEMELD
    page = gouda.get(f"/balie/?aanmelding={announcement.uuid}").content.decode()
    assert 'name="aanmelding"' not in page and "Aangemeld door" not in page


def test_the_desk_marks_no_show_and_the_sender_can_withdraw(users, social, client_for):
    first, second = announce(users["partner"]), announce(users["partner"], consent=True, contact={"naam": "Ria Test", "telefoon": "06 41234569"})
    assert client_for("medewerker-gouda").post(f"/aanmeldingen/{first.uuid}/niet-gekomen/").status_code == 404
    assert client_for("collega").post(f"/aanmeldingen/{first.uuid}/niet-gekomen/").status_code == 302
    first.refresh_from_db()
    assert first.status == Status.NIET_GEKOMEN
    assert client_for("medewerker").post(f"/aanmeldingen/{second.uuid}/intrekken/").status_code == 403
    assert client_for("partner").post(f"/aanmeldingen/{second.uuid}/intrekken/").status_code == 302
    second.refresh_from_db()
    assert second.status == Status.INGETROKKEN and second.contact_ciphertext == "" and second.personal_data_deleted_at
    with pytest.raises(AppendOnlyViolation):
        change = second.history.last()
        change.via = "iets anders"
        change.save()


# --- consent, encryption, PII ---------------------------------------------------------------------------------------
def test_it_keeps_name_and_phone_only_with_consent_encrypted_and_audited(users, social, client_for):
    name = RNG.choice(["Ria", "Johan", "Fatima", "Wim"]) + " " + RNG.choice(["de Boer", "Yilmaz", "Jansen", "Bakker"])
    phone = f"06 {RNG.randrange(20000000, 99999999)}"
    with pytest.raises(services.AnnouncementInvalid) as exc:
        announce(users["partner"], contact={"naam": name, "telefoon": phone})
    assert [e.field for e in exc.value.errors] == ["toestemming"]
    assert not Announcement.objects.exists()
    announcement = announce(users["partner"], consent=True, contact={"naam": name, "telefoon": phone})
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM announcements_announcement")
        raw = json.dumps([list(map(str, row)) for row in cursor.fetchall()])
    assert name not in raw and phone.replace(" ", "")[2:] not in raw
    before = AuditEvent.objects.filter(event="announcement_contact_read").count()
    page = client_for("medewerker").get(f"/aanmeldingen/{announcement.uuid}/?contact=1").content.decode()
    assert name in page and AuditEvent.objects.filter(event="announcement_contact_read").count() == before + 1
    assert name not in client_for("medewerker-gouda").get(f"/aanmeldingen/{announcement.uuid}/?contact=1").content.decode()
    assert name in client_for("partner").get(f"/aanmeldingen/{announcement.uuid}/?contact=1").content.decode()
    services.mark_no_show(announcement=announcement, by=users["medewerker"])
    announcement.refresh_from_db()
    # Closed: the sender no longer sees the contact data; the library does until the retention ends.
    assert not services.may_read_contact(users["partner"], announcement) and services.may_read_contact(users["medewerker"], announcement)


@pytest.mark.parametrize("shape", ["plain", "spaced", "dotted"])
def test_it_redacts_personal_data_in_the_text_whatever_the_spelling(users, social, shape):
    bsn = new_bsn()
    spelled = {"plain": bsn, "spaced": f"{bsn[:3]} {bsn[3:6]} {bsn[6:]}", "dotted": f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"}[shape]
    phone = f"06-{RNG.randrange(10000000, 99999999)}"
    announcement = announce(users["partner"], description=f"Mevrouw met BSN {spelled}, bel {phone} voor de afspraak.")
    stored = Announcement.objects.get(pk=announcement.pk).description
    assert bsn not in stored.replace(" ", "").replace(".", "") and phone[3:] not in stored.replace("-", "")
    assert "[BSN]" in stored or stored == "[verwijderd]" or "verwijderd" in stored.lower()


def test_it_refuses_hostile_input_with_dutch_messages_and_saves_nothing(users, social, client_for):
    partner = client_for("partner")
    base = {"locatie": "RDAM-CENTRAAL", "submission_key": "h1", "instantie": "UWV"}
    cases = [
        {"datum": "2019-01-01"}, {"datum": "morgen"}, {"datum": (timezone.localdate() + dt.timedelta(days=400)).isoformat()},
        {"datum": timezone.localdate().isoformat(), "toelichting": "x" * 5001},
        {"datum": timezone.localdate().isoformat(), "instantie": "BESTAAT_NIET"},
        {"datum": timezone.localdate().isoformat(), "spreekuur": "2026-13-45 99:99"},
        {"datum": timezone.localdate().isoformat(), "instantie": "", "toelichting": ""},
        {"datum": timezone.localdate().isoformat(), "toestemming": "ja", "naam": "", "telefoon": "12"},
    ]
    for i, extra in enumerate(cases):
        response = partner.post("/aanmeldingen/nieuw/", {**base, "submission_key": f"h{i}", **extra})
        assert response.status_code == 422, extra
        assert "Niet opgeslagen" in response.content.decode()
    assert not Announcement.objects.exists()


# --- expiry and retention ---------------------------------------------------------------------------------------------
def test_it_expires_overdue_announcements_and_purges_contact_data_after_the_retention(users, social, settings):
    announcement = announce(users["partner"], consent=True, contact={"naam": "Ria Test", "telefoon": "0612345678"})
    later = timezone.now() + dt.timedelta(days=2)
    assert services.expire_overdue(later) == 1
    announcement.refresh_from_db()
    assert announcement.status == Status.VERLOPEN and announcement.contact_ciphertext
    assert announcement.history.last().via == "systeem"
    assert services.purge_personal_data(later + dt.timedelta(days=settings.BALIE_REFERRAL_RETENTION_DAYS - 1)) == 0
    erased = services.purge_personal_data(later + dt.timedelta(days=settings.BALIE_REFERRAL_RETENTION_DAYS + 1))
    announcement.refresh_from_db()
    assert erased == 1 and announcement.contact_ciphertext == "" and announcement.personal_data_deleted_at
    assert AuditEvent.objects.filter(event="announcement_contact_deleted").exists()


def test_the_daily_purge_command_includes_announcements(users, social):
    announce(users["partner"], day=timezone.localdate())
    Announcement.objects.update(expected_on=timezone.localdate() - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "aanmelding" in out.getvalue()
    assert Announcement.objects.get().status == Status.VERLOPEN


# --- the API ------------------------------------------------------------------------------------------------------------
def test_the_api_creates_idempotently_and_answers_problems(users, social, api):
    client = api("partner")
    body = {"locatie": "RDAM-CENTRAAL", "datum": timezone.localdate().isoformat(), "instantie": "UWV", "onderwerp": "INLOGGEN"}
    first = client.post("/api/v1/aanmeldingen", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/aanmeldingen", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert again.status_code == 200 and again.json()["uuid"] == first.json()["uuid"]
    other = client.post("/api/v1/aanmeldingen", {**body, "onderwerp": "AANVRAGEN"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert other.status_code == 422 and other["Content-Type"].startswith("application/problem+json")
    bad = client.post("/api/v1/aanmeldingen", {**body, "instantie": "NEP", "toestemming": False, "contact": {"naam": "A", "telefoon": "0612345678"}},
                      format="json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert {p["name"] for p in bad.json()["invalid_params"]} >= {"instantie", "toestemming"}
    assert api("medewerker").post("/api/v1/aanmeldingen", body, format="json").status_code == 403
    assert Announcement.objects.count() == 1


@pytest.mark.usefixtures("still_clock")
def test_creating_is_rate_limited_per_account(users, social, api, settings):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "announce": "3/h"}
    client = api("partner")
    body = {"locatie": "RDAM-CENTRAAL", "datum": timezone.localdate().isoformat(), "instantie": "UWV"}
    answers = [client.post("/api/v1/aanmeldingen", body, format="json") for _ in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    # One language: DRF's "Expected available in N seconds." no longer follows the Dutch text; Retry-After says it.
    detail = answers[-1].json()["detail"]
    assert detail.startswith("Te veel nieuwe aanmeldingen") and "Expected" not in detail and int(answers[-1]["Retry-After"]) >= 1


# --- who sends people to us ---------------------------------------------------------------------------------------------
def test_the_figures_are_exact_for_the_library_and_suppressed_for_the_municipality(users, social, client_for):
    for _ in range(3):
        announce(users["partner"])
    today = timezone.localdate()
    own = selectors.by_sender(scope_of(users["coordinator"]), start=today, end=today)
    assert [(r.sender, r.announced) for r in own] == [("SchuldHulpMaatje Rotterdam", 3)]
    outside = selectors.by_sender(scope_of(users["gemeente"]), start=today, end=today)
    assert [(r.sender, r.announced) for r in outside] == [("SchuldHulpMaatje Rotterdam", None)]
    page = client_for("gemeente").get("/aanmeldingen/per-afzender/").content.decode()
    assert "&lt;5" in page and "SchuldHulpMaatje" in page
    assert client_for("coordinator").get("/aanmeldingen/per-afzender/?van=2030-01-01&tot=2020-01-01").status_code == 400


def test_the_demo_has_announcements_for_today_once(users, social):
    from balie.demo.announcements import build_announcements

    assert build_announcements() == 3
    assert build_announcements() == 0
    today = selectors.today_for_desk(scope_of(users["medewerker"]))
    assert len(today) == 3 and {a.sender_name for a in today} == {"SchuldHulpMaatje Rotterdam", "Gemeente Rotterdam"}
    assert sum(a.has_contact for a in today) == 1


@pytest.mark.parametrize("path", ["form", "api"])
def test_every_write_path_redacts_a_bsn_in_the_text(users, social, client_for, api, path):
    bsn = new_bsn()
    text = f"BSN {bsn[:2]} {bsn[2:5]} {bsn[5:]} staat op de brief."
    if path == "form":
        response = client_for("partner").post("/aanmeldingen/nieuw/", {
            "locatie": "RDAM-CENTRAAL", "datum": timezone.localdate().isoformat(), "toelichting": text, "submission_key": "p1"})
        assert response.status_code == 302
    else:
        response = api("gemeente").post("/api/v1/aanmeldingen", {
            "locatie": "RDAM-CENTRAAL", "datum": timezone.localdate().isoformat(), "toelichting": text}, format="json")
        assert response.status_code == 201 and response.json()["afzender"].startswith("Gemeente")
    stored = Announcement.objects.get().description
    assert bsn not in "".join(ch for ch in stored if ch.isdigit())
    assert "staat op de brief" in stored or stored.startswith("[")
