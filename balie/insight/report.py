"""The accountability report ("verantwoording") for one municipality and a quarter or year: PDF, XLSX, CSV.

Always suppressed, whoever makes it: it is written for the municipality and may be published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from balie.network.models import Gemeente, Location

from . import tables
from .figures import Figures, Query, compute
from .periods import Period

__all__ = ["Period", "ReportData", "collect", "render_html", "render_pdf"]


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


def collect(gemeente: Gemeente, period: Period, *, locations: list[Location] | None = None, organisation: Any = None) -> ReportData:
    locs = locations if locations is not None else list(Location.objects.filter(gemeente=gemeente).select_related("organisation", "gemeente"))
    import datetime as dt

    last = max(period.first, min(period.last, dt.date.today().replace(day=1)))
    query = Query(first=period.first, last=last, locations=tuple(sorted(loc.pk for loc in locs)))
    fig = compute(query)
    builder = tables.Builder(fig, query, suppressed=True, period_label=period.label, previous_label=period.previous_label)
    board = builder.build([("locaties", "Vragen per locatie", {loc.pk: loc.naam for loc in locs})])
    board.tables.append(tables.outreach_table(fig, {loc.pk: loc.kind for loc in locs}, tables.labels("K"), suppressed=True))
    from . import impact

    # Referrals, courses and the survey with the same suppression as the rest: the report may be published.
    helped = impact.build(impact.Scope(period, locs, suppressed=True))
    return ReportData(gemeente, period, organisation, board, fig, locs, _signals(gemeente, period, organisation), _summary(board, fig, period),
                      helped)


def _signals(gemeente: Gemeente, period: Period, organisation: Any) -> list[dict[str, Any]]:
    from balie.signals.models import Signal
    from balie.signals.report import expected, observed, title

    end = period.last.replace(day=28)
    qs = Signal.objects.filter(start_week__lte=end, end_week__gte=period.first)
    if organisation is not None:
        qs = qs.filter(scope_kind="organisatie", organisation=organisation)
    else:
        qs = qs.filter(scope_kind="gemeente", gemeente=gemeente)
    result = []
    for s in qs.order_by("start_week")[:20]:
        result.append({"title": title(s), "weeks": f"{s.start_week:%d-%m-%Y} tot en met de week van {s.end_week:%d-%m-%Y}",
                       "observed": observed(s), "expected": expected(s.expected), "status": s.get_status_display(),
                       "description": s.description})
    return result


def _summary(board: tables.Dashboard, fig: Figures, period: Period) -> list[str]:
    """Plain-language sentences (B1) with the key figures."""
    k = {f.label: f for f in board.key_figures}
    lines = [f"In {period.label} stelden inwoners {k['Vragen'].value} vragen aan het Informatiepunt Digitale Overheid. "
             f"Een jaar eerder, in {k['Vragen'].detail.replace(':', ' waren het', 1)}."]
    if k["Direct opgelost"].value != "afgeschermd":
        lines.append(f"{k['Direct opgelost'].value} van de vragen werd meteen aan de balie opgelost. "
                     f"{k['Doorverwezen'].value} werd doorverwezen naar een andere organisatie, en bij {k['Komt terug'].value} "
                     "kwam de bezoeker terug voor een vervolg.")
    top = board.table("instanties")
    if top and top.rows and isinstance(top.rows[0][1], int):
        lines.append(f"De meeste vragen gingen over {top.rows[0][0]}"
                     + (f", daarna {top.rows[1][0]}" if len(top.rows) > 1 and isinstance(top.rows[1][1], int) else "") + ".")
    if fig.timed:
        lines.append(f"Medewerkers besteedden ten minste {k['Uren hulp'].value} uur aan hulp ({k['Uren hulp'].detail}).")
    return lines


def render_html(data: ReportData, *, standalone: bool = True) -> str:
    return render_to_string("insight/report.html", {"data": data, "standalone": standalone})


def render_pdf(data: ReportData) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=render_html(data)).write_pdf()


def tables_for_export(data: ReportData) -> list[tables.Table]:
    from .exports import key_figures_table

    return [key_figures_table(data.board), *data.board.tables]
