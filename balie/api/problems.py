"""Errors as application/problem+json (RFC 9457), with every invalid field listed.

All API errors pass through here, so clients only ever parse one error shape:
type, title, status, detail, instance and, for validation errors, invalid_params.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from balie.core.idempotency import IdempotencyConflict
from balie.desk.validation import RegistrationInvalid

PROBLEM_CONTENT_TYPE = "application/problem+json"
INVALID_DETAIL = "De aanvraag bevat ongeldige velden; zie invalid_params."

# RFC 9457 §4.2.1: with type about:blank the title is the (here localised) HTTP status phrase.
TITLES = {
    400: "Ongeldige aanvraag",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    415: "Mediatype niet ondersteund",
    422: "Niet te verwerken",
    429: "Te veel verzoeken",
    500: "Interne serverfout",
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

    # Converts Django's Http404 and PermissionDenied too, keeping their (Dutch) message.
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        body = problem_body(response.status_code, str(detail["detail"]), instance=instance)
    elif isinstance(detail, (dict, list)):
        body = problem_body(response.status_code, INVALID_DETAIL, instance=instance, invalid_params=_flatten(detail))
    else:
        body = problem_body(response.status_code, str(detail), instance=instance)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


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
