"""A federation delivery is checked against cached municipality codes and code lists (insight/delivered.py), and the
cache follows what changes: a newly published code-list version, a municipality added or removed.

Through the hub's real API (PUT /api/federatie/v1/leveringen/{periode}) with a node's key, and the real publish flow.
"""

from __future__ import annotations

import json
import random

import pytest
from django.test import Client

from balie.core import codelists
from balie.core import services as core_services
from balie.core.models import CodeList
from balie.federation import services
from balie.federation.client import uuid7
from balie.insight import delivered
from balie.network.models import Gemeente

pytestmark = pytest.mark.django_db
API = "/api/federatie/v1"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


@pytest.fixture
def token(network):
    _node, token = services.node_add(code="bib-cache", naam="Bibliotheek Cache", oin="00000001234567890001")
    return token


def _put(token: str, period: str, version: int, figures: list[dict]):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_FSC_TRANSACTION_ID=uuid7())
    return client.put(f"{API}/leveringen/{period}", json.dumps({"codelijstversie": version, "cijfers": figures}),
                      content_type="application/json")


def _figures(rng: random.Random, gemeenten: list[str], codes: list[str], n: int) -> list[dict]:
    pairs = rng.sample([(g, c) for g in gemeenten for c in codes], n)
    return [{"gemeente": g, "dimensie": "I", "code": c, "aantal": rng.choice([None, rng.randint(5, 500)])} for g, c in pairs]


@pytest.mark.parametrize("seed", [41, 42])
def test_a_second_delivery_reads_no_municipalities_or_code_lists(token, seed, django_assert_num_queries):
    rng = random.Random(seed)
    version = codelists.current_version()
    gemeenten = rng.sample(sorted(Gemeente.objects.values_list("cbs_code", flat=True)), 5)
    figures = _figures(rng, gemeenten, sorted(codelists.codes(version, CodeList.INSTANTIE)), 12)
    assert _put(token, "2026-03", 1, figures).status_code == 200
    with django_assert_num_queries(0):
        assert len(delivered._validate(figures, version)) == len(figures)


def test_a_newly_published_code_and_a_new_municipality_are_accepted_at_once(token, users):
    rng = random.Random(43)
    v1 = codelists.current_version()
    known = sorted(codelists.codes(v1, CodeList.INSTANTIE))
    assert _put(token, "2026-03", 1, _figures(rng, ["GM0599"], known, 3)).status_code == 200  # caches filled

    # A code of version 2: refused under version 1 before and after publishing, accepted under version 2.
    new_code = {"gemeente": "GM0599", "dimensie": "I", "code": "UHT", "aantal": 12}
    draft = core_services.draft_create(user=users["landelijk"], description="Herstel Toeslagen")
    core_services.code_save(user=users["landelijk"], version=draft, list_name="instantie", code="UHT",
                            label="Uitvoeringsorganisatie Herstel Toeslagen", bestuurslaag="RIJK")
    assert _put(token, "2026-04", 2, [new_code]).status_code == 422  # a draft is no version a node can use
    core_services.draft_publish(user=users["landelijk"], version=draft)
    assert _put(token, "2026-04", 2, [new_code]).status_code == 200
    assert _put(token, "2026-05", 1, [new_code]).status_code == 422
    # Version 2 still accepts every code of version 1 (a node's older months).
    assert _put(token, "2026-06", 2, _figures(rng, ["GM0599"], known, 4)).status_code == 200

    # A municipality added (a merger) is known to the next delivery; one removed is refused again.
    merged = Gemeente.objects.create(cbs_code="GM1999", naam="Samengevoegd")
    figure = {"gemeente": "GM1999", "dimensie": "I", "code": rng.choice(known), "aantal": 9}
    assert _put(token, "2026-07", 2, [figure]).status_code == 200
    merged.delete()
    assert _put(token, "2026-08", 2, [figure]).status_code == 422
