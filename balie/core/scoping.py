"""Transitional wrappers over core.access for modules that are still being moved (removed when the last caller is)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from .access import Cap, get_or_404, scope_of

M = TypeVar("M", bound=Model)


def require_desk_staff(user: Any) -> None:
    scope_of(user).require(Cap.REGISTER)


def require_coordinator(user: Any) -> None:
    scope_of(user).require(Cap.COORDINATE)


def for_organisation(queryset: QuerySet[M], user: Any, field: str = "organisation") -> QuerySet[M]:
    require_desk_staff(user)
    return queryset.filter(**{f"{field}_id": scope_of(user).organisation_id})


get_scoped_or_404 = get_or_404
