"""Reads for referrals: scoping (who sees which referral), the follow-up list and the figures.

The figure functions take organisations and a date range and return plain dicts without personal data,
so the insight dashboards can reuse them. With ``suppress=True`` counts under 5 become None (shown as "<5"),
for anything a municipality, the nation or a partner sees.
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
        raise PermissionDenied("Verwijzingen zijn voor bibliotheekmedewerkers en partnerorganisaties.")
    return Referral.objects.for_scope(scope).select_related("partner", "service", "location", "organisation", "created_by")


def followup(user: Any, today: dt.date | None = None) -> list[Referral]:
    """Open referrals of the coordinator's organisation without an update for 10 working days, oldest first."""
    scope_of(user).require(Cap.COORDINATE, "De opvolglijst is voor de coördinator.")
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
    return privacy.cell(n, suppress)


def _locations(locations: Iterable[Any] | None, field: str) -> Q:
    # A municipality's dashboard counts the referrals made at locations in that municipality, not the whole library's.
    return Q() if locations is None else Q(**{f"{field}__in": [loc.pk for loc in locations]})


def referral_figures(
    organisations: Organisation | Iterable[Organisation] | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
    *, suppress: bool = False, locations: Iterable[Any] | None = None,
) -> list[dict[str, Any]]:
    """Per partner: warm referrals, plain ones, outcome shares (of closed warm referrals) and median days to first response."""
    rows = (Referral.objects.filter(_orgs(organisations), _range(date_from, date_to, "created_at__date"), _locations(locations, "location"))
            .values("partner__uuid", "partner__name", "kind", "status", "created_at", "first_response_at"))
    per: dict[Any, dict[str, Any]] = {}
    for r in rows.iterator():
        p = per.setdefault(r["partner__uuid"], {"partner": r["partner__name"], "partner_uuid": str(r["partner__uuid"]), "warm": 0, "plain": 0,
                                                "open": 0, "outcomes": defaultdict(int), "response_days": []})
        if r["kind"] not in WARM_KINDS:
            p["plain"] += 1
            continue
        p["warm"] += 1
        if r["status"] in OUTCOMES:
            p["outcomes"][r["status"]] += 1
        else:
            p["open"] += 1
        if r["first_response_at"]:
            p["response_days"].append((r["first_response_at"] - r["created_at"]).total_seconds() / 86400)
    result = []
    for p in sorted(per.values(), key=lambda p: (-p["warm"] - p["plain"], p["partner"])):
        closed = sum(p["outcomes"].values())
        hide = suppress and closed < privacy.THRESHOLD
        result.append({
            "partner": p["partner"], "partner_uuid": p["partner_uuid"],
            "warm": _cell(p["warm"], suppress), "plain": _cell(p["plain"], suppress), "open": _cell(p["open"], suppress),
            "closed": _cell(closed, suppress),
            # Shares of closed warm referrals; hidden when suppressed and too few to be anonymous.
            "shares": {str(s.value): (None if hide or not closed else round(p["outcomes"][s] / closed, 3)) for s in OUTCOMES},
            "median_days_to_first_response": (round(statistics.median(p["response_days"]), 1)
                                              if p["response_days"] and not (suppress and len(p["response_days"]) < privacy.THRESHOLD) else None),
        })
    return result


def structural_contact(
    organisations: Organisation | Iterable[Organisation] | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
    *, suppress: bool = False,
) -> dict[str, Any]:
    """The share of visits that led to structural contact: a warm referral to a partner, or a course referral or enrolment."""
    visits = Visit.objects.filter(_orgs(organisations), _range(date_from, date_to, "started_at__date"))
    total = visits.count()
    q_range = _range(date_from, date_to, "date")
    questions = Question.objects.filter(_orgs(organisations), q_range)
    warm = set(questions.filter(referrals__kind__in=WARM_KINDS).values_list("visit_id", flat=True))
    course = set(questions.filter(course_referrals__isnull=False).values_list("visit_id", flat=True))
    course |= set(questions.filter(course_enrolments__isnull=False).values_list("visit_id", flat=True))
    structural = len(warm | course)
    return {
        "visits": _cell(total, suppress), "structural": _cell(structural, suppress),
        "partner": _cell(len(warm), suppress), "course": _cell(len(course), suppress),
        "share": (round(structural / total, 4) if total and not (suppress and structural < privacy.THRESHOLD) else None),
    }
