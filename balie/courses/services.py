"""Writes for courses: anonymous referral, enrolment with consent (waiting list when full), cancel, attendance, retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from balie.core import audit, crypto
from balie.core.pii import normalise_phone
from balie.desk.models import Question
from balie.referrals.services import ReferralError, ReferralInvalid

from .models import Course, CourseReferral, Enrolment, EnrolmentStatus


def consent_text(course: Course) -> str:
    return (
        f"U geeft de bibliotheek toestemming om uw naam en telefoonnummer te bewaren voor de cursus {course.title}. "
        "De organisator gebruikt ze alleen om u te bellen over de cursus (bijvoorbeeld als er een plek vrijkomt of een les niet doorgaat). "
        "Alleen medewerkers van de bibliotheek kunnen ze zien. "
        f"Wij wissen ze vanzelf {settings.BALIE_REFERRAL_RETENTION_DAYS} dagen na de laatste les. "
        "U kunt uw toestemming altijd intrekken; dan wissen wij ze meteen."
    )


def _check_course(user: Any, course: Course) -> None:
    if not getattr(user, "is_desk_staff", False) or course.organisation_id != user.organisation_id:
        raise PermissionDenied("Deze cursus hoort niet bij uw organisatie.")


def course_refer(*, user: Any, course: Course, question: Question | None) -> CourseReferral:
    _check_course(user, course)
    if question is not None and question.organisation_id != user.organisation_id:
        raise PermissionDenied
    referral = CourseReferral.objects.create(course=course, organisation_id=user.organisation_id, question=question, created_by=user)
    audit.log("course_referral_created", user=user, obj=referral, course=str(course.uuid))
    return referral


@transaction.atomic
def enrol(
    *, user: Any, course: Course, question: Question | None, consent: bool, name: str, phone: str, submission_key: str | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol with consent: name and phone encrypted. Full course: onto the waiting list. Returns (enrolment, created)."""
    _check_course(user, course)
    if submission_key:
        existing = Enrolment.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing, False
    errors = []
    if not consent:
        errors.append(ReferralError("toestemming", "Zonder toestemming kan de bezoeker niet met naam worden ingeschreven. Verwijs dan anoniem."))
    name = name.strip()[:100]
    if not name:
        errors.append(ReferralError("naam", "Vul de naam van de deelnemer in."))
    normal = normalise_phone(phone.strip()) if phone.strip() else None
    if normal is None:
        errors.append(ReferralError("telefoon", f"{phone.strip() or '(leeg)'} is geen geldig telefoonnummer. Bijvoorbeeld 06 12345678."))
    if errors:
        raise ReferralInvalid(errors)
    # Lock the course row so two staff members cannot both take the last seat.
    Course.objects.select_for_update().get(pk=course.pk)
    taken = course.enrolments.filter(status=EnrolmentStatus.INGESCHREVEN).count()
    status = EnrolmentStatus.INGESCHREVEN if taken < course.capacity else EnrolmentStatus.WACHTLIJST
    enrolment = Enrolment.objects.create(
        course=course, organisation_id=user.organisation_id, question=question, status=status, consent_text=consent_text(course),
        consent_at=timezone.now(), contact_ciphertext=crypto.encrypt_json({"naam": name, "telefoon": normal}), created_by=user,
        submission_key=submission_key,
    )
    audit.log("course_enrolment_created", user=user, obj=enrolment, course=str(course.uuid), status=status, personal_data=True)
    return enrolment, True


@transaction.atomic
def cancel(*, user: Any, enrolment: Enrolment) -> Enrolment | None:
    """Cancel an enrolment; the first on the waiting list moves up. Returns the enrolment that moved up, if any."""
    _check_course(user, enrolment.course)
    was_enrolled = enrolment.status == EnrolmentStatus.INGESCHREVEN
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.AFGEMELD)
    enrolment.status = EnrolmentStatus.AFGEMELD
    audit.log("course_enrolment_cancelled", user=user, obj=enrolment)
    if not was_enrolled:
        return None
    first = enrolment.course.enrolments.filter(status=EnrolmentStatus.WACHTLIJST).order_by("created_at", "id").first()
    if first:
        Enrolment.objects.filter(pk=first.pk).update(status=EnrolmentStatus.INGESCHREVEN)
        first.status = EnrolmentStatus.INGESCHREVEN
        audit.log("course_enrolment_moved_up", user=user, obj=first)
    return first


def mark_attendance(*, user: Any, enrolment: Enrolment, attended: bool | None) -> None:
    _check_course(user, enrolment.course)
    Enrolment.objects.filter(pk=enrolment.pk).update(attended=attended)
    enrolment.attended = attended
    audit.log("course_attendance_marked", user=user, obj=enrolment, attended=attended)


def contact_for(enrolment: Enrolment, *, user: Any) -> dict[str, str]:
    """Decrypt name and phone for staff of the enrolling organisation; every read is audit-logged."""
    _check_course(user, enrolment.course)
    if not enrolment.contact_ciphertext:
        return {}
    data = crypto.decrypt_json(enrolment.contact_ciphertext)
    audit.log("course_enrolment_contact_read", user=user, obj=enrolment, personal_data=True)
    return data


def purge_personal_data(now: dt.datetime | None = None) -> int:
    """Delete name and phone once the retention period after the course's last day has passed."""
    now = now or timezone.now()
    cutoff = timezone.localtime(now).date() - dt.timedelta(days=settings.BALIE_REFERRAL_RETENTION_DAYS)
    count = 0
    for enrolment in Enrolment.objects.exclude(contact_ciphertext="").filter(course__end_date__lt=cutoff):
        Enrolment.objects.filter(pk=enrolment.pk).update(contact_ciphertext="", personal_data_deleted_at=now)
        audit.log("course_enrolment_contact_deleted", obj=enrolment, personal_data=True, reason="bewaartermijn verstreken")
        count += 1
    return count
