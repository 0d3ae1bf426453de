"""The signal workflow in a real browser, with axe on every page.

A signal is found by the real detection on hand-made registrations; then the coordinator confirms
and sends it, the organisation answers through the expiring link (no account), the coordinator
closes it and sees before/after figures, and the gemeente sees only suppressed aggregates.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect
from signal_data import FLAT, insert, question_rows  # tests/ is on sys.path (conftest.py lives there)

from balie.network.models import Location
from balie.partners.models import Partner
from balie.signals import collect, services
from balie.signals.models import Signal, Status

pytestmark = pytest.mark.browser

UNTIL = collect.last_complete_week(dt.date.today())
# More than a year (plus the 6-week shift tolerance): with less history the season of a week is unknown and only a
# large rise that stands out against other libraries counts (ADR 0007, "Seasons the history cannot show").
WEEKS = 60
NOTE = "Upload van documenten bij UWV lukt niet"






@pytest.fixture
def detected(demo, settings):
    """Flat weeks in Rotterdam and Gouda; UWV jumps in Rotterdam in the last two weeks, SVB (small) too."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    rdam = Location.objects.get(code="RDAM-CENTRAAL")
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    rows: list[tuple] = []
    for k in range(WEEKS):
        week = UNTIL - dt.timedelta(weeks=WEEKS - 1 - k)
        rows += question_rows(rdam, {**FLAT, "SVB": 2}, week) + question_rows(gouda, FLAT, week)
        if k >= WEEKS - 2:
            rows += question_rows(rdam, {"UWV": 25}, week, note=NOTE) + question_rows(rdam, {"SVB": 9}, week)
    insert(rows)
    services.run(UNTIL)
    Partner.objects.create(name="UWV", signal_email="signalen@uwv.example", signal_codes="|UWV|", receives_signals=True, receives_referrals=False)
    return Signal.objects.get(scope_key="organisatie:BIB-RDAM", instantie="UWV", onderwerp="", kind="aantal")


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_it_walks_a_signal_from_detection_to_solved_in_the_browser(page, browser, live_server, login, detected, assert_accessible):
    signal = detected
    # Rendering the PDF report on a busy machine can take more than the default 10 s.
    page.set_default_timeout(30_000)
    login("coordinator")
    page.goto(f"{live_server.url}/signalen/")
    assert_accessible(page, "signals-list")
    assert "Rotterdam" in page.inner_text("main")
    page.click("a:text-is('UWV: meer vragen dan verwacht')")
    page.wait_for_url(f"**/signalen/{signal.uuid}/")
    assert page.inner_text("#status") == "Nieuw"
    assert NOTE in page.inner_text("main")  # the coordinator sees the library's own example notes
    assert_accessible(page, "signals-detail-new")

    # Confirm with a description in plain words.
    page.fill("#id_description", "Het uploaden van documenten in de app van UWV lukt niet.")
    page.fill("#id_impact", "Bezoekers kunnen hun aanvraag niet afmaken.")
    page.click("button:text-is('Bevestigen')")
    page.wait_for_selector(".utrecht-alert--ok")
    assert page.inner_text("#status") == "Bevestigd"
    assert_accessible(page, "signals-detail-confirmed")

    # Send it to the organisation: an e-mail with the PDF and the response link.
    page.select_option("#id_recipient", label="UWV")
    page.click("button:text-is('Versturen')")
    page.wait_for_selector(".utrecht-alert--ok")
    assert page.inner_text("#status") == "Gemeld"
    call_command("run_worker", "--once", verbosity=0)  # partner e-mail goes through the outbox (core/outbox.py)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["signalen@uwv.example"] and message.attachments[0][2] == "application/pdf"
    assert NOTE not in message.body  # examples were not ticked
    link = re.search(r"https?://\S+/signalen/reactie/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)

    # The organisation answers through the link, without an account, in a browser of its own.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    try:
        partner = context.new_page()
        partner.set_default_timeout(30_000)
        partner.goto(link)
        body = partner.inner_text("main")
        assert "Het uploaden van documenten" in body and NOTE not in body
        assert_accessible(partner, "signals-respond")
        partner.fill("#id_text", "Er was een fout in de nieuwe versie van de app.")
        partner.fill("#id_change", "De app is hersteld; uploaden werkt weer.")
        partner.fill("#id_change_date", (UNTIL - dt.timedelta(weeks=1)).isoformat())
        partner.click("button:text-is('Reactie versturen')")
        partner.wait_for_selector(".utrecht-alert--ok")
        assert "Uw reactie is opgeslagen" in partner.inner_text("main")
        assert_accessible(partner, "signals-respond-done")
    finally:
        context.close()
    response = signal.responses.get()
    assert response.by is None and response.change.startswith("De app is hersteld")

    # Back at the library: the answer is in, close the signal as solved and see before/after.
    page.reload()
    assert page.inner_text("#status") == "Reactie ontvangen"
    assert "De app is hersteld" in page.inner_text("main")
    page.check("input[name=solved][value=ja]")
    page.fill("#id_note", "Na de nieuwe versie kwamen er weer gewone aantallen.")
    page.click("button:text-is('Opslaan')")
    page.wait_for_selector(".utrecht-alert--ok")
    assert page.inner_text("#status") == "Opgelost"
    figures = page.inner_text("#voor-na")
    assert "8 weken ervoor" in figures
    assert_accessible(page, "signals-detail-solved")
    signal.refresh_from_db()
    assert signal.status == Status.OPGELOST
    assert list(signal.history.values_list("to_status", flat=True)) == [
        Status.NIEUW, Status.BEVESTIGD, Status.GEMELD, Status.REACTIE, Status.OPGELOST]

    # The gemeente: aggregates for its municipality only, counts under 5 suppressed, no notes.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    try:
        gm = context.new_page()
        gm.set_default_timeout(30_000)
        _login(gm, live_server.url, "gemeente")
        gm.goto(f"{live_server.url}/signalen/")
        listing = gm.inner_text("main")
        assert "UWV: meer vragen dan verwacht" in listing and "SVB: meer vragen dan verwacht" in listing
        assert NOTE not in listing and "Gouda" not in listing
        assert_accessible(gm, "signals-list-gemeente")
        gm.click("a:text-is('SVB: meer vragen dan verwacht')")
        gm.wait_for_selector("#status")
        page_text = gm.inner_text("main")
        assert NOTE not in page_text and "Voorbeeldnotities" not in page_text
        gm.click("summary:text-is('Cijfers per week als tabel')")
        assert "<5" in gm.inner_text("table.weekly")  # SVB had 2 a week: shown as <5
        assert_accessible(gm, "signals-detail-gemeente")
    finally:
        context.close()


def test_it_manages_the_recipients_of_signals_in_the_browser(page, live_server, login, assert_accessible):
    login("coordinator")
    page.goto(f"{live_server.url}/signalen/")
    page.click("a:text-is('Ontvangers van signalen beheren')")
    page.wait_for_url("**/ontvangers/")
    expect(page.locator("main").first).to_contain_text("Nog geen ontvangers", use_inner_text=True)
    assert_accessible(page, "signals-recipients-empty")
    page.click("a:text-is('+ Ontvanger toevoegen')")
    page.wait_for_url("**/ontvangers/nieuw/")
    assert_accessible(page, "signals-recipient-new")
    page.fill("#id_name", "Woonstad Rotterdam")
    page.fill("#id_email", "signalen@woonstad.example")
    # Instanties are ticked by name (issue 14, B11); none ticked is an error on the field.
    page.click("button:text-is('Opslaan')")
    page.wait_for_selector("#foutmeldingen")
    expect(page.locator("main").first).to_contain_text("Kies minstens één instantie.", use_inner_text=True)
    assert_accessible(page, "signals-recipient-errors")
    page.check("input[name=codes][value=WONEN_WOONSTAD]")
    page.click("button:text-is('Opslaan')")
    page.wait_for_selector(".utrecht-alert--ok")
    expect(page.locator("table").first).to_contain_text("Woonstad Rotterdam", use_inner_text=True)
    assert_accessible(page, "signals-recipients")
    assert Partner.objects.get(receives_signals=True).organisation.code == "BIB-RDAM"


def test_it_marks_a_signal_as_geen_signaal_in_the_browser(page, live_server, login, detected, assert_accessible):
    """The coordinator judges the rise harmless: the form is on the signal's page (and its own page), a reason is
    required, personal data in the explanation is redacted, and the judgement shows on the signal and in the list."""
    import pathlib

    shots = pathlib.Path("/tmp/shots-signals")
    shots.mkdir(exist_ok=True)
    page.set_default_timeout(30_000)
    login("coordinator")
    page.goto(f"{live_server.url}/signalen/{detected.uuid}/")
    assert page.is_visible("#geen-signaal")
    # Without a reason: refused, with the error next to the field, and the signal stays new.
    page.click("#geen-signaal button:text-is('Geen signaal')")
    page.wait_for_url(f"**/signalen/{detected.uuid}/geen-signaal/")
    expect(page.locator("main").first).to_contain_text("Kies waarom dit geen signaal is.", use_inner_text=True)
    assert_accessible(page, "signals-dismiss-error")
    page.screenshot(path=str(shots / "dismiss-error.png"), full_page=True)
    page.check("#id_dismiss_reason_0")
    page.fill("#id_dismiss_note", "Elk jaar in deze weken; bezoeker 06-12345678 belde.")
    page.click("button:text-is('Geen signaal')")
    page.wait_for_url(f"**/signalen/{detected.uuid}/")
    assert page.inner_text("#status") == "Geen signaal"
    reason = page.inner_text("#geen-signaal-reden")
    assert "Hoort bij de tijd van het jaar" in reason and "12345678" not in reason
    assert "weggelakt" in page.inner_text("main")
    assert not page.is_visible("#geen-signaal")
    assert_accessible(page, "signals-detail-geen-signaal")
    page.screenshot(path=str(shots / "dismissed.png"), full_page=True)
    page.goto(f"{live_server.url}/signalen/")
    assert "Geen signaal" in page.inner_text("main")
    detected.refresh_from_db()
    assert detected.status == Status.GEEN_SIGNAAL
