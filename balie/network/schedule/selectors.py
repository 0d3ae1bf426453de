"""Reads of location schedules: the weekly hours, sessions and closures of a few locations, in three queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q

from ..models import Closure, Location, Session, WeeklyHours
from .hours import ClosurePeriod, OneOffSession, Schedule, WeeklySlot


def schedules_for(locations: Sequence[Location], *, start: dt.date, end: dt.date) -> dict[int, Schedule]:
    """The schedule of each location for [start, end]: three queries whatever the number of locations."""
    ids = [loc.pk for loc in locations]
    org_ids = {loc.organisation_id for loc in locations}
    # values_list, not model instances: this runs on every search and instances cost more than the query.
    weekly: dict[int, list[WeeklySlot]] = defaultdict(list)
    rows = WeeklyHours.objects.filter(location_id__in=ids).order_by("weekday", "start")
    for loc_id, weekday, w_start, w_end, kind, staff in rows.values_list("location_id", "weekday", "start", "end", "kind", "staff"):
        weekly[loc_id].append(WeeklySlot(weekday, w_start, w_end, kind, staff))
    sessions: dict[int, list[OneOffSession]] = defaultdict(list)
    rows = Session.objects.filter(location_id__in=ids, date__gte=start, date__lte=end).order_by("date", "start")
    for loc_id, *fields in rows.values_list("location_id", "date", "start", "end", "kind", "title", "staff"):
        sessions[loc_id].append(OneOffSession(*fields))
    closures = list(
        Closure.objects.filter(Q(location_id__in=ids) | Q(location__isnull=True, organisation_id__in=org_ids))
        .filter(start_date__lte=end, end_date__gte=start)
        .values_list("location_id", "organisation_id", "start_date", "end_date", "reason")
    )
    by_location: dict[int, list[ClosurePeriod]] = defaultdict(list)
    by_organisation: dict[int, list[ClosurePeriod]] = defaultdict(list)
    for c_loc, c_org, c_start, c_end, reason in closures:
        period = ClosurePeriod(c_start, c_end, reason)
        (by_location[c_loc] if c_loc is not None else by_organisation[c_org]).append(period)
    result = {}
    for loc in locations:
        own = tuple(sorted(by_location[loc.pk] + by_organisation[loc.organisation_id], key=lambda c: c.start_date))
        result[loc.pk] = Schedule(tuple(weekly[loc.pk]), tuple(sessions[loc.pk]), own)
    return result
