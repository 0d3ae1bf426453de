"""Writes for courses: anonymous referral, enrolment with consent (waiting list when full), cancel, attendance, retention."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from balie.core import audit
from balie.core import consent as consent_rules
from balie.core.access import scope_of
from balie.core.audit import Event
from balie.core.consent import ContactError, ContactInvalid
from balie.core.idempotency import Claim
from balie.core.pii import normalise_phone
from balie.desk.models import Question

from .models import Course, CourseReferral, Enrolment, EnrolmentStatus

if TYPE_CHECKING:
    from .forms import CourseForm


def consent_text(course: Course) -> str:
    return consent_rules.consent_text(
        allow=f"uw naam en telefoonnummer te bewaren voor de cursus {course.title}",
        use="De organisator gebruikt ze alleen om u te bellen over de cursus (bijvoorbeeld als er een plek vrijkomt of een les niet doorgaat).",
        visible_to="Alleen medewerkers van de bibliotheek kunnen ze zien.",
        erased_after="na de laatste les",
    )


def _check_course(user: Any, course: Course) -> None:
    if not scope_of(user).owns(course.organisation_id):
        raise PermissionDenied(gettext("Deze cursus hoort niet bij uw organisatie."))


@transaction.atomic
def course_save(*, user: Any, form: CourseForm) -> Course:
    """Create or change a course of the coordinator's own organisation (CourseForm has checked the fields)."""
    course = form.save(commit=False)
    created = course.pk is None
    scope = scope_of(user)
    if not scope.is_coordinator or (not created and not scope.manages(course.organisation_id)):
        raise PermissionDenied(gettext("Alleen een coördinator van deze organisatie mag cursussen bijwerken."))
    course.organisation_id = scope.organisation_id
    course.save()
    audit.log(Event.COURSE_CREATED if created else Event.COURSE_CHANGED, user=user, obj=course)
    return course


def course_refer(*, user: Any, course: Course, question: Question | None) -> CourseReferral:
    _check_course(user, course)
    if question is not None and question.organisation_id != user.organisation_id:
        raise PermissionDenied
    referral = CourseReferral.objects.create(course=course, organisation_id=user.organisation_id, question=question, created_by=user)
    audit.log(Event.COURSE_REFERRAL_CREATED, user=user, obj=referral, course=str(course.uuid))
    return referral


@transaction.atomic
def enrol(
    *, user: Any, course: Course, question: Question | None, consent: bool, name: str, phone: str, submission_key: str | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol with consent: name and phone encrypted. Full course: onto the waiting list. Returns (enrolment, created)."""
    _check_course(user, course)
    claim = Claim(Enrolment, key=submission_key, owner={"organisation_id": user.organisation_id}, body={
        "course": course.pk, "question": question.pk if question else None, "consent": bool(consent), "name": name.strip(),
        "phone": phone.strip(),
    })
    if (existing := claim.existing()) is not None:
        return existing, False
    errors = []
    if not consent:
        errors.append(ContactError("toestemming", gettext("Zonder toestemming kan de bezoeker niet met naam worden ingeschreven. Verwijs dan anoniem.")))
    name = name.strip()
    # Refused, never cut off (review L10).
    long = [e for e in (consent_rules.too_long("naam", name), consent_rules.too_long("telefoon", phone.strip())) if e is not None]
    errors += long
    if not name:
        errors.append(ContactError("naam", gettext("Vul de naam van de deelnemer in.")))
    normal = normalise_phone(phone.strip()) if phone.strip() and not long else None
    if normal is None and not long:
        errors.append(ContactError("telefoon", gettext("%(phone)s is geen geldig telefoonnummer. Bijvoorbeeld 06 12345678.") % {
            "phone": phone.strip() or gettext("(leeg)")}))
    if errors:
        raise ContactInvalid(errors)
    # Lock the course row so two staff members cannot both take the last seat.
    Course.objects.select_for_update().get(pk=course.pk)
    taken = course.enrolments.filter(status=EnrolmentStatus.INGESCHREVEN).count()
    status = EnrolmentStatus.INGESCHREVEN if taken < course.capacity else EnrolmentStatus.WACHTLIJST
    enrolment, created = claim.insert(Enrolment(
        course=course, organisation_id=user.organisation_id, question=question, status=status, consent_text=consent_text(course),
        consent_at=timezone.now(), contact_ciphertext=consent_rules.seal({"naam": name, "telefoon": normal}), created_by=user,
    ))
    if not created:  # a twin request with the same key won the race
        return enrolment, False
    audit.log(Event.COURSE_ENROLMENT_CREATED, user=user, obj=enrolment, course=str(course.uuid), status=status)
    return enrolment, True


@transaction.atomic
def cancel(*, user: Any, enrolment: Enrolment) -> Enrolment | None:
    """Cancel an enrolment; the first on the waiting list moves up. Returns the enrolment that moved up, if any."""
    _check_course(user, enrolment.course)
    was_enrolled = enrolment.status == EnrolmentStatus.INGESCHREVEN
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.AFGEMELD)
    enrolment.status = EnrolmentStatus.AFGEMELD
    audit.log(Event.COURSE_ENROLMENT_CANCELLED, user=user, obj=enrolment)
    if not was_enrolled:
        return None
    first = enrolment.course.enrolments.filter(status=EnrolmentStatus.WACHTLIJST).order_by("created_at", "id").first()
    if first:
        Enrolment.objects.filter(pk=first.pk).update(status=EnrolmentStatus.INGESCHREVEN)
        first.status = EnrolmentStatus.INGESCHREVEN
        audit.log(Event.COURSE_ENROLMENT_MOVED_UP, user=user, obj=first)
    return first


def mark_attendance(*, user: Any, enrolment: Enrolment, attended: bool | None) -> None:
    _check_course(user, enrolment.course)
    Enrolment.objects.filter(pk=enrolment.pk).update(attended=attended)
    enrolment.attended = attended
    audit.log(Event.COURSE_ATTENDANCE_MARKED, user=user, obj=enrolment, attended=attended)


def contact_for(enrolment: Enrolment, *, user: Any) -> dict[str, str]:
    """Decrypt name and phone for staff of the enrolling organisation; every read is audit-logged."""
    _check_course(user, enrolment.course)
    return consent_rules.contact_read(enrolment, event=Event.COURSE_ENROLMENT_CONTACT_READ, user=user)


def purge_personal_data(now: dt.datetime | None = None) -> int:
    """Delete name and phone once the retention period after the course's last day has passed."""
    now = now or timezone.now()
    cutoff = timezone.localtime(now).date() - dt.timedelta(days=consent_rules.retention_days())
    return consent_rules.contact_purge(
        Enrolment.objects.filter(course__end_date__lt=cutoff), event=Event.COURSE_ENROLMENT_CONTACT_DELETED,
        reason="bewaartermijn verstreken", now=now,
    )
