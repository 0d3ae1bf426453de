"""Forecast, staffing and survey pages in a real browser: axe-clean, screenshots; the survey also at 320 px, 200% zoom, no JS."""

from __future__ import annotations

import datetime as dt

import pytest
from forecast_data import TODAY, add_questions, seasonal_location  # tests/ is on sys.path
from playwright.sync_api import expect

from balie.forecast.services import update_forecasts
from balie.network.models import Location
from balie.survey import services as survey_services
from balie.survey.models import SurveyResponse

pytestmark = pytest.mark.browser


@pytest.fixture
def forecast_demo(demo):
    central = Location.objects.get(code="RDAM-CENTRAAL")
    seasonal_location(central, dt.date(2022, 1, 3), dt.date(2025, 6, 2), level=20)
    add_questions(central, {(dt.date(2025, 3, 11) + dt.timedelta(weeks=i), 11): 12 for i in range(12)}, minutes=30)
    add_questions(Location.objects.get(code="RDAM-ZUIDPLEIN"), {(dt.date(2025, 1, 14) + dt.timedelta(weeks=i), 10): 5 for i in range(20)})
    update_forecasts(today=TODAY)


@pytest.fixture
def survey_link(demo):
    return survey_services.link_ensure(Location.objects.get(code="RDAM-CENTRAAL"))


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_shows_forecast_and_staffing_pages_accessibly(page, live_server, login, forecast_demo, assert_accessible):
    login("coordinator")
    page.click("nav summary >> text=Inzicht")
    page.click("nav >> text=Prognose")
    page.wait_for_url("**/prognose/")
    expect(page.locator("main").first).to_contain_text("trend en seizoen", use_inner_text=True)
    assert_accessible(page, "forecast-index")
    page.click("text=Centrale Bibliotheek")
    page.wait_for_url("**/prognose/RDAM-CENTRAAL/")
    assert page.locator("svg.chart polyline").count() == 3 and page.locator("svg.chart polygon").count() == 1
    assert page.locator("#bezetting .staff--te_weinig").count() >= 1
    page.click("text=De cijfers van de grafiek als tabel")
    assert page.locator("#cijfers-caption").is_visible()
    assert_accessible(page, "forecast-location")
    page.select_option("#locatie", "RDAM-ZUIDPLEIN")
    page.click("#kies-locatie button")
    page.wait_for_url("**/prognose/RDAM-ZUIDPLEIN/")
    expect(page.locator("main").first).to_contain_text("Minder dan een jaar gegevens", use_inner_text=True)
    assert_accessible(page, "forecast-location-little-history")


def test_it_shows_the_survey_admin_and_poster_accessibly(page, live_server, login, survey_link, assert_accessible):
    for i in range(7):
        survey_services.response_submit(location=survey_link.location, answers={"helped": "JA", "confident": "BEETJE" if i % 2 else "JA",
                                        "come_back": "JA"}, token=f"t{i}", day=dt.date.today() - dt.timedelta(days=1))
    login("coordinator")
    page.click("nav summary >> text=Inzicht")
    page.click("nav >> text=Enquête")
    page.wait_for_url("**/enquete/")
    assert page.inner_text("#aantal-antwoorden").startswith("7 antwoorden")
    assert_accessible(page, "survey-index")
    with page.expect_navigation():
        page.click("text=Poster afdrukken >> nth=0")
    assert page.locator("svg").count() == 2
    assert_accessible(page, "survey-poster")


def test_it_lets_a_visitor_answer_on_a_phone_without_javascript(browser, live_server, survey_link):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/v/{survey_link.code}/")
        page.click("label[for=helped-0]")
        page.click("text=Versturen")
        page.wait_for_selector("#fouten")
        expect(page.locator("#fouten").first).to_contain_text("Kies een antwoord bij de vraag: Zou u terugkomen?", use_inner_text=True)
        assert page.is_checked("#helped-0")
        page.click("label[for=confident-1]")
        page.click("label[for=come_back-0]")
        page.click("text=Versturen")
        page.wait_for_selector("#bedankt")
        page.goto(f"{live_server.url}/v/{survey_link.code}/")
        assert page.locator("#al-ingevuld").is_visible()
        assert SurveyResponse.objects.count() == 1
    finally:
        context.close()


def test_it_fits_a_320_px_phone_on_every_survey_page(browser, live_server, survey_link, assert_accessible):
    # axe needs JavaScript, so the accessibility check runs in a context that has it; the flow without is above.
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/v/{survey_link.code}/")
        assert _no_horizontal_scroll(page), "de enquête scrolt horizontaal op 320 px"
        assert_accessible(page, "survey-form-320")
        page.click("label[for=helped-0]")
        page.click("text=Versturen")
        page.wait_for_selector("#fouten")
        assert _no_horizontal_scroll(page)
        assert_accessible(page, "survey-form-errors-320")
        page.click("label[for=confident-1]")
        page.click("label[for=come_back-0]")
        page.click("text=Versturen")
        page.wait_for_selector("#bedankt")
        assert _no_horizontal_scroll(page)
        assert_accessible(page, "survey-thanks-320")
        page.goto(f"{live_server.url}/v/onbekend/")
        assert_accessible(page, "survey-not-found-320")
    finally:
        context.close()


def test_it_works_at_200_percent_zoom_and_in_english(browser, live_server, survey_link, assert_accessible):
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/v/{survey_link.code}/")
        assert _no_horizontal_scroll(page), "de enquête scrolt horizontaal bij 200% zoom"
        assert_accessible(page, "survey-form-zoom-200")
        page.click("text=English")
        # The language switch loads a new page; wait for it rather than read the one being left.
        expect(page.locator("main")).to_contain_text("Did you get help?")
        assert_accessible(page, "survey-form-en")
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/v/{survey_link.code}/")
        page.evaluate("document.documentElement.style.zoom = '2'")
        assert _no_horizontal_scroll(page), "de enquête scrolt horizontaal met CSS zoom 2"
    finally:
        context.close()
