"""Reads for courses: scoping and the per-course figures (reusable by the insight dashboards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from balie.core import privacy
from balie.core.access import scope_of
from balie.network.models import Organisation

from .models import Course, EnrolmentStatus


def courses_for(user: Any) -> QuerySet[Course]:
    if not scope_of(user).is_desk_staff:
        raise PermissionDenied("Cursussen zijn voor medewerkers en coördinatoren van een bibliotheek.")
    return Course.objects.for_scope(scope_of(user)).select_related("location")


def with_counts(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.INGESCHREVEN), distinct=True),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WACHTLIJST), distinct=True),
    )


def course_figures(
    organisations: Organisation | Iterable[Organisation] | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
    *, suppress: bool = False, locations: Iterable[Any] | None = None,
) -> list[dict[str, Any]]:
    """Per course: anonymous referrals, enrolments, waiting list and attendance within the date range (no personal data).

    ``locations`` limits to courses held at those locations (a municipality's dashboard).
    """
    if isinstance(organisations, Organisation):
        organisations = [organisations]
    qs = Course.objects.all() if organisations is None else Course.objects.filter(organisation__in=[o.pk for o in organisations])
    if locations is not None:
        qs = qs.filter(location__in=[loc.pk for loc in locations])
    ref_q, enr_q = Q(), Q()
    if date_from:
        ref_q &= Q(referrals__created_at__date__gte=date_from)
        enr_q &= Q(enrolments__created_at__date__gte=date_from)
    if date_to:
        ref_q &= Q(referrals__created_at__date__lte=date_to)
        enr_q &= Q(enrolments__created_at__date__lte=date_to)
    qs = qs.annotate(
        n_referrals=Count("referrals", filter=ref_q, distinct=True),
        n_enrolled=Count("enrolments", filter=enr_q & ~Q(enrolments__status=EnrolmentStatus.WACHTLIJST), distinct=True),
        n_waiting=Count("enrolments", filter=enr_q & Q(enrolments__status=EnrolmentStatus.WACHTLIJST), distinct=True),
        n_attended=Count("enrolments", filter=enr_q & Q(enrolments__attended=True), distinct=True),
    ).order_by("start_date", "title")

    def cell(n: int) -> int | None:
        return privacy.cell(n, suppress)

    return [
        {"course": c.title, "course_uuid": str(c.uuid), "kind": c.kind, "start_date": c.start_date, "capacity": c.capacity,
         "referrals": cell(c.n_referrals), "enrolments": cell(c.n_enrolled), "waiting": cell(c.n_waiting), "attended": cell(c.n_attended)}
        for c in qs if c.n_referrals or c.n_enrolled or c.n_waiting
    ]
