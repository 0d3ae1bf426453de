"""Which guides a user sees. National guides are the same everywhere; a local version of a national guide keeps
its slug, so the desk's links lead an organisation's staff to their own version while everyone else still sees the
national one. Other organisations' local guides do not exist for a user (404), like every other scoped object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from balie.core import codelists
from balie.core.access import Cap, scope_of
from balie.core.models import CodeList

from .models import Guide

if TYPE_CHECKING:
    from balie.accounts.models import User


def guides_for_user(user: User) -> QuerySet[Guide]:
    """National guides plus the user's own organisation's; a local version hides the national original."""
    scope = scope_of(user)
    scope.require(Cap.REGISTER)
    own = Guide.objects.filter(organisation_id=scope.organisation_id)
    return (
        Guide.objects.for_scope(scope)
        .exclude(organisation__isnull=True, slug__in=own.values("slug"))
        .select_related("organisation")
    )


def guide_for_user(user: User, slug: str, *, national: bool = False) -> Guide:
    """The user's own version of a slug, else the national guide; 404 for anything else."""
    scope = scope_of(user)
    scope.require(Cap.REGISTER)
    candidates = Guide.objects.for_scope(scope).filter(slug=slug).select_related("organisation", "based_on", "updated_by")
    ordered = sorted(candidates, key=lambda g: (g.is_national != national,))
    if not ordered:
        raise Http404(_("Deze handleiding bestaat niet (meer)."))
    return ordered[0]


def with_codes(queryset: QuerySet[Guide], *, instantie: str = "", onderwerp: str = "") -> QuerySet[Guide]:
    if instantie:
        queryset = queryset.filter(instanties__contains=f"|{instantie}|")
    if onderwerp:
        queryset = queryset.filter(onderwerpen__contains=f"|{onderwerp}|")
    return queryset


def for_topic(user: User, instantie: str, onderwerp: str) -> list[Guide]:
    """Guides for an instantie + onderwerp pair, for the desk's link; a wrong guide is worse than none."""
    if not instantie or not onderwerp:
        return []
    return list(with_codes(guides_for_user(user), instantie=instantie, onderwerp=onderwerp).select_related(None).only("slug", "title")[:5])


def can_edit(user: User, guide: Guide) -> bool:
    return scope_of(user).manages(guide.organisation_id)


def code_labels() -> dict[str, dict[str, str]]:
    version = codelists.current_version()
    return {
        "instantie": codelists.codes(version, CodeList.INSTANTIE),
        "onderwerp": codelists.codes(version, CodeList.ONDERWERP),
    }
