"""The citizen-facing pages: find an IDO, a location's hours, its calendar feed and its poster. No login, no JavaScript."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from balie.core.qr import qr_svg
from balie.network.models import Location
from balie.network.schedule import hours

from . import ical, search
from .cards import LocationCard, build_cards, worth_showing
from .language import public_language, switch_url
from .selectors import location_coordinates, public_locations

RESULTS = 10
# Outreach locations without a session are dropped after sorting, so look at a few more candidates than we show.
CANDIDATES = 20
# Beyond this, say plainly that there is no IDO nearby instead of letting "nearest" suggest there is.
FAR_KM = 25.0
PAGE_MAX_AGE = 60  # "open now" may lag a minute
LOCATION_DAYS = 56


def now() -> dt.datetime:
    """The current moment; one place so tests can pin it."""
    return timezone.now()


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    language = request.LANGUAGE_CODE
    other = "en" if language == "nl" else "nl"
    return {"lang": language, "other_lang": other, "switch_url": switch_url(request, other), **extra}


def _cacheable(response: HttpResponse, max_age: int = PAGE_MAX_AGE) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _location_or_none(code: str) -> Location | None:
    return public_locations().filter(code=code.upper()).select_related("gemeente", "organisation").first()


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "public/not_found.html", _context(request), status=404)


def _candidates(ordered: list[Location]) -> list[Location]:
    """The nearest RESULTS libraries plus any outreach location in between: only those need their hours worked out
    (an outreach location is dropped later when nothing is planned there)."""
    picked, libraries = [], 0
    for location in ordered:
        if libraries == RESULTS:
            break
        picked.append(location)
        libraries += not location.is_outreach
    return picked


@require_safe
@public_language
def index(request: HttpRequest) -> HttpResponse:
    context = _context(request, searched="q" in request.GET, query=request.GET.get("q", "")[: search.MAX_QUERY])
    if context["searched"]:
        outcome = search.resolve(request.GET.get("q", ""))
        cards: list[LocationCard] = []
        if outcome.origin is not None:
            prefer = frozenset()
            if outcome.origin.gemeente_code:
                prefer = frozenset(public_locations().filter(gemeente__cbs_code=outcome.origin.gemeente_code).values_list("pk", flat=True))
            near = search.nearest(outcome.origin.point, location_coordinates(), limit=CANDIDATES, prefer=prefer)
            by_id = public_locations().in_bulk([pk for pk, _ in near])
            ordered = _candidates([by_id[pk] for pk, _ in near if pk in by_id])
            found = build_cards(ordered, now(), language=request.LANGUAGE_CODE, km=dict(near), next_limit=1)
            cards = [c for c in found if worth_showing(c)]
            cards = cards[:RESULTS]
        context.update(
            outcome=outcome,
            cards=cards,
            far=bool(cards) and (cards[0].km or 0) > FAR_KM,
            nearest_km=cards[0].km if cards else None,
        )
    return _cacheable(render(request, "public/index.html", context))


@require_safe
@public_language
def location_detail(request: HttpRequest, code: str) -> HttpResponse:
    location = _location_or_none(code)
    if location is None:
        return _not_found(request)
    moment = now()
    card = build_cards([location], moment, language=request.LANGUAGE_CODE, load_days=LOCATION_DAYS)[0]
    local_today = moment.astimezone(hours.TZ).date()
    context = _context(
        request,
        card=card,
        location=location,
        week=hours.week_table(card.schedule),
        deviations=hours.exceptions(card.schedule, local_today, days=LOCATION_DAYS, language=request.LANGUAGE_CODE),
        page_url=request.build_absolute_uri(reverse("public:location", args=[location.code])),
    )
    return _cacheable(render(request, "public/location.html", context))


@require_safe
@public_language
def location_calendar(request: HttpRequest, code: str) -> HttpResponse:
    location = _location_or_none(code)
    if location is None:
        return _not_found(request)
    moment = now()
    card = build_cards([location], moment, language=request.LANGUAGE_CODE, load_days=ical.HORIZON_WEEKS * 7)[0]
    body = ical.build_calendar(
        location,
        card.schedule,
        moment,
        url=request.build_absolute_uri(reverse("public:location", args=[location.code])),
        summaries={hours.SPREEKUUR: _("IDO-spreekuur"), hours.INLOOP: _("Inloop")},
        prodid="-//Balie//Informatiepunt Digitale Overheid//NL",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{location.code.lower()}.ics"'
    return _cacheable(response, max_age=3600)


@require_safe
@public_language
def location_poster(request: HttpRequest, code: str) -> HttpResponse:
    location = _location_or_none(code)
    if location is None:
        return _not_found(request)
    moment = now()
    card = build_cards([location], moment, language=request.LANGUAGE_CODE, load_days=LOCATION_DAYS)[0]
    page_url = request.build_absolute_uri(reverse("public:location", args=[location.code]))
    context = _context(
        request, card=card, location=location, week=hours.week_table(card.schedule), page_url=page_url, qr_svg=poster_qr(page_url),
        # A poster hangs for weeks: an outreach location without weekly hours lists its sessions of the next 8 weeks.
        sessions=hours.upcoming(card.schedule, moment, days=LOCATION_DAYS)[:8],
    )
    return _cacheable(render(request, "public/poster.html", context))


def poster_qr(url: str) -> str:
    """The poster's QR code, sized by CSS; the text around it names the URL too."""
    label = _("QR-code: scan met de camera van uw telefoon om deze pagina te openen")
    return qr_svg(url, scale=1, border=4, light=None, svgclass="poster__qr", omitsize=True, label=label)
