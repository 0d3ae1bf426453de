"""The report's spreadsheet has every section of its PDF, with the same figures ("figures in text and tables agree").

A policy officer who downloads the XLSX or CSV of the accountability report used to find only the key figures, the
functions and the dashboard's tables: the courses, the referrals per partner, the visitor survey and the signals
were in the PDF only. Here a month with all of them (and one where the survey has fewer than 5 answers and nothing
was referred) is downloaded as HTML (the PDF's source), XLSX and CSV: every section is in all three, in the PDF's
order, with the same published numbers, "<5" where the PDF says "<5", and a sentence where the PDF says one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from balie.core import privacy
from balie.insight.figures import add_months
from balie.insight.periods import last_complete_month
from tests.test_insight_report import _fast, _Tables, sections  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MONTH = last_complete_month()
EARLIER = add_months(MONTH, -1)
SECTIONS = ("Cursussen en groepen", "Doorverwijzingen per partner", "Enquête na het bezoek", "Signalen")
FEW_SURVEY = "Minder dan 5 bezoekers vulden de korte enquête in; de antwoorden staan daarom niet in dit rapport."


def _visits(user, location, day: dt.date, n: int, uitkomst: str) -> list[Any]:
    from balie.desk import services as desk

    when = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
    questions = []
    for _ in range(n):
        visit, _created = desk.visit_register(user=user, location=location, started_at=when, questions=[
            {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": uitkomst}])
        questions.append(visit.questions.get())
    return questions


@pytest.fixture
def municipality(network, users, settings):
    """Rotterdam: last month registrations, referrals to a partner (6 warm, 1 plain), course referrals (6) and
    enrolments (2), 22 survey answers and two signals (one large, one under 5); the month before 3 survey answers."""
    from balie.courses import services as courses
    from balie.courses.models import Course, CourseReferral, Enrolment
    from balie.demo.courses import build_courses
    from balie.demo.partners import build_social_map
    from balie.insight import rollup
    from balie.network.models import Gemeente, Location
    from balie.referrals import services as referrals
    from balie.referrals.models import Kind, Referral
    from balie.signals.models import ScopeKind, Signal, Status
    from balie.survey import services as survey

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partners = build_social_map()
    build_courses()
    staff, central = users["medewerker"], Location.objects.get(code="RDAM-CENTRAAL")
    day, before = MONTH + dt.timedelta(days=14), EARLIER + dt.timedelta(days=9)
    referred = _visits(staff, central, day, 7, "DOORVERWEZEN")
    solved = _visits(staff, central, day, 12, "OPGELOST")
    _visits(staff, central, before, 9, "OPGELOST")
    maatje = partners["SchuldHulpMaatje Rotterdam"]
    for i, question in enumerate(referred):
        referrals.referral_create(user=staff, question=question, partner=maatje, service=maatje.services.first(),
                                  kind=Kind.SAMEN_GEBELD if i < 6 else Kind.INFORMATIE, consent=False)
    course = Course.objects.get(title__startswith="Digisterker: werken")
    for question in solved[:6]:
        courses.course_refer(user=staff, course=course, question=question)
    for i, question in enumerate(solved[6:8]):
        courses.enrol(user=staff, course=course, question=question, consent=True, name=f"Deelnemer {i}", phone="06 12345678")
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 30)))
    for model in (Referral, CourseReferral, Enrolment):
        model.objects.update(created_at=when)  # made during those visits
    for i in range(22):
        confident = "JA" if i < 13 else "BEETJE" if i < 19 else "NEE"
        survey.response_submit(location=central, answers={"helped": "JA" if i < 12 else "NEE", "confident": confident, "come_back": "JA"},
                               token=f"now{i}", day=day)
    for i in range(3):
        survey.response_submit(location=central, answers={"helped": "JA", "confident": "JA", "come_back": "JA"}, token=f"before{i}", day=before)
    gemeente = Gemeente.objects.get(cbs_code="GM0599")
    monday = day - dt.timedelta(days=day.weekday())
    for observed, expected in ((40, 12.0), (3, 1.2)):
        Signal.objects.create(scope_kind=ScopeKind.GEMEENTE, scope_key="gemeente:GM0599", gemeente=gemeente, instantie="BELASTINGDIENST",
                              start_week=monday, end_week=monday, observed=observed, expected=expected, effect=2.3, q_value=0.001,
                              status=Status.BEVESTIGD, description="Betalingsregeling aanvragen lukt niet.")
    rollup.rebuild()


def _downloads(client, period: str) -> tuple[str, list[tuple[str, list[list[Any]]]], dict[str, list[list[str]]]]:
    """(the report's HTML, [(sheet, rows)] of the XLSX in order, {title: rows} of the CSV in order)."""
    base = f"/inzicht/verantwoording/GM0599/{period}"
    html = client.get(f"{base}.html").content.decode()
    book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))
    sheets = []
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        start = rows.index([None] * len(rows[0])) if [None] * len(rows[0]) in rows else 0
        sheets.append((sheet.title, [r for r in rows[start + 1:] if any(v is not None for v in r)]))
    _meta, tables = sections(client.get(f"{base}.csv").content)
    return html, sheets, tables


def _shown(value: Any) -> str:
    """A spreadsheet cell as the PDF prints it (templatetags insight.cell)."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _typed(cell: str) -> Any:
    """A CSV cell as the value it was written from: "" is None, "12" an int, "66.7" a float, anything else text."""
    if cell == "":
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    return cell


def _html_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return {k: v for k, v in parser.tables.items() if k}


def _as_pdf(title: str, sheet: list[list[Any]]) -> list[list[str]]:
    """A sheet's table as the PDF's HTML prints it: the report template writes some sections in its own way."""
    if title == "Doorverwijzingen per partner":
        sheet = sheet[:-2]  # the sentence and the structural contact follow the table (checked in the test)
        header, body, total = sheet[0], sheet[1:-1], sheet[-1]
        header = [c.removesuffix(" (%)") for c in header]
        body = [[*r[:4], "–" if r[4] is None else f"{r[4]}%", r[5]] for r in body]
        sheet = [header, *body, [*total[:3], ""]]  # the PDF's total: one empty cell over the last three columns
    elif title == "Enquête na het bezoek":
        sheet = sheet[:-1]  # the number of visitors who answered (checked in the test)
        sheet = [[sheet[0][0], *sheet[0][1::2]]] + [
            [r[0], *[_shown(r[i]) + ("" if r[i + 1] is None else f" ({r[i + 1]}%)") for i in range(1, len(r), 2)]] for r in sheet[1:]]
    return [[_shown(v) for v in r] for r in sheet]


def _check_same_figures(html: str, sheets: list[tuple[str, list[list[Any]]]], csv_tables: dict[str, list[list[str]]]) -> dict[str, list[list[Any]]]:
    """The three downloads agree; returns the XLSX per sheet, each row as long as the CSV's (no padding)."""
    in_html = _html_tables(html)
    names = [name for name, _rows in sheets]
    # The PDF's order: its tables by caption, the spreadsheet's sheets in the same order; the key figures come first.
    assert names[0] == "Kerncijfers" and names[-1] == "Signalen", names
    assert [n for n in names if n in in_html] == list(in_html), (names, list(in_html))
    assert list(csv_tables) == names
    book: dict[str, list[list[Any]]] = {}
    for title, rows in sheets:
        in_csv = csv_tables[title]
        assert len(rows) == len(in_csv), title
        assert all(v is None for r, c in zip(rows, in_csv) for v in r[len(c):]), title
        # The CSV has the XLSX's cells; a number is a number cell in the XLSX (never "12" as text), only "<5" is text.
        # (openpyxl reads a whole float back as an int, so the CSV tells 100.0 from 100.)
        book[title] = [[_typed(v) for v in r] for r in in_csv]
        assert [r[:len(c)] for r, c in zip(rows, in_csv)] == book[title], title
        assert not [v for r in rows for v in r[1:] if isinstance(v, str) and re.fullmatch(r"-?[\d.,]+", v)], title
    for title, rows in in_html.items():
        assert _as_pdf(title, book[title]) == rows, title
    return book


def _published(kind: str, ids: Any) -> int | str:
    """The cell the one rule gives for exactly these records (ADR 0015): a number, or "<5"."""
    shown = privacy.published(privacy.records(kind, list(ids)), suppressed=True)
    return privacy.SMALL if shown is None else shown


def test_every_section_of_the_pdf_is_in_the_xlsx_and_csv_with_the_same_figures(municipality, client_for):
    from balie.courses.models import CourseReferral
    from balie.referrals.models import Kind, Referral
    from balie.survey.models import SurveyResponse

    client = client_for("gemeente")
    html, sheets, csv_tables = _downloads(client, f"{MONTH:%Y-%m}")
    book = _check_same_figures(html, sheets, csv_tables)
    assert set(SECTIONS) <= set(book)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    # Courses: the 6 referrals published from their own records, the 2 enrolments "<5", as in the PDF.
    courses = {r[0]: r for r in book["Cursussen en groepen"]}
    referred = _published("course-referral", CourseReferral.objects.values_list("id", flat=True))
    assert courses["Totaal"][1:] == [referred, privacy.SMALL]
    assert courses["Digisterker: werken met de digitale overheid"][1:] == [referred, privacy.SMALL]

    # Referrals per partner: warm published, plain "<5", the total row; then the sentence and the structural contact.
    partners = book["Doorverwijzingen per partner"]
    warm = _published("referral", Referral.objects.exclude(kind=Kind.INFORMATIE).values_list("id", flat=True))
    by_partner = {r[0]: r for r in partners}
    assert by_partner["SchuldHulpMaatje Rotterdam"][1:3] == [warm, privacy.SMALL]
    assert by_partner["Totaal"] == ["Totaal", warm, privacy.SMALL, None, None, None]
    sentence = partners[-2][0]
    assert "vragen hadden de uitkomst doorverwezen" in sentence and sentence in text
    label, structural = partners[-1][:2]
    assert isinstance(structural, int) and f"{label} {structural}" in text

    # The survey: per question the answers with their shares (whole percentages, as the PDF's); 3 times "Nee" to the
    # second question is "<5" everywhere, without a share that would tell it.
    survey = book["Enquête na het bezoek"]
    assert survey[0] == ["Vraag", "Ja", "Ja (%)", "Een beetje, misschien", "Een beetje, misschien (%)", "Nee", "Nee (%)"]
    helped, confident = survey[1], survey[2]
    assert helped[0] == "Heeft u hulp gekregen?" and isinstance(helped[2], int) and isinstance(helped[6], int)
    assert confident[0] == "Durft u dit de volgende keer meer zelf te doen?" and confident[5:] == [privacy.SMALL, None]
    assert helped[1] == _published("survey-response", SurveyResponse.objects.filter(helped="JA", date__gte=MONTH).values_list("id", flat=True))
    responses = survey[-1]
    assert isinstance(responses[1], int) and f"beantwoordden {responses[1]} bezoekers" in text

    # Signals: what, when, counted and expected as the PDF says them; the small one "<5" in both.
    signals = book["Signalen"]
    assert signals[0] == ["Signaal", "Weken", "Vragen", "Verwacht", "Status", "Toelichting"]
    assert len(signals) == 3
    for title, weeks, observed, expected, status, description in signals[1:]:
        assert f"{title} {weeks}: {_shown(observed)} vragen, verwacht ongeveer {_shown(expected)}. Status: {status}. {description}" in text
    cells = sorted((r[2:4] for r in signals[1:]), key=str)
    assert cells[0] == [privacy.SMALL, privacy.SMALL]  # 3 counted, 1.2 expected: neither leaks
    assert isinstance(cells[1][0], int) and cells[1][1] == 12


def test_a_section_the_pdf_tells_in_a_sentence_is_that_sentence_in_the_spreadsheet(municipality, client_for):
    client = client_for("gemeente")
    html, sheets, csv_tables = _downloads(client, f"{EARLIER:%Y-%m}")
    book = _check_same_figures(html, sheets, csv_tables)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    # 3 survey answers: the PDF and both spreadsheets say why there are no figures; no count of 3 leaks anywhere.
    assert FEW_SURVEY in text and "Enquête na het bezoek" not in _html_tables(html)
    assert book["Enquête na het bezoek"] == [[FEW_SURVEY]]
    assert csv_tables["Enquête na het bezoek"] == [[FEW_SURVEY]]
    # Nothing was referred and no signal fell in this month: the sections are there, with the PDF's sentences.
    referrals = book["Doorverwijzingen per partner"]
    assert referrals[0][0] in text and referrals[1][0] == "Bezoeken die leidden tot vast contact met een partner of een cursus:"
    assert book["Signalen"] == [["In deze periode zijn geen signalen vastgelegd voor de gemeente."]]
    assert "In deze periode zijn geen signalen vastgelegd voor de gemeente." in text


def test_the_spreadsheet_speaks_english_to_an_english_account(municipality, users, client_for):
    users["gemeente"].language = "en"
    users["gemeente"].save(update_fields=["language"])
    _html, sheets, csv_tables = _downloads(client_for("gemeente"), f"{MONTH:%Y-%m}")
    book = dict(sheets)
    assert {"Courses and groups", "Survey after the visit", "Signals"} <= set(book), list(book)
    assert book["Survey after the visit"][0][:3] == ["Question", "Yes", "Yes (%)"]
    assert book["Signals"][0][:4] == ["Signal", "Weeks", "Questions", "Expected"]
    assert "Visitors who filled in the survey" in [r[0] for r in book["Survey after the visit"]]


def test_a_librarys_own_report_has_the_same_sections_and_its_own_signal_sentence(municipality, client_for):
    html, sheets, csv_tables = _downloads(client_for("coordinator"), f"{MONTH:%Y-%m}")
    book = _check_same_figures(html, sheets, csv_tables)
    assert set(SECTIONS) <= set(book)
    # The municipality's signals are not the library's: its report says it has none, in the PDF and the spreadsheet.
    assert book["Signalen"] == [["In deze periode zijn geen signalen vastgelegd."]]
    assert "In deze periode zijn geen signalen vastgelegd." in unescape(html)
