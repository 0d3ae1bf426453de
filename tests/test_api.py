"""The public REST API v1: registrations, code lists, locations, errors as problem+json."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from balie.core import idempotency
from balie.core.models import AuditEvent, Code, CodeListVersion
from balie.desk.models import Question, Visit

pytestmark = pytest.mark.django_db

URL = "/api/v1/registraties"
PROBLEM = "application/problem+json"
BSN = "111222333"
IBAN = "NL91ABNA0417164300"


@pytest.fixture(autouse=True)
def _no_name_model(settings):
    # The deduce name model takes seconds to load; BSN/IBAN detection does not need it.
    settings.BALIE_PII_NAMES = False


def make_token(username: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.fixture
def api(users):
    """api("medewerker") -> an APIClient that sends a real token of that user."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(username)}")
        return client

    return make


def question(**overrides: Any) -> dict[str, Any]:
    return {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", **overrides}


def register(client: APIClient, body: dict[str, Any] | None = None, *, key: str | None = None) -> Any:
    body = body if body is not None else {"locatie": "RDAM-CENTRAAL", **question()}
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **extra)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()[:1000]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    return body


def invalid_names(response: Any) -> set[str]:
    return {p["name"] for p in assert_problem(response, 400)["invalid_params"]}


# --- create --------------------------------------------------------------------------------------


def test_it_registers_a_visit_and_returns_201(api):
    response = register(api("medewerker"), {
        "locatie": "rdam-centraal", "datum": "2024-05-14", "tijd": "14:30", "kanaal": "TELEFOON",
        **question(behoefteprofielen=["WEGWIJS", "STEUN"], duur_minuten=15, taal="NL"),
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["locatie"], body["datum"], body["tijd"], body["kanaal"]) == ("RDAM-CENTRAAL", "2024-05-14", "14:30", "TELEFOON")
    [reg] = body["registraties"]
    assert reg["bezoek"] == body["uuid"]
    assert (reg["instantie"], reg["vraagsoort"], reg["behoefteprofielen"], reg["duur_minuten"]) == ("DIGID", "OVERHEID", ["WEGWIJS", "STEUN"], 15)
    assert reg["complexiteit"] is None and reg["notitie"] is None and reg["codelijstversie"] == 1
    visit = Visit.objects.get(uuid=body["uuid"])
    assert (visit.source, visit.organisation.code, visit.questions.get().uuid.hex) == ("api", "BIB-RDAM", reg["uuid"].replace("-", ""))
    assert AuditEvent.objects.filter(event="visit_registered", object_uuid=body["uuid"]).exists()


def test_it_returns_the_same_visit_with_200_on_an_idempotent_retry(api):
    client = api("medewerker")
    first = register(client, key="3f1c-retry")
    again = register(client, key="3f1c-retry")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["uuid"] == first.json()["uuid"]
    assert Visit.objects.count() == 1 and Question.objects.count() == 1
    # Stored as a keyed hash of the per-user key, never as sent (review M4).
    assert Visit.objects.get().submission_key == idempotency.stored_key(f"api:{Visit.objects.get().created_by_id}:3f1c-retry")
    # Without a key (or with another one) a second POST is a new visit.
    assert register(client, key="other").status_code == 201
    assert Visit.objects.count() == 2


def test_it_scopes_the_idempotency_key_per_user(api):
    register(api("medewerker"), key="same")
    response = register(api("collega"), key="same")
    assert response.status_code == 201
    assert Visit.objects.count() == 2


def test_it_rejects_an_unusable_idempotency_key(api):
    response = register(api("medewerker"), key="x" * 65)
    assert invalid_names(response) == {"Idempotency-Key"}
    assert not Visit.objects.exists()


def test_it_registers_a_visit_with_several_questions_in_order(api):
    response = register(api("medewerker"), {
        "locatie": "RDAM-ZUIDPLEIN",
        "vragen": [question(), question(instantie="BELASTINGDIENST", onderwerp="AANGIFTE", uitkomst="DOORVERWEZEN")],
    })
    assert response.status_code == 201, response.content
    regs = response.json()["registraties"]
    assert [r["instantie"] for r in regs] == ["DIGID", "BELASTINGDIENST"]
    visit = Visit.objects.get()
    assert list(visit.questions.order_by("position").values_list("instantie", "location__code")) == [
        ("DIGID", "RDAM-ZUIDPLEIN"), ("BELASTINGDIENST", "RDAM-ZUIDPLEIN"),
    ]
    assert {r["bezoek"] for r in regs} == {str(visit.uuid)}


def test_it_lists_every_invalid_field_as_problem_json(api):
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = register(api("medewerker"), {
        "locatie": "RDAM-CENTRAAL",
        "datum": future,
        "vragen": [
            question(instantie="GEEN_BESTAANDE_INSTANTIE", duur_minuten=-5),
            question(duur_minuten=600, notitie="x" * 100_000),
            {"instantie": "DIGID", "onderwerp": "INLOGGEN"},
            question(complexiteit="9"),
        ],
    })
    body = assert_problem(response, 400)
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert set(reasons) == {
        "datum", "vragen[1].instantie", "vragen[1].duur_minuten", "vragen[2].duur_minuten",
        "vragen[2].notitie", "vragen[3].uitkomst", "vragen[4].complexiteit",
    }
    assert "toekomst" in reasons["datum"] and "verplicht" in reasons["vragen[3].uitkomst"]
    assert not Visit.objects.exists()


def test_it_rejects_a_date_before_2019(api):
    response = register(api("medewerker"), {"locatie": "RDAM-CENTRAAL", "datum": "2018-12-31", **question()})
    assert invalid_names(response) == {"datum"}


def test_it_reports_type_errors_together_with_the_shared_validation(api):
    # 'tijd' is rejected by the API layer, 'uitkomst' by the shared validation: one response names both.
    response = register(api("medewerker"), {
        "locatie": "RDAM-CENTRAAL", "tijd": "25:99", "kanaal": "POSTDUIF", "uitkomsten": "x", **question(uitkomst="ONBEKEND"),
    })
    assert invalid_names(response) == {"tijd", "uitkomst", "kanaal", "uitkomsten"}


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"locatie": "GOUDA-CHOCOLADEFABRIEK", **question()}, "locatie"),
        ({**question()}, "locatie"),
        ({"locatie": "RDAM-CENTRAAL", "vragen": []}, "vragen"),
        ({"locatie": "RDAM-CENTRAAL", "vragen": [question()], "uitkomst": "OPGELOST"}, "vragen"),
        ({"locatie": "RDAM-CENTRAAL", **question(behoefteprofielen="WEGWIJS")}, "behoefteprofielen"),
        ({"locatie": "RDAM-CENTRAAL", **question(duur_minuten="15")}, "duur_minuten"),
        ({"locatie": "RDAM-CENTRAAL", **question(instantie_lokaal="WONEN_WOONSTAD")}, "instantie_lokaal"),
    ],
)
def test_it_rejects_a_malformed_body_naming_the_field(api, body, name):
    assert name in invalid_names(register(api("medewerker"), body))
    assert not Visit.objects.exists()


def test_it_stores_a_note_with_bsn_and_iban_redacted(api):
    note = f"Mevrouw gaf BSN {BSN} en rekening {IBAN} door bij de toeslagaanvraag."
    response = register(api("medewerker"), {"locatie": "RDAM-CENTRAAL", **question(notitie=note)})
    assert response.status_code == 201, response.content
    row = str(list(Question.objects.values()))
    assert BSN not in row and IBAN not in row
    assert "[BSN]" in row and "[IBAN]" in row
    assert BSN not in response.content.decode() and IBAN not in response.content.decode()
    assert BSN not in str(list(AuditEvent.objects.values()))


def test_it_maps_local_codes_and_keeps_them_on_a_put_round_trip(api):
    client = api("medewerker")
    created = register(client, {"locatie": "RDAM-CENTRAAL", **question(instantie="WONEN_WOONSTAD", onderwerp="CONTACT")})
    reg = created.json()["registraties"][0]
    assert (reg["instantie"], reg["instantie_lokaal"]) == ("WONEN", "WONEN_WOONSTAD")
    # A client may send a fetched registration back unchanged, read-only fields included.
    fetched = client.get(f"{URL}/{reg['uuid']}").json()
    response = client.put(f"{URL}/{reg['uuid']}", {**fetched, "uitkomst": "DEELS"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["instantie"], response.json()["instantie_lokaal"], response.json()["uitkomst"]) == ("WONEN", "WONEN_WOONSTAD", "DEELS")
    mismatch = client.patch(f"{URL}/{reg['uuid']}", {"instantie": "DIGID", "instantie_lokaal": "WONEN_WOONSTAD"}, format="json")
    assert invalid_names(mismatch) == {"instantie_lokaal"}


# --- list ----------------------------------------------------------------------------------------


@pytest.fixture
def registrations(api):
    rdam = api("medewerker")
    for body in (
        {"locatie": "RDAM-CENTRAAL", "datum": "2024-03-01", "kanaal": "INLOOP", **question()},
        {"locatie": "RDAM-CENTRAAL", "datum": "2024-03-10", "kanaal": "TELEFOON", **question(instantie="UWV", onderwerp="AANVRAGEN")},
        {"locatie": "RDAM-ZUIDPLEIN", "datum": "2024-03-20", **question(instantie="WONEN_WOONSTAD", onderwerp="CONTACT", uitkomst="DOORVERWEZEN")},
    ):
        assert register(rdam, body).status_code == 201
    gouda = {"locatie": "GOUDA-CHOCOLADEFABRIEK", "datum": "2024-03-10", **question()}
    assert register(api("medewerker-gouda"), gouda).status_code == 201
    return rdam


def dates_of(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["datum"] for r in response.json()["results"]]


def test_it_lists_only_the_own_organisations_registrations(registrations, api):
    body = registrations.get(URL).json()
    assert body["count"] == 3
    assert {r["organisatie"] for r in body["results"]} == {"BIB-RDAM"}
    assert [r["datum"] for r in body["results"]] == ["2024-03-20", "2024-03-10", "2024-03-01"]
    assert api("coordinator").get(URL).json()["count"] == 3
    gouda = api("medewerker-gouda").get(URL).json()
    assert (gouda["count"], gouda["results"][0]["locatie"]) == (1, "GOUDA-CHOCOLADEFABRIEK")


@pytest.mark.parametrize(
    ("query", "dates"),
    [
        ("van=2024-03-10", ["2024-03-20", "2024-03-10"]),
        ("tot=2024-03-10", ["2024-03-10", "2024-03-01"]),
        ("van=2024-03-10&tot=2024-03-10", ["2024-03-10"]),
        ("locatie=RDAM-ZUIDPLEIN", ["2024-03-20"]),
        ("instantie=UWV", ["2024-03-10"]),
        ("instantie=WONEN_WOONSTAD", ["2024-03-20"]),
        ("onderwerp=inloggen", ["2024-03-01"]),
        ("uitkomst=DOORVERWEZEN", ["2024-03-20"]),
        ("kanaal=TELEFOON", ["2024-03-10"]),
        ("kanaal=", ["2024-03-20", "2024-03-10", "2024-03-01"]),
        ("limit=1&offset=1", ["2024-03-10"]),
    ],
)
def test_it_filters_the_list(registrations, query, dates):
    assert dates_of(registrations.get(f"{URL}?{query}")) == dates


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("van=2024-13-01", "van"),
        ("tot=gisteren", "tot"),
        ("van=2024-03-10&tot=2024-03-01", "tot"),
        ("locatie=GOUDA-CHOCOLADEFABRIEK", "locatie"),
        ("instantie=NIETS", "instantie"),
        ("onderwerp=NIETS", "onderwerp"),
        ("uitkomst=MISSCHIEN", "uitkomst"),
        ("kanaal=POSTDUIF", "kanaal"),
    ],
)
def test_it_rejects_an_invalid_filter_naming_the_parameter(registrations, query, name):
    assert invalid_names(registrations.get(f"{URL}?{query}")) == {name}


# --- read / update / delete: owner, colleague, coordinator, outsider, lower role ----------------


PATCH = {"uitkomst": "DEELS"}


@pytest.mark.parametrize(
    ("username", "read", "update", "delete"),
    [
        ("medewerker", 200, 200, 204),
        ("collega", 200, 403, 403),
        ("coordinator", 200, 200, 204),
        ("medewerker-gouda", 404, 404, 404),
        ("gemeente", 403, 403, 403),
    ],
)
def test_it_applies_the_access_rules_to_read_update_and_delete(api, username, read, update, delete):
    created = register(api("medewerker"), {"locatie": "RDAM-CENTRAAL", **question(notitie="eerste")})
    uuid = created.json()["registraties"][0]["uuid"]
    client = api(username)

    got = client.get(f"{URL}/{uuid}")
    assert got.status_code == read
    if read == 200:
        assert got.json()["uuid"] == uuid and got.json()["notitie"] == "eerste"
    else:
        assert_problem(got, read)

    changed = client.patch(f"{URL}/{uuid}", PATCH, format="json")
    assert changed.status_code == update
    stored = Question.objects.get(uuid=uuid)
    if update == 200:
        assert changed.json()["uitkomst"] == "DEELS" and stored.uitkomst == "DEELS"
        assert (stored.instantie, stored.note) == ("DIGID", "eerste")  # PATCH leaves the other fields alone
    else:
        assert_problem(changed, update)
        assert stored.uitkomst == "OPGELOST"

    removed = client.delete(f"{URL}/{uuid}")
    assert removed.status_code == delete
    assert Question.objects.filter(uuid=uuid).exists() == (delete != 204)
    if delete == 204:
        assert not Visit.objects.exists()  # the emptied visit goes with it
    else:
        assert_problem(removed, delete)


def test_it_refuses_changes_after_the_edit_window(api):
    client = api("medewerker")
    uuid = register(client).json()["registraties"][0]["uuid"]
    Question.objects.filter(uuid=uuid).update(created_at=timezone.now() - dt.timedelta(hours=25))

    body = assert_problem(client.patch(f"{URL}/{uuid}", PATCH, format="json"), 403)
    assert "24 uur" in body["detail"]
    assert_problem(client.delete(f"{URL}/{uuid}"), 403)
    assert Question.objects.get(uuid=uuid).uitkomst == "OPGELOST"
    # The coordinator corrects at any time.
    assert api("coordinator").patch(f"{URL}/{uuid}", PATCH, format="json").status_code == 200


def test_it_replaces_all_question_fields_on_put(api):
    client = api("medewerker")
    uuid = register(client, {"locatie": "RDAM-CENTRAAL", **question(taal="EN", duur_minuten=30, notitie="tekst")}).json()["registraties"][0]["uuid"]
    response = client.put(f"{URL}/{uuid}", question(instantie="UWV", onderwerp="AANVRAGEN"), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["instantie"], body["taal"], body["duur_minuten"], body["notitie"]) == ("UWV", None, None, None)
    assert invalid_names(client.put(f"{URL}/{uuid}", {"instantie": "UWV"}, format="json")) == {"onderwerp", "uitkomst"}


def test_it_moves_the_whole_visit_when_the_date_is_corrected(api):
    client = api("medewerker")
    created = register(client, {"locatie": "RDAM-CENTRAAL", "datum": "2024-06-03", "tijd": "10:15", "vragen": [question(), question()]})
    first, second = (r["uuid"] for r in created.json()["registraties"])
    response = client.patch(f"{URL}/{first}", {"datum": "2024-06-04", "notitie": f"BSN {BSN}"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["datum"], response.json()["tijd"]) == ("2024-06-04", "10:15")
    assert client.get(f"{URL}/{second}").json()["datum"] == "2024-06-04"
    assert BSN not in Question.objects.get(uuid=first).note
    assert Visit.objects.get().afterwards is True
    assert invalid_names(client.patch(f"{URL}/{first}", {"locatie": "RDAM-ZUIDPLEIN"}, format="json")) == {"locatie"}
    assert invalid_names(client.patch(f"{URL}/{first}", {"datum": "2030-01-01"}, format="json")) == {"datum"}


# --- authentication and roles --------------------------------------------------------------------


@pytest.mark.parametrize("path", [URL, "/api/v1/codelijsten", "/api/v1/locaties"])
def test_it_answers_401_problem_json_without_credentials(network, path):
    response = APIClient().get(path)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert_problem(wrong.get(path), 401)


@pytest.mark.parametrize("username", ["gemeente", "landelijk", "partner", "beheerder"])
def test_it_refuses_registrations_and_locations_to_roles_without_desk_access(api, username):
    client = api(username)
    assert "medewerkers" in assert_problem(client.get(URL), 403)["detail"]
    assert_problem(register(client), 403)
    assert_problem(client.get("/api/v1/locaties"), 403)
    assert client.get("/api/v1/codelijsten").status_code == 200
    assert not Visit.objects.exists()


def test_it_accepts_a_session_login_too(users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["medewerker"])
    assert client.get(URL).status_code == 200
    # Session clients need the CSRF token for writes, as on the web pages.
    assert_problem(register(client), 403)


def test_it_creates_and_replaces_tokens_with_the_management_command(users):
    first = make_token("medewerker")
    second = make_token("medewerker")
    assert len(second) == 40 and second != first
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert_problem(client.get(URL), 401)  # replaced: the old token no longer works
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get(URL).status_code == 200
    assert AuditEvent.objects.filter(event="api_token_created").count() == 2
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("create_api_token", "niemand", stdout=io.StringIO())


# --- code lists and locations --------------------------------------------------------------------


def test_it_serves_the_current_code_lists(api):
    body = api("partner").get("/api/v1/codelijsten").json()
    assert (body["versie"], body["concept"]) == (1, False)
    lists = {lst["naam"]: lst["codes"] for lst in body["lijsten"]}
    assert set(lists) >= {"instantie", "onderwerp", "uitkomst", "kanaal", "behoefteprofiel"}
    digid = next(c for c in lists["instantie"] if c["code"] == "DIGID")
    assert digid["actief"] is True and digid["omschrijving"] and digid["bestuurslaag"] == "RIJK"
    assert {c["bestuurslaag"] for c in lists["uitkomst"]} == {None}
    assert api("medewerker").get("/api/v1/codelijsten/1").json()["versie"] == 1
    assert_problem(api("medewerker").get("/api/v1/codelijsten/99"), 404)


def test_it_shows_a_draft_version_only_to_the_landelijk_role(api):
    draft = CodeListVersion.objects.create(number=2, description="concept")
    Code.objects.create(version=draft, list="uitkomst", code="NIEUW", label="Nieuw")
    body = api("landelijk").get("/api/v1/codelijsten/2").json()
    assert body["concept"] is True and body["gepubliceerd_op"] is None
    assert any(c["code"] == "NIEUW" for lst in body["lijsten"] for c in lst["codes"])
    assert_problem(api("medewerker").get("/api/v1/codelijsten/2"), 404)
    assert api("landelijk").get("/api/v1/codelijsten").json()["versie"] == 1  # drafts are never 'current'


def test_it_lists_the_own_organisations_locations(api):
    client = api("medewerker")
    locations = client.get("/api/v1/locaties").json()
    codes = {loc["code"] for loc in locations}
    assert "RDAM-CENTRAAL" in codes and "RDAM-VOEDSELBANK-ZUID" in codes
    assert not any(code.startswith("GOUDA") for code in codes)
    central = client.get("/api/v1/locaties/RDAM-CENTRAAL").json()
    assert central == {
        "code": "RDAM-CENTRAAL", "naam": "Centrale Bibliotheek", "soort": "BIBLIOTHEEK", "adres": "Hoogstraat 110",
        "postcode": "3011 AA", "plaats": "Rotterdam", "gemeente": {"cbs_code": "GM0599", "naam": "Rotterdam"}, "actief": True,
    }
    assert_problem(client.get("/api/v1/locaties/GOUDA-CHOCOLADEFABRIEK"), 404)


# --- errors outside the views --------------------------------------------------------------------


def test_it_answers_problem_json_for_unknown_urls_methods_and_media_types(api):
    client = api("medewerker")
    assert_problem(client.get("/api/v1/bestaat-niet"), 404)
    assert_problem(client.post("/api/v1/bestaat-niet", {}, format="json"), 404)
    assert "slash" in assert_problem(client.get("/api/v1/registraties/"), 404)["detail"]
    assert_problem(client.get(f"{URL}/geen-uuid"), 404)
    assert_problem(client.get(f"{URL}/00000000-0000-0000-0000-000000000000"), 404)
    assert_problem(client.delete("/api/v1/codelijsten"), 405)
    assert_problem(client.post(URL, {"locatie": "RDAM-CENTRAAL"}, format="multipart"), 415)
    assert_problem(client.post(URL, "{niet json", content_type="application/json"), 400)
    assert invalid_names(client.post(URL, [question()], format="json")) == {"body"}
