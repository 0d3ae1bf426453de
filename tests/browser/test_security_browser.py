"""Pages that no other browser test opens, under the Content-Security-Policy (review L6): the error pages, the API
documentation (Swagger UI) and the Django admin. The shared fixtures fail the test on any CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_error_pages_are_accessible_in_dutch_and_english(browser, live_server, demo, assert_accessible):
    for locale, title in (("nl-NL", "Deze pagina bestaat niet"), ("en-GB", "This page does not exist")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        response = page.goto(f"{live_server.url}/bestaat-niet/")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text(title)
        assert_accessible(page, f"error-404-{locale}")
        context.close()


def test_the_403_page_shows_the_reason(page, live_server, login, assert_accessible):
    login("medewerker")
    response = page.goto(f"{live_server.url}/inzicht/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("Inzicht is er voor coördinatoren, gemeenten en de landelijke rol.")
    assert_accessible(page, "error-403")


def test_swagger_ui_runs_under_the_policy(page, live_server, demo):
    page.goto(f"{live_server.url}/api/v1/docs/")
    # The UI is built by its script (served as a file): the operations appear only if it ran.
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=20_000)
    page.locator(".opblock-summary").first.click()
    page.wait_for_timeout(500)


def test_the_django_admin_runs_under_the_policy(page, live_server, demo):
    page.goto(f"{live_server.url}/beheer/login/")
    page.fill("#id_username", "beheerder")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in ("/beheer/", "/beheer/accounts/user/", "/beheer/accounts/user/add/"):
        page.goto(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}", "signed in, not sent back to the login page"
        expect(page.locator("#content")).to_be_visible()
