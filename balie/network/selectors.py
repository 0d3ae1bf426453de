"""Reads for the network: the locations a scope works at, the municipality codes Balie knows."""

from __future__ import annotations

from balie.core.access import Scope
from balie.core.memo import ProcessMemo

from .models import Gemeente, Location

GEMEENTE_CACHE_SECONDS = 300.0
_gemeente_codes: ProcessMemo[frozenset[str]] = ProcessMemo(GEMEENTE_CACHE_SECONDS)


def own_locations(scope: Scope) -> list[Location]:
    """The active locations of the scope's own library organisation: the location pickers of the staff pages."""
    if not scope.is_desk_staff:
        return []
    return list(Location.objects.for_scope(scope).filter(active=True).select_related("organisation"))


def gemeente_codes() -> frozenset[str]:
    """Every CBS code Balie knows, merged municipalities included (a federation delivery is checked against it).

    Cached per process: the list changes with a reference-data update (network/reference.py clears it), a save or
    delete of one municipality clears it (apps.py), and an edit in another process is seen within five minutes."""
    return _gemeente_codes.get(None, lambda: frozenset(Gemeente.objects.values_list("cbs_code", flat=True)))


def clear_gemeente_codes(**_kwargs: object) -> None:
    _gemeente_codes.forget()
