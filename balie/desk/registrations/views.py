"""The registrations overview page (issue 14 item 2)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.core.access import Cap, requires

from .. import selectors, services
from .filters import OverviewFilter

PER_PAGE = 50


@requires(Cap.REGISTER)
def overview(request: HttpRequest) -> HttpResponse:
    """A coordinator's registrations of the organisation, a staff member's own; filtered, 50 per page."""
    form = OverviewFilter(request.GET or None, scope=request.scope, user=request.user)
    qs = form.apply(selectors.questions_for_user(request.user)).select_related("location", "created_by", "visit")
    # Ordered on the indexed date first, so a page of a large organisation is a short index range scan.
    page = Paginator(qs.order_by("-date", "-started_at", "-id"), PER_PAGE).get_page(request.GET.get("pagina"))
    rows = selectors.with_labels(list(page.object_list))
    for q in rows:
        q.editable = services.can_edit(request.user, q)
    van, tot = form.period()
    keep = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    return render(request, "desk/registrations.html", {
        "form": form, "page": page, "rows": rows, "van": van, "tot": tot,
        "query": urlencode(keep), "invalid": form.is_bound and not form.is_valid(),
    }, status=422 if form.is_bound and not form.is_valid() else 200)
