"""Suggestions at the desk and the knowledge base in a real browser, with axe on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from balie.desk.models import Question

pytestmark = pytest.mark.browser

NOTE = "Activatiecode DigiD kwijt, nieuwe brief aangevraagd"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def guides(demo):
    # The transactional browser tests flush what the data migration loaded.
    from balie.knowledge.services import load_national_guides
    from balie.suggestions import selectors

    load_national_guides()
    selectors.clear_cache()


def type_note(page, text: str) -> None:
    page.click("#q-0-notitie")
    page.keyboard.type(text, delay=5)  # real key presses: HTMX listens to input events
    page.wait_for_selector("#q-0-suggesties .suggestion")


def test_it_suggests_while_typing_and_a_click_fills_the_field(page, live_server, login, guides, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    type_note(page, NOTE)
    assert_accessible(page, "desk-suggestions")
    area = page.locator("#q-0-suggesties")
    assert "DigiD" in area.inner_text()

    area.locator('button[data-instantie="DigiD (Logius)"]:not([data-onderwerp])').click()
    assert page.input_value("#q-0-instantie") == "DigiD (Logius)"
    assert page.locator("fieldset[data-digid]").first.is_visible()  # the DigiD detail follows the filled-in code
    area.locator('button[data-onderwerp="Inloggen (DigiD, eHerkenning, app, sms, wachtwoord)"]:not([data-instantie])').click()
    assert page.input_value("#q-0-onderwerp") == "Inloggen (DigiD, eHerkenning, app, sms, wachtwoord)"
    assert area.locator('button[data-onderwerp="Inloggen (DigiD, eHerkenning, app, sms, wachtwoord)"][aria-pressed="true"]').count() == 1

    page.check("input[name=q-0-uitkomst][value=OPGELOST]")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")
    q = Question.objects.get()
    assert (q.instantie, q.onderwerp, q.note) == ("DIGID", "INLOGGEN", NOTE)


def test_it_fills_both_fields_at_once_and_keeps_the_privacy_check_working(page, live_server, login, guides):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    type_note(page, "Berichtenbox samen gelezen, mail naar jan@example.nl")
    page.wait_for_selector("#q-0-pii mark")  # the PII check and the suggestions both answered the same typing
    page.locator("#q-0-suggesties .suggestion", has_text="Beide invullen").click()
    assert (page.input_value("#q-0-instantie"), page.input_value("#q-0-onderwerp")) == ("MijnOverheid / Berichtenbox", "Brief of bericht begrijpen")
    assert page.evaluate("document.activeElement.name") == "q-0-uitkomst"  # next: the outcome, then Enter
    link = page.locator("#q-0-suggesties a", has_text="Berichten lezen in de Berichtenbox")
    assert link.get_attribute("href") == "/hulpmiddelen/kennisbank/berichtenbox-lezen/"


def test_it_searches_the_knowledge_base_and_prints_a_guide(page, live_server, login, guides, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/hulpmiddelen/kennisbank/")
    assert_accessible(page, "kb-list")
    page.fill("#kb-q", "machtigingen")
    with page.expect_navigation():
        page.click("button:has-text('Zoeken')")
    results = page.locator(".kb-results h2")
    assert results.first.inner_text() == "Iemand machtigen"
    assert_accessible(page, "kb-search")

    results.first.locator("a").click()
    page.wait_for_selector("h1:has-text('Iemand machtigen')")
    assert page.locator(".guide-steps li").count() >= 5
    assert_accessible(page, "kb-guide")

    page.emulate_media(media="print")
    assert not page.locator(".balie-header").is_visible()  # a handout: no navigation
    assert not page.locator(".kb-actions").first.is_visible()
    assert page.locator(".kb-print-only").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kb-guide-print.png"), full_page=True)


def test_it_lets_a_coordinator_write_a_local_guide(page, live_server, login, guides, assert_accessible):
    login("coordinator")
    page.goto(f"{live_server.url}/hulpmiddelen/kennisbank/nieuw/")
    assert_accessible(page, "kb-form")
    page.click("button:has-text('Opslaan')")
    page.wait_for_selector("#foutmeldingen")
    expect(page.locator("#foutmeldingen").first).to_contain_text("Geef de handleiding een titel", use_inner_text=True)
    assert_accessible(page, "kb-form-errors")

    page.fill("#kb-title", "Rotterdampas aanvragen")
    page.fill("#kb-summary", "Met de Rotterdampas krijgt u korting op uitjes en sport.")
    page.fill("#kb-body", "## Zo doet u het\n1. Ga naar rotterdampas.nl.\n2. Kies 'Pas aanvragen'.\n3. Log in met DigiD.\n")
    page.locator("label.choice", has_text="Gemeente").first.click()
    page.locator("label.choice", has_text="Aanvragen").first.click()
    page.click("button:has-text('Opslaan')")
    page.wait_for_selector("h1:has-text('Rotterdampas aanvragen')")
    expect(page.locator("main").first).to_contain_text("Eigen handleiding van Bibliotheek Rotterdam", use_inner_text=True)
    assert_accessible(page, "kb-local-guide")
