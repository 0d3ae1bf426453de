"""Errors as application/problem+json (RFC 9457), with every invalid field listed.

All API errors pass through here, so clients only ever parse one error shape:
type, title, status, detail, instance and, for validation errors, invalid_params.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from balie.core.idempotency import IdempotencyConflict
from balie.desk.validation import RegistrationInvalid

PROBLEM_CONTENT_TYPE = "application/problem+json"
INVALID_DETAIL = "De aanvraag bevat ongeldige velden; zie invalid_params."
SERVER_ERROR_DETAIL = "Er ging iets mis in Balie. Er is niets opgeslagen; probeer het later opnieuw. De fout is vastgelegd."
UNAVAILABLE_DETAIL = (
    "De database van Balie is even niet bereikbaar. Er is niets opgeslagen. Probeer het over enkele seconden opnieuw; "
    "stuur bij een registratie of verwijzing dezelfde Idempotency-Key mee, dan ontstaat er geen dubbele."
)
RETRY_AFTER_SECONDS = 2
CSRF_DETAIL = (
    "Deze aanvraag gebruikt de inlogsessie van de website, maar zonder geldige CSRF-token. Gebruik een API-token "
    "(`Authorization: Token ...`) of stuur de CSRF-token mee in de header X-CSRFToken."
)

logger = logging.getLogger("django.request")

# DRF's Dutch catalogue misses these texts; the API answers in Dutch only, so they are replaced here (a client
# sees one language). Keyed on DRF's English text, which DRF keeps stable; an unknown text passes through unchanged.
DUTCH = {
    "Must be a valid UUID.": "Geef een geldige UUID, bijvoorbeeld 3fa85f64-5717-4562-b3fc-2c963f66afa6.",
    "Must be a valid boolean.": "Geef true of false.",
    "Not a valid string.": "Geef tekst.",
    "Invalid input.": "Ongeldige invoer.",
    "This dictionary may not be empty.": "Dit object mag niet leeg zijn.",
}
DUTCH_PATTERNS = [
    (re.compile(r"Ensure this field has at least (\d+) elements\."), "Geef ten minste {0} elementen."),
    (re.compile(r"Ensure this field has no more than (\d+) elements\."), "Geef hoogstens {0} elementen."),
    (re.compile(r"Invalid data\. Expected a dictionary, but got \w+\."), "Geef een JSON-object."),
    (re.compile(r"Ongeldige data\. Verwacht een dictionary, kreeg een \w+\."), "Geef een JSON-object."),
]

# RFC 9457 §4.2.1: with type about:blank the title is the (here localised) HTTP status phrase.
TITLES = {
    400: "Ongeldige aanvraag",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Niet te verwerken",
    429: "Te veel verzoeken",
    500: "Interne serverfout",
    503: "Dienst tijdelijk niet beschikbaar",
}


def problem_body(
    status: int, detail: str, *, instance: str | None = None, invalid_params: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if invalid_params is not None:
        body["invalid_params"] = invalid_params
    return body


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every handled error becomes problem+json."""
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, RegistrationInvalid):
        # The shared validation (desk, API, import) already names each field in Dutch.
        set_rollback()
        body = problem_body(400, INVALID_DETAIL, instance=instance, invalid_params=[e.as_dict() for e in exc.errors])
        return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)

    if isinstance(exc, IdempotencyConflict):
        # Same key, other input (or another client's key): nothing was stored, and the first object stays hidden.
        set_rollback()
        body = problem_body(422, exc.api_message, instance=instance)
        return Response(body, status=422, content_type=PROBLEM_CONTENT_TYPE)

    if isinstance(exc, (OperationalError, InterfaceError)):
        return _database_unavailable(exc, request, instance)

    # Converts Django's Http404 and PermissionDenied too, keeping their (Dutch) message.
    response = exception_handler(exc, context)
    if response is None:
        return _server_error(exc, request, instance)
    detail = _dutch(response.data)
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        text = str(detail["detail"])
        if response.status_code == 403 and text.startswith("CSRF Failed"):
            text = CSRF_DETAIL  # DRF's SessionAuthentication builds this one in English
        body = problem_body(response.status_code, text, instance=instance)
    elif isinstance(detail, (dict, list)):
        body = problem_body(response.status_code, INVALID_DETAIL, instance=instance, invalid_params=_flatten(detail))
    else:
        body = problem_body(response.status_code, str(detail), instance=instance)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _server_error(exc: Exception, request: Any, instance: str | None) -> Response | None:
    """An unexpected error: problem+json for the client, the full traceback for the log.

    With DEBUG on, Django's own error page helps the developer more, so the exception is left to Django.
    """
    if settings.DEBUG or request is None:
        return None
    django_request = getattr(request, "_request", request)
    set_rollback()
    # What Django does for an uncaught exception: tell listeners (the test client re-raises it; error trackers report
    # it) and log it with the traceback. The response is marked as logged so Django does not log it a second time.
    got_request_exception.send(sender=None, request=django_request)
    logger.error("Internal Server Error: %s", instance, exc_info=exc, extra={"status_code": 500, "request": django_request})
    response = Response(problem_body(500, SERVER_ERROR_DETAIL, instance=instance), status=500, content_type=PROBLEM_CONTENT_TYPE)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _database_unavailable(exc: Exception, request: Any, instance: str | None) -> Response:
    """A database restart, a lost connection or (SQLite) a lock timeout: temporary, and safe to retry (review section 7).

    503 with Retry-After instead of a bare 500, so a client knows that trying again is the right move; the transaction
    was rolled back, so nothing was half stored.
    """
    set_rollback()
    django_request = getattr(request, "_request", request)
    logger.error("Database niet bereikbaar: %s %s", instance, exc, exc_info=exc, extra={"status_code": 503, "request": django_request})
    response = Response(problem_body(503, UNAVAILABLE_DETAIL, instance=instance), status=503, content_type=PROBLEM_CONTENT_TYPE,
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _dutch(detail: Any) -> Any:
    """Replace DRF's untranslated English messages, keeping the shape (and ErrorDetail codes)."""
    if isinstance(detail, dict):
        return {key: _dutch(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_dutch(value) for value in detail]
    if isinstance(detail, str):
        text = DUTCH.get(str(detail))
        if text is None:
            for pattern, template in DUTCH_PATTERNS:
                if match := pattern.fullmatch(str(detail)):
                    text = template.format(*match.groups())
                    break
        if text is not None:
            return ErrorDetail(text, code=getattr(detail, "code", None))
    return detail


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Catch-all for unknown URLs under /api/v1/: a client gets problem+json, not the HTML 404 page."""
    detail = "Deze URL bestaat niet in de Balie API."
    if _exists_without_slash(request.path):
        # NL API Design Rules (API-48): resource URLs have no trailing slash; say so instead of a bare 404.
        detail += " Laat de slash aan het eind weg."
    return JsonResponse(
        problem_body(404, detail, instance=request.path),
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _exists_without_slash(path: str) -> bool:
    if not path.endswith("/"):
        return False
    try:
        match = resolve(path.rstrip("/"))
    except Resolver404:
        return False
    return match.url_name != "not_found"


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params += _flatten(value, name)
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            params += [{"name": prefix or "non_field_errors", "reason": str(v)} for v in detail]
        else:
            for index, value in enumerate(detail):
                params += _flatten(value, f"{prefix}[{index}]")
    else:
        params.append({"name": prefix or "non_field_errors", "reason": str(detail)})
    return params
