"""Coordinator pages: links and posters per location, and the results of the own organisation."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balie.core.access import Cap, get_or_404, requires
from balie.core.dates import parse_day
from balie.core.qr import qr_svg
from balie.network.models import Location
from balie.network.selectors import own_locations

from .. import selectors, services

DEFAULT_DAYS = 90
POSTER_LANGUAGES = ("nl", "en")



@requires(Cap.COORDINATE)
def index(request: HttpRequest) -> HttpResponse:
    locations = own_locations(request.scope)
    problems: list[str] = []
    today = timezone.localdate()
    date_to = parse_day(request.GET.get("tot", ""), today, _("tot en met"), problems)
    date_from = parse_day(request.GET.get("van", ""), date_to - dt.timedelta(days=DEFAULT_DAYS - 1), _("van"), problems)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
        problems.append(_("De begindatum lag na de einddatum; we hebben ze omgedraaid."))
    chosen = request.GET.get("locatie", "")
    selected = [loc for loc in locations if loc.code == chosen] if chosen else locations
    if chosen and not selected:
        problems.append(_("Locatie '%(code)s' hoort niet bij uw organisatie; we tonen alle locaties.") % {"code": chosen[:40]})
        selected, chosen = locations, ""
    counts = selectors.per_location_counts(locations, date_from, date_to)
    links = [(loc, services.link_ensure(loc), counts.get(loc.pk, 0)) for loc in locations]
    return render(request, "survey/index.html", {
        "summary": selectors.survey_summary(selected, date_from, date_to),
        "links": [
            {"location": loc, "link": link, "count": n, "url": request.build_absolute_uri(reverse("survey_public:form", args=[link.code]))}
            for loc, link, n in links
        ],
        "locations": locations,
        "chosen": chosen,
        "date_from": date_from,
        "date_to": date_to,
        "problems": problems,
    })


@requires(Cap.COORDINATE)
def poster(request: HttpRequest, code: str) -> HttpResponse:
    """A4 poster (and a small card) with QR code and short link, to print and hang at the desk.

    In the staff member's language unless ?taal=nl|en asks for the other one (the toolbar offers both). The English
    poster's code opens the form in English; the short link is the same for both (the form has a language switch).
    """
    location = get_or_404(Location.objects.for_scope(request.scope), code=code)
    link = services.link_ensure(location)
    url = request.build_absolute_uri(reverse("survey_public:form", args=[link.code]))
    asked = request.GET.get("taal", "")
    language = asked if asked in POSTER_LANGUAGES else (translation.get_language() or "nl")[:2]
    language = language if language in POSTER_LANGUAGES else "nl"
    scanned = f"{url}?lang=en" if language == "en" else url
    return render(request, "survey/poster.html", {
        "location": location, "url": url, "short_url": url.split("://", 1)[-1].rstrip("/"), "qr": qr_svg(scanned, scale=8),
        "qr_small": qr_svg(scanned, scale=3), "poster_language": language,
    })
