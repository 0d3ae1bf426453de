"""Error pages (review L6): Dutch or English (the request's language), in Balie's layout, never a stack trace.

Wired in balie/urls.py (handler400/403/404/500) and settings.CSRF_FAILURE_VIEW. The pages are rendered without the
request's context processors: no session, user or database is needed, so the 500 page also appears when the
database is down. Under /api/ the answer is application/problem+json, like every other API error.
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

LANGUAGES = ("nl", "en")
PROBLEM_TYPE = "application/problem+json"


def request_language(request: HttpRequest) -> str:
    """?lang=en|nl (as on the public pages), else the language LocaleMiddleware chose (Accept-Language), else Dutch."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    active = (getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "nl")[:2]
    return active if active in LANGUAGES else "nl"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE)


def _page(request: HttpRequest, status: int, template: str, title: str, text: str, **context: object) -> HttpResponse:
    language = request_language(request)
    with translation.override(language):
        if _is_api(request):
            return _problem(status, str(title), str(text))
        html = loader.render_to_string(
            f"errors/{template}.html", {"lang": language, "status": status, "title": title, "text": text, **context}
        )
    response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    with translation.override(request_language(request)):
        return _page(request, 400, "error", _("Deze aanvraag kunnen we niet verwerken"),
                     _("Er ging iets mis met wat uw browser stuurde. Ga terug en probeer het opnieuw."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The reason a view gives (PermissionDenied("Alleen een coördinator ...")) is written for the user: show it.
    with translation.override(request_language(request)):
        reason = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
        return _page(request, 403, "error", _("U heeft geen toegang tot deze pagina"),
                     reason or _("Uw account mag deze pagina niet gebruiken."), reason=reason,
                     hint=_("Denkt u dat u hier wel bij moet kunnen? Vraag het aan de coördinator van uw bibliotheek."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    with translation.override(request_language(request)):
        return _page(request, 404, "error", _("Deze pagina bestaat niet"),
                     _("Misschien is de link oud, of niet helemaal goed overgenomen."))


def server_error(request: HttpRequest) -> HttpResponse:
    with translation.override(request_language(request)):
        return _page(request, 500, "error", _("Er ging iets mis bij Balie"),
                     _("Dat ligt niet aan u. Probeer het over een paar minuten opnieuw. Blijft het misgaan, meld het dan bij de "
                       "coördinator van uw bibliotheek."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's reason ("CSRF cookie not set.") is for the log, which Django already writes (django.security.csrf).
    with translation.override(request_language(request)):
        return _page(request, 403, "error", _("Dit formulier is verlopen"),
                     _("Uw browser stuurde het formulier zonder geldige controlecode. Dat gebeurt als de pagina lang open stond "
                       "of als cookies uit staan. Ga terug, vernieuw de pagina en probeer het opnieuw."))


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, math.ceil(wait / 60))
    with translation.override(request_language(request)):
        if minutes == 1:
            text = _("U heeft dit de afgelopen tijd heel vaak gedaan. Wacht een minuut en probeer het dan opnieuw.")
        elif minutes <= 90:
            text = _("U heeft dit de afgelopen tijd heel vaak gedaan. Wacht %(minutes)s minuten en probeer het dan opnieuw.") % {
                "minutes": minutes}
        else:
            text = _("U heeft dit de afgelopen tijd heel vaak gedaan. Probeer het over %(hours)s uur opnieuw.") % {
                "hours": math.ceil(minutes / 60)}
        response = _page(request, 429, "error", _("Even geduld"), text,
                         hint=_("Gebruikt u een computer in de bibliotheek? Vraag het dan aan een medewerker."))
    response["Retry-After"] = str(wait)
    return response
