"""Limit/offset paging for lists, documented in Dutch."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

EXAMPLE = "https://balie.example.nl/api/v1/registraties?limit=100&offset={offset}"


class Paginering(LimitOffsetPagination):
    # Explicit rather than settings.PAGE_SIZE: these numbers appear in the committed openapi.yaml.
    default_limit = 100
    # A cap keeps one request from serialising years of registrations at once.
    max_limit = 1000
    limit_query_description = "Aantal resultaten per pagina: standaard 100, hoogstens 1000."
    offset_query_description = "Aantal resultaten dat wordt overgeslagen (begint bij 0)."

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        properties = result["properties"]
        properties["count"]["description"] = "Totaal aantal resultaten met deze filters."
        properties["next"].update(example=EXAMPLE.format(offset=200), description="Volgende pagina, of null.")
        properties["previous"].update(example=EXAMPLE.format(offset=0), description="Vorige pagina, of null.")
        return result
