"""Reads for the public pages: coordinates of all locations and the schedules of a few, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from balie.network.models import Closure, Location, Session, WeeklyHours

from .geo import pc4_point
from .hours import ClosurePeriod, OneOffSession, Schedule, WeeklySlot

# (monotonic time, rows): the coordinates of all locations, kept briefly per process.
_coordinates: tuple[float, list[tuple[int, float, float]]] | None = None
COORDINATES_TTL = 60.0


def public_locations() -> QuerySet[Location]:
    """Everything a visitor may see: active locations of active organisations."""
    return Location.objects.filter(active=True, organisation__active=True)


def location_coordinates() -> list[tuple[int, float, float]]:
    """(id, lat, lon) of every public location, for sorting by distance.

    Kept in memory for a minute (and dropped at once when this process saves or deletes a location): reading 1,000
    rows costs about 2 ms of the 20 ms a search may take. Another worker process sees a change within the minute;
    the pages themselves are cacheable for a minute too. Callers still filter the ids through public_locations(),
    so a location switched off never shows, even from a stale list.
    """
    global _coordinates
    cached = _coordinates
    if cached is not None and time.monotonic() - cached[0] < COORDINATES_TTL:
        return cached[1]
    rows = _read_coordinates()
    _coordinates = (time.monotonic(), rows)
    return rows


def forget_coordinates(**_: object) -> None:
    """Signal receiver: a location changed in this process."""
    global _coordinates
    _coordinates = None


def _read_coordinates() -> list[tuple[int, float, float]]:
    # Locations without coordinates (the demo network, a location just added) fall back to their PC4 centroid, then
    # to their municipality's, so a search never misses them and never writes during a GET.
    rows = Location.objects.filter(active=True, organisation__active=True).values_list(
        "id", "lat", "lon", "postcode", "gemeente__lat", "gemeente__lon"
    )
    result: list[tuple[int, float, float]] = []
    for pk, lat, lon, postcode, g_lat, g_lon in rows:
        if lat is None or lon is None:
            point = pc4_point(postcode)
            if point is not None:
                lat, lon = point.lat, point.lon
            else:
                lat, lon = g_lat, g_lon
        if lat is not None and lon is not None:
            result.append((pk, lat, lon))
    return result


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
