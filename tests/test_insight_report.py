"""The accountability report a policy officer can trust (issue 13.4; review B2, B3, B5, B6, B7, B12).

- every period kind (month, quarter, year, running year) compares like for like, checked against the raw questions of
  demo data made with different seeds;
- a bad period answers 400 with a Dutch or English message, on every page that takes one;
- the PDF says the same numbers as the HTML tables, and no page of it is (nearly) empty;
- national figures per province with questions per 10,000 inhabitants, from the published counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from balie.core import privacy
from balie.desk.models import Question
from balie.insight.figures import add_months
from balie.insight.periods import MONTHS, Period, last_complete_month
from balie.network.models import Gemeente

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
ENDED = last_complete_month(TODAY)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


@pytest.fixture(autouse=True)
def _on_the_day_of_collection(clock_from):
    # TODAY and ENDED are fixed when the module is collected (the parameters use them), minutes before a test runs.
    # Balie's clock runs from that day's noon, so a month that ends in between cannot move its last ended month.
    clock_from(TODAY)


def make_data(seed: int, n: int = 1500) -> None:
    from balie.demo.registrations import generate
    from balie.insight import rollup

    generate(registrations=n, years=3, seed=seed)
    rollup.rebuild()


def sections(content: bytes) -> tuple[list[str], dict[str, list[list[str]]]]:
    """(meta lines, {table title: rows}) of a report CSV."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    meta = [r[0][2:] for r in rows if r and r[0].startswith("# ")]
    body = [r for r in rows if not (r and r[0].startswith("# "))]
    result: dict[str, list[list[str]]] = {}
    block: list[list[str]] = []
    for row in [*body, []]:
        if row:
            block.append(row)
        elif block:
            result[block[0][0]] = block[1:]
            block = []
    return meta, result


def raw(first: dt.date, last_month: dt.date, *, organisation: str | None = "BIB-RDAM", **filters) -> str:
    """What the report must print for these questions, computed from the registrations themselves: their count in whole
    months, published by the one rule from their own record keys (ADR 0015; the report is always suppressed)."""
    qs = Question.objects.filter(location__gemeente__cbs_code="GM0599", date__gte=first, date__lt=add_months(last_month, 1), **filters)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    keys = [privacy.question_key(visit, position) for visit, position in qs.values_list("visit_id", "position")]
    return privacy.text(privacy.published(privacy.Count(len(keys), sum(keys)), suppressed=True)).replace(".", "")


def periods_for(seed: int) -> list[Period]:
    """One period of every kind, picked by the seed: a month, a quarter, a complete year, the running year (if any)."""
    rng = random.Random(seed)
    month = add_months(ENDED, -rng.randrange(0, 14))
    quarter_year = ENDED.year - 1
    chosen = [Period.parse(f"{month:%Y-%m}"), Period.parse(f"{quarter_year}-K{rng.randrange(1, 5)}"), Period.parse(str(ENDED.year - 1))]
    running = Period.parse(str(ENDED.year))
    if running.running:
        chosen.append(running)
    quarter_now = Period.parse(f"{ENDED.year}-K{(ENDED.month - 1) // 3 + 1}")
    if quarter_now.running:
        chosen.append(quarter_now)
    return chosen


def _num(text: str) -> int:
    return int(text.replace(".", ""))


# ------------------------------------------------------------------ like for like, per period kind, against raw data
@pytest.mark.parametrize("seed", [3, 29])
def test_every_period_kind_is_compared_like_for_like_with_the_raw_registrations(network, users, client_for, seed):
    make_data(seed)
    coordinator, gemeente = client_for("coordinator"), client_for("gemeente")
    kinds = set()
    for period in periods_for(seed):
        kinds.add("running " + period.kind if period.running else period.kind)
        response = coordinator.get(f"/inzicht/verantwoording/GM0599/{period.key}.csv")
        assert response.status_code == 200, (period.key, response.content[:300])
        meta, tables = sections(response.content)
        prev_first, prev_last = add_months(period.first, -12), add_months(period.last, -12)
        # The labels say what is compared: the same months a year earlier, and "lopend" for a running period.
        assert meta[0] == f"Verantwoording Rotterdam, {period.label}, vergeleken met {period.previous_label}"
        if period.running:
            assert "lopend" in period.label and period.last == ENDED
            assert period.previous_label == (f"{MONTHS[prev_first.month - 1]} t/m {MONTHS[prev_last.month - 1]} {prev_last.year}"
                                             if prev_first != prev_last else f"{MONTHS[prev_first.month - 1]} {prev_first.year}")
        months = tables["Vragen per maand"]
        assert months[0] == ["Maand", "Vragen", "Een jaar eerder", "Verschil (%)"]
        body, total = months[1:-1], months[-1]
        # Exactly the counted months, each against the same month a year earlier, each number as the rule publishes it.
        expected_months = []
        m = period.first
        while m <= period.last:
            expected_months.append(m)
            m = add_months(m, 1)
        assert [r[0] for r in body] == [f"{MONTHS[m.month - 1]} {m.year}" for m in expected_months]
        for row, m in zip(body, expected_months, strict=True):
            assert row[1:3] == [raw(m, m), raw(add_months(m, -12), add_months(m, -12))], (period.key, row)
        now, before = raw(period.first, period.last), raw(prev_first, prev_last)
        assert total[:3] == ["Totaal", now, before]
        if now != privacy.SMALL and before != privacy.SMALL:
            assert float(total[3]) == privacy.change(int(now), int(before))
        # The five functions count from the same registrations: a = overheid + dienstverlening, e = doorverwezen.
        functions = {r[0][0]: r for r in tables["De vijf functies van het IDO"][1:]}
        assert functions["a"][2] == raw(period.first, period.last, vraagsoort__in=["OVERHEID", "DIENSTVERLENING"])
        assert functions["e"][2:4] == [raw(period.first, period.last, uitkomst="DOORVERWEZEN"), raw(prev_first, prev_last, uitkomst="DOORVERWEZEN")]
        # The municipality's report covers every library in Rotterdam, with the same comparison.
        meta_g, tables_g = sections(gemeente.get(f"/inzicht/verantwoording/GM0599/{period.key}.csv").content)
        assert meta_g[0] == meta[0]
        assert tables_g["Vragen per maand"][-1][:3] == ["Totaal", raw(period.first, period.last, organisation=None),
                                                       raw(prev_first, prev_last, organisation=None)]
    assert {"month", "quarter", "year"} <= kinds


# ------------------------------------------------------------------ a bad period: 400 with a message
BAD = ["2026-Q3", "abc", "2026-13", "1999", str(TODAY.year + 1), f"{TODAY:%Y-%m}", "2026-K5", "-1", "20260"]


@pytest.mark.parametrize("value", BAD)
def test_a_bad_period_answers_400_with_a_message_everywhere(network, users, client_for, value):
    client = client_for("gemeente")
    for url in (f"/inzicht/verantwoording/?gemeente=GM0599&periode={value}", f"/inzicht/verantwoording/GM0599/{value}.pdf",
                f"/inzicht/?periode={value}", f"/inzicht/export/maanden.csv?periode={value}"):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 400, (url, response.status_code)
        assert re.search(r"Kies een (jaar|periode)|Een maand loopt|nog niet voorbij", text), (url, text[:400])
    # Staff read Balie in the language of their account (core/language.py), not the browser's.
    users["gemeente"].language = "en"
    users["gemeente"].save(update_fields=["language"])
    client = client_for("gemeente")
    for url in (f"/inzicht/verantwoording/?gemeente=GM0599&periode={value}", f"/inzicht/verantwoording/GM0599/{value}.pdf",
                f"/inzicht/?periode={value}", f"/inzicht/export/maanden.csv?periode={value}"):
        english = client.get(url)
        assert english.status_code == 400
        assert re.search(r"Choose a (year|period)|A month runs|not over yet", english.content.decode()), url


def test_the_report_urls_take_only_whole_periods(network, users, client_for):
    client = client_for("gemeente")
    assert client.get("/inzicht/verantwoording/GM0599/2026-K3%20.pdf").status_code == 404  # not a period URL at all
    assert client.get(f"/inzicht/verantwoording/GM0599/{'9' * 40}.pdf").status_code == 404
    # A whole month that has ended is a report period now (the page offers months too).
    assert client.get(f"/inzicht/verantwoording/GM0599/{ENDED:%Y-%m}.csv").status_code == 200


def test_the_chooser_downloads_what_it_shows_with_months_quarters_and_years(network, users, client_for):
    client = client_for("gemeente")
    html = client.get("/inzicht/verantwoording/").content.decode()
    selected = re.search(r'<option value="([^"]+)" selected>', html.split('id="r-periode"')[1]).group(1)
    default = Period.default()
    assert selected == default.key
    assert f'href="/inzicht/verantwoording/GM0599/{default.key}.pdf"' in html  # review B2: one period on the page
    options = re.findall(r'<option value="(\d{4}(?:-K\d|-\d\d)?)"', html)
    assert any("-K" in o for o in options) and any(re.fullmatch(r"\d{4}-\d\d", o) for o in options)  # review B3
    quarter = f"{TODAY.year - 1}-K3"
    html = client.get("/inzicht/verantwoording/", {"gemeente": "GM0599", "periode": quarter}).content.decode()
    assert f'<option value="{quarter}" selected>' in html
    assert f'href="/inzicht/verantwoording/GM0599/{quarter}.pdf"' in html
    assert f"Vergeleken met 3e kwartaal {TODAY.year - 2}" in html


# ------------------------------------------------------------------ the PDF: its numbers are the tables', no empty page
class _Tables(HTMLParser):
    """Rows (label, cells) of every table in the report's HTML."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = self._cell = None
        self._row: list[str] | None = None
        self._current = ""

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._current = self._caption.strip()
            self.tables[self._current] = []
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables.setdefault(self._current, []).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt (Debian-pakket poppler-utils)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.mark.parametrize(("seed", "username", "key"), [(5, "gemeente", f"{TODAY.year - 1}-K2"), (41, "gemeente", str(ENDED.year)),
                                                       (13, "coordinator", f"{ENDED:%Y-%m}")])
def test_the_pdf_says_the_numbers_of_the_tables_and_has_no_empty_page(network, users, client_for, tmp_path, seed, username, key):
    make_data(seed, n=1200)
    client = client_for(username)
    html = client.get(f"/inzicht/verantwoording/GM0599/{key}.html").content.decode()
    pages = pdf_pages(client.get(f"/inzicht/verantwoording/GM0599/{key}.pdf").content, tmp_path)
    lengths = [len(" ".join(p.split())) for p in pages]
    # No near-empty page (review B12: a page with one heading): every page carries real text.
    assert len(pages) >= 3 and min(lengths) >= 700, lengths
    text = " ".join(" ".join(pages).split())
    parser = _Tables()
    parser.feed(html)
    checked = 0
    lines = [" ".join(ln.split()) for p in pages for ln in p.splitlines()]
    for caption in ("Vragen per maand", "Bestuurslaag", "Uitkomst", "Complexiteit", "Leeftijdsgroep", "Kanaal"):
        at = lines.index(caption)  # the table's heading; its rows follow in this order
        for row in parser.tables[caption][1:]:
            # The row's label and its numbers, in this order, on one line of the PDF.
            label, cells = row[0], [c for c in row[1:] if c]
            row_line = re.compile(re.escape(label) + r" (<5|–|-?[\d.,]+)( |$)")
            at = next((i for i in range(at, len(lines)) if row_line.match(lines[i])), None)
            assert at is not None, (caption, label)
            assert lines[at][len(label):].split() == " ".join(cells).split(), (caption, row, lines[at])
            checked += 1
    assert checked >= 15
    # The summary's numbers are the tables' numbers (review B12: a report that contradicts itself).
    months = parser.tables["Vragen per maand"]
    total, before = months[-1][1], months[-1][2]
    assert f"stelden inwoners {total} vragen" in text and f"waren het er {before}" in text
    period = Period.parse(key)
    assert f"vergeleken met dezelfde periode een jaar eerder: {period.previous_label}" in text
    uitkomst = {r[0]: r[1] for r in parser.tables["Uitkomst"][1:]}
    functions = {r[0][0]: r for r in parser.tables["De vijf functies van het IDO"][1:]}
    assert functions["e"][2] == uitkomst.get("Doorverwezen", "<5")
    assert "geen doorverwijzingen vastgelegd" not in text  # the old contradiction
    g = Gemeente.objects.get(cbs_code="GM0599")
    if total != privacy.SMALL:
        rate = f"{round(10_000 * _num(total) / g.inwoners, 1):.1f}".replace(".", ",")
        assert f"waren dat {rate} vragen" in text
    assert "Regeling specifieke uitkering Informatiepunten Digitale Overheid" in text and "Inwoners: CBS" in text


# ------------------------------------------------------------------ provinces and questions per 10,000 inhabitants
def test_national_figures_per_province_with_questions_per_10000_inhabitants(network, users, client_for, client):
    make_data(7, n=800)
    year = str(ENDED.year - 1)
    response = client_for("landelijk").get("/inzicht/export/provincies.csv", {"periode": year})
    rows = [r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if r and not r[0].startswith("#")]
    assert rows[0][-1] == "Per 10.000 inwoners"
    body = {r[0]: r for r in rows[1:-1]}
    assert "onbekend" not in body and {"Zuid-Holland"} <= set(body)  # review B7: every location has a province
    population = sum(Gemeente.objects.filter(active=True, provincie="Zuid-Holland").values_list("inwoners", flat=True))
    zh = body["Zuid-Holland"]
    assert float(zh[-1]) == round(10_000 * int(zh[1]) / population, 1)  # from the published count, not the exact one
    exact = Question.objects.filter(location__gemeente__provincie="Zuid-Holland", date__year=int(year)).count()
    assert abs(int(zh[1]) - exact) <= privacy.MAX_NOISE
    # The province filter offers the provinces, and the open data names one in every row.
    html = client_for("landelijk").get("/inzicht/", {"periode": year}).content.decode()
    assert '<option value="Zuid-Holland"' in html
    opendata = list(csv.DictReader(io.StringIO(client.get("/inzicht/open-data.csv").content.decode("utf-8"))))
    assert opendata and all(r["provincie"] for r in opendata)
