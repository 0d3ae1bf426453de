"""Place names and distances for the public search; the postcode centroids themselves belong to network.geo."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# fill_coordinates is re-exported for public/demo.py, which the demo app extraction moves; import it from network.geo.
from balie.network.geo import Point, fill_coordinates, pc4_table  # noqa: F401

EARTH_RADIUS_KM = 6371.0088

# Names people use that differ from the official place name in the CBS data.
ALIASES = {
    "den haag": "s gravenhage",
    "the hague": "s gravenhage",
    "den bosch": "s hertogenbosch",
}


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


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine); metres of error do not matter for "which library is nearest"."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b_lon - a_lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
