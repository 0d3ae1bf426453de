"""The desk in a real browser: keyboard-only registration, live PII check, and axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from balie.desk.models import Question

pytestmark = pytest.mark.browser


def test_it_registers_the_common_case_with_the_keyboard_in_three_interactions(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    assert_accessible(page, "desk-register-1366")

    # Tab to the first favourite chip. Tabs only move focus; they are counted apart from interactions.
    tabs = 0
    while not page.evaluate("document.activeElement.classList.contains('chip')"):
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 40, "the favourite chips must be reachable early in the tab order"

    interactions = 0
    page.keyboard.press("Enter")  # 1: the chip fills instantie + onderwerp and moves focus to the outcome
    interactions += 1
    assert page.input_value("#q-0-instantie") == "DigiD (Logius)"  # the field shows the label (issue 14)
    assert page.evaluate("document.activeElement.name") == "q-0-uitkomst"
    page.keyboard.press("Space")  # 2: choose "Opgelost"
    interactions += 1
    page.keyboard.press("Enter")  # 3: save
    interactions += 1
    page.wait_for_selector(".utrecht-alert--ok")

    assert interactions <= 3
    q = Question.objects.get()
    assert (q.instantie, q.onderwerp, q.uitkomst) == ("DIGID", "INLOGGEN", "OPGELOST")
    assert "Opgeslagen" in page.inner_text(".messages")
    assert_accessible(page, "desk-after-save")


def test_it_shows_the_digid_detail_only_for_digid_or_login_questions(page, live_server, login):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    digid = page.locator("fieldset[data-digid]").first  # the datalists carry data-digid too
    assert not digid.is_visible()
    page.fill("#q-0-instantie", "BELASTINGDIENST")
    assert not digid.is_visible()
    page.fill("#q-0-onderwerp", "INLOGGEN")
    assert digid.is_visible()


def test_it_highlights_personal_data_while_typing_and_redacts_on_save(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    page.click(".chip >> nth=0")
    page.check("input[name=q-0-uitkomst][value=OPGELOST]")
    page.fill("#q-0-notitie", "Mevrouw wilde haar BSN 111222333 laten zien, mail jan@example.nl")
    page.wait_for_selector("#q-0-pii mark")
    warning = page.inner_text("#q-0-pii")
    assert "BSN" in warning and "jan@example.nl" in warning
    assert_accessible(page, "desk-pii-warning")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")
    note = Question.objects.get().note
    assert "111222333" not in note and "jan@example.nl" not in note


def test_it_shows_errors_accessibly_when_required_fields_are_missing(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    page.fill("#q-0-instantie", "DIGID")
    page.click("#opslaan")
    page.wait_for_selector("#foutmeldingen")
    expect(page.locator("#foutmeldingen").first).to_contain_text("Kies een uitkomst", use_inner_text=True)
    assert Question.objects.count() == 0
    assert_accessible(page, "desk-errors")


def test_it_counts_in_tally_mode(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/turven/")
    assert_accessible(page, "desk-tally")
    first = page.locator(".tally-btn").first
    first.click()
    # expect() polls without eval; wait_for_function("...") would evaluate a string, which the CSP forbids.
    expect(page.locator(".tally-btn strong").first).to_have_text("1", timeout=10_000)
    page.locator(".tally-btn").first.click()
    expect(page.locator(".tally-btn strong").first).to_have_text("2", timeout=10_000)
    assert Question.objects.filter(tally=True).count() == 2
    assert_accessible(page, "desk-tally-counted")


def test_it_lets_staff_correct_today_and_looks_right_on_a_tablet(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    page.click(".chip >> nth=1")
    page.check("input[name=q-0-uitkomst][value=DEELS]")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")
    page.goto(f"{live_server.url}/balie/vandaag/")
    assert_accessible(page, "desk-today")
    page.click("a:has-text('Corrigeren')")
    page.wait_for_url("**/balie/vraag/*/")
    assert_accessible(page, "desk-correct")
    page.check("input[name=q-0-uitkomst][value=OPGELOST]")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")
    assert Question.objects.get().uitkomst == "OPGELOST"
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}/balie/")
    assert_accessible(page, "desk-register-tablet")


def test_it_passes_axe_on_the_login_and_coordinator_pages(page, live_server, login, assert_accessible):
    page.goto(f"{live_server.url}/inloggen/")
    assert_accessible(page, "login")
    login("coordinator")
    for path, name in [
        ("/organisatie/", "org-manage"),
        ("/organisatie/locaties/nieuw/", "org-location-new"),
        ("/organisatie/locaties/RDAM-CENTRAAL/", "org-location-edit"),
        ("/organisatie/medewerkers/nieuw/", "org-staff-new"),
        ("/organisatie/lokale-codes/nieuw/", "org-localcode-new"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, name)
    page.goto(f"{live_server.url}/organisatie/locaties/nieuw/")
    page.fill("#id_code", "X")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-text")
    assert_accessible(page, "org-location-errors")


def test_it_passes_axe_on_the_code_list_pages_and_role_home(page, live_server, login, assert_accessible, browser):
    login("landelijk")
    page.goto(f"{live_server.url}/codelijsten/")
    assert_accessible(page, "codelists")
    page.goto(f"{live_server.url}/codelijsten/1/")
    assert_accessible(page, "codelist-version")
    page.context.clear_cookies()
    login("gemeente")
    assert_accessible(page, "home-gemeente")
