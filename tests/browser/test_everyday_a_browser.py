"""Issue 14 items 1-3 in a real browser (1366x768), axe on every new or changed page, screenshots in /tmp/shots-everyday-a/.

1. Human words: Vandaag and Turven show labels; a municipality is chosen by name in the location form.
2. Find and correct: the coordinator finds a colleague's back-dated registration, corrects it, sees its history.
3. Refer in one flow: saving "Doorverwezen" opens the partners; after the referral, the slip prints in Dutch and English.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.desk.models import Question, QuestionCorrection
from balie.network.models import Location
from balie.referrals.models import Referral

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-everyday-a")
# Codes that must never be read on these pages (their labels differ from the code).
RAW = re.compile(r"(?<![\w-])(TOESLAGEN|AANVRAGEN|GEEN|APPARAAT|DEELS|OPGELOST|DOORVERWEZEN|ONLINE_DIENST|WONEN_WOONSTAD|GM\d{4})(?![\w-])")


@pytest.fixture(autouse=True)
def _patient(page):
    # Two shared cores: the first request of a live server can take longer than the default 10 s.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _staff(name: str):
    return get_user_model().objects.get(username=name)


def test_it_shows_words_not_codes_and_picks_a_municipality_by_name(page, live_server, login, assert_accessible):
    staff = _staff("medewerker")
    loc = Location.objects.get(code="RDAM-CENTRAAL")
    desk_services.visit_register(user=staff, location=loc, questions=[
        {"instantie": "WONEN_WOONSTAD", "onderwerp": "BETALEN", "uitkomst": "DEELS"},
        {"instantie": "ONLINE_DIENST", "onderwerp": "VEILIGHEID", "uitkomst": "OPGELOST"}])
    desk_services.visit_register(user=staff, location=loc, questions=[{"instantie": "TOESLAGEN", "onderwerp": "AANVRAGEN", "uitkomst": "OPGELOST"}],
                                 started_at=timezone.now() - dt.timedelta(days=5))
    desk_services.tally_add(user=staff, location=loc, instantie="GEEN", onderwerp="APPARAAT")
    login("medewerker")
    page.goto(f"{live_server.url}/balie/vandaag/")
    text = page.inner_text("main")
    assert "Woonstad Rotterdam" in text and "Deels, komt terug" in text and "Vandaag achteraf geregistreerd" in text
    assert not RAW.search(text), RAW.search(text)
    assert_accessible(page, "ea-vandaag")
    shot(page, "1-vandaag")
    page.goto(f"{live_server.url}/balie/turven/")
    text = page.inner_text("main")
    assert "Geen organisatie · apparaat, e-mail of app gebruiken" in text and not RAW.search(text)
    assert_accessible(page, "ea-turven")
    shot(page, "1-turven")
    # A chip fills the fields with words.
    page.goto(f"{live_server.url}/balie/")
    page.locator(".chip").first.click()
    assert page.input_value("#q-0-instantie") and not RAW.search(page.input_value("#q-0-instantie") + " " + page.input_value("#q-0-onderwerp"))
    shot(page, "1-register-chip")

    page.context.clear_cookies()
    login("coordinator")
    page.goto(f"{live_server.url}/organisatie/locaties/nieuw/")
    assert page.locator("#id_gemeente_code").get_attribute("list") == "gemeenten-gemeente_code"
    assert page.locator("datalist#gemeenten-gemeente_code option[value='Capelle aan den IJssel']").count() == 1
    assert_accessible(page, "ea-location-form")
    page.fill("#id_code", "RDAM-TEST-1")
    page.fill("#id_naam", "Testvestiging Capelle")
    page.fill("#id_gemeente_code", "capelle aan den ijssel")
    page.keyboard.press("Escape")  # close the browser's suggestion list first, as a person would
    shot(page, "1-location-form")
    page.locator("#id_naam").press("Enter")
    page.wait_for_url(lambda url: "nieuw" not in url)
    assert Location.objects.get(code="RDAM-TEST-1").gemeente.naam == "Capelle aan den IJssel"
    text = page.inner_text("main")
    assert "Capelle aan den IJssel" in text and not re.search(r"GM\d{4}", text)
    shot(page, "1-location-saved")


def test_the_coordinator_finds_and_corrects_a_back_dated_registration(page, live_server, login, assert_accessible):
    colleague = _staff("collega")
    loc = Location.objects.get(code="RDAM-CENTRAAL")
    visit, _ = desk_services.visit_register(user=colleague, location=loc, questions=[
        {"instantie": "TOESLAGEN", "onderwerp": "AANVRAGEN", "uitkomst": "DEELS"}], started_at=timezone.now() - dt.timedelta(days=6))
    question = visit.questions.get()
    for n in range(6):
        desk_services.visit_register(user=_staff("medewerker"), location=loc, questions=[
            {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}], started_at=timezone.now() - dt.timedelta(days=n + 1))
    login("coordinator")
    page.goto(f"{live_server.url}/balie/vandaag/")
    page.click("a:text('overzicht van registraties')")
    page.wait_for_url("**/balie/registraties/")
    assert_accessible(page, "ea-registrations")
    page.select_option("#id_medewerker", "collega")
    page.check("#id_achteraf")
    with page.expect_navigation():
        page.click("button:text-is('Zoeken')")
    assert page.locator("tbody tr").count() == 1
    text = page.inner_text("main")
    assert "Dienst Toeslagen" in text and "achteraf" in text and not RAW.search(text)
    shot(page, "2-registrations-filtered")
    page.click("tbody a:text('Corrigeren')")
    page.wait_for_url(f"**/balie/vraag/{question.uuid}/**")
    assert page.input_value("#q-0-instantie") == "Dienst Toeslagen"
    page.check("input[name='q-0-uitkomst'][value='OPGELOST']")
    page.click("#opslaan")
    page.wait_for_url("**/balie/registraties/?*")
    expect(page.locator("main").first).to_contain_text("De correctie is opgeslagen", use_inner_text=True)
    shot(page, "2-registrations-after-correction")
    question.refresh_from_db()
    assert question.uitkomst == "OPGELOST" and QuestionCorrection.objects.filter(question=question).count() == 1
    page.goto(f"{live_server.url}/balie/vraag/{question.uuid}/")
    assert "Uitkomst: Deels, komt terug → Opgelost" in page.inner_text("main")
    assert_accessible(page, "ea-question-history")
    shot(page, "2-question-history")


def test_it_refers_from_the_registration_and_prints_the_slip_in_two_languages(page, live_server, login, assert_accessible):
    build_social_map()
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    page.fill("#q-0-instantie", "Belastingdienst")
    page.fill("#q-0-onderwerp", "Betalen, terugbetalen, regeling, schulden")
    page.check("input[name='q-0-uitkomst'][value='DOORVERWEZEN']")
    page.click("#opslaan")
    page.wait_for_url("**/verwijzingen/nieuw/*/")
    question = Question.objects.get()
    expect(page.locator("main").first).to_contain_text("Partners die hierbij helpen", use_inner_text=True)
    shot(page, "3-refer-partners")
    page.locator("ol.matches a.btn").first.click()
    page.wait_for_selector("#toestemmingstekst")
    # Without consent the contact fields are not shown (CSS :has, no script).
    assert not page.is_visible("#naam")
    page.check("input[name='toestemming'][value='ja']")
    assert page.is_visible("#naam")
    page.check("input[name='toestemming'][value='nee']")
    page.check("input[name='soort'][value='informatie']")
    assert_accessible(page, "ea-refer-form")
    shot(page, "3-refer-form")
    page.click("#verwijzen")
    page.wait_for_url("**/verwijzingen/*/")
    referral = Referral.objects.get(question=question)
    page.click("a:text('Briefje voor de bezoeker afdrukken')")
    page.wait_for_url(f"**/verwijzingen/{referral.uuid}/briefje/")
    slip = page.inner_text("article.slip")
    assert referral.partner.name in slip and "Neem mee" in slip and not RAW.search(slip)
    assert_accessible(page, "ea-slip-nl")
    shot(page, "3-slip-nl")
    page.emulate_media(media="print")
    shot(page, "3-slip-nl-print")
    assert not page.is_visible(".balie-header") and not page.is_visible("button[data-print]")
    page.emulate_media(media="screen")
    page.click("a:text('English version')")
    page.wait_for_url("**/briefje/?taal=en")
    slip = page.inner_text("article.slip")
    assert "Bring with you" in slip and "can help you further" in slip and not RAW.search(slip)
    assert page.get_attribute("article.slip", "lang") == "en"
    assert_accessible(page, "ea-slip-en")
    shot(page, "3-slip-en")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    (SHOTS / "3-slip-en.pdf").write_bytes(pdf)
