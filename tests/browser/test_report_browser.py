"""A policy officer downloads a quarterly accountability report in a real browser and checks its comparisons."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from balie.core import privacy
from balie.insight.figures import add_months

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-reports")
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]


@pytest.fixture
def figures(demo):
    from balie.demo.registrations import generate
    from balie.insight import rollup

    generate(registrations=2500, years=3, seed=21)
    rollup.rebuild()


def published(first: dt.date, last: dt.date) -> str:
    """What the report must print for Rotterdam's questions in these months: the rule applied to their record keys."""
    from balie.desk.models import Question

    qs = Question.objects.filter(location__gemeente__cbs_code="GM0599", date__gte=first, date__lt=add_months(last, 1))
    keys = [privacy.question_key(v, p) for v, p in qs.values_list("visit_id", "position")]
    return privacy.text(privacy.published(privacy.Count(len(keys), sum(keys)), suppressed=True))


def test_a_municipality_downloads_a_quarterly_report_and_its_comparisons_are_right(page, live_server, login, figures,
                                                                                    assert_accessible, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt (Debian-pakket poppler-utils)")
    SHOTS.mkdir(exist_ok=True)
    year = dt.date.today().year - 1
    login("gemeente")
    page.goto(f"{live_server.url}/inzicht/verantwoording/")
    # Choose the third quarter of last year on the page itself (review B3: quarters are offered) ...
    page.select_option("#r-gemeente", "GM0599")
    page.select_option("#r-periode", f"{year}-K3")
    page.click("#rapport-kiezen button[type=submit]")
    page.wait_for_url(f"**periode={year}-K3**")
    # ... and the page shows and downloads that quarter (review B2), compared with the same quarter a year earlier.
    assert page.locator("#r-periode").input_value() == f"{year}-K3"
    assert page.locator("#downloaden").inner_text() == f"Downloaden: Rotterdam, 3e kwartaal {year}"
    assert page.locator("#vergelijking").inner_text() == f"Vergeleken met 3e kwartaal {year - 1}."
    assert_accessible(page, "report-chooser-quarter")
    page.screenshot(path=str(SHOTS / "chooser-quarter.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#download-pdf")
    download = info.value
    assert download.suggested_filename == f"verantwoording-rotterdam-{year}-K3.pdf"
    pdf = tmp_path / "rapport.pdf"
    download.save_as(str(pdf))
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    text = " ".join(lines)
    assert f"Gemeente Rotterdam · 3e kwartaal {year}" in text
    assert f"vergeleken met dezelfde periode een jaar eerder: 3e kwartaal {year - 1}" in text
    # Each month against the same month a year earlier, with the numbers the registrations give.
    for month in (7, 8, 9):
        first, before = dt.date(year, month, 1), dt.date(year - 1, month, 1)
        now_shown, before_shown = published(first, first), published(before, before)
        row = next(line for line in lines if re.match(rf"{MONTHS[month - 1]} {year} (<5|[\d.]+) ", line))
        change = privacy.change(None if now_shown == "<5" else int(now_shown.replace(".", "")),
                                None if before_shown == "<5" else int(before_shown.replace(".", "")))
        assert row.split()[2:] == [now_shown, before_shown, "–" if change is None else f"{change:.1f}".replace(".", ",")], row
    total, total_before = published(dt.date(year, 7, 1), dt.date(year, 9, 1)), published(dt.date(year - 1, 7, 1), dt.date(year - 1, 9, 1))
    assert f"In het 3e kwartaal {year} stelden inwoners {total} vragen" in text
    assert f"In dezelfde periode een jaar eerder (3e kwartaal {year - 1}) waren het er {total_before}" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(SHOTS / "quarter-pdf")], check=False)


def test_a_wrong_period_on_the_page_is_explained(page, live_server, login, demo, assert_accessible):
    SHOTS.mkdir(exist_ok=True)
    login("gemeente")
    response = page.goto(f"{live_server.url}/inzicht/verantwoording/?gemeente=GM0599&periode=2026-Q3")
    assert response.status == 400
    assert "Kies een jaar (2025), een kwartaal (2025-K2) of een maand (2025-03)." in page.locator("#periode-fout").inner_text()
    assert page.locator("#r-periode").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "report-chooser-bad-period")
    page.screenshot(path=str(SHOTS / "chooser-bad-period.png"), full_page=True)
