"""The public pages in a real browser: without JavaScript, axe-clean, at 320 px and at 200% zoom; and the schedule pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from balie.network.models import WeeklyHours

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "public-index": "/",
    "public-results": "/?q=3011",
    "public-no-results": "/?q=Roterdam",
    "public-unknown-postcode": "/?q=1000",
    "public-location": "/locaties/RDAM-CENTRAAL/",
    "public-location-outreach": "/locaties/RDAM-SCHOOL-REGENBOOG/",
    "public-poster": "/locaties/RDAM-CENTRAAL/poster/",
    "public-not-found": "/locaties/BESTAAT-NIET/",
    "public-results-en": "/?q=Gouda&lang=en",
}


@pytest.fixture
def public_demo(demo):
    from balie.demo.public import add_demo_schedule

    add_demo_schedule()


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_finds_the_nearest_ido_by_postcode_with_javascript_disabled(browser, live_server, public_demo):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.fill("#q", "3011")
        page.press("#q", "Enter")  # a plain GET form: no script involved
        page.wait_for_url("**/?q=3011*")
        headings = page.locator(".results h3").all_inner_texts()
        assert headings[0] == "Centrale Bibliotheek"
        assert page.locator("h2#resultaten").inner_text() == "Informatiepunten bij 3011 (Rotterdam)"
        page.click("text=Centrale Bibliotheek")
        page.wait_for_url("**/locaties/RDAM-CENTRAAL/")
        assert page.locator("h1").inner_text() == "Centrale Bibliotheek"
    finally:
        context.close()


def test_it_passes_axe_on_every_public_page(page, live_server, public_demo, assert_accessible):
    for name, path in PUBLIC_PAGES.items():
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, name)


def test_it_fits_a_320_px_phone_without_horizontal_scrolling(browser, live_server, public_demo, assert_accessible):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    try:
        page = context.new_page()
        for name, path in PUBLIC_PAGES.items():
            page.goto(f"{live_server.url}{path}")
            assert _no_horizontal_scroll(page), f"{path} scrolt horizontaal op 320 px"
            if name in ("public-results", "public-location", "public-poster"):
                assert_accessible(page, f"{name}-320")
    finally:
        context.close()


def test_it_works_at_200_percent_zoom(browser, live_server, public_demo, assert_accessible):
    # 200% zoom on a 1280 px screen is a 640 CSS px viewport at device scale 2: what the browser lays out.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2, locale="nl-NL")
    try:
        page = context.new_page()
        for path in PUBLIC_PAGES.values():
            page.goto(f"{live_server.url}{path}")
            assert _no_horizontal_scroll(page), f"{path} scrolt horizontaal bij 200% zoom"
        page.goto(f"{live_server.url}/?q=3011")
        assert_accessible(page, "public-results-zoom-200")
    finally:
        context.close()
    # The same with CSS zoom on the root at desktop width, as a second opinion.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = context.new_page()
        for path in ("/?q=3011", "/locaties/RDAM-CENTRAAL/"):
            page.goto(f"{live_server.url}{path}")
            page.evaluate("document.documentElement.style.zoom = '2'")
            assert _no_horizontal_scroll(page), f"{path} scrolt horizontaal met CSS zoom 2"
    finally:
        context.close()


def test_it_shows_a_visible_skip_link_to_keyboard_users(page, live_server, public_demo):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q" or page.evaluate("document.activeElement.closest('main') !== null")


def test_it_passes_axe_on_the_schedule_pages(page, live_server, login, public_demo, assert_accessible):
    login("coordinator")
    page.goto(f"{live_server.url}/organisatie/")
    page.click("a[href='/organisatie/locaties/RDAM-CENTRAAL/rooster/']")
    page.wait_for_url("**/rooster/")
    assert_accessible(page, "schedule-overview")
    for name, path in {
        "schedule-weekly-new": "tijdvakken/nieuw/",
        "schedule-session-new": "bijeenkomsten/nieuw/",
        "schedule-closure-new": "sluitingen/nieuw/",
        "schedule-visitor-info": "bezoekers/",
    }.items():
        page.goto(f"{live_server.url}/organisatie/locaties/RDAM-CENTRAAL/rooster/{path}")
        assert_accessible(page, name)

    # A slot that ends before it starts: an accessible error, nothing saved.
    before = WeeklyHours.objects.count()
    page.goto(f"{live_server.url}/organisatie/locaties/RDAM-CENTRAAL/rooster/tijdvakken/nieuw/")
    page.select_option("#id_weekday", "2")
    page.fill("#id_start", "15:00")
    page.fill("#id_end", "13:00")
    page.click("main button[type=submit]")
    page.wait_for_selector(".utrecht-alert--error")
    expect(page.locator("main").first).to_contain_text("De eindtijd moet later zijn dan de begintijd.", use_inner_text=True)
    assert WeeklyHours.objects.count() == before
    assert_accessible(page, "schedule-weekly-error")


@pytest.mark.parametrize("code", ["RDAM-CENTRAAL", "RDAM-SCHOOL-REGENBOOG"])
def test_it_prints_the_poster_on_one_a4_page(page, live_server, public_demo, code):
    import re

    page.goto(f"{live_server.url}/locaties/{code}/poster/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1, f"de poster van {code} past niet op één A4 ({len(pages)} pagina's)"
    media_box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert media_box and abs(float(media_box.group(1)) - 595) < 2 and abs(float(media_box.group(2)) - 842) < 2  # A4 in points
