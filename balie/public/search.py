"""Find an IDO: turn what a visitor typed into a point, then sort locations by distance to it.

A 4-digit postcode (also "3011 AB", "3011ab") uses the PC4 centroid; anything else is looked up as a place
(the PC4 data's place names) and then as a municipality (the Gemeente table), insensitive to case, accents and
punctuation. A near miss gets "bedoelde u ...?" suggestions (difflib) instead of an error.
"""

from __future__ import annotations

import difflib
import heapq
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from balie.network.models import Gemeente

from .geo import Point, distance_km, normalise, pc4_table, place_index

MAX_QUERY = 100
POSTCODE = re.compile(r"^\s*([0-9]{4})\s?([a-z]{2})?(?:[\s,]|$)", re.IGNORECASE)
DIGITS_ONLY = re.compile(r"^[\d\s]+$")


class Problem:
    """Why a search found no starting point; the template words each one for the visitor."""

    EMPTY = "leeg"
    POSTCODE_FORMAT = "postcode_vorm"
    POSTCODE_UNKNOWN = "postcode_onbekend"
    NOT_FOUND = "niet_gevonden"


@dataclass(frozen=True)
class Origin:
    label: str  # what we found, shown back to the visitor: "3011 (Rotterdam)", "Gouda", "gemeente Zuidplas"
    point: Point
    kind: str  # "postcode", "plaats" or "gemeente"
    gemeente_code: str = ""  # CBS code when the visitor named a municipality


@dataclass(frozen=True)
class Outcome:
    query: str
    origin: Origin | None = None
    problem: str = ""
    suggestions: tuple[str, ...] = ()


def _gemeenten() -> dict[str, tuple[str, str, Point]]:
    # Read per search: 352 small rows, and a municipality renamed in the admin is found at once.
    rows = Gemeente.objects.filter(active=True, lat__isnull=False, lon__isnull=False).values_list("naam", "cbs_code", "lat", "lon")
    return {normalise(naam): (naam, code, Point(lat, lon)) for naam, code, lat, lon in rows}


def resolve(query: str) -> Outcome:
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return Outcome(query, problem=Problem.EMPTY)
    match = POSTCODE.match(query)
    if match:
        pc4 = match.group(1)
        entry = pc4_table().get(pc4)
        if entry is None:
            return Outcome(query, problem=Problem.POSTCODE_UNKNOWN)
        place, point = entry
        return Outcome(query, Origin(f"{pc4} ({place})", point, "postcode"))
    if DIGITS_ONLY.match(query):
        return Outcome(query, problem=Problem.POSTCODE_FORMAT)
    key = normalise(query)
    places = place_index()
    if key in places:
        place = places[key]
        return Outcome(query, Origin(place.name, place.point, "plaats"))
    gemeenten = _gemeenten()
    bare = key.removeprefix("gemeente ")
    if bare in gemeenten:
        naam, code, point = gemeenten[bare]
        return Outcome(query, Origin(naam, point, "gemeente", code))
    names = {k: p.name for k, p in places.items()}
    names.update({k: naam for k, (naam, _, _) in gemeenten.items()})
    return Outcome(query, problem=Problem.NOT_FOUND, suggestions=suggest(key, names))


def suggest(key: str, names: dict[str, str], limit: int = 3) -> tuple[str, ...]:
    """Close spellings first ("Roterdam"), then names that start with what was typed ("Nieuwerkerk")."""
    if len(key) < 3:
        return ()
    found: list[str] = []
    for match in difflib.get_close_matches(key, names.keys(), n=limit, cutoff=0.75):
        found.append(names[match])
    for k in sorted(names):
        if len(found) >= limit:
            break
        if k.startswith(key) and names[k] not in found:
            found.append(names[k])
    return tuple(dict.fromkeys(found))[:limit]


def nearest(
    point: Point, coordinates: Iterable[tuple[int, float, float]], limit: int = 10, prefer: frozenset[int] = frozenset()
) -> list[tuple[int, float]]:
    """(location id, km) of the `limit` nearest locations, nearest first.

    `prefer`: ids that go first whatever the distance. Someone who types a municipality wants the IDOs of that
    municipality (it funds them), even when a branch across the border is closer to its centroid.
    """
    # Shortlist with the flat-earth approximation (no trigonometry per location; across the Netherlands it differs
    # from the great circle by metres), then order the shortlist by the real distance.
    scale = math.cos(math.radians(point.lat)) ** 2
    lat0, lon0 = point.lat, point.lon
    shortlist = heapq.nsmallest(
        limit * 2,
        coordinates,
        key=lambda row: (row[0] not in prefer, (row[1] - lat0) ** 2 + (row[2] - lon0) ** 2 * scale),
    )
    exact = [(pk, distance_km(lat0, lon0, lat, lon)) for pk, lat, lon in shortlist]
    return sorted(exact, key=lambda item: (item[0] not in prefer, item[1]))[:limit]
