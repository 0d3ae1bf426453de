"""The grouped main menu: opens with the mouse and the keyboard, one group at a time, Escape closes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_menu_groups_open_one_at_a_time_and_close_with_escape(page, login, live_server, assert_accessible):
    login("coordinator")
    page.goto(f"{live_server.url}/balie/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_text("Inzicht", exact=True).click()
    assert nav.get_by_role("link", name="Prognose").is_visible()
    assert_accessible(page, "navigatie-groep-open")
    # Opening another group closes the first.
    nav.get_by_text("Helpen en verwijzen", exact=True).click()
    assert nav.get_by_role("link", name="Sociale kaart").is_visible()
    # The toggle event closes the other group a moment later: wait for it rather than read at once.
    expect(nav.get_by_role("link", name="Prognose")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Sociale kaart")).to_be_hidden()
    # Keyboard only: the summary takes focus and Enter opens the group.
    nav.locator("summary", has_text="Organisatie").focus()
    page.keyboard.press("Enter")
    with page.expect_navigation():
        nav.get_by_role("link", name="Importeren").click()
    assert page.url.endswith("/balie/importeren/") or "/import" in page.url
    assert nav.locator("summary.is-current", has_text="Organisatie").count() == 1
    # At phone width the bar wraps and an open group pushes the page down instead of covering it.
    page.set_viewport_size({"width": 360, "height": 740})
    nav.get_by_text("Inzicht", exact=True).click()
    assert nav.get_by_role("link", name="Signalen").is_visible()
    assert_accessible(page, "navigatie-telefoon")
