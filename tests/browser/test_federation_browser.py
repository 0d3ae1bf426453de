"""The hub's national views with the nodes' deliveries in a real browser (issue 15 item 4): the landelijk dashboard's
node tables, the report chooser and open data, axe clean. Deliveries arrive through the hub's own federation API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.browser
QUARTER = "2025-K2"


@pytest.fixture
def deliveries(demo):
    from balie.federation import services
    from balie.federation.client import uuid7

    def deliver(token: str, figures: list[tuple[str, str, str, int | None]]) -> None:
        body = {"codelijstversie": 1, "cijfers": [{"gemeente": g, "dimensie": d, "code": c, "aantal": n} for g, d, c, n in figures]}
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_FSC_TRANSACTION_ID=uuid7())
        response = client.put(f"/api/federatie/v1/leveringen/{QUARTER}", json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content

    noord = services.node_add(code="BIB-NOORD", naam="Bieb Friesland")[1]
    services.node_add(code="BIB-OOST", naam="Bieb Twente")  # registered, never delivers
    deliver(noord, [("GM0080", "T", "", 40), ("GM0080", "I", "DIGID", 36), ("GM0080", "I", "SVB", None)])


def test_the_landelijk_dashboard_shows_the_nodes_and_stays_accessible(page, live_server, login, deliveries, assert_accessible):
    login("landelijk")
    page.goto(f"{live_server.url}/inzicht/?periode={QUARTER}")
    text = page.locator("main").inner_text()
    assert "Bieb Friesland" in text and "Bieb Twente" in text  # who delivered, and who did not
    assert "<5" in text  # the node's small cell stays hidden
    assert_accessible(page, "insight-landelijk-nodes")
    page.goto(f"{live_server.url}/inzicht/open-data/")
    assert "Bieb Friesland" in page.locator("main").inner_text()
    assert_accessible(page, "insight-open-data-nodes")
    page.goto(f"{live_server.url}/federatie/knooppunten/")
    assert "Bieb Friesland" in page.locator("main").inner_text()
    assert_accessible(page, "federation-nodes")
