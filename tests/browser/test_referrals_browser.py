"""The closed loop in a real browser, with axe on every new page.

A staff member refers a visitor warmly with consent from the desk; the partner opens the e-mailed link in a
fresh browser (no account, no cookies) and marks the visitor as helped; the coordinator sees the loop closed.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from balie.courses.models import Course
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location
from balie.partners.models import Partner
from balie.referrals.models import Referral, Status

pytestmark = pytest.mark.browser


@pytest.fixture
def social(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    build_social_map()
    build_courses()
    staff = get_user_model().objects.get(username="medewerker")
    visit, _ = desk_services.visit_register(user=staff, location=Location.objects.get(code="RDAM-CENTRAAL"), questions=[
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN", "behoefteprofielen": ["STEUN"]}])
    return visit.questions.get()


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_it_closes_the_loop_from_desk_to_partner_to_coordinator(page, browser, live_server, social, assert_accessible):
    question = social
    _login(page, live_server.url, "medewerker")
    page.goto(f"{live_server.url}/balie/vandaag/")
    page.click(f"a[href='/verwijzingen/nieuw/{question.uuid}/']")
    page.wait_for_url(f"**/verwijzingen/nieuw/{question.uuid}/")
    first = page.locator("ol.matches > li").first
    expect(page.locator("ol.matches").first).to_contain_text("SchuldHulpMaatje Rotterdam", use_inner_text=True)
    assert page.locator(".big-phone").count() >= 1
    assert_accessible(page, "referral-refer-matches")

    page.click("a:text-is('Verwijzen naar SchuldHulpMaatje Rotterdam')")
    page.wait_for_selector("#toestemmingstekst")
    expect(page.locator("#toestemmingstekst").first).to_contain_text("Alleen de bibliotheek en SchuldHulpMaatje Rotterdam", use_inner_text=True)
    assert_accessible(page, "referral-refer-form")
    page.check("input[name=soort][value=samen_gebeld]", force=True)
    page.check("input[name=toestemming][value=ja]", force=True)
    page.fill("#naam", "Jantine Voorbeeldig")
    page.fill("#telefoon", "06 41234567")
    page.fill("#voorkeur", "dinsdagochtend")
    page.click("#verwijzen")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "Verstuurd"
    assert "Jantine" not in page.inner_text("main")  # contact data only on request
    page.click("#toon-contact")
    page.wait_for_selector("#contactgegevens")
    expect(page.locator("#contactgegevens").first).to_contain_text("Jantine Voorbeeldig", use_inner_text=True)
    assert_accessible(page, "referral-detail-staff")
    referral = Referral.objects.get()
    assert first is not None

    # The partner: a fresh browser context, no account, only the link from the e-mail.
    call_command("run_worker", "--once", verbosity=0)  # partner e-mail goes through the outbox (core/outbox.py)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/verwijzingen/\S+/partner/\S+/", mail.outbox[0].body).group(0)
    partner_context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    partner_page = partner_context.new_page()
    partner_page.set_default_timeout(10_000)
    partner_page.goto(link)
    assert "Verwijzing van Bibliotheek Rotterdam" in partner_page.inner_text("h1")
    assert_accessible(partner_page, "referral-partner-link")
    partner_page.click("#toon-contact")
    assert "06 41234567" in partner_page.inner_text("#contactgegevens")
    partner_page.check("input[name=status][value=geholpen]", force=True)
    partner_page.fill("#toelichting", "Afspraak gemaakt bij het maatje")
    partner_page.click("#status-opslaan")
    partner_page.wait_for_selector(".utrecht-alert--ok")
    assert partner_page.inner_text("#status") == "Geholpen"
    assert "Deze verwijzing is afgerond" in partner_page.inner_text("main")
    assert_accessible(partner_page, "referral-partner-link-done")
    partner_context.close()
    referral.refresh_from_db()
    assert referral.status == Status.GEHOLPEN

    # The coordinator sees the loop closed.
    page.click("button:text-is('Uitloggen')")
    _login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/verwijzingen/")
    expect(page.locator("table").first).to_contain_text("Geholpen", use_inner_text=True)
    assert_accessible(page, "referral-list-coordinator")
    page.goto(f"{live_server.url}/verwijzingen/{referral.uuid}/")
    assert page.inner_text("#status") == "Geholpen"
    assert "via link" in page.inner_text("main")
    page.goto(f"{live_server.url}/verwijzingen/cijfers/")
    assert "SchuldHulpMaatje Rotterdam" in page.inner_text("#per-partner")
    assert "100%" in page.inner_text("#per-partner")
    assert_accessible(page, "referral-figures")
    page.goto(f"{live_server.url}/verwijzingen/opvolgen/")
    assert_accessible(page, "referral-followup")


def test_the_social_map_and_course_pages_are_accessible(page, live_server, social, assert_accessible):
    question = social
    _login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/sociale-kaart/")
    assert "Humanitas" in page.inner_text("main") and "controleren" in page.inner_text("main")
    assert_accessible(page, "social-map-list")
    shm = Partner.objects.get(name="SchuldHulpMaatje Rotterdam")
    page.goto(f"{live_server.url}/sociale-kaart/{shm.uuid}/")
    assert_accessible(page, "social-map-partner")
    page.goto(f"{live_server.url}/sociale-kaart/{shm.uuid}/bewerken/")
    assert_accessible(page, "social-map-partner-form")
    page.goto(f"{live_server.url}/sociale-kaart/{shm.uuid}/diensten/{shm.services.first().uuid}/")
    page.fill("#id_warm_phone", "123")
    page.click("button:text-is('Opslaan')")
    page.wait_for_selector(".error-text")
    assert_accessible(page, "social-map-service-form-errors")
    page.goto(f"{live_server.url}/sociale-kaart/importeren/")
    page.set_input_files("#bestanden", files=[{"name": "organizations.csv", "mimeType": "text/csv", "buffer": b"id,name\no1,\n"}])
    page.click("button:text-is('Controleren en importeren')")
    page.wait_for_selector("#fouten")
    expect(page.locator("#fouten").first).to_contain_text("organizations.csv", use_inner_text=True)  # each error by file, line and column (HSDS 3.0)
    assert_accessible(page, "social-map-import-errors")
    page.goto(f"{live_server.url}/cursussen/")
    assert_accessible(page, "courses-list")
    course = Course.objects.get(title__startswith="Klik & Tik")
    page.goto(f"{live_server.url}/cursussen/{course.uuid}/vraag/{question.uuid}/")
    page.check("input[name=toestemming]")
    page.fill("#naam", "Piet Proef")
    page.fill("#telefoon", "06 41234567")
    page.click("button:text-is('Inschrijven')")
    page.wait_for_selector("#plaatsen")
    expect(page.locator("#plaatsen").first).to_contain_text("1 van 6", use_inner_text=True)
    page.click("a:text-is('Namen en telefoonnummers tonen')")
    page.wait_for_selector("text=Piet Proef")
    assert_accessible(page, "course-detail")
    page.goto(f"{live_server.url}/cursussen/nieuw/")
    assert_accessible(page, "course-form")
    page.goto(f"{live_server.url}/cursussen/{course.uuid}/vraag/{question.uuid}/")
    assert_accessible(page, "course-refer")


def test_the_partner_account_sees_its_referrals(page, live_server, social, assert_accessible):
    from balie.referrals import services

    staff = get_user_model().objects.get(username="medewerker")
    shm = Partner.objects.get(name="SchuldHulpMaatje Rotterdam")
    services.referral_create(user=staff, question=social, partner=shm, service=shm.services.first(), kind="begeleid", notify=False)
    _login(page, live_server.url, "partner")
    page.click("a:text-is('Verwijzingen')")
    page.wait_for_url("**/verwijzingen/")
    expect(page.locator("h1").first).to_contain_text("Verwijzingen aan SchuldHulpMaatje Rotterdam", use_inner_text=True)
    assert_accessible(page, "referral-list-partner")
    page.click("table a")
    page.wait_for_selector("#status")
    assert_accessible(page, "referral-detail-partner")
