"""One place that decides who sees what.

Outsiders get 404 (the object does not exist for them), roles that may only read
aggregates get 403. Views call these helpers instead of filtering themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from balie.accounts.models import User
    from balie.network.models import Location

M = TypeVar("M", bound=Model)


def require_desk_staff(user: User) -> None:
    """Registrations are only for library staff; other roles read aggregates elsewhere."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not getattr(user, "is_desk_staff", False):
        raise PermissionDenied("Deze pagina is alleen voor medewerkers van een bibliotheek.")


def require_coordinator(user: User) -> None:
    require_desk_staff(user)
    if not user.is_coordinator:
        raise PermissionDenied("Alleen een coördinator van de organisatie mag dit.")


def for_organisation(queryset: QuerySet[M], user: User, field: str = "organisation") -> QuerySet[M]:
    """Rows of the user's own library organisation only."""
    require_desk_staff(user)
    return queryset.filter(**{f"{field}_id": user.organisation_id})


def get_scoped_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("Niet gevonden.") from exc


def own_locations(user: User) -> list[Location]:
    """The active locations of the user's own library organisation: the location pickers of the staff pages."""
    from balie.network.models import Location  # network builds on core, not the other way round

    return list(Location.objects.filter(organisation_id=user.organisation_id, active=True).select_related("organisation"))
