"""Reads for referrals: scoping (who sees which referral), the follow-up list and the figures.

The figure functions take organisations and a date range and return plain dicts without personal data,
so the insight dashboards can reuse them. Counts are ``privacy.Count`` (they carry their records' keys); with
``suppress=True`` they are published by ``privacy.published`` (None is "<5"), for anything a municipality, the
nation or a partner sees (ADR 0015).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from balie.core import privacy
from balie.core.access import Cap, scope_of
from balie.desk.models import Question, Visit
from balie.network.models import Organisation

from .models import OUTCOMES, WARM_KINDS, Referral, Status
from .services import is_overdue


def referrals_for(user: Any) -> QuerySet[Referral]:
    """Library staff: their organisation's referrals. A partner account: only the referrals addressed to its partner."""
    scope = scope_of(user)
    if not scope.authenticated:
        raise PermissionDenied
    if not (scope.can(Cap.REGISTER) or scope.can(Cap.ANSWER_REFERRALS)):
        raise PermissionDenied(gettext("Verwijzingen zijn voor bibliotheekmedewerkers en partnerorganisaties."))
    return Referral.objects.for_scope(scope).select_related("partner", "service", "location", "organisation", "created_by")


def followup(user: Any, today: dt.date | None = None) -> list[Referral]:
    """Open referrals of the coordinator's organisation without an update for 10 working days, oldest first."""
    scope_of(user).require(Cap.COORDINATE, gettext("De opvolglijst is voor de coördinator."))
    today = today or timezone.localdate()
    open_ = referrals_for(user).filter(status__in=(Status.VERSTUURD, Status.ONTVANGEN, Status.IN_BEHANDELING)).order_by("last_update_at")
    return [r for r in open_ if is_overdue(r, today)]


def _orgs(organisations: Organisation | Iterable[Organisation] | None) -> Q:
    if organisations is None:
        return Q()
    if isinstance(organisations, Organisation):
        organisations = [organisations]
    return Q(organisation__in=[o.pk for o in organisations])


def _range(date_from: dt.date | None, date_to: dt.date | None, field: str) -> Q:
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": date_from})
    if date_to:
        q &= Q(**{f"{field}__lte": date_to})
    return q


def _cell(n: int, suppress: bool) -> int | None:
    return privacy.published(n, suppressed=True) if suppress else n


def _locations(locations: Iterable[Any] | None, field: str) -> Q:
    # A municipality's dashboard counts the referrals made at locations in that municipality, not the whole library's.
    return Q() if locations is None else Q(**{f"{field}__in": [loc.pk for loc in locations]})


def referral_figures(
    organisations: Organisation | Iterable[Organisation] | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
    *, suppress: bool = False, locations: Iterable[Any] | None = None,
) -> list[dict[str, Any]]:
    """Per partner: warm referrals, plain ones, outcome shares (of closed warm referrals) and median days to first response."""
    rows = (Referral.objects.filter(_orgs(organisations), _range(date_from, date_to, "created_at__date"), _locations(locations, "location"))
            .values("id", "partner__uuid", "partner__name", "kind", "status", "created_at", "first_response_at"))
    per: dict[Any, dict[str, Any]] = {}
    for r in rows.iterator():
        p = per.setdefault(r["partner__uuid"], {"partner": r["partner__name"], "partner_uuid": str(r["partner__uuid"]), "warm": [], "plain": [],
                                                "open": [], "outcomes": defaultdict(list), "response_days": [], "responded": []})
        if r["kind"] not in WARM_KINDS:
            p["plain"].append(r["id"])
            continue
        p["warm"].append(r["id"])
        if r["status"] in OUTCOMES:
            p["outcomes"][r["status"]].append(r["id"])
        else:
            p["open"].append(r["id"])
        if r["first_response_at"]:
            p["response_days"].append((r["first_response_at"] - r["created_at"]).total_seconds() / 86400)
            p["responded"].append(r["id"])
    result = []
    for p in sorted(per.values(), key=lambda p: (-len(p["warm"]) - len(p["plain"]), p["partner"])):
        closed = privacy.records("referral", [pk for ids in p["outcomes"].values() for pk in ids])
        closed_shown = _cell(closed, suppress)
        result.append({
            "partner": p["partner"], "partner_uuid": p["partner_uuid"],
            "warm": _cell(privacy.records("referral", p["warm"]), suppress), "plain": _cell(privacy.records("referral", p["plain"]), suppress),
            "open": _cell(privacy.records("referral", p["open"]), suppress), "closed": closed_shown,
            # Shares of closed warm referrals, from published numbers; hidden when suppressed and too few to be anonymous.
            "shares": {str(s.value): _outcome_share(privacy.records("referral", p["outcomes"][s]), closed, suppress) for s in OUTCOMES},
            # A median of fewer than 5 response times could be one partner's single answer: outside the library only from 5.
            "median_days_to_first_response": (round(statistics.median(p["response_days"]), 1) if p["response_days"] and (
                not suppress or (_cell(privacy.records("referral", p["responded"]), True) or 0) >= privacy.THRESHOLD) else None),
        })
    return result


def _outcome_share(part: privacy.Count, closed: privacy.Count, suppress: bool) -> float | None:
    if not closed:
        return None
    if not suppress:
        return round(part / closed, 3)
    value = privacy.share(_cell(part, True), _cell(closed, True), suppressed=True, digits=1)
    return None if value is None else round(value / 100, 3)


def structural_contact(
    organisations: Organisation | Iterable[Organisation] | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
    *, suppress: bool = False,
) -> dict[str, Any]:
    """The share of visits that led to structural contact: a warm referral to a partner, or a course referral or enrolment."""
    visits = Visit.objects.filter(_orgs(organisations), _range(date_from, date_to, "started_at__date"))
    q_range = _range(date_from, date_to, "date")
    questions = Question.objects.filter(_orgs(organisations), q_range)
    warm = set(questions.filter(referrals__kind__in=WARM_KINDS).values_list("visit_id", flat=True))
    course = set(questions.filter(course_referrals__isnull=False).values_list("visit_id", flat=True))
    course |= set(questions.filter(course_enrolments__isnull=False).values_list("visit_id", flat=True))
    if not suppress:
        total, structural = visits.count(), len(warm | course)
        return {"visits": total, "structural": structural, "partner": len(warm), "course": len(course),
                "share": round(structural / total, 4) if total else None}
    shown = {name: _cell(privacy.records("visit", ids), True) for name, ids in
             (("visits", visits.values_list("id", flat=True)), ("structural", warm | course), ("partner", warm), ("course", course))}
    portion = privacy.share(shown["structural"], shown["visits"], suppressed=True, digits=2)
    return {**shown, "share": None if portion is None else round(portion / 100, 4)}
