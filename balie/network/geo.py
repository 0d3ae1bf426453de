"""Where a location is: the centroid of its 4-digit postcode (shipped CSV, see data/README.md).

The public search sorts by distance with these points; a location without its own lat/lon gets the centroid of its
PC4 (or of its municipality) when it is saved.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PC4_CSV = Path(__file__).resolve().parent / "data" / "nl-pc4-centroids.csv"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@lru_cache(maxsize=1)
def pc4_table() -> dict[str, tuple[str, Point]]:
    """PC4 -> (place, centroid). Read once per process: 4,053 rows, about 0.5 MB in memory."""
    with open(PC4_CSV, encoding="utf-8", newline="") as fh:
        return {row["pc4"]: (row["plaats"], Point(float(row["lat"]), float(row["lon"]))) for row in csv.DictReader(fh)}


def pc4_point(postcode: str) -> Point | None:
    entry = pc4_table().get((postcode or "").strip()[:4])
    return entry[1] if entry else None


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
