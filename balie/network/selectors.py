"""Reads for the network: the locations a scope works at."""

from __future__ import annotations

from balie.core.access import Scope

from .models import Location


def own_locations(scope: Scope) -> list[Location]:
    """The active locations of the scope's own library organisation: the location pickers of the staff pages."""
    if not scope.is_desk_staff:
        return []
    return list(Location.objects.for_scope(scope).filter(active=True).select_related("organisation"))
