"""Login step two, the own account and 'Wachtwoord vergeten?' in Chromium: every page passes axe (screenshots in
test-artifacts/), with two-factor authentication on as in production."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.BALIE_REQUIRE_2FA = True


def _code(username: str, steps_ahead: int = 0) -> str:
    device = TOTPDevice.objects.filter(user__username=username).latest("pk")
    return f"{totp(device.bin_key, digits=device.digits, drift=device.drift + steps_ahead):06d}"


def test_a_coordinator_sets_up_the_app_and_logs_in_with_a_code(page, live_server, login, assert_accessible):
    login("coordinator")
    # Straight from the password to setting up the app: the page the coordinator asked for must wait.
    expect(page).to_have_url(re.compile(r"/inloggen/app-instellen/"))
    assert page.locator("svg[role=img]").count() == 1 and page.get_by_role("navigation", name="Hoofdmenu").locator("a").count() == 0
    assert_accessible(page, "2fa-setup")
    page.fill("#id_code", "000000" if _code("coordinator") != "000000" else "111111")
    page.click("main button[type=submit]")
    expect(page.locator(".error-text")).to_contain_text("Deze code klopt niet")
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "2fa-setup-wrong-code")
    page.fill("#id_code", _code("coordinator"))
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page, "2fa-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Ik heb de codes bewaard: verder").click()
    assert "/overzicht/" in page.url  # the coordinator's start page (the overview, issue 14)
    page.goto(f"{live_server.url}/account/")
    assert_accessible(page, "account")
    page.goto(f"{live_server.url}/account/medewerkers/")
    assert_accessible(page, "2fa-staff")
    # Next login: the code page.
    page.context.clear_cookies()
    login("coordinator")
    expect(page).to_have_url(re.compile(r"/inloggen/code/"))
    assert_accessible(page, "2fa-verify")
    page.fill("#id_code", _code("coordinator", steps_ahead=1))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/overzicht/" in page.url


def test_the_forgotten_password_pages(page, live_server, demo, assert_accessible, django_user_model, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # the mail, at once
    django_user_model.objects.filter(username="medewerker").update(email="sanne@bibliotheek-rotterdam.nl")
    page.goto(f"{live_server.url}/inloggen/")
    with page.expect_navigation():
        page.get_by_role("link", name="Wachtwoord vergeten?").click()
    assert_accessible(page, "password-reset-form")
    page.click("main button[type=submit]")
    expect(page.locator(".error-text")).to_be_visible()
    assert_accessible(page, "password-reset-form-error")
    page.fill("#id_email", "sanne@bibliotheek-rotterdam.nl")
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    assert_accessible(page, "password-reset-sent")
    link = re.search(r"http://[^/\s]+(/wachtwoord-vergeten/nieuw/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="Nieuw wachtwoord kiezen")).to_be_visible()
    assert_accessible(page, "password-reset-new")
    page.fill("#id_new_password1", "1234567890")
    page.fill("#id_new_password2", "1234567890")
    page.click("main button[type=submit]")
    expect(page.locator(".error-text").first).to_be_visible()
    assert_accessible(page, "password-reset-new-errors")
    page.fill("#id_new_password1", "Een-eigen-wachtwoord-42")
    page.fill("#id_new_password2", "Een-eigen-wachtwoord-42")
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="Uw wachtwoord is gewijzigd")).to_be_visible()
    assert_accessible(page, "password-reset-done")
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="Deze link werkt niet meer")).to_be_visible()
    assert_accessible(page, "password-reset-link-used")


def test_a_password_chosen_by_the_coordinator_is_changed_at_the_first_login(page, live_server, demo, assert_accessible,
                                                                              django_user_model, settings):
    settings.BALIE_REQUIRE_2FA = False
    user = django_user_model.objects.get(username="collega")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.get_by_text("In deze demo is tweestapsverificatie uit")).to_be_visible()
    page.fill("#id_username", "collega")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account/wachtwoord/"))
    assert_accessible(page, "password-change-first-login")
