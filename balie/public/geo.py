"""Postcode and place centroids (shipped CSV, see data/README.md) and the distance between two points."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PC4_CSV = Path(__file__).resolve().parent / "data" / "nl-pc4-centroids.csv"
EARTH_RADIUS_KM = 6371.0088

# Names people use that differ from the official place name in the CBS data.
ALIASES = {
    "den haag": "s gravenhage",
    "the hague": "s gravenhage",
    "den bosch": "s hertogenbosch",
}


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    name: str  # as written in the CBS data, e.g. "'s-Gravenhage"
    point: Point


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "'s-Gravenhage" and "s gravenhage" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z0-9]+", " ", ascii_only).split()
    key = " ".join(words)
    return ALIASES.get(key, key)


@lru_cache(maxsize=1)
def pc4_table() -> dict[str, tuple[str, Point]]:
    """PC4 -> (place, centroid). Read once per process: 4,053 rows, about 0.5 MB in memory."""
    with open(PC4_CSV, encoding="utf-8", newline="") as fh:
        return {row["pc4"]: (row["plaats"], Point(float(row["lat"]), float(row["lon"]))) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def place_index() -> dict[str, Place]:
    """Normalised place name -> the place, its point the mean of its PC4 centroids.

    "Bergen (NH)" is also found as "bergen" unless another place claims that plain name first.
    """
    sums: dict[str, list[Any]] = {}
    for place, point in pc4_table().values():
        entry = sums.setdefault(place, [0.0, 0.0, 0])
        entry[0] += point.lat
        entry[1] += point.lon
        entry[2] += 1
    index: dict[str, Place] = {}
    for name, (lat, lon, n) in sorted(sums.items()):
        place = Place(name, Point(lat / n, lon / n))
        index[normalise(name)] = place
    for name, (lat, lon, n) in sorted(sums.items()):
        plain = normalise(re.sub(r"\(.*?\)", "", name))
        index.setdefault(plain, Place(name, Point(lat / n, lon / n)))
    return index


def pc4_point(postcode: str) -> Point | None:
    entry = pc4_table().get((postcode or "").strip()[:4])
    return entry[1] if entry else None


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine); metres of error do not matter for "which library is nearest"."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b_lon - a_lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def fill_coordinates(location: Any, *, save: bool = True) -> bool:
    """Give a location without lat/lon the centroid of its PC4 (or of its municipality).

    Call after creating a location (demo network, coordinator form). Returns True when it filled them.
    """
    if location.lat is not None and location.lon is not None:
        return False
    point = pc4_point(location.postcode)
    if point is None and location.gemeente_id and location.gemeente.lat is not None:
        point = Point(location.gemeente.lat, location.gemeente.lon)
    if point is None:
        return False
    location.lat, location.lon = point.lat, point.lon
    if save:
        location.save(update_fields=["lat", "lon"])
    return True
