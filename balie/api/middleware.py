"""The API speaks Dutch to its clients, whatever their Accept-Language (ADR 0004).

Its resource and field names, code lists and problem titles are Dutch, and a client parses one language: an answer
with a Dutch title, English field messages from DRF and an English JSON error (what Accept-Language: en gave) is
harder to handle than either language alone. The website's own pages that call the API with the signed-in session (the
offline desk shows the reasons of a refused visit) keep that user's language (core.language), as every page does.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PREFIX = "/api/"


class DutchApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A token client is signed in by DRF later: here only a session counts as the website's own user.
        if not request.path_info.startswith(API_PREFIX) or request.user.is_authenticated:
            return self.get_response(request)
        # override, as core.language does: the thread's language is restored after the response.
        with translation.override("nl"):
            request.LANGUAGE_CODE = "nl"
            response = self.get_response(request)
        response.headers["Content-Language"] = "nl"
        return response
