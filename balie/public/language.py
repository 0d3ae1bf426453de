"""The language switch of the public pages: Dutch by default, English by choice (?lang=en, remembered in a cookie).

Why not the browser's Accept-Language (Django's LocaleMiddleware)? The visitors are mostly Dutch speakers on library
computers and phones set to any language; B1 Dutch is the service's own language, English a courtesy someone asks for.
The cookie is ours, not Django's language cookie, so the staff pages stay Dutch. It is a functional cookie (a stated
preference), which needs no consent.
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


def public_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = chosen_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Cookie"])
        if request.GET.get("lang") in LANGUAGES and request.COOKIES.get(COOKIE) != language:
            response.set_cookie(
                COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=settings.SESSION_COOKIE_SECURE
            )
        return response

    return wrapper
