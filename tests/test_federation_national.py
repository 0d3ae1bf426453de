"""Federation items 4 and 5 (docs/federatie.md, ADR 0017): national views on the hub count the nodes' deliveries, and
signals that a node's coordinator reports nationally are merged on the hub.

Hub and node share this test's database; the run with two servers on two databases is tests/test_federation_e2e.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid

import pytest
from django.test import Client

from balie.core import privacy
from balie.federation import services
from balie.federation.client import uuid7
from balie.insight import national
from balie.insight.periods import Period
from balie.network.models import Organisation
from balie.signals import national as signals
from balie.signals.models import Kind, NodeSignal, ScopeKind, Signal, Status
from balie.signals.workflow import record_creation

pytestmark = pytest.mark.django_db
API = "/api/federatie/v1"
QUARTER = "2025-K2"
PLANTED = ["Mevrouw Jansen", "0612345678", "NL91ABNA0417164300", "Hoogstraat 12"]


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def hub(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_FSC_TRANSACTION_ID=uuid7())


def deliver(token: str, period: str, figures: list[tuple[str, str, str, int | None]]):
    body = {"codelijstversie": 1, "cijfers": [{"gemeente": g, "dimensie": d, "code": c, "aantal": n} for g, d, c, n in figures]}
    response = hub(token).put(f"{API}/leveringen/{period}", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response


@pytest.fixture
def nodes(network):
    noord = services.node_add(code="BIB-NOORD", naam="Bieb Friesland")[1]
    zuid = services.node_add(code="BIB-ZUID", naam="Bieb Zeeland")[1]
    services.node_add(code="BIB-OOST", naam="Bieb Twente")  # registered, never delivers
    return {"noord": noord, "zuid": zuid}


def board(client: Client, period: str = QUARTER) -> str:
    response = client.get(f"/inzicht/?periode={period}")
    assert response.status_code == 200
    return response.content.decode()


# --- item 4: national views ----------------------------------------------------------------------------------------
def test_a_national_sum_adds_published_cells_only_and_a_small_one_stays_hidden():
    assert national.Sum.of(None).text == "<5"
    assert (national.Sum.of(120) + national.Sum.of(None)).text == "120 + <5", "a <5 is never counted in"
    assert (national.Sum.of(None) + national.Sum.of(None)).text == "2× <5"
    assert national.total([national.Sum.of(1200), national.Sum.of(30)]).text == "1.230"


def test_the_landelijk_dashboard_counts_every_node_and_names_those_that_did_not_deliver(nodes, client_for):
    deliver(nodes["noord"], QUARTER, [("GM0599", "T", "", 40), ("GM0599", "I", "DIGID", 36), ("GM0599", "I", "SVB", None)])
    deliver(nodes["zuid"], QUARTER, [("GM0363", "T", "", 17), ("GM0363", "I", "DIGID", 17)])
    merged = national.merged(Period.parse(QUARTER))
    assert merged.grand_total() == (national.Sum(), national.Sum(57, 0))
    assert merged.by("I", per="code")["SVB"][1].text == "<5"
    assert [c for c, _ in merged.delivered] == ["BIB-NOORD", "BIB-ZUID"] and [c for c, _ in merged.missing] == ["BIB-OOST"]
    html = board(client_for("landelijk"))
    assert "Vragen, met de knooppunten" in html and "Welke knooppunten leverden" in html
    assert "Bieb Twente" in html and "niet geleverd" in html
    assert "Amsterdam" in html and "Rotterdam" in html
    # Another quarter: nobody delivered, every node is named as missing.
    empty = national.merged(Period.parse("2025-K1"))
    assert empty.delivered == [] and len(empty.missing) == 3


def test_a_gemeente_sees_node_figures_only_for_its_own_municipalities(nodes, client_for):
    deliver(nodes["noord"], QUARTER, [("GM0599", "T", "", 40), ("GM0599", "I", "DIGID", 40)])
    deliver(nodes["zuid"], QUARTER, [("GM0363", "T", "", 917), ("GM0363", "I", "UWV", 917)])
    html = board(client_for("gemeente"))  # the demo's gemeente account reads Rotterdam
    assert "met de knooppunten" in html and "Rotterdam" in html
    assert "Amsterdam" not in html and "917" not in html, "another municipality's node figures stay out"
    assert "Bieb Zeeland" not in html and "Welke knooppunten leverden" not in html
    export = client_for("gemeente").get(f"/inzicht/export/knooppuntgemeenten.csv?periode={QUARTER}").content.decode()
    assert "Rotterdam" in export and "Amsterdam" not in export
    # A place filter a node cannot follow (an organisation) shows this installation only, never a wrong national sum.
    org = Organisation.objects.get(code="BIB-RDAM")
    assert "met de knooppunten" not in client_for("landelijk").get(f"/inzicht/?periode={QUARTER}&organisatie={org.code}").content.decode()


def test_the_open_data_and_the_report_count_the_nodes_suppressed(nodes, client_for):
    deliver(nodes["noord"], QUARTER, [("GM0599", "T", "", 40), ("GM0599", "I", "DIGID", 36), ("GM0599", "I", "SVB", None)])
    rows = list(csv.DictReader(io.StringIO(client_for("landelijk").get("/inzicht/open-data.csv").content.decode())))
    digid = [r for r in rows if r["jaar"] == "2025" and r["kwartaal"] == "2" and r["gemeente_code"] == "GM0599"
             and r["dimensie"] == "instantie" and r["code"] == "DIGID"]
    assert [r["aantal_vragen"] for r in digid] == ["36"]
    assert not [r for r in rows if r["code"] == "SVB" and r["kwartaal"] == "2" and r["jaar"] == "2025"], "a node's <5 has no row"
    page = Client().get("/inzicht/open-data/").content.decode()
    assert "Bieb Friesland" in page and "Bieb Twente" in page
    report = client_for("gemeente").get(f"/inzicht/verantwoording/GM0599/{QUARTER}.html").content.decode()
    assert "Andere Balie-installaties (knooppunten) leverden" in report and "36" in report
    # Withdrawal: gone from the open data at once (the file is cached, the cache is cleared).
    hub(nodes["noord"]).delete(f"{API}/leveringen")
    rows = list(csv.DictReader(io.StringIO(Client().get("/inzicht/open-data.csv").content.decode())))
    assert not [r for r in rows if r["jaar"] == "2025" and r["kwartaal"] == "2"]


# --- item 5: national signals across nodes -------------------------------------------------------------------------
def library_signal(code: str = "BIB-RDAM", *, description: str = "", instantie: str = "UWV") -> Signal:
    org = Organisation.objects.get(code=code)
    week = dt.date(2026, 11, 2)
    signal = Signal.objects.create(
        kind=Kind.AANTAL, scope_kind=ScopeKind.ORGANISATIE, scope_key=f"organisatie:{code}", organisation=org, instantie=instantie,
        start_week=week - dt.timedelta(weeks=1), end_week=week, observed=66, expected=16.2, effect=3.07, q_value=0.001,
        phrase="", evidence={"weekly": [{"week": week.isoformat(), "observed": 33, "expected": 8.1}],
                             "examples": ["Mevrouw Jansen (0612345678) kan niet uploaden bij UWV"]},
        description=description)
    record_creation(signal)
    return signal


def put_summary(token: str, remote_id: object, body: object):
    return hub(token).put(f"{API}/signalen/{remote_id}", json.dumps(body), content_type="application/json")


def test_the_coordinator_reports_nationally_and_nothing_personal_or_from_notes_leaves_the_node(nodes, client_for, settings):
    settings.BALIE_PII_NAMES = True  # names too: the description is free text
    signal = library_signal()
    response = client_for("coordinator").post(f"/signalen/{signal.uuid}/", {
        "action": "confirm", "national": "on", "impact": "Bezoekers kunnen hun aanvraag niet afmaken.",
        "description": "Upload bij UWV mislukt, zegt Mevrouw Jansen (0612345678, Hoogstraat 12, NL91ABNA0417164300)",
    })
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.report_national and signal.status == Status.BEVESTIGD
    assert signals.to_send() == [signal]
    summary = signals.summary(signal)
    assert set(summary) == signals.FIELDS
    assert abs(summary["aantal"] - 66) <= privacy.MAX_NOISE and summary["verwacht"] == 16 and summary["open"] is True
    sent = json.dumps(summary)
    for planted in [*PLANTED, "kan niet uploaden", "BIB-RDAM", "Rotterdam", "Bezoekers kunnen", "buurvrouw"]:
        assert planted.lower() not in sent.lower(), planted
    assert put_summary(nodes["noord"], signal.uuid, summary).status_code == 200
    stored = json.dumps(list(NodeSignal.objects.values()), default=str)
    for planted in PLANTED:
        assert planted.lower() not in stored.lower()


def test_a_signal_confirmed_without_national_reporting_is_not_sent(network, client_for):
    signal = library_signal()
    client_for("coordinator").post(f"/signalen/{signal.uuid}/", {"action": "confirm", "description": "Upload mislukt", "impact": "Geen"})
    assert Signal.objects.get(pk=signal.pk).status == Status.BEVESTIGD and signals.to_send() == []


def test_summaries_from_two_nodes_merge_into_one_national_signal_and_withdrawal_takes_them_back(nodes, client_for):
    body = {"instantie": "UWV", "eerste_week": "2026-10-26", "laatste_week": "2026-11-02", "aantal": 64, "verwacht": 16,
            "omschrijving": "Upload bij UWV mislukt", "open": True}
    first, second = uuid.uuid4(), uuid.uuid4()
    answer = put_summary(nodes["noord"], first, body).json()
    assert answer["gewijzigd"] is True and answer["landelijk_signaal"] is None, "one reporter is not national yet"
    answer = put_summary(nodes["zuid"], second, {**body, "aantal": None, "laatste_week": "2026-11-09"}).json()
    merged = Signal.objects.get(scope_kind=ScopeKind.LANDELIJK, instantie="UWV")
    assert answer["landelijk_signaal"] == str(merged.uuid)
    assert merged.observed == 64 and merged.end_week == dt.date(2026, 11, 9)
    assert merged.evidence["merged_from"] == ["knooppunt:BIB-NOORD", "knooppunt:BIB-ZUID"]
    assert put_summary(nodes["noord"], first, body).json()["gewijzigd"] is False, "the same summary again changes nothing"
    # The hub's own library signal about the same instantie joins the same national signal.
    library_signal("BIB-RDAM")
    signals.merge_national()
    assert Signal.objects.filter(scope_kind=ScopeKind.LANDELIJK).count() == 1
    html = client_for("landelijk").get(f"/signalen/{merged.uuid}/").content.decode()
    assert "Gemeld door knooppunten" in html and "Bieb Friesland" in html and "Bieb Zeeland" in html

    assert hub(nodes["noord"]).delete(f"{API}/leveringen").json() == {"ingetrokken": 0, "signalen_ingetrokken": 1}
    merged.refresh_from_db()
    assert "knooppunt:BIB-NOORD" not in merged.evidence["merged_from"] and merged.is_open
    assert hub(nodes["zuid"]).delete(f"{API}/leveringen/2026-K4").json()["signalen_ingetrokken"] == 1
    assert not NodeSignal.objects.exists()
    merged.refresh_from_db()
    assert merged.evidence["merged_from"] == ["organisatie:BIB-RDAM"] and merged.observed == 66, "the rest still counts"
    assert "Bieb Friesland" not in client_for("landelijk").get(f"/signalen/{merged.uuid}/").content.decode()


@pytest.mark.parametrize(("change", "field"), [
    ({"notitie": "Mevrouw Jansen belt"}, "signaal"),
    ({"aantal": 3}, "aantal"),
    ({"instantie": "VERZONNEN"}, "instantie"),
    ({"eerste_week": "2026-13-01"}, "eerste_week"),
    ({"laatste_week": "2020-01-06"}, "laatste_week"),
    ({"omschrijving": "x" * 1001}, "omschrijving"),
    ({"open": "ja"}, "open"),
])
def test_a_summary_with_anything_else_is_refused_whole_with_problem_json(nodes, change, field):
    body = {"instantie": "UWV", "eerste_week": "2026-10-26", "laatste_week": "2026-11-02", "aantal": 64, "verwacht": 16,
            "omschrijving": "Upload bij UWV mislukt", "open": True, **change}
    response = put_summary(nodes["noord"], uuid.uuid4(), body)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == field
    assert not NodeSignal.objects.exists()
    assert Client().put(f"{API}/signalen/{uuid.uuid4()}", "{}", content_type="application/json").status_code == 401


def test_the_hub_scrubs_a_description_again(nodes):
    body = {"instantie": "UWV", "eerste_week": "2026-10-26", "laatste_week": "2026-11-02", "aantal": 64, "verwacht": 16,
            "omschrijving": "Bel mevrouw op 0612345678 of mail jansen@example.nl", "open": True}
    assert put_summary(nodes["noord"], uuid.uuid4(), body).status_code == 200
    stored = NodeSignal.objects.get().description
    assert "0612345678" not in stored and "jansen@example.nl" not in stored


def test_on_the_hub_a_municipality_only_a_node_serves_can_be_chosen_as_a_place(nodes, client_for):
    landelijk = client_for("landelijk")
    assert landelijk.get(f"/inzicht/?periode={QUARTER}&gemeente=GM0080").status_code == 404, "no location, no delivery: unknown"
    deliver(nodes["noord"], QUARTER, [("GM0080", "T", "", 64), ("GM0080", "I", "DIGID", 64)])
    html = board(landelijk)
    assert '<option value="GM0080"' in html and "Leeuwarden" in html, "the node's municipality is a choice"
    assert '<option value="Fryslân"' in html, "and so is its province"
    one = board(landelijk, f"{QUARTER}&gemeente=GM0080")
    assert "Vragen, met de knooppunten" in one and "64" in one
    assert "Rotterdam" not in one.split("Vragen, met de knooppunten", 1)[1], "only the chosen municipality is counted"
    assert landelijk.get(f"/inzicht/?periode={QUARTER}&provincie=Fryslân").status_code == 200
    # A gemeente account reads its own municipalities only: the node's municipality stays unknown to it.
    assert client_for("gemeente").get(f"/inzicht/?periode={QUARTER}&gemeente=GM0080").status_code == 404
