"""Announcements (aanmeldingen) in a real browser, with axe on every new page and screenshots at 1366x768.

The partner announces a visitor; the desk sees the announcement on 'Vandaag', starts the registration from it (pre-filled)
and saves it; the partner then sees "Gekomen, geholpen". The coordinator's page 'who sends people to us' counts it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from balie.announcements.models import Announcement, Status
from balie.demo.partners import build_social_map
from balie.desk.models import Question

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-announce")


@pytest.fixture
def social(demo):
    build_social_map()


def _login(page, url: str, username: str) -> None:
    # The first request of a session warms the server up; on a loaded machine that can take longer than 10 s.
    page.goto(f"{url}/inloggen/", timeout=60_000)
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("button[type=submit]")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fresh(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_partner_announces_desk_registers_from_it_partner_sees_helped(page, browser, live_server, social, assert_accessible):
    from django.utils import timezone

    _login(page, live_server.url, "partner")
    page.goto(f"{live_server.url}/aanmeldingen/nieuw/")
    page.select_option("#locatie-kies", "RDAM-CENTRAAL")
    page.click("button:text-is('Kies')")
    page.wait_for_selector("#toestemmingstekst")
    page.fill("#datum", timezone.localdate().isoformat())
    page.select_option("#instantie", "BELASTINGDIENST")
    page.select_option("#onderwerp", "BETALEN")
    page.fill("#toelichting", "Wil een betalingsregeling aanvragen; bel 06 41234567 als het niet lukt.")
    assert_accessible(page, "announce-form")
    _shot(page, "1-partner-form")
    page.click("button:text-is('Aanmelden')")
    page.wait_for_selector("#uitkomst")
    assert page.inner_text("#uitkomst") == "Aangemeld"
    announcement = Announcement.objects.get()
    assert "41234567" not in announcement.description  # the phone number was taken out of the text
    assert_accessible(page, "announce-detail-partner")
    _shot(page, "2-partner-detail")

    desk = _fresh(browser)
    _login(desk, live_server.url, "medewerker")
    desk.goto(f"{live_server.url}/balie/vandaag/")
    desk.wait_for_selector("#aangemeld-titel")
    assert "SchuldHulpMaatje Rotterdam" in desk.inner_text(f"#aanmelding-{announcement.uuid}")
    assert_accessible(desk, "announce-desk-today")
    _shot(desk, "3-desk-vandaag")
    desk.goto(f"{live_server.url}/wachtrij/balie/?locatie=RDAM-CENTRAAL")
    desk.wait_for_selector(f"#aanmelding-{announcement.uuid}")  # the queue shows the location's announcements too
    assert_accessible(desk, "announce-desk-queue")
    _shot(desk, "3b-desk-wachtrij")
    desk.click(f"#aanmelding-{announcement.uuid} a:has-text('Registratie starten')")
    desk.wait_for_selector("#aanmelding-info")
    assert desk.input_value("#q-0-instantie") == "Belastingdienst" and desk.input_value("#q-0-onderwerp") == "Betalen, terugbetalen, regeling, schulden"
    assert_accessible(desk, "announce-desk-register")
    _shot(desk, "4-desk-register-prefilled")
    desk.check("input[name=q-0-uitkomst][value=OPGELOST]")
    with desk.expect_navigation():
        desk.click("#opslaan")
    assert Question.objects.filter(instantie="BELASTINGDIENST", onderwerp="BETALEN", uitkomst="OPGELOST").count() == 1
    announcement.refresh_from_db()
    assert announcement.status == Status.GEHOLPEN

    page.goto(f"{live_server.url}/aanmeldingen/")
    assert "Gekomen, geholpen" in page.inner_text("main")
    assert_accessible(page, "announce-list-partner")
    page.goto(f"{live_server.url}/aanmeldingen/{announcement.uuid}/")
    assert page.inner_text("#uitkomst") == "Gekomen, geholpen"
    _shot(page, "5-partner-sees-helped")

    coordinator = _fresh(browser)
    _login(coordinator, live_server.url, "coordinator")
    coordinator.goto(f"{live_server.url}/aanmeldingen/per-afzender/")
    assert "SchuldHulpMaatje Rotterdam" in coordinator.inner_text("table")
    assert_accessible(coordinator, "announce-figures")
    _shot(coordinator, "6-coordinator-figures")
    coordinator.goto(f"{live_server.url}/aanmeldingen/")
    assert_accessible(coordinator, "announce-list-desk")
