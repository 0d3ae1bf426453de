"""Coordinator pages: forecast per location with last year's backtest, and the walk-in staffing suggestion."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.core.access import Cap, get_or_404, requires
from balie.network.models import Location
from balie.network.selectors import own_locations

from . import charts, selectors, staffing
from .model import INTERVAL


@requires(Cap.COORDINATE)
def index(request: HttpRequest) -> HttpResponse:
    locations = own_locations(request.scope)
    wanted = request.GET.get("locatie", "")
    if wanted in {loc.code for loc in locations}:  # the location picker on the detail page, without JavaScript
        return redirect("forecast:location", code=wanted)
    rows = selectors.summaries(locations)
    return render(request, "forecast/index.html", {
        "rows": rows,
        "run": selectors.latest_run(),
        "computed": [r for r in rows if r.forecast is not None],
    })


@requires(Cap.COORDINATE)
def location_detail(request: HttpRequest, code: str) -> HttpResponse:
    location = get_or_404(Location.objects.for_scope(request.scope), code=code)
    detail = selectors.detail(location)
    chart = ""
    if detail is not None:
        chart = charts.line_chart(
            chart_id="prognose",
            title=_("Vragen per week op %(naam)s: werkelijk en verwacht") % {"naam": location.naam},
            description=_(
                "Doorgetrokken lijn: het werkelijke aantal vragen per week. Gestippelde lijn: wat de prognose van een jaar "
                "geleden verwachtte. Dikke lijn met band: de prognose voor de komende 12 maanden, met de %(interval)s-bandbreedte. "
                "De cijfers staan ook in de tabel onder de grafiek."
            ) % {"interval": f"{INTERVAL:.0%}"},
            lines=[
                charts.Series(_("Werkelijk"), [(w.week_start, w.actual or 0) for w in detail.history], "chart__line--actual"),
                charts.Series(_("Prognose van een jaar geleden"), [(w.week_start, w.expected or 0) for w in detail.backtest], "chart__line--backtest"),
                charts.Series(_("Prognose"), [(w.week_start, w.expected or 0) for w in detail.future], "chart__line--forecast"),
            ],
            band=[(w.week_start, w.low or 0, w.high or 0) for w in detail.future],
            band_label=_("%(interval)s-bandbreedte") % {"interval": f"{INTERVAL:.0%}"},
        )
    table = selectors.staffing_table(location, detail.forecast if detail else None)
    summary = selectors.summaries([location])[0]
    return render(request, "forecast/location.html", {
        "next_weeks": summary.next_weeks,
        "next_year": summary.next_year,
        "last_year": summary.last_year,
        "rows": _table_rows(detail) if detail else [],
        "location": location,
        "locations": own_locations(request.scope),
        "detail": detail,
        "chart": chart,
        "staffing": table,
        "interval": round(INTERVAL * 100),
        "target_minutes": staffing.TARGET_MINUTES,
        "target_share": round(staffing.TARGET_SHARE * 100),
    })


def _table_rows(detail: selectors.Detail) -> list[dict]:
    """One row per week for the chart's table: actual where known, last year's forecast beside it, then the forecast."""
    rows: dict = {}
    for w in detail.history:
        rows[w.week_start] = {"week": w.week_start, "actual": w.actual, "expected": None, "low": None, "high": None}
    for w in [*detail.backtest, *detail.future]:
        row = rows.setdefault(w.week_start, {"week": w.week_start, "actual": w.actual})
        row.update(expected=w.expected, low=w.low, high=w.high)
    return [rows[k] for k in sorted(rows)]
