"""The offline desk (issue 16): a registration page that keeps working without a network.

Three URLs, all additive to the normal desk:
- ``offline/``: the page. It holds no visitor data at all (no "today" list, no previous question), only code lists,
  favourites and the staff member's own locations, so the copy the service worker keeps on the device is harmless.
- ``offline/sw.js``: the service worker, rendered with the exact static URLs it must keep and a hash of their
  contents as its version (a changed file installs a new worker). Served from inside ``/balie/offline/`` so its
  default scope is the page and nothing else; no login needed (it holds no data), so an update check after the
  session ended does not fail.
- ``offline/sessie.json``: never cached. Before sending, the page asks it whether the session still lives and for a
  fresh CSRF token (Django rotates it at login, so the token in the cached page may be stale).

Registrations are sent to the public API (POST /api/v1/registraties) with the session and CSRF, and an
Idempotency-Key per visit: docs/adr/0016-offline-desk.md.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from balie.core.access import Cap, requires
from balie.core.models import CodeList
from balie.network.selectors import own_locations

from . import selectors
from .validation import FUTURE_TOLERANCE, MAX_NOTE_LENGTH, CodeContext
from .views import current_location, short_label

# What the service worker keeps on the device besides the page itself (static files only, no data).
OFFLINE_ASSETS = ("nlds/utrecht.css", "balie/balie.css", "balie/offline.css", "balie/pii.js", "balie/offline.js")
# The lists the offline form offers; the others keep their defaults (or are derived) on the server.
FORM_LISTS = (CodeList.INSTANTIE, CodeList.ONDERWERP, CodeList.UITKOMST, CodeList.KANAAL)


def _entries(ctx: CodeContext, name: str) -> list[list[str]]:
    national = [[code, label] for code, label in ctx.lists[name].items()]
    local = [[code, f"{entry.label} ({entry.national_code})"] for code, entry in ctx.local.get(name, {}).items()]
    return national + local


def page_data(request: HttpRequest) -> dict[str, Any]:
    """What the page needs to work offline: no visitor data, only codes, favourites and the own locations."""
    location = current_location(request)
    ctx = CodeContext.build(location.organisation)
    locations = []
    for loc in own_locations(request.scope):
        favourites = []
        for inst, onderwerp in selectors.favourites(loc):
            inst_label = ctx.lists[CodeList.INSTANTIE].get(inst) or ctx.local[CodeList.INSTANTIE].get(inst)
            ond_label = ctx.lists[CodeList.ONDERWERP].get(onderwerp) or ctx.local[CodeList.ONDERWERP].get(onderwerp)
            favourites.append({
                "instantie": inst, "onderwerp": onderwerp,
                "label": f"{short_label(str(getattr(inst_label, 'label', inst_label) or inst))} · "
                         f"{short_label(str(getattr(ond_label, 'label', ond_label) or onderwerp))}",
            })
        locations.append({"code": loc.code, "naam": loc.naam, "favourites": favourites})
    return {
        "user": request.user.pk,
        "version": ctx.version.number,
        "location": location.code,
        "locations": locations,
        "lists": {name: _entries(ctx, name) for name in FORM_LISTS},
        "timezone": settings.TIME_ZONE,
        "api": reverse("api:registraties"),
        "session": reverse("desk:offline_session"),
        "worker": reverse("desk:offline_worker"),
        "scope": reverse("desk:offline"),
        "login": settings.LOGIN_URL if settings.LOGIN_URL.startswith("/") else reverse(settings.LOGIN_URL),
        "max_note": MAX_NOTE_LENGTH,
        "future_tolerance_s": int(FUTURE_TOLERANCE.total_seconds()),
    }


@requires(Cap.REGISTER)
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "desk/offline/page.html", {"data": page_data(request)})
    # The service worker keeps its own copy; the browser's HTTP cache must not keep a second one.
    response["Cache-Control"] = "no-store"
    return response


@lru_cache(maxsize=1)
def _asset_version() -> str:
    digest = hashlib.sha256()
    for asset in OFFLINE_ASSETS:
        path = finders.find(asset)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        digest.update(asset.encode())
    return digest.hexdigest()[:16]


@require_GET
def offline_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": _asset_version() if not settings.DEBUG else _asset_version.__wrapped__(),
        "page": reverse("desk:offline"),
        "assets": [static(asset) for asset in OFFLINE_ASSETS],
    }
    context = {"config": json.dumps(config)}
    response = render(request, "desk/offline/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("desk:offline")
    return response


@never_cache
@requires(Cap.REGISTER)
@require_GET
def offline_session(request: HttpRequest) -> JsonResponse:
    """Is the session alive, and the token to send with; the page asks before every send."""
    locations = [loc.code for loc in own_locations(request.scope)]
    return JsonResponse({"user": request.user.pk, "csrf": get_token(request), "locations": locations})
