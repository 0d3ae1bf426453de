"""Reads for the public pages: which locations a visitor may see, and the coordinates of all of them.

The schedules of a few locations come from network.schedule.selectors.schedules_for."""

from __future__ import annotations

from django.db.models import QuerySet

from balie.core.memo import ProcessMemo
from balie.network.geo import pc4_point
from balie.network.models import Location

COORDINATES_TTL = 60.0
_coordinates: ProcessMemo[list[tuple[int, float, float]]] = ProcessMemo(COORDINATES_TTL)


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
    return _coordinates.get(None, _read_coordinates)


def forget_coordinates(**_: object) -> None:
    """Signal receiver: a location changed in this process."""
    _coordinates.forget()


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
