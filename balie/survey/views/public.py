"""The visitor's side: /v/<code>/ — three questions, no login, no JavaScript, one answer per device per day.

CSRF protection is off for this one form on purpose: it protects a signed-in user's session, and there is none
here. An outside site could only make a browser post an anonymous answer that the same site could post itself,
and a phone with cookies blocked would otherwise get Django's English error page instead of the survey.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from balie.core.ratelimit import limit
from balie.public.language import public_language, switch_url

from .. import services
from ..models import ComeBack, Confident, Helped, SurveyLink

COOKIE = "balie_enquete"
SIGN_SALT = "balie.survey.device"
FORM_MAX_AGE = 24 * 3600


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    language = request.LANGUAGE_CODE
    other = "en" if language == "nl" else "nl"
    return {"lang": language, "other_lang": other, "switch_url": switch_url(request, other), **extra}


def _questions() -> list[dict[str, object]]:
    # Translated per request (the visitor may switch language), so built here and not at import time.
    return [
        {"name": "helped", "label": _("Heeft u hulp gekregen?"), "choices": Helped.choices},
        {"name": "confident", "label": _("Durft u dit de volgende keer meer zelf te doen?"), "choices": Confident.choices},
        {"name": "come_back", "label": _("Zou u terugkomen?"), "choices": ComeBack.choices},
    ]


def _link(code: str) -> SurveyLink | None:
    return SurveyLink.objects.select_related("location").filter(code=code.lower(), active=True, location__active=True).first()


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min, now.tzinfo)
    # Through UTC: two times in the same zone subtract as wall clock times, an hour off on the days the clocks change.
    return max(60, int((midnight.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds()))


def _device_token(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(COOKIE, default=None, salt=SIGN_SALT)


def _remember(response: HttpResponse, token: str) -> HttpResponse:
    # Lives until midnight only: the limit is per day, and a token that outlives the day would be a tracker.
    response.set_signed_cookie(
        COOKIE, token, salt=SIGN_SALT, max_age=_seconds_to_midnight(), httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/not_found.html", _context(request), status=404)


def _per_link(request: HttpRequest, kwargs: dict[str, object]) -> str:
    return str(kwargs.get("code", "")).lower()


@csrf_exempt
@public_language
# "One answer per device per day" rests on a token the device keeps, which a script can simply drop (review L5). The
# server also counts answers per address and survey link: stuffing needs many addresses, while a library's wifi (one
# address for all its visitors) still has room for a busy day. See README, rate limits.
@limit("survey", scope=_per_link)
def survey(request: HttpRequest, code: str) -> HttpResponse:
    link = _link(code)
    if link is None:
        return _not_found(request)
    today = timezone.localdate()
    token = _device_token(request)
    if services.already_answered(token, today):
        return render(request, "survey/thanks.html", _context(request, link=link, already=True))

    errors: dict[str, str] = {}
    chosen: dict[str, str] = {}
    if request.method == "POST":
        chosen = {name: request.POST.get(name, "") for name in services.QUESTIONS}
        # The form carries its own signed token: without cookies a double click still cannot count twice.
        form_token = _form_token(request.POST.get("apparaat", ""))
        token = token or form_token
        if token is None:
            errors["form"] = _("Het formulier was verlopen. Kies uw antwoorden opnieuw en druk op Versturen.")
        else:
            try:
                services.response_submit(location=link.location, answers=chosen, token=token, day=today, language=request.LANGUAGE_CODE)
            except services.SurveyError as exc:
                labels = {q["name"]: q["label"] for q in _questions()}
                errors = {field: _("Kies een antwoord bij de vraag: %(question)s") % {"question": labels[field]} for field in exc.errors}
            else:
                return _remember(redirect("survey_public:thanks", code=link.code), token)
    token = token or secrets.token_urlsafe(24)
    context = _context(
        request, link=link, questions=_questions(), errors=errors, chosen=chosen,
        form_token=signing.dumps(token, salt=SIGN_SALT),
    )
    return _remember(render(request, "survey/form.html", context, status=400 if errors else 200), token)


def _form_token(raw: str) -> str | None:
    try:
        return signing.loads(raw, salt=SIGN_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None


@public_language
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    link = _link(code)
    if link is None:
        return _not_found(request)
    return render(request, "survey/thanks.html", _context(request, link=link, already=False))
