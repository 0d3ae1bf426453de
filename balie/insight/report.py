"""The accountability report ("verantwoording") for one municipality and a month, quarter or year: PDF, XLSX, CSV.

Always suppressed, whoever makes it: it is written for the municipality and may be published. It follows the five
functions of an IDO in the grant regulation (``functions.py``), compares every figure with the same months a year
earlier (``periods.py``), and says every number in its text from the same published cells as its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core import privacy
from balie.network.models import Gemeente, Location

from . import figures, functions, report_tables, tables
from .figures import Figures, Query, compute
from .periods import Period, month_name
from .tables import per_10000

__all__ = ["Period", "ReportData", "collect", "render_html", "render_pdf"]

SOURCE_POPULATION = gettext_noop("Inwoners: CBS (gemeentelijke indeling 2026, inwoners 2025).")


@dataclass
class ReportData:
    gemeente: Gemeente
    period: Period
    organisation: Any
    board: tables.Dashboard
    fig: Figures
    locations: list[Location]
    signals: list[dict[str, Any]]
    summary: list[str]
    impact: dict[str, Any]
    functions: tables.Table | None = None
    texts: dict[str, str] = field(default_factory=dict)  # sentences per section, from the same published cells
    nodes: list[tables.Table] = field(default_factory=list)  # on a hub: the municipality with the nodes' deliveries
    node_sentence: str = ""

    def table(self, key: str) -> tables.Table | None:
        return self.board.table(key)


def _n(value: int | None) -> str:
    return privacy.text(value)


def _decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def collect(gemeente: Gemeente, period: Period, *, locations: list[Location] | None = None, organisation: Any = None) -> ReportData:
    locs = locations if locations is not None else list(Location.objects.filter(gemeente=gemeente).select_related("organisation", "gemeente"))
    query = Query(first=period.first, last=period.last, locations=tuple(sorted(loc.pk for loc in locs)))
    fig = compute(query)
    builder = tables.Builder(fig, query, suppressed=True, period_label=period.label, previous_label=period.previous_label)
    board = builder.build([("locaties", _("Vragen per locatie"), {loc.pk: loc.naam for loc in locs})])
    board.tables.append(tables.outreach_table(fig, {loc.pk: loc.kind for loc in locs}, tables.labels("K"), suppressed=True))
    from . import impact

    # Referrals, courses and the survey with the same suppression as the rest: the report may be published.
    helped = impact.build(impact.Scope(period, locs, suppressed=True))
    data = ReportData(gemeente, period, organisation, board, fig, locs, _signals(gemeente, period, organisation), [], helped)
    data.functions = functions.table(fig, suppressed=True, period_label=period.label, previous_label=period.previous_label)
    if organisation is None:
        _with_nodes(data)
    data.texts = _texts(data)
    data.summary = _summary(data)
    if data.node_sentence:
        data.summary.append(data.node_sentence)
    return data


def _with_nodes(data: ReportData) -> None:
    """A report for the municipality (not a library's own) on a hub: the nodes' published cells for it added."""
    from . import delivered, national

    if not delivered.in_use():
        return
    merged = national.merged(data.period, {data.gemeente.cbs_code})
    if not merged.nodes:
        return
    data.nodes = national.tables_for(merged, {data.gemeente.cbs_code: data.gemeente.naam}, with_nodes_list=False)[:2]
    here, there = merged.grand_total()
    data.node_sentence = _("Andere Balie-installaties (knooppunten) leverden voor %(gemeente)s ook cijfers: %(daar)s vragen, "
                           "naast %(hier)s in deze installatie; samen %(samen)s.") % {
        "gemeente": data.gemeente.naam, "daar": there.text, "hier": here.text, "samen": (here + there).text}


def _signals(gemeente: Gemeente, period: Period, organisation: Any) -> list[dict[str, Any]]:
    from balie.signals.models import Signal
    from balie.signals.report import expected, observed, title

    qs = Signal.objects.filter(start_week__lte=period.last_day, end_week__gte=period.first)
    if organisation is not None:
        qs = qs.filter(scope_kind="organisatie", organisation=organisation)
    else:
        qs = qs.filter(scope_kind="gemeente", gemeente=gemeente)
    result = []
    for s in qs.order_by("start_week")[:20]:
        result.append({"title": title(s), "weeks": _("%(first)s tot en met de week van %(last)s") % {"first": f"{s.start_week:%d-%m-%Y}", "last": f"{s.end_week:%d-%m-%Y}"},
                       "observed": observed(s), "expected": expected(s.expected), "status": s.get_status_display(),
                       "description": s.description})
    return result


def _key(data: ReportData, label: str) -> tables.KeyFigure:
    return next(k for k in data.board.key_figures if k.label == label)


def _texts(data: ReportData) -> dict[str, str]:
    """The sentences of the report that carry numbers, each from a published cell that a table shows too."""
    fig, period, g = data.fig, data.period, data.gemeente
    total = privacy.published(fig.total, suppressed=True)
    before = privacy.published(fig.prev_total, suppressed=True)
    texts: dict[str, str] = {}
    # Questions per 10,000 inhabitants: published counts over the CBS population (network/data/README.md).
    rate, rate_before = per_10000(total, g.inwoners), per_10000(before, g.inwoners)
    whose = _("aan %(naam)s ") % {"naam": data.organisation.naam} if data.organisation else ""
    if g.inwoners:
        values = {"gemeente": g.naam, "inwoners": privacy.text(g.inwoners), "rate": _decimal(rate), "whose": whose,
                  "period": period.in_text, "before": _decimal(rate_before), "previous": period.previous_in_text}
        if fig.prev_partial_from:  # no rate against a year that was not registered whole
            texts["per_10000"] = _("Per 10.000 inwoners van %(gemeente)s (%(inwoners)s inwoners) waren dat %(rate)s vragen "
                                   "%(whose)sin %(period)s.") % values
        else:
            texts["per_10000"] = _("Per 10.000 inwoners van %(gemeente)s (%(inwoners)s inwoners) waren dat %(rate)s vragen "
                                   "%(whose)sin %(period)s, tegen %(before)s in %(previous)s.") % values
    # Function e: the outcome "doorverwezen" and the referrals recorded with a partner are two different counts.
    shown = functions.counts(fig, suppressed=True)
    referred = shown["e"][0]
    if referred is None:
        first = _("Minder dan 5 vragen hadden de uitkomst doorverwezen.")
    else:
        first = _("%(n)s vragen hadden de uitkomst doorverwezen: de medewerker stuurde de bezoeker naar een andere organisatie.") % {
            "n": _n(referred)}
    if data.impact["referrals"]["rows"]:
        warm, plain = data.impact["referrals"]["totals"][:2]
        second = " " + _("Doorverwijzingen waarbij ook de partner is vastgelegd: %(warm)s warm (samen gebeld of voorgesteld) "
                         "en %(plain)s met alleen informatie; de tabel 'Doorverwijzingen per partner' geeft ze per partner.") % {"warm": warm, "plain": plain}
    else:
        second = (" " + _("Bij geen van deze vragen is de organisatie waarnaar verwezen werd ook als doorverwijzing vastgelegd; "
                          "daarom staat hier geen tabel per partner.")) if referred != 0 else ""
    texts["referrals"] = first + second
    texts["courses"] = (_("Verwijzingen naar een cursus en inschrijvingen staan in de tabel hieronder.")
                        if data.impact["courses"]["rows"] else _("In deze periode is niemand naar een cursus verwezen of ingeschreven."))
    # Data quality: "niet ingevuld" is not an answer; say how large it is where it matters.
    missing = []
    for key, name in (("behoefteprofielen", _("behoefteprofiel")), ("leeftijd", _("leeftijd")),
                      ("achterliggend", _("achterliggende problemen"))):
        t = data.board.table(key)
        row = next((r for r in t.rows if r[0] == _(tables.NOT_FILLED)), None) if t else None
        if row and isinstance(row[2], float):
            missing.append(_("%(name)s bij %(pct)s%%") % {"name": name, "pct": f"{row[2]:.0f}"})
    if missing:
        texts["quality"] = _("Niet elke vraag is helemaal ingevuld: niet ingevuld was %(missing)s van de vragen. Die cijfers zeggen "
                             "dus iets over de vragen waarbij het wel is ingevuld.") % {"missing": ", ".join(missing)}
    return texts


def _summary(data: ReportData) -> list[str]:
    """Plain-language sentences (B1) with the key figures: the same published numbers as the tiles and tables."""
    period = data.period
    total = privacy.published(data.fig.total, suppressed=True)
    before = privacy.published(data.fig.prev_total, suppressed=True)
    trend = figures.change(data.fig, total, before)
    if data.organisation:
        first = _("In %(period)s stelden inwoners %(n)s vragen aan het Informatiepunt Digitale Overheid van %(naam)s.") % {
            "period": period.in_text, "n": _n(total), "naam": data.organisation.naam}
    else:
        first = _("In %(period)s stelden inwoners %(n)s vragen aan het Informatiepunt Digitale Overheid.") % {
            "period": period.in_text, "n": _n(total)}
    second = _("In dezelfde periode een jaar eerder (%(previous)s) waren het er %(n)s") % {"previous": period.previous_label, "n": _n(before)}
    if start := data.fig.prev_partial_from:  # that period was not registered whole: no change against it (trend is None)
        second = _("Een vergelijking met een jaar eerder (%(previous)s) kan niet: in Balie is pas geregistreerd vanaf %(month)s "
                   "%(year)s") % {"previous": period.previous_label, "month": month_name(start.month), "year": start.year}
    if trend is not None:
        second += _(", een verschil van %(trend)s%%") % {"trend": f"{trend:+.1f}".replace(".", ",")}
    lines = [f"{first} {second}."]
    if period.running:
        lines.append(_("Deze periode loopt nog: de cijfers gaan tot en met %(last)s, en de vergelijking gaat over "
                       "dezelfde maanden een jaar eerder.") % {"last": f"{period.last_day:%d-%m-%Y}"})
    if "per_10000" in data.texts:
        lines.append(data.texts["per_10000"])
    solved, referred, back = _key(data, _("Direct opgelost")), _key(data, _("Doorverwezen")), _key(data, _("Komt terug"))
    if solved.value != _("afgeschermd"):
        lines.append(_("%(solved)s van de vragen werd meteen aan de balie opgelost. %(referred)s werd doorverwezen naar een andere "
                       "organisatie, en bij %(back)s kwam de bezoeker terug voor een vervolg.") % {
            "solved": solved.value, "referred": referred.value, "back": back.value})
    top = data.board.table("instanties")
    if top and top.rows and isinstance(top.rows[0][1], int):
        if len(top.rows) > 1 and isinstance(top.rows[1][1], int):
            lines.append(_("De meeste vragen gingen over %(first)s, daarna %(second)s.") % {"first": top.rows[0][0], "second": top.rows[1][0]})
        else:
            lines.append(_("De meeste vragen gingen over %(first)s.") % {"first": top.rows[0][0]})
    if data.fig.timed:
        hours = _key(data, _("Uren hulp"))
        lines.append(_("Medewerkers besteedden ten minste %(hours)s uur aan hulp (%(detail)s).") % {"hours": hours.value, "detail": hours.detail})
    return lines


def render_html(data: ReportData, *, standalone: bool = True) -> str:
    # The sections' tables in the order the XLSX and CSV have them too (report_tables.for_export).
    sections = {"a": report_tables.SECTION_A[2:], "who": report_tables.SECTION_WHO, "where": report_tables.SECTION_WHERE}
    return render_to_string("insight/report.html", {"data": data, "standalone": standalone, "source_population": _(SOURCE_POPULATION),
                                                     "regulation": functions.REGULATION, "made": timezone.localdate(), "sections": sections})


def render_pdf(data: ReportData) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=render_html(data)).write_pdf()


def tables_for_export(data: ReportData) -> list[tables.Table]:
    """Every table section of the PDF, in its order, with the same cells (report_tables)."""
    return report_tables.for_export(data)
