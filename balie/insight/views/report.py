"""Choose and download the accountability report (a month, a quarter, a year or the running year)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from balie.core import audit, privacy
from balie.core.access import Cap, requires, scope_of
from balie.core.audit import Event
from balie.core.security import allow_own_style_blocks
from balie.network.models import Gemeente, Location

from .. import exports, national, periods
from .. import report as reporting
from ..periods import Period, partial_note


def _gemeenten(user: Any):
    """Municipalities a user may report on: those where the scope's locations are (a coordinator: its own only)."""
    scope = scope_of(user)
    scope.require(Cap.SEE_INSIGHT, _("De verantwoording is er voor coördinatoren, gemeenten en de landelijke rol."))
    if scope.reads_gemeenten:
        return Gemeente.objects.filter(pk__in=scope.gemeente_ids)
    here = Q(locations__in=Location.objects.for_scope(scope))
    if scope.is_national:  # on a hub also the municipalities only a node serves (ADR 0017)
        here |= Q(cbs_code__in=national.node_gemeente_codes())
    return Gemeente.objects.filter(here).distinct()


def _choose_page(request: HttpRequest, *, gemeente: str, period: Period, error: str = "", status: int = 200) -> HttpResponse:
    gemeenten = list(_gemeenten(request.user).order_by("naam"))
    chosen = [g for g in gemeenten if g.cbs_code == gemeente] or gemeenten[:1]
    return render(request, "insight/report_choose.html", {
        "gemeenten": gemeenten, "chosen_gemeente": chosen[0] if chosen else None, "period": period,
        "periods": periods.choices(), "error": error,
    }, status=status)


def _said(value: str, exc: ValueError) -> str:
    """The message with what was asked for (shortened; the template escapes it)."""
    shown = value if len(value) <= 20 else value[:19] + "…"
    return f"{_('Periode')} “{shown}”: {exc}"


@requires(Cap.SEE_INSIGHT)
def choose(request: HttpRequest) -> HttpResponse:
    """One form, and the download links for exactly what the form shows (review B2, B3)."""
    gemeente = (request.GET.get("gemeente") or "").strip()[:10]
    if gemeente and not _gemeenten(request.user).filter(cbs_code=gemeente).exists():
        raise Http404(_("Niet gevonden."))
    value = request.GET.get("periode")
    if value is None or value == "":
        return _choose_page(request, gemeente=gemeente, period=Period.default())
    try:
        period = Period.parse(value)
    except ValueError as exc:  # review B6: a wrong period is the request's fault, never a 500
        return _choose_page(request, gemeente=gemeente, period=Period.default(), error=_said(value, exc), status=400)
    return _choose_page(request, gemeente=gemeente, period=period)


@requires(Cap.SEE_INSIGHT)
@allow_own_style_blocks
def report(request: HttpRequest, cbs: str, period: str, fmt: str) -> HttpResponse:
    allowed = _gemeenten(request.user)
    gemeente = allowed.filter(cbs_code=cbs).first()
    if gemeente is None:
        raise Http404(_("Niet gevonden."))
    try:
        chosen = Period.parse(period)
    except ValueError as exc:
        return _choose_page(request, gemeente=cbs, period=Period.default(), error=_said(period, exc), status=400)
    organisation = None
    locations = None
    if request.scope.is_coordinator:
        organisation = request.user.organisation
        locations = list(Location.objects.for_scope(request.scope).filter(gemeente=gemeente).select_related("organisation", "gemeente"))
    data = reporting.collect(gemeente, chosen, locations=locations, organisation=organisation)
    audit.log(Event.INSIGHT_REPORT, user=request.user, gemeente=gemeente.cbs_code, period=chosen.key, format=fmt)
    name = f"verantwoording-{gemeente.naam.lower().replace(' ', '-')}-{chosen.key}"
    if fmt == "html":
        return HttpResponse(reporting.render_html(data))
    if fmt == "pdf":
        response = HttpResponse(reporting.render_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    meta = [_("Verantwoording %(gemeente)s, %(period)s, vergeleken met %(previous)s") % {
        "gemeente": gemeente.naam, "period": chosen.label, "previous": chosen.previous_label} + partial_note(data.fig.prev_partial_from),
        str(privacy.LEGEND)]
    return exports.respond(reporting.tables_for_export(data), fmt, name, meta=meta)
