"""The whole week of a location on one page (review 2026-12: "a Monday-Friday walk-in takes 5 forms").

One grid: per weekday up to SLOTS_PER_KIND walk-in slots and as many IDO consultation slots, each with from, until
and staff. "Maandag overnemen" copies Monday to Tuesday-Friday before saving (no JavaScript needed). Saving replaces
the location's weekly hours in one transaction: all cells valid, or nothing changes and every wrong cell says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.core import audit
from balie.core.access import Cap, requires, scope_of
from balie.core.audit import Event
from balie.core.dates import weekday_name

from ..models import HoursKind, Location, WeeklyHours
from .views import _own_location

SLOTS_PER_KIND = 2
KINDS = (HoursKind.INLOOP, HoursKind.SPREEKUUR)
MAX_STAFF = 20


@dataclass
class Cell:
    """One slot in the grid: the raw text (so a wrong entry is shown back as typed) and its error."""

    weekday: int
    kind: str
    index: int
    start: str = ""
    end: str = ""
    staff: str = "1"
    error: str = ""

    @property
    def prefix(self) -> str:
        return f"d{self.weekday}-{self.kind.lower()}-{self.index}"

    @property
    def filled(self) -> bool:
        return bool(self.start.strip() or self.end.strip())


def _empty_grid() -> list[list[Cell]]:
    return [[Cell(day, kind, i) for kind in KINDS for i in range(SLOTS_PER_KIND)] for day in range(7)]


def grid_from_hours(hours: list[WeeklyHours]) -> tuple[list[list[Cell]], int]:
    """The grid for the stored hours; the second value counts slots that did not fit (more than SLOTS_PER_KIND)."""
    grid = _empty_grid()
    left_out = 0
    for slot in sorted(hours, key=lambda h: (h.weekday, h.kind, h.start)):
        free = next((c for c in grid[slot.weekday] if c.kind == slot.kind and not c.filled), None)
        if free is None:
            left_out += 1
            continue
        free.start, free.end, free.staff = f"{slot.start:%H:%M}", f"{slot.end:%H:%M}", str(slot.staff)
    return grid, left_out


def grid_from_post(data: Any) -> list[list[Cell]]:
    grid = _empty_grid()
    for day in grid:
        for cell in day:
            cell.start = str(data.get(f"{cell.prefix}-start", ""))[:8]
            cell.end = str(data.get(f"{cell.prefix}-end", ""))[:8]
            cell.staff = str(data.get(f"{cell.prefix}-staff", "1"))[:4] or "1"
    return grid


def copy_monday(grid: list[list[Cell]]) -> None:
    for day in range(1, 5):
        for source, target in zip(grid[0], grid[day], strict=True):
            target.start, target.end, target.staff, target.error = source.start, source.end, source.staff, ""


def _time(text: str) -> dt.time | None:
    text = text.strip().replace(".", ":")
    if text.isdigit() and len(text) <= 2:
        text += ":00"
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return None


def validate(grid: list[list[Cell]]) -> list[WeeklyHours]:
    """The slots to store; sets cell.error on every cell that is wrong (then the list must not be stored)."""
    slots = []
    for day in grid:
        for cell in day:
            cell.error = ""
            if not cell.filled:
                continue
            start, end = _time(cell.start), _time(cell.end)
            staff = int(cell.staff) if cell.staff.strip().isdigit() else 0
            if start is None or end is None:
                cell.error = _("Vul een begin- en eindtijd in als uu:mm, bijvoorbeeld 09:30.")
            elif end <= start:
                cell.error = _("De eindtijd moet na de begintijd liggen.")
            elif not 1 <= staff <= MAX_STAFF:
                cell.error = _("Bezetting: een aantal van 1 tot %(max)s.") % {"max": MAX_STAFF}
            else:
                slots.append(WeeklyHours(weekday=cell.weekday, kind=cell.kind, start=start, end=end, staff=staff))
        for kind in KINDS:
            same = sorted((s for s in slots if s.weekday == day[0].weekday and s.kind == kind), key=lambda s: s.start)
            for first, second in zip(same, same[1:], strict=False):
                if second.start < first.end:
                    cell = next(c for c in day if c.kind == kind and _time(c.start) == second.start)
                    cell.error = _("Dit tijdvak overlapt met het vorige van dezelfde soort.")
    return slots


@transaction.atomic
def weekly_hours_replace(*, user: Any, location: Location, slots: list[WeeklyHours]) -> None:
    """Replace the location's weekly hours by `slots` (all or nothing)."""
    scope_of(user).require(Cap.COORDINATE)
    if location.organisation_id != user.organisation_id:
        raise PermissionDenied(_("Locatie van een andere organisatie."))
    WeeklyHours.objects.filter(location=location).delete()
    for slot in slots:
        slot.location = location
    WeeklyHours.objects.bulk_create(slots)
    audit.log(Event.WEEKLY_HOURS_SAVED, user=user, obj=location, code=location.code, slots=len(slots), via="weekrooster")


@requires(Cap.COORDINATE)
def week_edit(request: HttpRequest, code: str) -> HttpResponse:
    location = _own_location(request, code)
    left_out = 0
    status = 200
    if request.method == "POST":
        grid = grid_from_post(request.POST)
        if "copy_monday" in request.POST:
            copy_monday(grid)
        else:
            slots = validate(grid)
            if not any(cell.error for day in grid for cell in day):
                weekly_hours_replace(user=request.user, location=location, slots=slots)
                messages.success(request, _("De vaste tijden van %(naam)s zijn opgeslagen (%(n)s tijdvakken).") % {"naam": location.naam, "n": len(slots)})
                return redirect("network:schedule", code=location.code)
            status = 422
    else:
        grid, left_out = grid_from_hours(list(location.weekly_hours.all()))
    errors = [cell for day in grid for cell in day if cell.error]
    rows = [{"name": weekday_name(i), "cells": day} for i, day in enumerate(grid)]
    return render(request, "network/schedule_week.html", {
        "location": location, "rows": rows, "errors": errors, "left_out": left_out, "kinds": KINDS,
        "slots_per_kind": range(SLOTS_PER_KIND), "max_staff": MAX_STAFF,
    }, status=status)
