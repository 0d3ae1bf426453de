"""The registrations overview page (issue 14 item 2)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.core.access import Cap, requires

from .. import selectors, services
from .filters import OverviewFilter
from .paging import COUNT_CAP, page_of


@requires(Cap.REGISTER)
def overview(request: HttpRequest) -> HttpResponse:
    """A coordinator's registrations of the organisation, a staff member's own; filtered, 50 per page."""
    form = OverviewFilter(request.GET or None, scope=request.scope, user=request.user)
    page = page_of(form.apply(selectors.questions_for_user(request.user)), request.GET.get("pagina"))
    rows = selectors.with_labels(page.rows)
    for q in rows:
        q.editable = services.can_edit(request.user, q)
    van, tot = form.period()
    keep = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    return render(request, "desk/registrations.html", {
        "form": form, "page": page, "rows": rows, "van": van, "tot": tot, "cap": COUNT_CAP,
        "query": urlencode(keep), "back": quote(request.get_full_path()), "invalid": form.is_bound and not form.is_valid(),
    }, status=422 if form.is_bound and not form.is_valid() else 200)
