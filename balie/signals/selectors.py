"""Who sees which signals. Outsiders get 404 on a signal (it is filtered away), other roles 403 on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from balie.accounts.models import Role
from balie.partners.models import Partner
from balie.partners.selectors import partner_of

from .models import ScopeKind, Signal, Status

REPORTED = (Status.GEMELD, Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT)


def signals_for(user: Any) -> QuerySet[Signal]:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    qs = Signal.objects.select_related("organisation", "gemeente", "recipient")
    if getattr(user, "is_coordinator", False):
        return qs.filter(scope_kind=ScopeKind.ORGANISATIE, organisation_id=user.organisation_id)
    if user.role == Role.GEMEENTE:
        return qs.filter(scope_kind=ScopeKind.GEMEENTE, gemeente__in=user.gemeenten.all())
    if user.role == Role.LANDELIJK:
        return qs.filter(scope_kind=ScopeKind.LANDELIJK)
    if user.role == Role.PARTNER:
        # The same PartnerUser link that gives the account its referrals (one organisation per account).
        partner = partner_of(user)
        return qs.filter(recipient=partner, status__in=REPORTED) if partner else qs.none()
    raise PermissionDenied("Signalen zijn voor coördinatoren, gemeenten, landelijk en partnerorganisaties.")


def sees_notes(user: Any, signal: Signal) -> bool:
    """Notes and exact small counts stay inside the library organisation."""
    return getattr(user, "is_coordinator", False) and signal.organisation_id == user.organisation_id


def may_manage(user: Any, signal: Signal) -> bool:
    """Confirm, send and close: the coordinator for a library signal, the landelijk role for a national one."""
    if signal.scope_kind == ScopeKind.ORGANISATIE:
        return sees_notes(user, signal)
    if signal.scope_kind == ScopeKind.LANDELIJK:
        return user.role == Role.LANDELIJK
    return False


def managed_recipients(user: Any) -> QuerySet[Partner]:
    """Recipients a user may list and edit: a coordinator its library's local ones, landelijk the national ones."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    recipients = Partner.objects.filter(receives_signals=True)
    if getattr(user, "is_coordinator", False):
        return recipients.filter(organisation_id=user.organisation_id)
    if user.role == Role.LANDELIJK:
        return recipients.filter(organisation__isnull=True)
    raise PermissionDenied("Ontvangers van signalen beheren coördinatoren (lokaal) en de landelijke rol (landelijk).")


def recipient_codes(user: Any) -> dict[str, str]:
    """Codes a recipient of this user may cover: national instanties, plus the library's own local ones."""
    from balie.core import codelists
    from balie.network.models import LocalCode

    allowed = dict(codelists.codes(codelists.current_version(), "instantie"))
    if getattr(user, "is_coordinator", False):
        allowed.update(LocalCode.objects.filter(organisation_id=user.organisation_id, list="instantie", active=True)
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
