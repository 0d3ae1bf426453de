"""Reads for courses: scoping and the per-course figures (reusable by the insight dashboards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from balie.core import privacy
from balie.core.access import scope_of
from balie.network.models import Organisation

from .models import Course, CourseReferral, Enrolment, EnrolmentStatus


def courses_for(user: Any) -> QuerySet[Course]:
    if not scope_of(user).is_desk_staff:
        raise PermissionDenied(gettext("Cursussen zijn voor medewerkers en coördinatoren van een bibliotheek."))
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

    ``locations`` limits to courses held at those locations (a municipality's dashboard). The counts are
    ``privacy.Count`` (with their records' keys); ``suppress=True`` publishes them by ``privacy.published`` (ADR 0015).
    """
    if isinstance(organisations, Organisation):
        organisations = [organisations]
    qs = Course.objects.all() if organisations is None else Course.objects.filter(organisation__in=[o.pk for o in organisations])
    if locations is not None:
        qs = qs.filter(location__in=[loc.pk for loc in locations])
    courses = list(qs.order_by("start_date", "title"))
    when = Q()
    if date_from:
        when &= Q(created_at__date__gte=date_from)
    if date_to:
        when &= Q(created_at__date__lte=date_to)
    ids: dict[int, dict[str, list[int]]] = {c.pk: {"referrals": [], "enrolments": [], "waiting": [], "attended": []} for c in courses}
    for course_id, pk in CourseReferral.objects.filter(when, course__in=courses).values_list("course_id", "id"):
        ids[course_id]["referrals"].append(pk)
    for course_id, pk, status, attended in Enrolment.objects.filter(when, course__in=courses).values_list("course_id", "id", "status", "attended"):
        ids[course_id]["waiting" if status == EnrolmentStatus.WACHTLIJST else "enrolments"].append(pk)
        if attended:
            ids[course_id]["attended"].append(pk)

    def cell(kind: str, pks: list[int]) -> int | None:
        counted = privacy.records(kind, pks)
        return privacy.published(counted, suppressed=True) if suppress else counted

    return [
        {"course": c.title, "course_uuid": str(c.uuid), "kind": c.kind, "start_date": c.start_date, "capacity": c.capacity,
         "referrals": cell("course-referral", ids[c.pk]["referrals"]), "enrolments": cell("enrolment", ids[c.pk]["enrolments"]),
         "waiting": cell("enrolment", ids[c.pk]["waiting"]), "attended": cell("enrolment", ids[c.pk]["attended"])}
        for c in courses if ids[c.pk]["referrals"] or ids[c.pk]["enrolments"] or ids[c.pk]["waiting"]
    ]

