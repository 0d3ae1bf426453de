"""Which language a page speaks: Dutch by default, English by choice.

- Staff pages follow the signed-in user's own choice (User.language, set on the account page or with the switch in the
  footer), so it is the same on every computer of the library. Not the browser's Accept-Language: the library's
  computers are set to anything, and Dutch is the language of the service.
- Visitors' pages (finder, message check, queue ticket, waiting-room screen, survey) use `public_language`: ?lang=en
  once, remembered in the cookie `balie_taal` (a functional cookie, a stated preference, which needs no consent).
- A page without a signed-in user that is not a visitor's page (login, "wachtwoord vergeten", error pages) follows
  that cookie too (a colleague who chose English and logged out gets the login page in English), else the browser.
- The API speaks Dutch to its clients (token or anonymous), whatever Accept-Language asks (ADR 0004): its names, code
  lists and titles are Dutch, and an answer mixing a Dutch title with DRF's English field messages is harder for a
  client than one language. The website's own pages that call it with the session (the offline desk shows a refused
  visit's reasons) are signed in, and keep that user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .middleware import API_PREFIX

COOKIE = "balie_taal"
LANGUAGES = ("nl", "en")
ONE_YEAR = 365 * 24 * 3600


def chosen_language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.COOKIES.get(COOKIE, "")
    return remembered if remembered in LANGUAGES else "nl"


def switch_url(request: HttpRequest, language: str) -> str:
    """The current URL (query kept) in the other language."""
    params = request.GET.copy()
    params["lang"] = language
    return f"{request.path}?{urlencode(sorted(params.items()))}"


def remember(response: HttpResponse, language: str) -> None:
    response.set_cookie(COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=settings.SESSION_COOKIE_SECURE)


def public_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A visitor's page: the language from ?lang= or the cookie, whoever is signed in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = chosen_language(request)
        other = "en" if language == "nl" else "nl"
        # For the language link on the page (walkin and message-check templates read request.other_language).
        request.other_language = {"code": other, "url": switch_url(request, other), "label": "English" if other == "en" else "Nederlands"}
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Cookie"])
        if request.GET.get("lang") in LANGUAGES and request.COOKIES.get(COOKIE) != language:
            remember(response, language)
        return response

    return wrapper


def user_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = getattr(user, "language", "nl")
        return language if language in LANGUAGES else "nl"
    if request.path_info.startswith(API_PREFIX):  # a token client is signed in by DRF later, in the view
        return "nl"
    remembered = request.COOKIES.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    # Nobody signed in and no choice made: the language LocaleMiddleware took from the browser (login, error pages).
    browser = (translation.get_language() or "nl")[:2]
    return browser if browser in LANGUAGES else "nl"


class UserLanguageMiddleware:
    """Activates the user's language for the whole request (after AuthenticationMiddleware; replaces the language
    LocaleMiddleware took from Accept-Language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = user_language(request)
        # override, not activate: the thread's language is restored after the response, so whatever runs next on this
        # thread (a test client's next request, code after the response) does not speak this user's language.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
