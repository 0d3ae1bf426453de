"""Request checks that hold for every page and the API, before any view runs."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"
# Bodies read here to look for NUL; anything else (file uploads) is left to the view, see RejectNulMiddleware.
_FORM = "application/x-www-form-urlencoded"


_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def has_nul(request: HttpRequest) -> str | None:
    """Where a NUL character is in the request ("pad", "zoekvraag", "formulier", "kop"), or None."""
    if NUL in request.path_info or NUL in request.path:
        return "pad"
    if any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()):
        return "zoekvraag"
    if any(NUL in value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)):
        return "kop"
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if content_type == _FORM:
        form = request.POST if request.method == "POST" else QueryDict(request.body, encoding=request.encoding)
        if any(NUL in key or any(NUL in v for v in values) for key, values in form.lists()):
            return "formulier"
    elif _is_json(content_type) and request.body:
        # Scanned as text, not parsed: parsing here would meet a hostile document (50,000 nested arrays) before the
        # API's own bounded parser does. In JSON a NUL is a raw 0x00 byte or the escape \u0000 after an odd number of
        # backslashes (an even number is an escaped backslash followed by the letters "u0000").
        if b"\x00" in request.body or _JSON_NUL.search(request.body):
            return "formulier"
    return None


class NulInMultipart(BadRequest):
    """Raised when a view reads a multipart form with NUL; Django (and the middleware chain) turn it into a 400."""


class _CheckedMultipart:
    """Mixed into the request class: checks a multipart form when a view (or the CSRF check) first reads it.

    Reading it earlier, in the middleware, would fix the upload handlers before a view can choose its own.
    """

    def _load_post_and_files(self) -> None:
        super()._load_post_and_files()  # type: ignore[misc]
        post, files = self._post, self._files  # type: ignore[attr-defined]
        if any(NUL in key or any(NUL in v for v in values) for key, values in post.lists()) or any(
                NUL in key or any(NUL in (f.name or "") for f in uploads) for key, uploads in files.lists()):
            raise NulInMultipart("NUL in een formulierveld of bestandsnaam")


_checked_classes: dict[type, type] = {}


def _check_multipart_later(request: HttpRequest) -> None:
    cls = type(request)
    if cls not in _checked_classes:
        _checked_classes[cls] = type(f"NulChecked{cls.__name__}", (_CheckedMultipart, cls), {})
    request.__class__ = _checked_classes[cls]


class RejectNulMiddleware:
    """A NUL character (0x00) anywhere in a request gets a 400 before a view sees it (review L3).

    PostgreSQL cannot store NUL in a text column (DataError, a 500) and no person types one, so it is always an
    attack or a broken client. Checked here: the path, the query string, the headers, form fields (urlencoded) and
    JSON bodies. Multipart forms are checked when they are first read (_CheckedMultipart), because reading them now
    would fix the upload handlers before a view can set its own (the letter explainer does); that 400 is Django's
    own. The contents of uploaded files are checked where they are read (the CSV import, the HSDS import).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.content_type or "").startswith("multipart/"):
            _check_multipart_later(request)
        where = has_nul(request)
        if where is not None:
            # LocaleMiddleware has not run yet: answer in the language the browser asks for (Dutch by default).
            with translation.override(translation.get_language_from_request(request)):
                return self.reject(request)
        return self.get_response(request)

    @staticmethod
    def reject(request: HttpRequest) -> HttpResponse:
        detail = _("Uw aanvraag bevat een onzichtbaar NUL-teken (0x00). Haal het weg en probeer het opnieuw.")
        if request.path_info.startswith(API_PREFIX):
            # The API's one error shape (balie/api/problems.py); core may not import the api app, so it is spelled out.
            body = {"type": "about:blank", "title": "Ongeldige aanvraag", "status": 400, "detail": detail,
                    "instance": request.path_info.replace(NUL, "\\u0000")}
            return JsonResponse(body, status=400, content_type="application/problem+json",
                                json_dumps_params={"ensure_ascii": False})
        title = _("Ongeldige aanvraag")
        page = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
                f"<body><h1>{escape(title)}</h1><p>{escape(detail)}</p></body></html>")
        return HttpResponseBadRequest(page)
