"""The desk in English in a real browser (issue 14 item 4): a staff member who chose English registers a question."""

from __future__ import annotations

from conftest import ARTIFACTS  # tests/browser/conftest.py


def test_the_desk_speaks_english_and_saves_with_english_labels(page, live_server, login, demo):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="medewerker").update(language="en")
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Register a question"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desk-english.png"), full_page=True)
    # English labels in, the code stored: the labels the datalist offers are read back by the server.
    page.fill("#q-0-instantie", "Dienst Toeslagen")
    page.fill("#q-0-onderwerp", "Logging in")
    page.locator("label", has_text="Solved").first.click()
    with page.expect_navigation():
        page.click("#opslaan")
    assert "Saved:" in page.locator(".messages").inner_text()
