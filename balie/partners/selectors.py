"""Reads for the social map: who sees which partners, and which services fit a question best."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from balie.core.access import Cap, scope_of

from .models import Partner, Service, ServiceHours


def partner_of(user: Any) -> Partner | None:
    """The organisation a partner account speaks for, for referrals and signals alike (None for every other role)."""
    partner_id = scope_of(user).partner_id
    return Partner.objects.filter(pk=partner_id).first() if partner_id else None


def visible_partners(user: Any) -> QuerySet[Partner]:
    """The social map of a library's staff (own organisation's partners plus the national ones); nobody else reads it."""
    scope = scope_of(user)
    scope.require(Cap.REGISTER, gettext("De sociale kaart is voor medewerkers en coördinatoren van een bibliotheek."))
    return Partner.objects.for_scope(scope)


def managed_partners(user: Any) -> QuerySet[Partner]:
    """A coordinator edits only the partners of their own organisation (national entries are read-only)."""
    scope = scope_of(user)
    scope.require(Cap.COORDINATE, gettext("Alleen een coördinator mag de sociale kaart bijwerken."))
    return Partner.objects.managed_by(scope)


def with_details(qs: QuerySet[Partner]) -> QuerySet[Partner]:
    return qs.prefetch_related(
        Prefetch("services", queryset=Service.objects.prefetch_related("gemeenten", "locations", "hours").order_by("name")),
        "locations",
    )


@dataclass
class Match:
    service: Service
    score: int
    in_gemeente: bool
    warm_line_now: bool
    open_now: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def partner(self) -> Partner:
        return self.service.partner


def _now_flags(hours: list[ServiceHours], moment: dt.datetime) -> tuple[bool, bool]:
    warm = any(h.kind == "phone" and h.contains(moment) for h in hours)
    open_ = any(h.kind == "in_person" and h.contains(moment) for h in hours)
    return warm, open_


def matching_services(
    user: Any, *, instantie: str, onderwerp: str, behoefteprofielen: list[str] | None = None, gemeente_id: int | None = None,
    now: dt.datetime | None = None, limit: int = 12,
) -> list[Match]:
    """Active services that help with this instantie and/or onderwerp, best first.

    Order: serves the location's municipality, warm line staffed now, open now, then how well the codes fit.
    A service without a service area serves everyone (a national helpline).
    """
    now = now or timezone.now()
    profiles = set(behoefteprofielen or [])
    candidates = (
        Service.objects.filter(partner__in=visible_partners(user), partner__active=True, active=True)
        .filter(Q(instanties__contains=f"|{instantie}|") | Q(onderwerpen__contains=f"|{onderwerp}|"))
        .select_related("partner").prefetch_related("hours", "gemeenten")
    )
    matches = []
    for service in candidates:
        score, reasons = 0, []
        if instantie and instantie in service.instantie_list:
            score += 3
            reasons.append("instantie")
        if onderwerp and onderwerp in service.onderwerp_list:
            score += 2
            reasons.append("onderwerp")
        overlap = profiles & set(service.behoefteprofiel_list)
        score += len(overlap)
        gemeenten = [g.pk for g in service.gemeenten.all()]
        in_gemeente = not gemeenten or gemeente_id in gemeenten
        warm, open_ = _now_flags(list(service.hours.all()), now)
        matches.append(Match(service, score, in_gemeente, warm, open_, reasons))
    matches.sort(key=lambda m: (not m.in_gemeente, not m.warm_line_now, not m.open_now, -m.score, m.service.partner.name, m.service.name))
    return matches[:limit]
