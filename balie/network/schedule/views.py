"""The coordinator's schedule pages per location: weekly hours (walk-in vs IDO consultation), one-off sessions,
closures, staffing per slot and what visitors see about the location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core.access import Cap, get_or_404, requires
from balie.core.audit import Event

from ..models import Closure, Location, Session, WeeklyHours
from . import hours, services
from .forms import ClosureForm, SessionForm, VisitorInfoForm, WeeklyHoursForm
from .selectors import schedules_for

PREVIEW_DAYS = 56


def _own_location(request: HttpRequest, code: str) -> Location:
    """Coordinator only (others 403); a location of another organisation does not exist (404)."""
    request.scope.require(Cap.COORDINATE)
    return get_or_404(Location.objects.for_scope(request.scope).select_related("organisation"), code=code.upper())


def _closures(location: Location) -> QuerySet[Closure]:
    return Closure.objects.filter(organisation_id=location.organisation_id).filter(Q(location=location) | Q(location__isnull=True))


@requires(Cap.COORDINATE)
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    location = _own_location(request, code)
    today = timezone.localdate()
    plan = schedules_for([location], start=today, end=today + dt.timedelta(days=PREVIEW_DAYS))[location.pk]
    weekly = list(location.weekly_hours.all())
    return render(request, "network/schedule.html", {
        "location": location,
        "weekly": weekly,
        "staff_hours": _staff_hours(weekly),
        "sessions": Session.objects.filter(location=location, date__gte=today),
        "closures": _closures(location).filter(end_date__gte=today).select_related("location"),
        "deviations": hours.exceptions(plan, today, days=PREVIEW_DAYS),
    })


def _staff_hours(weekly: list[WeeklyHours]) -> dict[str, float]:
    """Staff hours per week by kind: what the schedule asks of the team."""
    totals = {"INLOOP": 0.0, "SPREEKUUR": 0.0}
    for slot in weekly:
        minutes = (dt.datetime.combine(dt.date.min, slot.end) - dt.datetime.combine(dt.date.min, slot.start)).seconds / 60
        totals[slot.kind] = totals.get(slot.kind, 0.0) + minutes / 60 * slot.staff
    return totals


def _edit(
    request: HttpRequest, location: Location, *, form_class: type, instance: Any, title: str, save: Callable[..., Any],
    intro: str = "",
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            save(form)
            messages.success(request, _("%(title)s is opgeslagen.") % {"title": title})
            return redirect("network:schedule", code=location.code)
    else:
        form = form_class(instance=instance)
    context = {"form": form, "title": title, "location": location, "intro": intro}
    return render(request, "network/schedule_form.html", context, status=422 if form.errors else 200)


@requires(Cap.COORDINATE)
def weekly_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    location = _own_location(request, code)
    instance = get_or_404(WeeklyHours.objects.filter(location=location), pk=pk) if pk else None
    return _edit(
        request, location, form_class=WeeklyHoursForm, instance=instance, title=_("Vast tijdvak"),
        intro=_("Een tijdvak dat elke week terugkomt. Inloop: de balie is open. IDO-spreekuur: een medewerker is er speciaal voor digitale vragen."),
        save=lambda form: services.schedule_item_save(user=request.user, location=location, form=form, event=Event.WEEKLY_HOURS_SAVED),
    )


@requires(Cap.COORDINATE)
def session_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    location = _own_location(request, code)
    instance = get_or_404(Session.objects.filter(location=location), pk=pk) if pk else None
    return _edit(
        request, location, form_class=SessionForm, instance=instance, title=_("Losse bijeenkomst"),
        intro=_("Eén keer, bijvoorbeeld een ouderspreekuur op een school. Een losse bijeenkomst gaat ook door op een feestdag."),
        save=lambda form: services.schedule_item_save(user=request.user, location=location, form=form, event=Event.SESSION_SAVED),
    )


@requires(Cap.COORDINATE)
def closure_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    location = _own_location(request, code)
    instance = get_or_404(_closures(location), pk=pk) if pk else None
    return _edit(
        request, location, form_class=ClosureForm, instance=instance, title=_("Sluiting"),
        intro=_("Op deze dagen vervallen alle tijden en bijeenkomsten. Feestdagen hoeft u niet in te voeren; die kent Balie al."),
        save=lambda form: services.closure_save(user=request.user, location=location, form=form),
    )


@requires(Cap.COORDINATE)
def visitor_info_edit(request: HttpRequest, code: str) -> HttpResponse:
    location = _own_location(request, code)
    return _edit(
        request, location, form_class=VisitorInfoForm, instance=location, title=_("Informatie voor bezoekers"),
        intro=_("Dit staat op de openbare pagina van de locatie. Schrijf kort en in eenvoudige taal."),
        save=lambda form: services.visitor_info_save(user=request.user, location=location, form=form),
    )


DELETABLE: dict[str, Callable[[Location], QuerySet[Any]]] = {
    "tijdvakken": lambda loc: WeeklyHours.objects.filter(location=loc),
    "bijeenkomsten": lambda loc: Session.objects.filter(location=loc),
    "sluitingen": _closures,
}


@requires(Cap.COORDINATE)
@require_POST
def schedule_delete(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    location = _own_location(request, code)
    if kind not in DELETABLE:
        return redirect("network:schedule", code=location.code)
    item = get_or_404(DELETABLE[kind](location), pk=pk)
    services.schedule_item_delete(user=request.user, location=location, item=item)
    messages.success(request, _("Verwijderd: %(item)s.") % {"item": item})
    return redirect("network:schedule", code=location.code)
