"""The API is strict (issue 12 item 6): review findings M11 and L12, and every error as Dutch problem+json.

M11: the same Idempotency-Key with another body answers 422 and stores nothing, for visits and for referrals.
L12: the committed OpenAPI says what the API does (times as UU:MM, the key's rule, dates that must be dates).
Plus what a fuzzer or a careless client finds next: paging and filter values, bodies that are too big, too deep or
not JSON, DRF's untranslated English messages, unexpected errors and a database that is briefly away.
"""

from __future__ import annotations

import io
import json
import re
import uuid as uuidlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from balie.api.problems import TITLES
from balie.core.idempotency import valid_key
from balie.courses.models import Course
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.demo.public import add_demo_schedule
from balie.desk import services as desk_services
from balie.desk.models import Question, Visit
from balie.network.models import Location
from balie.referrals import services as referral_services
from balie.referrals.models import Kind, Referral

ROOT = Path(__file__).resolve().parent.parent
URL = "/api/v1/registraties"
REFERRALS = "/api/v1/verwijzingen"
PROBLEM = "application/problem+json"
QUESTION = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
# Words from DRF's and Python's English messages; none may reach a client.
ENGLISH = re.compile(r"\b(Must|Invalid|Ensure|Expected|valid|parse error|Failed|Not a|This field|Expecting|character)\b")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False  # the name model takes seconds to load; not needed here
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
def social(network):
    partners = build_social_map()
    build_courses()
    return partners


def assert_dutch_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()[:800]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] == TITLES[status]
    texts = [body["detail"]] + [p["reason"] for p in body.get("invalid_params", [])]
    for text in texts:
        assert text and not ENGLISH.search(text), f"niet-Nederlandse tekst in de foutmelding: {text!r}"
    return body


def names(response: Any) -> set[str]:
    return {p["name"] for p in assert_dutch_problem(response, 400)["invalid_params"]}


def post(client: APIClient, body: Any, key: str | None = None, url: str = URL) -> Any:
    return client.post(url, body, format="json", **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))


# --- M11: same key, other body -------------------------------------------------------------------------------


FIRST_VISIT = {"locatie": "RDAM-CENTRAAL", "datum": "2026-11-02", "tijd": "10:15", **QUESTION}


@pytest.mark.parametrize(
    "other",
    [
        {**FIRST_VISIT, "locatie": "RDAM-ZUIDPLEIN"},  # the review's reproduction: other location and codes
        {**FIRST_VISIT, "locatie": "RDAM-ZUIDPLEIN", "instantie": "UWV", "onderwerp": "AANVRAGEN"},
        {**FIRST_VISIT, "uitkomst": "DEELS"},
        {**FIRST_VISIT, "datum": "2026-11-03"},
        {**FIRST_VISIT, "tijd": "10:16"},
        {**FIRST_VISIT, "kanaal": "TELEFOON"},
        {**FIRST_VISIT, "notitie": "tweede poging"},
        {**FIRST_VISIT, "duur_minuten": 5},
        {"locatie": "RDAM-CENTRAAL", "datum": "2026-11-02", "tijd": "10:15", "vragen": [QUESTION, QUESTION]},
    ],
)
def test_a_visit_key_reused_with_another_body_is_422_and_stores_nothing(api, other):
    client = api("medewerker")
    first = post(client, FIRST_VISIT, key="m11-visit")
    assert first.status_code == 201
    before = list(Question.objects.values_list("uuid", "location__code", "uitkomst", "started_at", "note"))

    body = assert_dutch_problem(post(client, other, key="m11-visit"), 422)
    assert "Idempotency-Key" in body["detail"] and "andere gegevens" in body["detail"]
    assert first.json()["uuid"] not in json.dumps(body)  # the first visit is not revealed
    assert list(Question.objects.values_list("uuid", "location__code", "uitkomst", "started_at", "note")) == before
    assert Visit.objects.count() == 1

    # The conflict changed nothing: the first body still gets its visit back, and a new key makes a new one.
    again = post(client, FIRST_VISIT, key="m11-visit")
    assert (again.status_code, again.json()["uuid"]) == (200, first.json()["uuid"])
    assert post(client, other, key="m11-visit-2").status_code == 201


def test_a_visit_key_with_the_same_meaning_is_a_repeat(api):
    # The fingerprint is taken after reading: a location code in other letters is the same visit, not a conflict.
    client = api("medewerker")
    first = post(client, FIRST_VISIT, key="same-meaning")
    again = post(client, {**FIRST_VISIT, "locatie": "rdam-centraal"}, key="same-meaning")
    assert (first.status_code, again.status_code, again.json()["uuid"]) == (201, 200, first.json()["uuid"])


def new_question(user: Any, code: str = "RDAM-CENTRAAL") -> Question:
    visit, _ = desk_services.visit_register(user=user, location=Location.objects.get(code=code),
                                            questions=[{"instantie": "CJIB", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


def test_a_referral_key_reused_with_another_body_is_422_and_stores_nothing(api, users, social):
    client = api("medewerker")
    question, other_question = new_question(users["medewerker"]), new_question(users["medewerker"])
    shm = social["SchuldHulpMaatje Rotterdam"].services.first()
    loket = social["Het Juridisch Loket"].services.first()
    first_body = {"registratie": str(question.uuid), "dienst": str(shm.uuid), "soort": "per_email", "toestemming": True,
                  "contact": {"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"}}
    first = post(client, first_body, key="m11-ref", url=REFERRALS)
    assert first.status_code == 201
    others = [
        {**first_body, "soort": "samen_gebeld"},  # the review's reproduction: another kind under the same key
        {**first_body, "dienst": str(loket.uuid)},
        {**first_body, "registratie": str(other_question.uuid)},
        {**first_body, "contact": {"naam": "Jantine Voorbeeldig", "telefoon": "06 49999999"}},
        {**first_body, "contact": {"naam": "Iemand Anders", "telefoon": "06 41234567"}},
        {"registratie": str(question.uuid), "dienst": str(shm.uuid), "soort": "informatie"},
    ]
    for other in others:
        body = assert_dutch_problem(post(client, other, key="m11-ref", url=REFERRALS), 422)
        assert first.json()["uuid"] not in json.dumps(body)
    stored = Referral.objects.get()
    assert (stored.kind, stored.service_id, stored.question_id) == (Kind.PER_EMAIL, shm.pk, question.pk)
    again = post(client, first_body, key="m11-ref", url=REFERRALS)
    assert (again.status_code, again.json()["uuid"]) == (200, first.json()["uuid"])
    assert Referral.objects.count() == 1


# --- L12: the document says what the API does -------------------------------------------------------------------


def document() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_public_times_are_documented_as_they_are_sent(network, users):
    add_demo_schedule()
    schema = document()
    # Balie sends clock times as "10:00"; OpenAPI's format: time would promise RFC 3339 "10:00:00+01:00".
    assert not [node for node in walk(schema) if node.get("format") == "time"]
    slot = schema["components"]["schemas"]["VastTijdvak"]["properties"]["begin"]
    pattern = re.compile(slot["pattern"])
    data = Client().get("/api/v1/public/locaties").json()
    times = [t[k] for loc in data for t in loc["vaste_tijden"] + loc["bijeenkomsten"] for k in ("begin", "eind")]
    assert len(times) > 10 and all(pattern.fullmatch(t) for t in times), times


KEYS = ["3f1e6a52-9c4b-4d1e-8f2a-6b7c8d9e0f11", "a", "x" * 64, "x" * 65, "", "met spatie", "sleutel-é", "tab\there", "regel\n", "~!{}[]"]


@pytest.mark.parametrize("key", KEYS)
def test_the_idempotency_key_rule_in_the_document_is_the_servers_rule(api, key):
    schema = document()
    for path in (URL, REFERRALS):
        [parameter] = [p for p in schema["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
        assert parameter["schema"]["maxLength"] == 64 and parameter["schema"]["minLength"] == 1
    documented = re.fullmatch(parameter["schema"]["pattern"].strip("^$"), key) is not None
    assert valid_key(key) == documented
    response = api("medewerker").post(URL, {"locatie": "RDAM-CENTRAAL", **QUESTION}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    if documented:
        assert response.status_code == 201
    else:
        assert names(response) == {"Idempotency-Key"}
        assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["van=", "tot=", "van=&tot=", "van=2024-W10-1", "van=%202024-03-01", "tot=2024-03-01%20", "van=20240301", "tot=2024-3-1",
     "van=%D9%A2%D9%A0%D9%A2%D9%A4-01-01"],
)
def test_a_date_filter_must_be_a_date(api, query):
    # Declared `format: date`: an empty or half date is refused, not read as 'no filter' (review L12, ?van=).
    assert names(api("medewerker").get(f"{URL}?{query}")) == {query.split("=")[0]} | ({"tot"} if "&tot" in query else set())


def test_a_valid_date_filter_still_works(api):
    assert api("medewerker").get(f"{URL}?van=2024-03-01&tot=2024-03-31").status_code == 200


@pytest.mark.parametrize("path", [URL, "/api/v1/partners", "/api/v1/cursussen", REFERRALS])
@pytest.mark.parametrize(
    ("query", "bad"),
    [("limit=0", {"limit"}), ("limit=1001", {"limit"}), ("limit=abc", {"limit"}), ("limit=", {"limit"}), ("limit=-1", {"limit"}),
     ("offset=-1", {"offset"}), ("offset=1.5", {"offset"}), ("offset=99999999999999999999", {"offset"}),
     ("limit=99999999999999999999&offset=x", {"limit", "offset"})],
)
def test_paging_values_are_checked_like_filters(api, social, path, query, bad):
    # Before: DRF silently used its defaults, so limit=5000 gave 1000 rows and limit=abc 100.
    assert names(api("medewerker").get(f"{path}?{query}")) == bad


@pytest.mark.parametrize("query", ["limit=1", "limit=1000", "offset=0", "limit=1&offset=1000000000"])
def test_paging_within_the_documented_bounds(api, social, query):
    assert api("medewerker").get(f"{URL}?{query}").status_code == 200


def test_the_referral_status_filter_is_strict(api, social):
    client = api("medewerker")
    assert client.get(f"{REFERRALS}?status=verstuurd").status_code == 200
    for value in ("onzin", "", "VERSTUURD"):
        assert names(client.get(f"{REFERRALS}?status={value}")) == {"status"}


def test_a_new_registration_has_no_read_only_fields(api):
    # Only a correction may carry the fields of a GET back; in a new registration they are unknown, as documented.
    assert names(post(api("medewerker"), {"locatie": "RDAM-CENTRAAL", **QUESTION, "uuid": str(uuidlib.uuid4())})) == {"uuid"}
    schema = document()["components"]["schemas"]
    for name in ("EnkeleVraagInvoerRequest", "BezoekInvoerRequest", "VraagInvoerRequest", "RegistratieWijzigingRequest"):
        assert schema[name]["additionalProperties"] is False
    assert "uuid" in schema["RegistratieWijzigingRequest"]["properties"]
    assert "uuid" not in schema["EnkeleVraagInvoerRequest"]["properties"]


# --- bodies the parser refuses -------------------------------------------------------------------------------------


def raw_post(client: APIClient, data: bytes | str, url: str = URL, method: str = "post") -> Any:
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ("[" * 50_000 + "]" * 50_000, "genest"),  # was a RecursionError: 500
        ('{"locatie": "RDAM-CENTRAAL",}', "regel 1"),
        ("{niet json", "kolom"),
        ('{"duur_minuten": NaN}', "NaN"),
        ('{"duur_minuten": Infinity}', "Infinity"),
        ('{"duur_minuten": 1' + "0" * 5000 + "}", "te lang"),
        (b'{"notitie": "\xff\xfe"}', "UTF-8"),
    ],
)
def test_a_body_that_is_not_json_is_a_dutch_400(api, social, users, data, word):
    client = api("medewerker")
    question = new_question(users["medewerker"])
    for url, method in ((URL, "post"), (REFERRALS, "post"), (f"{URL}/{question.uuid}", "patch")):
        body = assert_dutch_problem(raw_post(client, data, url, method), 400)
        assert word in body["detail"], body
    assert Visit.objects.count() == 1 and not Referral.objects.exists()


def test_a_body_over_1_mb_is_413_before_it_is_read(api):
    client = api("medewerker")
    big = json.dumps({"locatie": "RDAM-CENTRAAL", **QUESTION, "notitie": "x" * 1_100_000})
    assert "1 MB" in assert_dutch_problem(raw_post(client, big), 413)["detail"]
    # Just under the limit the body is read, and the note is refused by the ordinary rules.
    fits = json.dumps({"locatie": "RDAM-CENTRAAL", **QUESTION, "notitie": "x" * 999_000})
    assert names(raw_post(client, fits)) == {"notitie"}
    assert not Visit.objects.exists()


# --- every error: Dutch problem+json ----------------------------------------------------------------------------


def test_every_kind_of_error_is_dutch_problem_json(api, users, social):
    client = api("medewerker")
    question = new_question(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(users["medewerker"])
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token onzin")
    referral = post(client, {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "informatie"}, url=REFERRALS)
    cases = [
        (APIClient().get(URL), 401),
        (bad_token.get(URL), 401),
        (api("gemeente").get(URL), 403),
        (session.post(URL, {}, format="json"), 403),  # DRF's own "CSRF Failed: ..." was English
        (client.get("/api/v1/bestaat-niet"), 404),
        (client.get(f"{URL}/{uuidlib.uuid4()}"), 404),
        (client.delete("/api/v1/codelijsten"), 405),
        (client.get(URL, HTTP_ACCEPT="text/html"), 406),
        (client.post(URL, "a=1", content_type="application/x-www-form-urlencoded"), 415),
        (client.post(f"{REFERRALS}/{referral.json()['uuid']}/status", {"status": "geholpen"}, format="json"), 409),
    ]
    for response, status in cases:
        assert_dutch_problem(response, status)
    # DRF's untranslated field messages (UUID, boolean, string, nested object) come out in Dutch too.
    wrong_types = post(client, {"registratie": "geen-uuid", "dienst": ["x"], "soort": "per_email", "toestemming": "misschien",
                                "contact": {"naam": ["lijst"]}}, url=REFERRALS)
    assert names(wrong_types) == {"registratie", "dienst", "toestemming", "contact.naam"}
    assert names(post(client, {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "per_email",
                               "toestemming": True, "contact": "tekst"}, url=REFERRALS)) == {"contact.non_field_errors"}


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "de", "fr-BE, nl;q=0.1"])
def test_the_api_answers_in_dutch_whatever_the_client_asks(api, users, social, accept):
    # One language for every part of an answer (ADR 0004): before, Accept-Language en gave Dutch titles with DRF's English
    # field messages and an English JSON error.
    client = api("medewerker")
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE=accept)
    missing = assert_dutch_problem(client.post(URL, {"locatie": "RDAM-CENTRAAL"}, format="json"), 400)
    assert missing["invalid_params"] and all(not ENGLISH.search(p["reason"]) for p in missing["invalid_params"]), missing
    assert_dutch_problem(raw_post(client, '{"notitie": '), 400)
    wrong = assert_dutch_problem(client.post(REFERRALS, {"registratie": "geen-uuid"}, format="json"), 400)
    assert not any(ENGLISH.search(p["reason"]) for p in wrong["invalid_params"]), wrong
    response = client.get("/api/v1/codelijsten")
    assert response.status_code == 200 and response["Content-Language"] == "nl"
    assert not Visit.objects.exists()


def test_the_websites_own_session_call_keeps_the_users_language(users):
    # The offline desk posts with the session and shows the reasons of a refused visit: in the language the staff member
    # chose for Balie, as every page (a token client gets Dutch, above).
    user = users["medewerker"]
    user.language = "en"
    user.save(update_fields=["language"])
    session = APIClient()
    session.force_login(user)
    english = session.post(URL, {"locatie": "RDAM-CENTRAAL"}, format="json")
    assert english.status_code == 400 and english["Content-Language"] == "en"
    user.language = "nl"
    user.save(update_fields=["language"])
    dutch = session.post(URL, {"locatie": "RDAM-CENTRAAL"}, format="json")
    assert dutch.status_code == 400 and dutch["Content-Language"] == "nl"
    reasons = [sorted(p["reason"] for p in r.json()["invalid_params"]) for r in (english, dutch)]
    assert reasons[0] != reasons[1], reasons
    assert not Visit.objects.exists()


def test_an_unexpected_error_is_problem_json_without_details_and_logged(api, monkeypatch, caplog):
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("geheime interne details")

    monkeypatch.setattr("balie.api.registraties.services.visit_register", broken)
    client = api("medewerker")
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="django.request"):
        response = post(client, {"locatie": "RDAM-CENTRAAL", **QUESTION})
    body = assert_dutch_problem(response, 500)
    assert "geheime" not in response.content.decode() and "Traceback" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert record.exc_info and "geheime interne details" in str(record.exc_info[1])  # the log keeps the cause
    assert "opnieuw" in body["detail"]


def test_a_database_outage_is_503_with_retry_after(api, monkeypatch):
    # Review section 7: requests in flight during a PostgreSQL restart got a bare 500; a retry with the same key succeeds.
    def down(**kwargs: Any) -> Any:
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("balie.api.registraties.services.visit_register", down)
    response = post(api("medewerker"), {"locatie": "RDAM-CENTRAAL", **QUESTION}, key="retry-me")
    body = assert_dutch_problem(response, 503)
    assert response["Retry-After"] == "2" and "Idempotency-Key" in body["detail"]


# --- 404 for other organisations' objects ---------------------------------------------------------------------------


def test_other_organisations_objects_are_404_like_objects_that_do_not_exist(api, users, social):
    gouda_question = new_question(users["medewerker-gouda"], code="GOUDA-CHOCOLADEFABRIEK")
    gouda_partner = social["SchuldHulpMaatje Gouda"]
    gouda_referral, _ = referral_services.referral_create(
        user=users["medewerker-gouda"], question=gouda_question, partner=gouda_partner, service=gouda_partner.services.first(),
        kind=Kind.INFORMATIE, notify=False)
    gouda_course = Course.objects.filter(organisation__code="BIB-GOUDA").first()
    rdam_question = new_question(users["medewerker"])
    loket = social["Het Juridisch Loket"]
    other_partners_referral, _ = referral_services.referral_create(
        user=users["medewerker"], question=rdam_question, partner=loket, service=loket.services.first(), kind=Kind.SAMEN_GEBELD,
        notify=False)
    requests = [
        ("medewerker", "get", f"{URL}/{{}}", gouda_question.uuid),
        ("medewerker", "put", f"{URL}/{{}}", gouda_question.uuid),
        ("medewerker", "patch", f"{URL}/{{}}", gouda_question.uuid),
        ("medewerker", "delete", f"{URL}/{{}}", gouda_question.uuid),
        ("coordinator", "get", f"{REFERRALS}/{{}}", gouda_referral.uuid),
        ("coordinator", "post", f"{REFERRALS}/{{}}/status", gouda_referral.uuid),
        ("coordinator", "get", "/api/v1/cursussen/{}", gouda_course.uuid),
        ("coordinator", "get", "/api/v1/partners/{}", gouda_partner.uuid),
        ("partner", "get", f"{REFERRALS}/{{}}", other_partners_referral.uuid),
        ("partner", "post", f"{REFERRALS}/{{}}/status", other_partners_referral.uuid),
    ]
    for username, method, template, key in requests:
        client = api(username)
        body = {"status": "teruggetrokken"} if template.endswith("status") else {**QUESTION}
        theirs = getattr(client, method)(template.format(key), body, format="json")
        nobodys = getattr(client, method)(template.format(uuidlib.uuid4()), body, format="json")
        assert_dutch_problem(theirs, 404)
        # Same answer as for an object that does not exist: no way to learn that it does.
        assert theirs.json()["detail"] == assert_dutch_problem(nobodys, 404)["detail"], (username, method, template)
    assert_dutch_problem(api("medewerker").get("/api/v1/locaties/GOUDA-CHOCOLADEFABRIEK"), 404)
    assert Question.objects.filter(uuid=gouda_question.uuid, uitkomst="DOORVERWEZEN").exists()
    assert Referral.objects.get(uuid=gouda_referral.uuid).status == gouda_referral.status


# --- maxLength is about the text as sent (schemathesis: a leading non-breaking space made 301 characters pass) ------


@pytest.mark.parametrize("padding", ["\u00a0", " ", "\t", "\u2003"])
def test_a_text_over_its_documented_length_is_refused_before_spaces_are_trimmed(api, users, social, padding):
    client = api("coordinator")
    question = new_question(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    made = post(client, {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "per_email", "toestemming": True,
                         "contact": {"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"}}, url=REFERRALS)
    assert made.status_code == 201, made.content
    status_url = f"{REFERRALS}/{made.json()['uuid']}/status"
    too_long = {"status": "teruggetrokken", "reden": "niet_de_juiste_plek", "toelichting": padding + "*" * 300}
    assert_dutch_problem(post(client, too_long, url=status_url), 400)
    assert Referral.objects.get().status != "teruggetrokken"
    fits = {**too_long, "toelichting": padding + "*" * 299}
    assert post(client, fits, url=status_url).status_code == 200
    # The visit's note and an announcement's text follow the same rule.
    note = {**FIRST_VISIT, "notitie": padding + "x" * 2000}
    assert post(client, note, key=f"len-{ord(padding)}").status_code in (400, 422)
