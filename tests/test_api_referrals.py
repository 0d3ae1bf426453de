"""API v1: partners (HSDS-shaped), verwijzingen (create, read, status), cursussen; tokens, problem+json, scoping."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from balie.core.models import AuditEvent
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location
from balie.referrals.models import Referral

NAME = "Jantine Voorbeeldig"


@pytest.fixture
def api(users):
    def make(username: str) -> APIClient:
        out = io.StringIO()
        call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
        return client

    return make


@pytest.fixture
def social(network, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partners = build_social_map()
    build_courses()
    return partners


def new_question(user):
    visit, _ = desk_services.visit_register(user=user, location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "CJIB", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


def create(client, question, service, key=None):
    body = {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "per_email", "toestemming": True,
            "contact": {"naam": NAME, "telefoon": "06 41234567"}}
    return client.post("/api/v1/verwijzingen", body, format="json", **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))


def test_it_lists_the_social_map_in_hsds_shape(api, social):
    response = api("medewerker").get("/api/v1/partners")
    assert response.status_code == 200
    names = [p["name"] for p in response.json()["results"]]
    assert "SchuldHulpMaatje Rotterdam" in names and "CAK" in names and "SchuldHulpMaatje Gouda" not in names
    shm = next(p for p in response.json()["results"] if p["name"] == "SchuldHulpMaatje Rotterdam")
    service = shm["services"][0]
    assert service["phones"] == [{"number": "010 789 4560", "type": "voice", "description": "Warme lijn"}]
    assert {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "16:00", "attending_type": "phone"} in service["schedules"]
    assert service["service_areas"] == [{"name": "Rotterdam", "extent": "GM0599", "extent_type": "text"}]
    assert "BETALEN" in service["balie_onderwerpen"]
    gouda = social["SchuldHulpMaatje Gouda"]
    assert api("medewerker").get(f"/api/v1/partners/{gouda.uuid}").status_code == 404
    assert api("medewerker-gouda").get(f"/api/v1/partners/{gouda.uuid}").status_code == 200
    forbidden = api("gemeente").get("/api/v1/partners")
    assert forbidden.status_code == 403 and forbidden["Content-Type"] == "application/problem+json"
    assert APIClient().get("/api/v1/partners").status_code == 401


def test_it_creates_a_referral_once_per_idempotency_key_without_contact_data_in_the_answer(api, users, social, django_capture_on_commit_callbacks):
    client = api("medewerker")
    question = new_question(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    with django_capture_on_commit_callbacks(execute=True):
        first = create(client, question, service, key="abc-1")
        again = create(client, question, service, key="abc-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["uuid"] == again.json()["uuid"] and Referral.objects.count() == 1
    body = first.json()
    assert body["status"] == "verstuurd" and body["toestemming"] is True and body["contactgegevens"] is None
    assert NAME not in json.dumps(body) and "41234567" not in json.dumps(body)
    assert body["historie"][0]["naar"] == "verstuurd" and body["historie"][0]["via"] == "api"
    # The referring library reads it back, still without contact data.
    read = client.get(f"/api/v1/verwijzingen/{body['uuid']}").json()
    assert read["contactgegevens"] is None and NAME not in json.dumps(read)
    assert NAME not in json.dumps(api("collega").get("/api/v1/verwijzingen").json())


def test_it_lists_every_invalid_field_as_problem_json(api, users, social):
    client = api("medewerker")
    question = new_question(users["medewerker"])
    gouda_service = social["SchuldHulpMaatje Gouda"].services.first()
    bad = client.post("/api/v1/verwijzingen", {"registratie": str(question.uuid), "dienst": str(gouda_service.uuid), "soort": "vaag"}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in bad.json()["invalid_params"]} == {"soort"}
    bad = client.post("/api/v1/verwijzingen", {"registratie": str(question.uuid), "dienst": str(gouda_service.uuid), "soort": "per_email"}, format="json")
    assert {p["name"] for p in bad.json()["invalid_params"]} == {"dienst"}
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    no_consent = client.post("/api/v1/verwijzingen", {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "per_email",
                                                      "toestemming": False, "contact": {"naam": NAME}}, format="json")
    assert no_consent.status_code == 400 and no_consent.json()["invalid_params"][0]["name"] == "toestemming"
    outsider = api("medewerker-gouda").post("/api/v1/verwijzingen", {"registratie": str(question.uuid), "dienst": str(service.uuid),
                                                                      "soort": "per_email"}, format="json")
    assert outsider.status_code == 400 and {p["name"] for p in outsider.json()["invalid_params"]} == {"registratie", "dienst"}
    assert Referral.objects.count() == 0


def test_it_gives_the_partner_its_own_referrals_with_audit_logged_contact_data_and_refuses_illegal_moves(api, users, social):
    question = new_question(users["medewerker"])
    mine = create(api("medewerker"), question, social["SchuldHulpMaatje Rotterdam"].services.first()).json()
    other = create(api("medewerker"), question, social["Het Juridisch Loket"].services.first()).json()
    partner = api("partner")
    listing = partner.get("/api/v1/verwijzingen").json()
    assert [r["uuid"] for r in listing["results"]] == [mine["uuid"]]
    assert listing["results"][0]["contactgegevens"]["naam"] == NAME
    assert partner.get(f"/api/v1/verwijzingen/{other['uuid']}").status_code == 404
    assert partner.post(f"/api/v1/verwijzingen/{other['uuid']}/status", {"status": "geholpen"}, format="json").status_code == 404
    reads = AuditEvent.objects.filter(event="referral_contact_read", user=users["partner"], personal_data=True, extra__via="api")
    assert reads.count() == 1
    ok = partner.post(f"/api/v1/verwijzingen/{mine['uuid']}/status", {"status": "geholpen"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "geholpen"
    conflict = partner.post(f"/api/v1/verwijzingen/{mine['uuid']}/status", {"status": "ontvangen"}, format="json")
    assert conflict.status_code == 409 and conflict["Content-Type"] == "application/problem+json"
    withdraw = partner.post(f"/api/v1/verwijzingen/{other['uuid']}/status", {"status": "teruggetrokken"}, format="json")
    assert withdraw.status_code == 404
    library = api("medewerker").post(f"/api/v1/verwijzingen/{other['uuid']}/status", {"status": "geholpen"}, format="json")
    assert library.status_code == 409
    assert api("medewerker").post(f"/api/v1/verwijzingen/{other['uuid']}/status", {"status": "teruggetrokken"}, format="json").status_code == 200
    assert partner.post("/api/v1/verwijzingen", {}, format="json").status_code == 403
    assert api("gemeente").get("/api/v1/verwijzingen").status_code == 403


def test_it_lists_courses_of_the_own_organisation_without_personal_data(api, users, social):
    response = api("medewerker").get("/api/v1/cursussen")
    assert response.status_code == 200
    titles = [c["titel"] for c in response.json()["results"]]
    assert "Taalcafé Feijenoord" in titles and "Digisterker Gouda" not in titles
    course = response.json()["results"][0]
    assert set(course) >= {"plaatsen", "ingeschreven", "wachtlijst", "taalniveau", "kosten", "locatie"}
    gouda_uuid = next(c["uuid"] for c in api("medewerker-gouda").get("/api/v1/cursussen").json()["results"])
    assert api("medewerker").get(f"/api/v1/cursussen/{gouda_uuid}").status_code == 404
    assert api("partner").get("/api/v1/cursussen").status_code == 403
