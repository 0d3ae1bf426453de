"""The API speaks Dutch, whatever the client's Accept-Language or the signed-in user's choice (ADR 0004).

Its resource and field names, code lists and problem titles are Dutch, and a client parses one language: an answer
with a Dutch title, English field messages from DRF and an English JSON error (what Accept-Language: en gave) is
harder to handle than either language alone. The website keeps its own choice (core.language).
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
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # override, as core.language does: the thread's language is restored after the response.
        with translation.override("nl"):
            request.LANGUAGE_CODE = "nl"
            response = self.get_response(request)
        response.headers["Content-Language"] = "nl"
        return response
