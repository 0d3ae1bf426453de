"""Dashboards per role, their exports, the accountability report and the open-data file.

Scope: a coordinator sees the own organisation (per location, exact numbers); gemeente the
locations in its municipalities and landelijk everything, both only suppressed aggregates.
Other roles get 403; a place outside the scope is 404 (core.access conventions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core.access import ANONYMOUS, Cap, Scope, requires, scope_of
from balie.network.models import Gemeente, Location

from .. import exports, impact, national, periods, tables
from ..dims import FILTERS
from ..figures import Figures, Query, compute
from ..periods import Period

# GET parameter -> dimension letter; bestuurslaag is a set of instanties
FILTER_PARAMS = {"kanaal": "K", "vraagsoort": "V", "instantie": "I", "onderwerp": "O", "behoefteprofiel": "B",
                 "complexiteit": "C", "uitkomst": "U", "leeftijdsgroep": "L"}


@dataclass
class Resolved:
    user: Any
    period: Period
    query: Query
    suppressed: bool
    locations: list[Location]  # in scope after the place filters
    chosen: dict[str, str] = field(default_factory=dict)  # the filters as given (for the form and links)
    problems: list[str] = field(default_factory=list)
    scope: Scope = ANONYMOUS

    @property
    def location_ids(self) -> set[int]:
        return {loc.pk for loc in self.locations}


def scope_locations(user: Any):
    scope = scope_of(user)
    scope.require(Cap.SEE_INSIGHT)
    return Location.objects.for_scope(scope).select_related("gemeente", "organisation")


def resolve(user: Any, params: dict[str, str]) -> Resolved:
    scope = scope_of(user)
    if not scope.authenticated:
        raise PermissionDenied
    scope.require(Cap.SEE_INSIGHT)
    problems: list[str] = []
    try:
        period = Period.parse(params["periode"]) if params.get("periode") else Period.default()
    except ValueError as exc:
        problems.append(f"{_('Periode')}: {exc}")
        period = Period.default()
    all_in_scope = list(scope_locations(user))
    locations = all_in_scope
    chosen: dict[str, str] = {}
    # On a hub a municipality served only by a node exists for the national user too: no location of ours, its
    # figures come from the deliveries (insight.national.for_dashboard).
    by_nodes = national.node_gemeenten() if scope.is_national else []
    # Place filters: anything outside the user's scope does not exist for them (404).
    for param, test in (
        ("provincie", lambda loc, v: loc.gemeente is not None and loc.gemeente.provincie == v),
        ("gemeente", lambda loc, v: loc.gemeente is not None and loc.gemeente.cbs_code == v),
        ("organisatie", lambda loc, v: loc.organisation.code == v),
        ("locatie", lambda loc, v: loc.code == v),
    ):
        value = (params.get(param) or "").strip()
        if not value:
            continue
        narrowed = [loc for loc in locations if test(loc, value)]
        if not any(test(loc, value) for loc in all_in_scope) and not _served_by_nodes(by_nodes, param, value):
            raise Http404(_("Niet gevonden."))
        locations = narrowed
        chosen[param] = value
    filters: dict[str, frozenset[str]] = {}
    for param, letter in FILTER_PARAMS.items():
        value = (params.get(param) or "").strip().upper()
        if value:
            filters[letter] = frozenset({"" if value == "LEEG" else value})
            chosen[param] = value
    laag = (params.get("bestuurslaag") or "").strip().upper()
    if laag:
        codes = frozenset(code for code, level in tables.bestuurslaag_of().items() if level == laag)
        filters["I"] = (filters["I"] & codes) if "I" in filters else codes
        chosen["bestuurslaag"] = laag
    everything = scope.is_national and len(locations) == len(all_in_scope)
    query = Query(
        # Whole months that have ended (periods.py): a running year is compared with the same months a year earlier.
        first=period.first, last=period.last,
        locations=None if everything else tuple(sorted(loc.pk for loc in locations)),
        filters=tuple(sorted((k, v) for k, v in filters.items() if k in FILTERS)),
    )
    if period.key != params.get("periode", period.key):
        chosen["periode"] = period.key
    chosen["periode"] = period.key
    return Resolved(user, period, query, scope.suppressed, locations, chosen, problems, scope=scope)


def query_for(user: Any, url: str) -> Query:
    """The Query a dashboard URL runs for a user (bench/insight.py compares it with the raw table)."""
    return resolve(user, dict(parse_qsl(urlsplit(url).query))).query


def province_population() -> dict[str, int]:
    """Inhabitants per province: every active municipality (CBS 2026), also those without an IDO location."""
    totals: dict[str, int] = {}
    for provincie, inwoners in Gemeente.objects.filter(active=True).values_list("provincie", "inwoners"):
        if provincie and inwoners:
            totals[provincie] = totals.get(provincie, 0) + inwoners
    return totals


def gemeente_population() -> dict[str, int]:
    return {naam: n for naam, n in Gemeente.objects.filter(active=True, inwoners__isnull=False).values_list("naam", "inwoners")}


def place_groups(res: Resolved) -> list[tuple[Any, ...]]:
    locs = res.locations
    if res.scope.is_national:
        return [
            ("provincies", _("Vragen per provincie"), {loc.pk: (loc.gemeente.provincie if loc.gemeente else "") or _("onbekend") for loc in locs},
             province_population()),
            ("gemeenten", _("Vragen per gemeente"), {loc.pk: loc.gemeente.naam if loc.gemeente else _("onbekend") for loc in locs},
             gemeente_population()),
            ("organisaties", _("Vragen per organisatie"), {loc.pk: loc.organisation.naam for loc in locs}),
        ]
    if res.scope.reads_gemeenten:
        result = [("locaties", _("Vragen per locatie"), {loc.pk: loc.naam for loc in locs})]
        if len({loc.gemeente_id for loc in locs}) > 1:
            result.insert(0, ("gemeenten", _("Vragen per gemeente"), {loc.pk: loc.gemeente.naam if loc.gemeente else _("onbekend") for loc in locs},
                              gemeente_population()))
        return result
    return [("locaties", _("Vragen per locatie"), {loc.pk: loc.naam for loc in locs})]


def build(res: Resolved, fig: Figures | None = None) -> tables.Dashboard:
    fig = fig or compute(res.query)
    builder = tables.Builder(fig, res.query, suppressed=res.suppressed, period_label=res.period.label,
                             previous_label=res.period.previous_label)
    board = builder.build(place_groups(res))
    kinds = {loc.pk: loc.kind for loc in res.locations}
    board.tables.append(tables.outreach_table(fig, kinds, tables.labels("K"), suppressed=res.suppressed))
    chosen_loc = res.chosen.get("locatie")
    where = next((loc.naam for loc in res.locations if loc.code == chosen_loc), None) if chosen_loc else None
    board.tables.append(tables.heatmap_table(fig, None, suppressed=res.suppressed,
                                             title=_("Drukte per weekdag en uur") + (f": {where}" if where else "")))
    # On the hub: the same period with every node's delivery added (published cells only, insight/national.py).
    extra, key = national.for_dashboard(res.scope, res.period, res.chosen, code_filters=bool(res.query.filters))
    board.tables.extend(extra)
    if key is not None:
        board.key_figures.append(key)
    board.figures = fig  # type: ignore[attr-defined]
    return board


def _filter_options(res: Resolved) -> list[dict[str, Any]]:
    options = []
    for param, letter in FILTER_PARAMS.items():
        names = tables.labels(letter)
        names.pop("", None)
        options.append({"name": param, "label": _(FILTER_LABELS[param]), "choices": list(names.items()), "value": res.chosen.get(param, "")})
    laag_names = {k: v for k, v in tables.bestuurslaag_labels().items() if k != "OVERIG"}
    options.insert(3, {"name": "bestuurslaag", "label": _("Bestuurslaag"), "choices": list(laag_names.items()), "value": res.chosen.get("bestuurslaag", "")})
    return options


FILTER_LABELS = {"kanaal": gettext_noop("Kanaal"), "vraagsoort": gettext_noop("Soort vraag"), "instantie": gettext_noop("Instantie"),
                 "onderwerp": gettext_noop("Onderwerp"), "behoefteprofiel": gettext_noop("Behoefteprofiel"),
                 "complexiteit": gettext_noop("Complexiteit"), "uitkomst": gettext_noop("Uitkomst"),
                 "leeftijdsgroep": gettext_noop("Leeftijdsgroep")}


def _served_by_nodes(gemeenten: list[Any], param: str, value: str) -> bool:
    if param == "gemeente":
        return any(g.cbs_code == value for g in gemeenten)
    return param == "provincie" and any(g.provincie == value for g in gemeenten)


def _place_options(res: Resolved) -> list[dict[str, Any]]:
    scope = list(scope_locations(res.user))
    places = [loc.gemeente for loc in scope if loc.gemeente]
    if res.scope.is_national:
        places += national.node_gemeenten()
    result = []
    if res.scope.is_national:
        result.append({"name": "provincie", "label": _("Provincie"), "value": res.chosen.get("provincie", ""),
                       "choices": sorted({(g.provincie, g.provincie) for g in places if g.provincie})})
        result.append({"name": "organisatie", "label": _("Organisatie"), "value": res.chosen.get("organisatie", ""),
                       "choices": sorted({(loc.organisation.code, loc.organisation.naam) for loc in scope}, key=lambda c: c[1])})
    if res.scope.is_national or res.scope.reads_gemeenten:
        result.append({"name": "gemeente", "label": _("Gemeente"), "value": res.chosen.get("gemeente", ""),
                       "choices": sorted({(g.cbs_code, g.naam) for g in places}, key=lambda c: c[1])})
    result.append({"name": "locatie", "label": _("Locatie"), "value": res.chosen.get("locatie", ""),
                   "choices": sorted(((loc.code, loc.naam) for loc in scope), key=lambda c: c[1])})
    return result


def _queue(res: Resolved) -> dict[str, Any] | None:
    """Walk-in queue figures for the coordinator: per location with tickets, and the sums."""
    if not res.scope.is_coordinator:
        return None
    from balie.walkin.models import Ticket
    from balie.walkin.selectors import queue_stats

    last_day = res.period.last_day
    with_tickets = set(Ticket.objects.filter(location__in=res.locations, service_date__gte=res.period.first,
                                             service_date__lte=last_day).values_list("location_id", flat=True).distinct())
    rows = []
    totals = {"tickets": 0, "called": 0, "no_shows": 0}
    for loc in res.locations:
        if loc.pk not in with_tickets:
            continue
        stats = queue_stats(loc, res.period.first, last_day)
        peak = stats.peak_slots[0] if stats.peak_slots else None
        rows.append({"location": loc, "stats": stats, "peak": peak})
        totals["tickets"] += stats.tickets
        totals["called"] += stats.called
        totals["no_shows"] += stats.no_shows
    return {"rows": rows, "totals": totals, "no_show_pct": tables.pct(totals["no_shows"], totals["called"])}


def _title(scope: Scope) -> str:
    if scope.is_coordinator:
        return _("Inzicht voor de bibliotheek")
    if scope.reads_gemeenten:
        return _("Inzicht voor de gemeente")
    return _("Landelijk inzicht") if scope.is_national else _("Inzicht")


@requires(Cap.SEE_INSIGHT)
def dashboard(request: HttpRequest) -> HttpResponse:
    res = resolve(request.user, request.GET.dict())
    board = build(res)
    query_string = "&".join(f"{k}={v}" for k, v in res.chosen.items())
    context = {
        "res": res, "board": board, "fig": board.figures, "filters": _filter_options(res), "places": _place_options(res),
        "periods": periods.choices(), "query_string": query_string, "queue": _queue(res), "impact": impact.build(res),
        "raw_fallback": len(res.query.filters) > 1,
        "title": _title(res.scope),
    }
    template = "insight/_board.html" if request.htmx else "insight/dashboard.html"
    # A period that cannot be shown is the request's fault: 400, with the message and the default period below it.
    return render(request, template, context, status=400 if res.problems else 200)


@requires(Cap.SEE_INSIGHT)
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    res = resolve(request.user, request.GET.dict())
    if res.problems:
        return HttpResponseBadRequest(" ".join(res.problems), content_type="text/plain; charset=utf-8")
    board = build(res)
    found = board.table(table) if table != "kerncijfers" else exports.key_figures_table(board)
    if found is None:
        raise Http404(_("Deze tabel bestaat niet."))
    name = f"inzicht-{table}-{res.period.key}"
    return exports.respond([found], fmt, name, meta=exports.meta_lines(res))


def open_data_page(request: HttpRequest) -> HttpResponse:
    from .. import opendata

    return render(request, "insight/open_data.html", {"dictionary": [(name, _(meaning)) for name, meaning in opendata.DICTIONARY],
                                                      "years": opendata.years(), "nodes": opendata.delivered_quarters()})


def open_data_csv(request: HttpRequest) -> HttpResponse:
    from .. import opendata

    return opendata.response()


def home(request: HttpRequest) -> HttpResponse:
    return dashboard(request)
