"""Choose and download the accountability report."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from balie.accounts.models import Role
from balie.core import audit
from balie.core.audit import Event
from balie.network.models import Gemeente, Location

from . import exports, periods
from . import report as reporting
from .periods import Period


def _gemeenten(user: Any):
    """Municipalities a user may report on: a coordinator where the library has locations (its own locations only)."""
    if getattr(user, "is_coordinator", False):
        return Gemeente.objects.filter(locations__organisation_id=user.organisation_id).distinct()
    if user.role == Role.GEMEENTE:
        return user.gemeenten.all()
    if user.role == Role.LANDELIJK:
        return Gemeente.objects.filter(locations__isnull=False).distinct()
    raise PermissionDenied("De verantwoording is er voor coördinatoren, gemeenten en de landelijke rol.")


@login_required
def choose(request: HttpRequest) -> HttpResponse:
    gemeenten = list(_gemeenten(request.user).order_by("naam"))
    choices = [(k, label) for k, label in periods.choices() if len(k) != 7]
    return render(request, "insight/report_choose.html", {"gemeenten": gemeenten, "periods": choices})


@login_required
def report(request: HttpRequest, cbs: str, period: str, fmt: str) -> HttpResponse:
    allowed = _gemeenten(request.user)
    gemeente = allowed.filter(cbs_code=cbs).first()
    if gemeente is None:
        raise Http404("Niet gevonden.")
    try:
        chosen = Period.parse(period)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    organisation = None
    locations = None
    if getattr(request.user, "is_coordinator", False):
        organisation = request.user.organisation
        locations = list(Location.objects.filter(gemeente=gemeente, organisation=organisation).select_related("organisation", "gemeente"))
    data = reporting.collect(gemeente, chosen, locations=locations, organisation=organisation)
    audit.log(Event.INSIGHT_REPORT, user=request.user, gemeente=gemeente.cbs_code, period=chosen.key, format=fmt)
    name = f"verantwoording-{gemeente.naam.lower().replace(' ', '-')}-{chosen.key}"
    if fmt == "html":
        return HttpResponse(reporting.render_html(data))
    if fmt == "pdf":
        response = HttpResponse(reporting.render_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    meta = [f"Verantwoording {gemeente.naam}, {chosen.label}", "Aantallen onder de 5 staan als <5; × is afgeschermd."]
    return exports.respond(reporting.tables_for_export(data), fmt, name, meta=meta)
