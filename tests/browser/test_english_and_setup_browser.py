"""English on the visitors' pages, the weekly grid and the code-list confirmation, in a real browser with axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-everyday-b")


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_visitors_queue_ticket_and_message_check_in_english(browser, live_server, demo, assert_accessible, width, height):
    from balie.network.models import Location
    from balie.walkin import services
    from balie.walkin.models import QueueSettings

    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.create(location=location, enabled=True)
    services.ticket_issue(location=location, topic="DIGID")
    ticket, _ = services.ticket_issue(location=location, topic="BRIEF")
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/wachtrij/ticket/{ticket.uuid}/?lang=en")
    assert "You are in the queue." in page.inner_text("main")
    page.screenshot(path=str(SHOTS / f"en-ticket-{width}.png"), full_page=True)
    assert_accessible(page, f"en-ticket-{width}")
    page.goto(f"{live_server.url}/wachtrij/{location.code}/scherm/")
    assert "Now serving" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / f"en-screen-{width}.png"), full_page=True)
    assert_accessible(page, f"en-screen-{width}")
    page.goto(f"{live_server.url}/hulpmiddelen/is-dit-echt/")
    page.fill("#tekst", "Belastingdienst: u krijgt EUR 312 terug. Bevestig binnen 24 uur via https://mijn-belastingdienst-teruggave.nl/claim")
    page.click("#controleer")
    page.wait_for_selector(".message-result")
    expect(page.locator("main").first).to_contain_text("What should you do?", use_inner_text=True)
    page.screenshot(path=str(SHOTS / f"en-messagecheck-{width}.png"), full_page=True)
    assert_accessible(page, f"en-messagecheck-{width}")
    context.close()


def test_a_coordinator_fills_a_week_in_one_grid_and_landelijk_confirms_a_publication(page, live_server, login, assert_accessible):
    from balie.network.models import WeeklyHours

    page.set_default_timeout(60_000)
    login("coordinator")
    page.goto(f"{live_server.url}/overzicht/")
    page.screenshot(path=str(SHOTS / "overview-coordinator.png"), full_page=True)
    assert_accessible(page, "overview-coordinator")
    page.goto(f"{live_server.url}/organisatie/locaties/RDAM-KRALINGEN/rooster/week/")
    page.fill("#d0-inloop-0-start", "09:00")
    page.fill("#d0-inloop-0-end", "17:00")
    page.fill("#d0-spreekuur-0-start", "10:00")
    page.fill("#d0-spreekuur-0-end", "12:00")
    with page.expect_navigation():
        page.click("button[name=copy_monday]")
    assert page.input_value("#d4-inloop-0-start") == "09:00"
    page.screenshot(path=str(SHOTS / "week-grid-copied.png"), full_page=True)
    assert_accessible(page, "week-grid")
    page.click("button[name=save]")
    page.wait_for_selector(".utrecht-alert--ok")
    assert WeeklyHours.objects.filter(location__code="RDAM-KRALINGEN").count() == 10
    page.goto(f"{live_server.url}/signalen/ontvangers/nieuw/")
    page.screenshot(path=str(SHOTS / "recipient-form.png"), full_page=True)
    assert_accessible(page, "recipient-form")
    page.click("form[action='/uitloggen/'] button")
    login("landelijk")
    page.goto(f"{live_server.url}/codelijsten/")
    page.fill("#description", "Herstel Toeslagen")
    with page.expect_navigation():
        page.click("form:has(#description) button[type=submit]")
    page.select_option("#list", "instantie")
    page.fill("#code", "UHT")
    page.fill("#label", "Uitvoeringsorganisatie Herstel Toeslagen")
    page.select_option("#bestuurslaag", "RIJK")
    page.click("text=Code opslaan")
    page.click("button[name=publish]")
    page.wait_for_selector("#changes")
    expect(page.locator("#changes").first).to_contain_text("UHT", use_inner_text=True)
    page.screenshot(path=str(SHOTS / "codelist-confirm.png"), full_page=True)
    assert_accessible(page, "codelist-confirm")
