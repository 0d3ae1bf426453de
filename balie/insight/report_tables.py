"""The accountability report as tables for the XLSX and CSV downloads: every section of the PDF, in the PDF's order.

A policy officer who downloads the spreadsheet must find the figures of the PDF ("figures in text and tables agree"),
so the sections the PDF builds in its template (courses, referrals per partner, the survey, signals) are made here
from the very same published cells (``report.collect``): nothing is counted or published a second time, and a hidden
cell is "<5" in both. Where the PDF says a sentence instead of a table, the table carries that sentence (``after``),
so no section is silently absent from the spreadsheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .tables import Table

if TYPE_CHECKING:
    from .report import ReportData

# The board's tables per section of the PDF, in its order; the template reads the same tuples (report.render_html).
SECTION_A = ("maanden", "instanties", "bestuurslaag", "onderwerpen", "vraagsoort", "uitkomst")
SECTION_WHO = ("behoefteprofielen", "complexiteit", "achterliggend", "leeftijd")
SECTION_WHERE = ("locaties", "buiten", "kanaal")


def count(shown: str) -> int | str:
    """A count as the PDF prints it ("1.234", "<5") as a spreadsheet cell: a number, or "<5" as it is."""
    digits = shown.replace(".", "")
    return int(digits) if digits.isdigit() else shown


def percent(share: float | None) -> int | None:
    """A share (0..1) as the whole percentage the PDF prints: ``{% widthratio share 1 100 %}`` rounds the same way."""
    return None if share is None else round(share * 100)


def _sentence(key: str, title: str, sentence: str) -> Table:
    return Table(key, title, [], [], after=[[sentence]])


def courses(data: ReportData) -> Table:
    found = data.impact["courses"]
    if not found["rows"]:
        return _sentence("cursussen", _("Cursussen en groepen"), data.texts["courses"])
    rows = [[c["course"], count(c["referrals"]), count(c["enrolments"])] for c in found["rows"]]
    return Table("cursussen", _("Cursussen en groepen"), [_("Cursus"), _("Verwezen"), _("Ingeschreven")], rows,
                 [_("Totaal"), *[count(t) for t in found["totals"]]])


def referrals(data: ReportData) -> Table:
    found = data.impact["referrals"]
    # The sentence carries the outcome "doorverwezen" and the recorded referrals: two different counts, both in the PDF.
    after = [[data.texts["referrals"]],
             [_("Bezoeken die leidden tot vast contact met een partner of een cursus:"), count(data.impact["structural"])]]
    if not found["rows"]:
        return Table("doorverwijzingen", _("Doorverwijzingen per partner"), [], [], after=after)
    columns = [_("Partner"), _("Warm verwezen"), _("Alleen informatie"), _("Afgerond"), f"{_('Geholpen')} (%)", _("Dagen tot eerste reactie")]
    rows = [[r["partner"], count(r["warm"]), count(r["plain"]), count(r["closed"]), r["helped_pct"], r["median_days"]]
            for r in found["rows"]]
    warm, plain = found["totals"][:2]
    return Table("doorverwijzingen", _("Doorverwijzingen per partner"), columns, rows,
                 [_("Totaal"), count(warm), count(plain), None, None, None], after=after)


def survey(data: ReportData) -> Table:
    found, title = data.impact["survey"], _("Enquête na het bezoek")
    if found.responses is None:
        return _sentence("enquete", title, _("Minder dan 5 bezoekers vulden de korte enquête in; de antwoorden staan daarom niet in dit rapport."))
    if not found.responses:
        return _sentence("enquete", title, _("In deze periode is de enquête niet ingevuld."))
    columns = [_("Vraag")]
    for answer in (_("Ja"), _("Een beetje, misschien"), _("Nee")):
        columns += [answer, f"{answer} (%)"]
    rows = []
    for question in found.questions:
        row: list[Any] = [question.label]
        for a in question.answers:
            row += [count(a.display), percent(a.share)]
        rows.append(row)
    return Table("enquete", title, columns, rows, after=[[_("Bezoekers die de enquête invulden"), found.responses]])


def signals(data: ReportData) -> Table:
    if not data.signals:
        return _sentence("signalen", _("Signalen"), _("In deze periode zijn geen signalen vastgelegd.") if data.organisation
                         else _("In deze periode zijn geen signalen vastgelegd voor de gemeente."))
    columns = [_("Signaal"), _("Weken"), _("Vragen"), _("Verwacht"), _("Status"), _("Toelichting")]
    rows = [[s["title"], s["weeks"], count(s["observed"]), count(s["expected"]), s["status"], s["description"]] for s in data.signals]
    return Table("signalen", _("Signalen"), columns, rows)


def for_export(data: ReportData) -> list[Table]:
    """Every table section of the PDF in the PDF's order (report.html); a board table no section names comes last of
    the board's, so nothing the dashboard computed for the report is lost."""
    from .exports import key_figures_table

    def board(keys: tuple[str, ...]) -> list[Table]:
        return [t for key in keys if (t := data.board.table(key)) is not None]

    named = set(SECTION_A) | set(SECTION_WHO) | set(SECTION_WHERE)
    rest = [t for t in data.board.tables if t.key not in named]
    return [key_figures_table(data.board), *([data.functions] if data.functions else []), *board(SECTION_A), courses(data),
            referrals(data), *board(SECTION_WHO), *board(SECTION_WHERE), *rest, survey(data), *data.nodes, signals(data)]
