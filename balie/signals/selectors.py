"""Who sees which signals. Outsiders get 404 on a signal (it is filtered away), other roles 403 on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from balie.core.access import Cap, scope_of
from balie.partners.models import Partner

from .models import REPORTED, ScopeKind, Signal, Status  # noqa: F401  (REPORTED: re-exported)


def signals_for(user: Any) -> QuerySet[Signal]:
    scope = scope_of(user)
    if not scope.authenticated:
        raise PermissionDenied
    scope.require(Cap.SEE_SIGNALS)
    return Signal.objects.for_scope(scope).select_related("organisation", "gemeente", "recipient")


def sees_notes(user: Any, signal: Signal) -> bool:
    """Notes and exact small counts stay inside the library organisation."""
    return scope_of(user).manages(signal.organisation_id)


def may_manage(user: Any, signal: Signal) -> bool:
    """Confirm, send and close: the coordinator for a library signal, the national role for a national one."""
    if signal.scope_kind == ScopeKind.ORGANISATIE:
        return sees_notes(user, signal)
    if signal.scope_kind == ScopeKind.LANDELIJK:
        return scope_of(user).is_national
    return False


def managed_recipients(user: Any) -> QuerySet[Partner]:
    """Recipients a user may list and edit: a coordinator its library's local ones, landelijk the national ones."""
    scope = scope_of(user)
    if not scope.authenticated:
        raise PermissionDenied
    scope.require(Cap.MANAGE_RECIPIENTS)
    return Partner.objects.signal_recipients_managed_by(scope)


def recipient_codes(user: Any) -> dict[str, str]:
    """Codes a recipient of this user may cover: national instanties, plus the library's own local ones."""
    from balie.core import codelists
    from balie.network.models import LocalCode

    allowed = dict(codelists.codes(codelists.current_version(), "instantie"))
    scope = scope_of(user)
    if scope.is_coordinator:
        allowed.update(LocalCode.objects.for_scope(scope).filter(list="instantie", active=True)
                       .values_list("code", "label"))
    return allowed


def recipients_for(user: Any, signal: Signal) -> QuerySet[Partner]:
    """Organisations a signal can be reported to: national ones, plus the signal's own library's local ones."""
    codes = [signal.instantie] + ([signal.partner] if signal.partner else [])
    qs = Partner.objects.none()
    for code in codes:
        qs = qs | Partner.objects.filter(receives_signals=True, signal_codes__contains=f"|{code}|")
    if signal.scope_kind == ScopeKind.LANDELIJK:
        return qs.filter(organisation__isnull=True)
    return qs.filter(organisation__isnull=True) | qs.filter(organisation_id=signal.organisation_id)
