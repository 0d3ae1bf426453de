"""The API's one request parser: JSON, bounded in size and depth, with Dutch errors.

DRF's JSONParser reads the whole body whatever its size (Django's DATA_UPLOAD_MAX_MEMORY_SIZE only guards
request.body and forms), lets a deeply nested array crash the request with a RecursionError (a 500), and
answers a syntax error with Python's English message. Every body here is small: a visit has at most ten
questions of 2,000 characters, so 1 MB is far above any honest request. The JSON itself is read by core.jsonload
(depth, NaN and Infinity, over-long numbers), whose typed error is worded here.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from balie.core.jsonload import JsonError, Kind, loads

MAX_BODY_BYTES = 1_000_000


def _too_large() -> str:
    return gettext("Het verzoek is groter dan %(mb)s MB. Stuur minder gegevens per verzoek.") % {"mb": MAX_BODY_BYTES // 1_000_000}


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = lazy(_too_large, str)()  # worded when raised (in Dutch: core/language.py), not at import
    default_code = "too_large"


def _declared_length(request: Any) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        context = parser_context or {}
        request = context.get("request")
        if request is not None and _declared_length(request) > MAX_BODY_BYTES:
            raise BodyTooLarge()  # refused before reading a byte
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise BodyTooLarge()
        try:
            text = raw.decode(context.get("encoding") or "utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(gettext("De body is geen geldige UTF-8-tekst. Stuur JSON in UTF-8.")) from exc
        try:
            return loads(text)
        except JsonError as exc:
            raise ParseError(_message(exc)) from exc


def _message(error: JsonError) -> str:
    if error.kind is Kind.SYNTAX:
        return gettext("De body is geen geldige JSON (regel %(line)s, kolom %(column)s).") % {"line": error.line, "column": error.column}
    if error.kind is Kind.TOO_DEEP:
        return gettext("De JSON in de body is te diep genest.")
    if error.kind is Kind.CONSTANT:
        # Python's json accepts NaN and Infinity; JSON (RFC 8259) does not, and neither does the database.
        return gettext("%(name)s is geen geldige JSON-waarde; gebruik een getal of null.") % {"name": error.constant}
    # For example a number of thousands of digits (Python refuses to convert it).
    return gettext("De body bevat een waarde die geen geldige JSON is, bijvoorbeeld een getal dat te lang is.")
