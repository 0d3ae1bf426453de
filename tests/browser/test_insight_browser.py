"""The insight dashboards in a real browser: each role's dashboard, a filter change (htmx and plain GET), axe clean."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(demo):
    from balie.demo.registrations import generate
    from balie.insight import rollup

    generate(registrations=4000, years=2, seed=2)
    rollup.rebuild()


@pytest.mark.parametrize("username", ["coordinator", "gemeente", "landelijk"])
def test_each_dashboard_is_accessible_and_filters_work(page, live_server, login, figures, assert_accessible, username):
    login(username)
    page.goto(f"{live_server.url}/inzicht/")
    assert page.locator("h1").inner_text().startswith(("Inzicht", "Landelijk"))
    assert page.locator("#kerncijfers dd").count() >= 4
    assert page.locator("svg.insight-chart title").count() >= 8  # every chart has a title (and a table next to it)
    assert_accessible(page, f"insight-{username}")
    # Filter with JavaScript (htmx swaps the board and updates the address) ...
    page.select_option("#f-instantie", "DIGID")
    page.wait_for_url("**instantie=DIGID**")
    assert "DigiD" in page.locator("#t-instanties").locator("xpath=..").inner_text()
    # ... and without: the same GET form.
    year = dt.date.today().year - 1
    page.goto(f"{live_server.url}/inzicht/?periode={year}&uitkomst=DOORVERWEZEN")
    assert str(year) in page.locator("#inzicht h2").first.inner_text()
    assert_accessible(page, f"insight-{username}-filtered")


def test_report_page_and_open_data_are_accessible(page, live_server, login, figures, assert_accessible):
    login("gemeente")
    page.goto(f"{live_server.url}/inzicht/verantwoording/")
    assert page.locator("a", has_text="PDF").count() >= 1
    assert_accessible(page, "insight-verantwoording")
    page.goto(f"{live_server.url}/inzicht/open-data/")
    assert_accessible(page, "insight-open-data")
