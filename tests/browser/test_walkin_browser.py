"""The walk-in queue in real browsers: kiosk, display, visitor phone and desk each in their own context, axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from balie.walkin.models import QueueSettings, Status, Ticket

pytestmark = pytest.mark.browser


def new_page(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def test_it_takes_a_ticket_shows_it_calls_it_and_registers_it(page, browser, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/wachtrij/balie/")
    assert_accessible(page, "walkin-staff-off")
    page.click("text=Wachtrij aanzetten")
    page.wait_for_selector("text=De wachtrij staat aan.")
    token = QueueSettings.objects.get(location__code="RDAM-CENTRAAL").kiosk_token

    kiosk = new_page(browser, 1024, 768)  # a tablet at the entrance, no login
    kiosk.goto(f"{live_server.url}/wachtrij/RDAM-CENTRAAL/kiosk/{token}/")
    assert_accessible(kiosk, "walkin-kiosk")
    kiosk.click("button.walkin-topic:has-text('DigiD en inloggen')")
    kiosk.wait_for_selector(".walkin-bignumber")
    assert kiosk.inner_text(".walkin-bignumber").strip() == "1"
    assert kiosk.locator(".walkin-qr svg").count() == 1
    assert_accessible(kiosk, "walkin-kiosk-ticket")
    ticket = Ticket.objects.get()

    display = new_page(browser, 1920, 1080)
    display.goto(f"{live_server.url}/wachtrij/RDAM-CENTRAAL/scherm/")
    assert "Wachtend: 1" in display.inner_text(".walkin-board__waiting")
    display.click("#geluid")
    assert display.get_attribute("#geluid", "aria-pressed") == "true"
    assert_accessible(display, "walkin-display-waiting")

    phone = new_page(browser, 390, 844)  # what the QR code opens
    phone.goto(f"{live_server.url}/wachtrij/ticket/{ticket.uuid}/")
    assert "U bent de volgende" in phone.inner_text("#status")
    assert_accessible(phone, "walkin-ticket-phone")

    page.goto(f"{live_server.url}/wachtrij/balie/")
    assert_accessible(page, "walkin-staff")
    page.fill("#desk_label", "balie 2")
    page.click("#volgende")
    page.wait_for_selector("text=Nummer 1 is opgeroepen naar balie 2.")

    # The display polls by itself: no reload here.
    # expect() polls without eval; wait_for_function("...") would evaluate a string, which the CSP forbids.
    call = display.locator(".walkin-board__call").first
    expect(call).to_contain_text("Nummer 1", timeout=15_000)
    expect(call).to_contain_text("balie 2", timeout=15_000)
    expect(display.locator("#omroep")).to_contain_text("Nummer 1, ga naar balie 2", timeout=15_000)
    assert_accessible(display, "walkin-display-called")
    phone.wait_for_selector("text=U bent aan de beurt! Ga naar balie 2.", timeout=20_000)

    page.click("#opgeroepen-1 a:has-text('Registreren')")
    page.wait_for_selector("#registratie")
    assert page.input_value("#q-0-instantie") == "DigiD (Logius)"
    assert page.input_value("#q-0-onderwerp") == "Inloggen (DigiD, eHerkenning, app, sms, wachtwoord)"
    page.check("input[name=q-0-uitkomst][value=OPGELOST]")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")

    ticket.refresh_from_db()
    assert ticket.status == Status.GEHOLPEN
    assert ticket.visit is not None and ticket.visit.questions.get().instantie == "DIGID"
    page.goto(f"{live_server.url}/wachtrij/balie/")
    assert "Er is nu niemand opgeroepen." in page.inner_text("main")
    phone.wait_for_selector("text=U bent geholpen. Fijne dag!", timeout=20_000)

    for other in (kiosk, display, phone):
        assert other.js_errors == [], other.js_errors
        other.context.close()


def test_it_passes_axe_on_the_statistics_and_the_friendly_error_pages(page, browser, live_server, login, assert_accessible):
    login("coordinator")
    page.goto(f"{live_server.url}/wachtrij/balie/")
    page.click("text=Wachtrij aanzetten")
    page.select_option("#onderwerp", "BRIEF")
    page.click("button:has-text('Nummer uitgeven')")
    page.wait_for_selector(".walkin-issued svg")
    assert_accessible(page, "walkin-staff-issued")
    page.click("#volgende")
    page.click("#opgeroepen-1 button:has-text('Niet verschenen')")
    page.wait_for_selector("text=Nummer 1 staat op niet verschenen.")

    page.click("text=Wachtrij-statistiek")
    page.wait_for_selector("#stat-tickets")
    expect(page.locator("#stat-noshow").first).to_contain_text("100% van de opgeroepen", use_inner_text=True)
    assert_accessible(page, "walkin-stats")

    visitor = new_page(browser, 390, 844)
    visitor.goto(f"{live_server.url}/wachtrij/ticket/bestaat-niet/")
    assert "We kennen dit nummer niet" in visitor.inner_text("h1")
    assert_accessible(visitor, "walkin-ticket-unknown")
    visitor.goto(f"{live_server.url}/wachtrij/RDAM-CENTRAAL/kiosk/verkeerd/")
    assert_accessible(visitor, "walkin-kiosk-wrong-token")
    visitor.context.close()


def test_it_updates_the_display_without_javascript(browser, live_server, demo):
    from balie.accounts.models import User
    from balie.network.models import Location
    from balie.walkin import services

    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.create(location=location, enabled=True)
    services.ticket_issue(location=location, topic="GELD")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720}, locale="nl-NL")
    display = context.new_page()
    display.goto(f"{live_server.url}/wachtrij/RDAM-CENTRAAL/scherm/")
    assert "Nog niemand opgeroepen" in display.inner_text("#bord")
    services.ticket_call_next(user=User.objects.get(username="collega"), location=location, desk_label="balie 3")
    # The <noscript> meta refresh reloads the page every 5 seconds.
    display.wait_for_selector("text=balie 3", timeout=12_000)
    assert "Nummer 1" in display.inner_text(".walkin-board__call")
    context.close()
