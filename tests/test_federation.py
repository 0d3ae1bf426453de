"""Federation (docs/federatie.md): the hub's node API, what a node may deliver, and what a node sends.

The end-to-end run with a hub and a node on two databases is in tests/test_federation_e2e.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from balie.core import privacy
from balie.core.models import AuditEvent
from balie.desk.services import visit_register
from balie.federation import services
from balie.federation.client import uuid7
from balie.federation.models import Call, Node
from balie.insight import delivered
from balie.insight.models import DeliveredFigure, DeliveredPeriod
from balie.insight.periods import Period
from balie.network.models import Location

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
API = "/api/federatie/v1"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


@pytest.fixture
def node(network):
    node, token = services.node_add(code="bib-noord", naam="Bibliotheek Noord", oin="00000001234567890000")
    return node, token


def hub(token: str, *, transaction_id: str | None = "") -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if transaction_id is not None:
        headers["HTTP_FSC_TRANSACTION_ID"] = transaction_id or uuid7()
    return Client(**headers)


def put(client: Client, period: str, body: object):
    return client.put(f"{API}/leveringen/{period}", json.dumps(body), content_type="application/json")


def test_uuid7_has_version_7_the_rfc_variant_and_sorts_by_time():
    import time
    import uuid

    first = uuid7()
    time.sleep(0.002)
    later = [uuid7() for _ in range(200)]
    for value in [first, *later]:
        parsed = uuid.UUID(value)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert all(first < v for v in later)
    assert len(set(later)) == 200


def test_a_node_is_added_with_a_key_shown_once_and_kept_only_as_a_hash(network):
    out = io.StringIO()
    call_command("federatie_knooppunt_toevoegen", "bib-west", "--naam", "Bibliotheek West", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    node = Node.objects.get(code="BIB-WEST")
    assert token.startswith("BIB-WEST.") and len(token) > 40
    assert token not in node.token_hash and services.authenticate(token) == node
    assert services.authenticate(token + "x") is None and services.authenticate("BIB-WEST") is None
    assert AuditEvent.objects.filter(event="federation_node_added").count() == 1
    assert token not in json.dumps(list(AuditEvent.objects.values("extra")), default=str)
    with pytest.raises(Exception, match="kan niet"):
        services.node_add(code="bib-west", naam="Dubbel")
    with pytest.raises(Exception, match="kan niet"):
        services.node_add(code="x y!", naam="Raar")


def test_without_a_valid_key_suspended_or_without_a_transaction_id_the_hub_refuses_with_problem_json(node):
    node_obj, token = node
    for client in (Client(), hub("BIB-NOORD.verkeerd"), hub("Token abc"), Client(HTTP_AUTHORIZATION="Basic eDp5")):
        response = client.get(f"{API}/knooppunt")
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert hub(token).get(f"{API}/knooppunt").json()["code"] == "BIB-NOORD"
    for bad in (None, "not-a-uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6"):  # the last is a UUIDv4
        response = hub(token, transaction_id=bad).get(f"{API}/knooppunt") if bad else Client(
            HTTP_AUTHORIZATION=f"Bearer {token}").get(f"{API}/knooppunt")
        assert response.status_code == 400 and "Fsc-Transaction-Id" in response.json()["detail"]
    transaction_id = uuid7()
    assert hub(token, transaction_id=transaction_id).get(f"{API}/knooppunt")["Fsc-Transaction-Id"] == transaction_id
    assert Call.objects.filter(transaction_id=transaction_id, direction="in", peer="BIB-NOORD", status=200).exists()

    services.node_set_suspended(node=node_obj, suspended=True)
    response = hub(token).get(f"{API}/knooppunt")
    assert response.status_code == 403 and "geschorst" in response.json()["detail"]
    services.node_set_suspended(node=node_obj, suspended=False)
    new = services.token_rotate(node=node_obj)
    assert hub(token).get(f"{API}/knooppunt").status_code == 401, "the old key stops working at once"
    assert hub(new).get(f"{API}/knooppunt").status_code == 200


def test_the_hub_hands_out_its_published_code_lists_whole(node):
    _node, token = node
    versions = hub(token).get(f"{API}/codelijsten").json()["versies"]
    assert [v["nummer"] for v in versions] == [1]
    data = hub(token).get(f"{API}/codelijsten/1").json()
    assert data["version"] == 1 and "instantie" in data["lists"]
    assert {"code", "label", "label_en", "bestuurslaag", "active"} <= set(data["lists"]["instantie"][0])
    assert hub(token).get(f"{API}/codelijsten/99").status_code == 404


def rows(rng: random.Random, n: int) -> list[dict]:
    from balie.core import codelists

    version = codelists.current_version()
    instanties = list(codelists.codes(version, "instantie"))
    gemeenten = ["GM0599", "GM0513", "GM0589", "GM1892"]
    out, seen = [], set()
    while len(out) < n:
        key = (rng.choice(gemeenten), "I", rng.choice(instanties))
        if key in seen:
            continue
        seen.add(key)
        out.append({"gemeente": key[0], "dimensie": "I", "code": key[2], "aantal": rng.choice([None, rng.randint(5, 900)])})
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_delivery_is_stored_whole_and_sending_it_again_changes_nothing(node, seed):
    _node, token = node
    rng = random.Random(seed)
    figures = rows(rng, 20)
    response = put(hub(token), "2026-K2", {"codelijstversie": 1, "cijfers": figures})
    assert response.status_code == 200 and response.json() == {"periode": "2026-K2", "rijen": 20, "gewijzigd": True}
    stored = DeliveredPeriod.objects.get(source="BIB-NOORD", period="2026-K2")
    assert sorted(stored.figures.values_list("gemeente", "code", "n")) == sorted((f["gemeente"], f["code"], f["aantal"]) for f in figures)
    rng.shuffle(figures)
    assert put(hub(token), "2026-k2", {"codelijstversie": 1, "cijfers": figures}).json()["gewijzigd"] is False
    assert DeliveredPeriod.objects.get().pk == stored.pk, "an unchanged resend keeps the delivery"
    figures = figures[:5]
    assert put(hub(token), "2026-K2", {"codelijstversie": 1, "cijfers": figures}).json() == {
        "periode": "2026-K2", "rijen": 5, "gewijzigd": True}
    assert DeliveredFigure.objects.count() == 5 and DeliveredPeriod.objects.count() == 1
    assert AuditEvent.objects.filter(event="federation_delivery_received").count() == 2


BAD = [
    ({"gemeente": "GM9999", "dimensie": "I", "code": "DIGID", "aantal": 10}, "gemeente"),
    ({"gemeente": "GM0599", "dimensie": "X", "code": "DIGID", "aantal": 10}, "dimensie"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "VERZONNEN", "aantal": 10}, "code"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "Mevrouw de Vries belt 0612345678", "aantal": 10}, "code"),
    ({"gemeente": "GM0599", "dimensie": "T", "code": "DIGID", "aantal": 10}, "code"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": 3}, "aantal"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": -7}, "aantal"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": "12"}, "aantal"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": True}, "aantal"),
    ({"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": 10, "notitie": "geheim"}, ""),
    ("GM0599;I;DIGID;10", ""),
]


@pytest.mark.parametrize(("bad", "field"), BAD)
def test_a_delivery_with_anything_but_published_counts_is_refused_whole(node, bad, field):
    _node, token = node
    good = rows(random.Random(7), 10)
    figures = [*good[:4], bad, *good[4:]]
    response = put(hub(token), "2026-03", {"codelijstversie": 1, "cijfers": figures})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["invalid_params"][0]["name"] == ("cijfers[4]" + (f".{field}" if field else ""))
    assert DeliveredPeriod.objects.count() == 0 and DeliveredFigure.objects.count() == 0


@pytest.mark.parametrize("body", [
    {"codelijstversie": 7, "cijfers": []}, {"codelijstversie": "1", "cijfers": []}, {"cijfers": []},
    {"codelijstversie": 1, "cijfers": {"a": 1}}, {"codelijstversie": 1}, [],
])
def test_a_delivery_without_a_known_version_or_list_is_refused(node, body):
    _node, token = node
    response = put(hub(token), "2026-03", body)
    assert response.status_code == 422 and DeliveredPeriod.objects.count() == 0


@pytest.mark.parametrize("period", ["2026-Q3", "abc", "2026-13", "1999", "2026-K5"])
def test_a_bad_period_is_404_problem_json(node, period):
    _node, token = node
    response = put(hub(token), period, {"codelijstversie": 1, "cijfers": []})
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_too_many_rows_or_too_big_a_body_is_refused(node):
    _node, token = node
    many = [{"gemeente": "GM0599", "dimensie": "I", "code": "DIGID", "aantal": 5}] * (delivered.MAX_ROWS + 1)
    assert put(hub(token), "2026-03", {"codelijstversie": 1, "cijfers": many}).status_code in (413, 422)
    assert DeliveredPeriod.objects.count() == 0


def test_a_node_withdraws_one_period_or_everything_and_only_its_own(node):
    _node, token = node
    _other, other_token = services.node_add(code="BIB-ZUID", naam="Bibliotheek Zuid")
    figures = rows(random.Random(3), 6)
    for period in ("2026-01", "2026-02", "2026-K1"):
        put(hub(token), period, {"codelijstversie": 1, "cijfers": figures})
    put(hub(other_token), "2026-01", {"codelijstversie": 1, "cijfers": figures})
    assert hub(token).delete(f"{API}/leveringen/2026-02").json() == {"ingetrokken": 1, "signalen_ingetrokken": 0}
    assert [d["periode"] for d in hub(token).get(f"{API}/leveringen").json()["leveringen"]] == ["2026-K1", "2026-01"]
    assert hub(token).delete(f"{API}/leveringen").json() == {"ingetrokken": 2, "signalen_ingetrokken": 0}
    assert list(DeliveredPeriod.objects.values_list("source", flat=True)) == ["BIB-ZUID"]
    assert DeliveredFigure.objects.count() == 6
    assert AuditEvent.objects.filter(event="federation_delivery_withdrawn").count() == 2


def register(users, location: str, day: dt.date, n: int, **question):
    base = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    for i in range(n):
        visit_register(user=users["medewerker" if location.startswith("RDAM") else "medewerker-gouda"],
                       location=Location.objects.get(code=location), questions=[{**base, **question}],
                       started_at=dt.datetime.combine(day, dt.time(10, i % 50), AMS))


PLANTED = ["Mevrouw Jansen", "0612345678", "NL91ABNA0417164300", "buurvrouw", "Hoogstraat"]


def test_a_node_sends_only_published_counts_per_municipality_and_code(users):
    day = dt.date(2025, 3, 12)
    register(users, "RDAM-CENTRAAL", day, 23, notitie="Mevrouw Jansen belt 0612345678 over de buurvrouw")
    register(users, "RDAM-ZUIDPLEIN", day, 12, instantie="UWV", onderwerp="BERICHT")
    register(users, "RDAM-CENTRAAL", day, 3, instantie="SVB", onderwerp="AANVRAGEN")
    register(users, "GOUDA-CENTRUM" if Location.objects.filter(code="GOUDA-CENTRUM").exists() else
             Location.objects.filter(organisation__code="BIB-GOUDA").first().code, day, 7, instantie="BELASTINGDIENST")
    figures = delivered.figures_for(Period.parse("2025-K1"))
    text = json.dumps(figures)
    for planted in [*PLANTED, "RDAM", "medewerker", "Centraal"]:
        assert planted.lower() not in text.lower()
    assert all(set(f) == {"gemeente", "dimensie", "code", "aantal"} for f in figures)
    by_key = {(f["gemeente"], f["dimensie"], f["code"]): f["aantal"] for f in figures}
    assert by_key[("GM0599", "I", "SVB")] is None, "3 questions: published as <5"
    for key, true in ((("GM0599", "I", "DIGID"), 23), (("GM0599", "I", "UWV"), 12), (("GM0599", "T", ""), 38)):
        assert abs(by_key[key] - true) <= privacy.MAX_NOISE, "the cell-key noise, never more"
    # The same cell on the same data gives the same number (the cell key): a resend changes nothing.
    assert delivered.figures_for(Period.parse("2025-K1")) == figures
    assert delivered.figures_for(Period.parse("2024-K1")) == []


def test_periods_to_send_are_the_ended_months_with_their_quarters_and_years():
    keys = [p.key for p in delivered.periods_to_send(dt.date(2026, 2, 17), 2)]
    assert keys[0] == "2026-01", "the last month that has ended first; February is still running"
    assert sorted(keys) == sorted(["2026-01", "2026-K1", "2026", "2025-12", "2025-K4", "2025", "2025-11"])
    running = {p.key: p for p in delivered.periods_to_send(dt.date(2026, 2, 17), 0)}
    assert running["2026"].running and running["2026"].last == dt.date(2026, 1, 1), "the running year counts January only"
    assert len({p.key for p in delivered.periods_to_send(dt.date(2026, 12, 3), 12)}) == 13 + 5 + 2


def test_the_landelijk_page_lists_nodes_with_their_last_delivery(node, client_for):
    _node, token = node
    put(hub(token), "2026-K1", {"codelijstversie": 1, "cijfers": rows(random.Random(1), 3)})
    html = client_for("landelijk").get("/federatie/knooppunten/").content.decode()
    assert "Bibliotheek Noord" in html and "BIB-NOORD" in html and "2026-K1" in html and "versie 1" in html
    assert token not in html
    assert client_for("coordinator").get("/federatie/knooppunten/").status_code == 403
