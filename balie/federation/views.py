"""The hub's page for the landelijk role: every node, its last delivery, code-list version and status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.core.access import Cap, requires
from balie.insight.models import DeliveredPeriod

from .models import Call, Node


@requires(Cap.NATIONAL)
def nodes(request: HttpRequest) -> HttpResponse:
    periods: dict[str, list[str]] = {}
    for source, period in DeliveredPeriod.objects.order_by("-period").values_list("source", "period"):
        periods.setdefault(source, []).append(period)
    rows = [{"node": node, "periods": periods.get(node.code, [])} for node in Node.objects.all()]
    calls = Call.objects.all()[:20]
    return render(request, "federation/nodes.html", {"rows": rows, "calls": calls})
