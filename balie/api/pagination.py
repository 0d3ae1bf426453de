"""Limit/offset paging for lists, documented in Dutch and strict like the filters.

DRF's LimitOffsetPagination quietly replaces a limit or offset it cannot use (`limit=abc`, `offset=-5`, `limit=5000`)
by its default, so a client with a bug gets a different page than it asked for without noticing. Here such a value is a
400 that names the parameter, and the bounds are in the OpenAPI document.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

EXAMPLE = "https://balie.example.nl/api/v1/registraties?limit=100&offset={offset}"
# Far beyond any list in Balie, and well inside a 64-bit OFFSET on every database.
MAX_OFFSET = 1_000_000_000
DIGITS = re.compile(r"[0-9]{1,10}")


class Paginering(LimitOffsetPagination):
    # Explicit rather than settings.PAGE_SIZE: these numbers appear in the committed openapi.yaml.
    default_limit = 100
    # A cap keeps one request from serialising years of registrations at once.
    max_limit = 1000
    limit_query_description = "Aantal resultaten per pagina: standaard 100, hoogstens 1000."
    offset_query_description = "Aantal resultaten dat wordt overgeslagen (begint bij 0)."

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        # Both parameters are checked before DRF reads them, so one 400 names every wrong one.
        errors: dict[str, list[str]] = {}
        self._limit = _whole_number(request.query_params, self.limit_query_param, self.default_limit, 1, self.max_limit, errors)
        self._offset = _whole_number(request.query_params, self.offset_query_param, 0, 0, MAX_OFFSET, errors)
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request: Any) -> int:
        return self._limit

    def get_offset(self, request: Any) -> int:
        return self._offset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        bounds = {self.limit_query_param: (1, self.max_limit, self.default_limit), self.offset_query_param: (0, MAX_OFFSET, 0)}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            low, high, default = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high, default=default)
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        properties = result["properties"]
        properties["count"]["description"] = "Totaal aantal resultaten met deze filters."
        properties["next"].update(example=EXAMPLE.format(offset=200), description="Volgende pagina, of null.")
        properties["previous"].update(example=EXAMPLE.format(offset=0), description="Vorige pagina, of null.")
        return result


def _whole_number(params: Any, name: str, default: int, low: int, high: int, errors: dict[str, list[str]]) -> int:
    if name not in params:
        return default
    raw = params[name]
    value = int(raw) if DIGITS.fullmatch(raw) else None
    if value is None or not low <= value <= high:
        errors[name] = [f"Geef voor '{name}' een heel getal van {low} tot en met {high:,}.".replace(",", ".")]
        return default
    return value
