"""The coordinator's import page in a real browser: a bad file shows every error, a good one imports with progress."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from balie.desk.exchange.csvformat import HEADER
from balie.desk.models import Question

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _slow_imports_may_take_longer(page):
    """Each upload and choice here runs the whole import inside the request (the immediate task backend): on a loaded CI
    machine beside a second suite that took over 10 s once (PostgreSQL), so these pages get a minute, not the suite's 10 s."""
    page.set_default_timeout(60_000)


def csv_text(rows: list[list[str]]) -> str:
    return ",".join(HEADER) + "\r\n" + "".join(",".join(r) + "\r\n" for r in rows)


def row(bezoek: str, datum: str = "2025-03-04", uitkomst: str = "OPGELOST") -> list[str]:
    values = {"organisatie": "BIB-RDAM", "locatie": "RDAM-CENTRAAL", "bezoek": bezoek, "datum": datum, "tijd": "10:30",
              "kanaal": "INLOOP", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": uitkomst}
    return [values.get(column, "") for column in HEADER]


def test_it_imports_all_or_nothing_from_the_browser(page, live_server, login, assert_accessible, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    login("coordinator")
    page.goto(f"{live_server.url}/balie/importeren/")
    assert_accessible(page, "import-start")

    bad = tmp_path / "fout.csv"
    bad.write_text(csv_text([row("1"), row("2", datum="2031-01-01"), row("3", uitkomst="MISSCHIEN")]), encoding="utf-8")
    page.set_input_files("#bestand", str(bad))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("main [role=alert]")
    rows = page.locator("main table tbody tr").all_inner_texts()
    assert any(r.startswith("3\tdatum") and "toekomst" in r for r in rows), rows
    assert any(r.startswith("4\tuitkomst") and "MISSCHIEN" in r for r in rows), rows
    assert Question.objects.count() == 0
    assert_accessible(page, "import-errors")

    good = tmp_path / "goed.csv"
    good.write_text(csv_text([row("1"), row("1", uitkomst="DEELS"), row("2")]), encoding="utf-8")
    page.set_input_files("#bestand", str(good))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("main .utrecht-alert--ok")
    expect(page.locator("main").first).to_contain_text("3 vragen zijn geïmporteerd", use_inner_text=True)
    assert Question.objects.count() == 3
    assert_accessible(page, "import-done")


def test_the_duplicate_choice_page_is_accessible_and_skips_what_is_there(page, live_server, login, assert_accessible, settings, tmp_path):
    """Review B4: re-uploading rows that are already in Balie asks what to do instead of doubling them."""
    from pathlib import Path

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    shots = Path("/tmp/shots-importers")
    shots.mkdir(exist_ok=True)
    login("coordinator")
    first = tmp_path / "eerst.csv"
    first.write_text(csv_text([row("1"), row("2", datum="2025-03-05")]), encoding="utf-8")
    page.goto(f"{live_server.url}/balie/importeren/")
    page.set_input_files("#bestand", str(first))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("main .utrecht-alert--ok")
    assert Question.objects.count() == 2

    # The same two rows again, plus a new one, saved by a Dutch Excel (semicolons, Windows-1252).
    again = tmp_path / "opnieuw.csv"
    text = csv_text([row("1"), row("2", datum="2025-03-05"), row("3", datum="2025-03-06")]).replace(",", ";")
    again.write_bytes(text.encode("cp1252"))
    page.goto(f"{live_server.url}/balie/importeren/")
    page.set_input_files("#bestand", str(again))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("main input[name=keuze]")
    expect(page.locator("main").first).to_contain_text("2 regels uit dit bestand staan al in Balie", use_inner_text=True)
    page.screenshot(path=str(shots / "import-keuze.png"), full_page=True)
    assert_accessible(page, "import-duplicates-choice")
    page.check("main input[value=overslaan]")
    page.click("main form[action$='/keuze/'] button[type=submit]")
    page.wait_for_selector("main .utrecht-alert--ok")
    assert "1 vraag is geïmporteerd" in page.inner_text("main") and "overgeslagen" in page.inner_text("main")
    page.screenshot(path=str(shots / "import-keuze-klaar.png"), full_page=True)
    assert_accessible(page, "import-duplicates-done")
    assert Question.objects.count() == 3


def test_the_hsds_import_shows_its_warnings_accessibly(page, live_server, login, assert_accessible, tmp_path):
    from pathlib import Path

    shots = Path("/tmp/shots-importers")
    shots.mkdir(exist_ok=True)
    login("coordinator")
    official = sorted(Path(__file__).resolve().parents[1].joinpath("fixtures", "hsds-official").glob("*.csv"))
    page.goto(f"{live_server.url}/sociale-kaart/importeren/")
    page.set_input_files("#bestanden", [str(p) for p in official])
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("#opmerkingen")
    expect(page.locator("main").first).to_contain_text("Geïmporteerd: 1 organisaties", use_inner_text=True)
    page.screenshot(path=str(shots / "hsds-opmerkingen.png"), full_page=True)
    assert_accessible(page, "hsds-import-warnings")
