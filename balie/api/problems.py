"""Errors as application/problem+json (RFC 9457), with every invalid field listed."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": getattr(exc, "default_detail", "Fout"),
        "status": response.status_code,
    }
    if isinstance(detail, dict) and "detail" in detail:
        body["detail"] = str(detail["detail"])
    elif isinstance(detail, (dict, list)):
        body["detail"] = "De aanvraag bevat ongeldige velden."
        body["invalid_params"] = _flatten(detail)
    response.data = body
    response.content_type = "application/problem+json"
    return response


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
