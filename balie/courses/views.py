"""Course pages: the catalogue, one course with its enrolments and attendance, refer or enrol from a question."""

from __future__ import annotations

import uuid as uuidlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core.access import Cap, get_or_404, requires
from balie.core.consent import ContactError, ContactInvalid
from balie.core.idempotency import IdempotencyConflict
from balie.desk import selectors as desk_selectors

from . import selectors, services
from .forms import CourseForm
from .models import Course, EnrolmentStatus


@requires(Cap.REGISTER)
def course_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.with_counts(selectors.courses_for(request.user))
    show_past = request.GET.get("alle") == "1"
    if not show_past:
        courses = courses.filter(end_date__gte=timezone.localdate())
    return render(request, "courses/list.html", {"courses": courses, "show_past": show_past, "may_manage": request.scope.is_coordinator})


@requires(Cap.COORDINATE)
def course_edit(request: HttpRequest, uuid: str | None = None) -> HttpResponse:
    course = get_or_404(selectors.courses_for(request.user), uuid=uuid) if uuid else Course(organisation=request.user.organisation)
    form = CourseForm(request.POST or None, instance=course, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        saved = services.course_save(user=request.user, form=form)
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": saved.title})
        return redirect("courses:detail", uuid=saved.uuid)
    return render(request, "courses/form.html", {"form": form, "course": course}, status=422 if form.errors else 200)


@requires(Cap.REGISTER)
def course_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    course = get_or_404(selectors.with_counts(selectors.courses_for(request.user)), uuid=uuid)
    enrolments = list(course.enrolments.exclude(status=EnrolmentStatus.AFGEMELD).order_by("status", "created_at"))
    if request.method == "POST":
        enrolment = get_or_404(course.enrolments.all(), uuid=request.POST.get("inschrijving", ""))
        action = request.POST.get("action")
        if action == "aanwezig":
            value = {"ja": True, "nee": False}.get(request.POST.get("aanwezig", ""))
            services.mark_attendance(user=request.user, enrolment=enrolment, attended=value)
            messages.success(request, _("Aanwezigheid opgeslagen."))
        elif action == "afmelden":
            moved = services.cancel(user=request.user, enrolment=enrolment)
            messages.success(request, _("Afgemeld. De eerste van de wachtlijst is nu ingeschreven.") if moved else _("Afgemeld."))
        else:
            raise PermissionDenied
        return redirect("courses:detail", uuid=course.uuid)
    show_names = request.GET.get("namen") == "1"
    rows = [{"enrolment": e, "contact": services.contact_for(e, user=request.user) if show_names else None} for e in enrolments]
    return render(request, "courses/detail.html", {"course": course, "rows": rows, "show_names": show_names})


@requires(Cap.REGISTER)
def course_refer(request: HttpRequest, uuid: str, question_uuid: str) -> HttpResponse:
    """From a question: point the visitor to this course anonymously, or enrol them with consent."""
    course = get_or_404(selectors.with_counts(selectors.courses_for(request.user)), uuid=uuid)
    question = get_or_404(desk_selectors.questions_for_user(request.user), uuid=question_uuid)
    errors = []
    fresh_key = False
    if request.method == "POST":
        if request.POST.get("action") == "anoniem":
            services.course_refer(user=request.user, course=course, question=question)
            messages.success(request, _("Vastgelegd: de bezoeker is gewezen op %(course)s.") % {"course": course.title})
            return redirect("courses:detail", uuid=course.uuid)
        key = request.POST.get("submission_key") or None
        try:
            enrolment, _created = services.enrol(user=request.user, course=course, question=question, consent=request.POST.get("toestemming") == "ja",
                                          name=request.POST.get("naam", ""), phone=request.POST.get("telefoon", ""),
                                          submission_key=f"desk:{key}" if key else None)
        except ContactInvalid as exc:
            errors = exc.errors
        except IdempotencyConflict as exc:
            errors, fresh_key = [ContactError("submission_key", exc.message)], True
        else:
            if enrolment.status == EnrolmentStatus.WACHTLIJST:
                messages.warning(request, _("%(course)s is vol. De bezoeker staat op de wachtlijst.") % {"course": course.title})
            else:
                messages.success(request, _("De bezoeker is ingeschreven voor %(course)s.") % {"course": course.title})
            return redirect("courses:detail", uuid=course.uuid)
    return render(request, "courses/refer.html", {
        "course": course, "question": question, "errors": errors, "error_map": {e.field: e.message for e in errors},
        "consent_text": services.consent_text(course), "post": request.POST, "submission_key": (not fresh_key and request.POST.get("submission_key")) or uuidlib.uuid4().hex,
        "full": course.enrolled >= course.capacity,
    }, status=422 if errors else 200)
