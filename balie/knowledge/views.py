"""Knowledge base pages: list and search, a guide (printable as a handout), coordinators' local guides.

Rules live in selectors.py and services.py; these views only read the request and pick a template.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core.access import Cap, requires

from . import selectors, services
from .markup import render as render_body
from .search import MAX_QUERY, search


@requires(Cap.REGISTER)
def kb_list(request: HttpRequest) -> HttpResponse:
    labels = selectors.code_labels()
    problems: list[str] = []
    query = _clean(request.GET.get("q", "")).strip()
    if len(query) > MAX_QUERY:
        problems.append(_("Uw zoekvraag is te lang (%(n)d tekens). Balie zoekt op de eerste %(max)d tekens.") % {"n": len(query), "max": MAX_QUERY})
    filters = {}
    for name in ("instantie", "onderwerp"):
        code = request.GET.get(name, "").strip().upper()
        if code and code not in labels[name]:
            problems.append((_("Onbekende instantie '%(code)s'. Balie toont handleidingen voor alle instanties.") if name == "instantie" else
                             _("Onbekende onderwerp '%(code)s'. Balie toont handleidingen voor alle onderwerpen.")) % {"code": code[:40]})
        elif code:
            filters[name] = code
    guides = selectors.with_codes(selectors.guides_for_user(request.user), **filters)
    results = search(guides, query)
    context = {
        "query": query[:MAX_QUERY],
        "filters": filters,
        "problems": problems,
        "guides": results,
        "labels": labels,
        "can_create": request.scope.is_coordinator,
    }
    return render(request, "knowledge/guide_list.html", context)


@requires(Cap.REGISTER)
def kb_guide(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_for_user(request.user, slug, national=request.GET.get("landelijk") == "1")
    own_version = None
    if guide.is_national:
        own_version = selectors.guides_for_user(request.user).filter(slug=slug, organisation__isnull=False).first()
    context = {
        "guide": guide,
        "body": render_body(guide.body),
        "labels": selectors.code_labels(),
        "can_edit": selectors.can_edit(request.user, guide),
        "can_make_local": guide.is_national and request.scope.is_coordinator and own_version is None,
        "own_version": own_version,
    }
    return render(request, "knowledge/guide.html", context)


def _clean(text: str) -> str:
    # PostgreSQL refuses NUL characters in text; they never belong in a guide or a search anyway.
    return text.replace("\x00", "")


def _data_from_post(request: HttpRequest) -> services.GuideData:
    return services.GuideData(
        title=_clean(request.POST.get("title", ""))[:500],
        summary=_clean(request.POST.get("summary", ""))[:1000],
        body=_clean(request.POST.get("body", ""))[:20_000],
        instanties=[_clean(c).strip().upper()[:40] for c in request.POST.getlist("instanties") if c.strip()][:30],
        onderwerpen=[_clean(c).strip().upper()[:40] for c in request.POST.getlist("onderwerpen") if c.strip()][:30],
        keywords=_clean(request.POST.get("keywords", ""))[:1000],
    )


def _form(request: HttpRequest, data: services.GuideData, *, guide: Any = None, errors: dict[str, str] | None = None) -> HttpResponse:
    context = {"data": data, "guide": guide, "errors": errors or {}, "labels": selectors.code_labels()}
    return render(request, "knowledge/guide_form.html", context, status=422 if errors else 200)


@requires(Cap.COORDINATE)
def kb_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        data = services.GuideData("", "", "## Zo doet u het\n1. \n2. \n3. \n", [], [])
        if request.GET.get("instantie"):
            data.instanties = [request.GET["instantie"][:40].upper()]
        return _form(request, data)
    data = _data_from_post(request)
    try:
        guide = services.guide_create(user=request.user, data=data)
    except services.GuideInvalid as exc:
        return _form(request, data, errors=exc.errors)
    messages.success(request, _("De handleiding '%(title)s' is opgeslagen.") % {"title": guide.title})
    return redirect("toolkit:kb_guide", slug=guide.slug)


@requires(Cap.COORDINATE)
def kb_edit(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_for_user(request.user, slug)
    if not selectors.can_edit(request.user, guide):
        raise PermissionDenied(_("Een landelijke handleiding past u aan via 'Eigen versie maken'."))
    if request.method != "POST":
        return _form(request, services.GuideData.from_guide(guide), guide=guide)
    data = _data_from_post(request)
    try:
        services.guide_update(user=request.user, guide=guide, data=data)
    except services.GuideInvalid as exc:
        return _form(request, data, guide=guide, errors=exc.errors)
    messages.success(request, _("De wijzigingen zijn opgeslagen."))
    return redirect("toolkit:kb_guide", slug=guide.slug)


@requires(Cap.COORDINATE)
@require_POST
def kb_make_local(request: HttpRequest, slug: str) -> HttpResponse:
    national = selectors.guide_for_user(request.user, slug, national=True)
    guide = services.guide_make_local(user=request.user, national=national)
    messages.success(request, _("U heeft nu een eigen versie. Pas die aan en sla op; uw collega's zien dan uw versie."))
    return redirect("toolkit:kb_edit", slug=guide.slug)


@requires(Cap.COORDINATE)
@require_POST
def kb_delete(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_for_user(request.user, slug)
    if not selectors.can_edit(request.user, guide):
        raise PermissionDenied(_("Een landelijke handleiding kan niet worden verwijderd."))
    title = guide.title
    services.guide_delete(user=request.user, guide=guide)
    messages.success(request, _("De handleiding '%(title)s' is verwijderd.") % {"title": title})
    return redirect("toolkit:kb")
