"""The offline desk's server side (issue 16): the page, its service worker, the session check, and the API rules the
page relies on (session + CSRF, Idempotency-Key, the moment kept, the back-dating limits, a closed location)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from balie.desk import services
from balie.desk.models import Question, Visit
from balie.network.models import Location

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1/registraties"


@pytest.fixture(autouse=True)
def _no_name_model(settings):
    settings.BALIE_PII_NAMES = False


def csrf_client(user) -> tuple[Client, str]:
    """A browser-like client: session cookie, CSRF enforced, the token taken from sessie.json as the page does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.get("/balie/offline/sessie.json")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    return client, response.json()["csrf"]


def body_at(moment: dt.datetime, **extra) -> dict:
    local = timezone.localtime(moment)
    return {"locatie": "RDAM-CENTRAAL", "datum": local.date().isoformat(), "tijd": local.strftime("%H:%M:%S"),
            "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", **extra}


def post(client: Client, token: str, body: dict, key: str):
    return client.post(API, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token, HTTP_IDEMPOTENCY_KEY=key)


def test_it_embeds_in_the_page_what_works_offline_and_no_visitor_data(users, client_for):
    services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                            questions=[{"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "DEELS",
                                        "notitie": "Zoon helpt thuis met de brief van het UWV"}])
    response = client_for("medewerker").get("/balie/offline/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    data = json.loads(re.search(r'<script id="offline-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert {code for code, _ in data["lists"]["instantie"]} >= {"DIGID", "UWV", "GEMEENTE"}
    assert {loc["code"] for loc in data["locations"]} == set(Location.objects.filter(organisation__code=users["medewerker"].organisation.code, active=True).values_list("code", flat=True))
    assert data["api"] == API and data["timezone"] == "Europe/Amsterdam"
    # The page is kept on the device: not the notes, not today's registrations.
    assert "Zoon helpt thuis" not in html


def test_it_serves_the_service_worker_for_the_offline_scope_only(client):
    response = client.get("/balie/offline/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/balie/offline/"
    text = response.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", text).group(1))
    assert config["page"] == "/balie/offline/"
    for asset in config["assets"]:  # every file it keeps exists
        assert Client().get(asset).status_code == 200, asset
    assert "&quot;" not in text and "<script" not in text


def test_it_says_when_the_session_has_ended(client):
    response = client.get("/balie/offline/sessie.json")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_it_sends_each_visit_once_with_its_moment_through_the_session_api(users):
    """What offline.js does: the same key and body again (a lost answer, a reload, a second tab) gives the same visit."""
    rng = random.Random(16)
    client, token = csrf_client(users["medewerker"])
    now = timezone.now()
    moments = sorted(now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 5), seconds=rng.randint(0, 59)) for _ in range(5))
    keys = [str(uuid.uuid4()) for _ in moments]
    for _round in range(3):
        for moment, key in zip(moments, keys):
            response = post(client, token, body_at(moment), key)
            assert response.status_code == (201 if _round == 0 else 200), response.content
    visits = list(Visit.objects.order_by("started_at"))
    assert [v.started_at for v in visits] == [m.replace(microsecond=0) for m in moments]
    assert all(v.afterwards for v in visits), "registered later than made: marked as registered afterwards"


def test_it_refuses_without_the_csrf_token(users):
    client, _token = csrf_client(users["medewerker"])
    response = post(client, "wrong", body_at(timezone.now()), str(uuid.uuid4()))
    assert response.status_code == 403 and Visit.objects.count() == 0


def test_it_keeps_to_the_back_dating_rules(users):
    client, token = csrf_client(users["medewerker"])
    future = timezone.now() + dt.timedelta(minutes=30)
    response = post(client, token, body_at(future), str(uuid.uuid4()))
    assert response.status_code == 400 and "toekomst" in response.content.decode()
    clock_skew = timezone.now() + dt.timedelta(minutes=5)  # a tablet a few minutes ahead is not refused
    assert post(client, token, body_at(clock_skew), str(uuid.uuid4())).status_code == 201
    too_old = dt.datetime(2018, 12, 31, 12, tzinfo=dt.UTC)
    assert post(client, token, body_at(too_old), str(uuid.uuid4())).status_code == 400
    assert Visit.objects.count() == 1


def test_it_refuses_a_closed_location_with_a_clear_message_and_saves_nothing(users):
    client, token = csrf_client(users["medewerker"])
    Location.objects.filter(code="RDAM-CENTRAAL").update(active=False)
    response = post(client, token, body_at(timezone.now(), notitie="bel 06-12345678"), str(uuid.uuid4()))
    assert response.status_code == 400
    reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert "gesloten" in reasons["locatie"] and "RDAM-CENTRAAL" in reasons["locatie"]
    assert Visit.objects.count() == 0 and Question.objects.count() == 0


def test_it_clears_the_browser_storage_on_logout(client_for):
    response = client_for("medewerker").post("/uitloggen/")
    assert response.status_code in (200, 302)
    assert '"storage"' in response["Clear-Site-Data"]


def test_the_browser_check_uses_the_tables_of_the_python_libraries():
    generated = json.loads(subprocess.run([sys.executable, str(ROOT / "scripts" / "offline_pii_tables.py")],
                                          capture_output=True, text=True, check=True).stdout)
    source = (ROOT / "balie" / "static" / "balie" / "pii.js").read_text()
    embedded = json.loads(re.search(r"var TABLES = (\{.*?\});\n", source).group(1))
    assert embedded == generated, "run scripts/offline_pii_tables.py and paste its output over TABLES in pii.js"


def test_it_refuses_a_code_that_left_the_code_list_while_offline_per_visit(users):
    """A local code offered by the cached page, switched off meanwhile: that visit is refused, the others go through."""
    from balie.network.models import LocalCode

    client, token = csrf_client(users["medewerker"])
    org = users["medewerker"].organisation
    LocalCode.objects.create(organisation=org, list="instantie", code="WONEN_OFFLINETEST", label="Wooncorporatie test", national_code="WONEN")
    now = timezone.now()
    first = body_at(now - dt.timedelta(minutes=40), instantie="WONEN_OFFLINETEST")
    assert post(client, token, first, str(uuid.uuid4())).status_code == 201
    LocalCode.objects.filter(code="WONEN_OFFLINETEST").update(active=False)
    refused = post(client, token, body_at(now - dt.timedelta(minutes=20), instantie="WONEN_OFFLINETEST"), str(uuid.uuid4()))
    assert refused.status_code == 400
    reasons = {p["name"]: p["reason"] for p in refused.json()["invalid_params"]}
    assert "WONEN_OFFLINETEST" in reasons["instantie"]
    assert post(client, token, body_at(now - dt.timedelta(minutes=10)), str(uuid.uuid4())).status_code == 201
    assert Visit.objects.count() == 2
