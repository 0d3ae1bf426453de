"""The toolkit in a real browser: a fake DigiD SMS is "nep" with reasons, a photographed letter shows its deadline and
amount, the printed summary is one page, and axe finds nothing on any of these pages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from balie.core.models import AuditEvent
from balie.letters import ocr

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FAKE_DIGID_SMS = "DigiD: Uw DigiD verloopt vandaag. Verleng direct via https://digid-verlengen.com om blokkering te voorkomen."
REAL_MESSAGE = "Er staat een nieuw bericht voor u in uw Berichtenbox van MijnOverheid. Ga naar mijnoverheid.nl en log in met DigiD."


def test_it_shows_a_fake_digid_sms_as_nep_with_reasons(page, live_server, login, assert_accessible):
    login("medewerker")
    page.click("nav summary >> text=Helpen en verwijzen")
    page.click("nav >> text=Hulpmiddelen")
    page.wait_for_url("**/hulpmiddelen/")
    assert_accessible(page, "toolkit-index")
    page.click("text=Is dit bericht echt?")
    page.wait_for_url("**/bericht/")
    assert_accessible(page, "toolkit-message")
    page.fill("#tekst", FAKE_DIGID_SMS)
    page.click("#controleer")
    page.wait_for_selector("[data-verdict]")
    assert page.get_attribute("[data-verdict]", "data-verdict") == "nep"
    assert page.inner_text(".verdict__label") == "Nep"
    reasons = page.inner_text(".reasons")
    assert "digid-verlengen.com lijkt op digid.nl" in reasons and "DigiD stuurt nooit" in reasons
    # Focus moves to the result, so keyboard and screen reader users land on it.
    assert page.evaluate("document.activeElement.id") == "uitslag"
    assert_accessible(page, "toolkit-message-nep")
    assert AuditEvent.objects.filter(event="message_checked").count() == 1


def test_it_checks_a_message_on_the_public_page_without_login(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/hulpmiddelen/is-dit-echt/")
    assert page.locator("nav").count() == 0
    assert_accessible(page, "toolkit-public")
    page.fill("#tekst", REAL_MESSAGE)
    page.click("#controleer")
    page.wait_for_selector("[data-verdict]")
    assert page.get_attribute("[data-verdict]", "data-verdict") == "betrouwbaar"
    expect(page.locator("footer").first).to_contain_text("088-786 73 72", use_inner_text=True)
    assert_accessible(page, "toolkit-public-betrouwbaar")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.fill("#tekst", FAKE_DIGID_SMS)
    page.click("#controleer")
    page.wait_for_selector("[data-verdict=nep]")
    assert_accessible(page, "toolkit-public-nep-phone")


@pytest.mark.skipif(bool(ocr.unavailable_reason()), reason=f"OCR niet beschikbaar: {ocr.unavailable_reason()}")
def test_it_reads_a_photographed_letter_and_shows_deadline_and_amount(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/hulpmiddelen/brief/")
    assert_accessible(page, "toolkit-letter")
    page.set_input_files("#bestand", str(FIXTURES / "brief-foto-aanslag.png"))
    page.click("#uitleggen")
    page.wait_for_selector(".summary", timeout=30_000)
    summary = page.inner_text(".summary")
    assert "Belastingdienst" in summary
    assert "Uiterlijk woensdag 30 april 2025: Betalen" in summary
    assert "Uiterlijk dinsdag 29 april 2025: Bezwaar maken" in summary
    assert "€ 1.234,56" in summary
    assert_accessible(page, "toolkit-letter-result")
    assert AuditEvent.objects.get(event="letter_explained").extra == {"action": "betalen", "source": "foto"}

    # Printed, only the visitor's summary remains, and it fits on one A4 page.
    page.emulate_media(media="print")
    assert not page.is_visible("form") and not page.is_visible("#details") and not page.is_visible("header")
    assert page.is_visible(".summary")
    page.screenshot(path=str(Path(__file__).resolve().parents[2] / "test-artifacts" / "toolkit-letter-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert len(PdfReader(BytesIO(pdf)).pages) == 1


def test_it_shows_a_clear_message_for_a_letter_in_another_language(page, live_server, login, assert_accessible):
    login("medewerker")
    page.goto(f"{live_server.url}/hulpmiddelen/brief/")
    page.fill("#tekst", "Dear Mr Smith, We are writing to tell you that you have paid too much tax. You will receive a refund "
                        "within 30 days. If you do not agree with this decision, please contact us on our website.")
    page.click("#uitleggen")
    page.wait_for_selector("#brief-fout")
    expect(page.locator("#brief-fout").first).to_contain_text("in het Engels geschreven", use_inner_text=True)
    assert_accessible(page, "toolkit-letter-error")
