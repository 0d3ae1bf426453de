"""Figures that cross between Balie installations (federation, docs/federatie.md, ADR 0017).

A node hands the hub only what the hub would show anyway: per period, municipality and national code, the published
count (``privacy.published`` with suppression: "<5" as None, the cell-key noise on the rest). Never a note, never a
row per visit, never a location. The hub stores a delivery per (node, period) and replaces it when it comes again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from balie.core import codelists, privacy
from balie.core.models import CodeListVersion
from balie.network.models import Location
from balie.network.selectors import gemeente_codes

from . import rollup
from .dims import FIELDS, LISTS
from .figures import add_months
from .models import DeliveredFigure, DeliveredPeriod
from .periods import Period, last_complete_month

TOTAL = "T"  # every question once: the number of questions per municipality
DIMENSIONS = (TOTAL, *FIELDS)  # T, K, V, I, O, B, C, U, L, A
MAX_ROWS = 12_000  # fits the API body limit (1 MB); a delegate for 40 municipalities needs about 6,000
MAX_COUNT = 10_000_000
OPEN_DATA_CACHE = "insight:open-data"
CODE_PATTERN = re.compile(r"^[A-Z0-9_\-]{0,40}$")
# Who is expected to deliver: the hub's node register lives in federation (a layer above), which hands it in here.
_registers: list[Callable[[], dict[str, str]]] = []


class DeliveryInvalid(ValueError):
    """A delivery that does not hold what a delivery may hold; ``errors`` names every bad row."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(e["reason"] for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class Stored:
    period: str
    rows: int
    changed: bool


def figures_for(period: Period, gemeenten: set[str] | None = None) -> list[dict]:
    """This installation's figures for one period, as a node sends them: suppressed, sorted, nothing else.

    ``gemeenten``: only these municipalities (the hub's national views for a gemeente); the cells are the same.
    """
    rollup.fold()  # the desks' latest saves wait in the journal
    locations = Location.objects.all() if gemeenten is None else Location.objects.filter(gemeente__cbs_code__in=gemeenten)
    gemeente_of = dict(locations.values_list("pk", "gemeente__cbs_code"))
    adapt = connection.ops.adapt_datefield_value
    counts: dict[tuple[str, str, str], privacy.Count] = defaultdict(privacy.Count)
    if gemeenten is not None and not gemeente_of:
        return []
    where_place = "" if gemeenten is None else f" AND location_id IN ({', '.join(['%s'] * len(gemeente_of))})"
    with connection.cursor() as cur:
        cubes = ", ".join(["%s"] * len(FIELDS))
        cur.execute(
            f"SELECT location_id, cube, b, SUM(n), SUM(k) FROM insight_cell WHERE a = '' AND cube IN ({cubes}) "
            f"AND month >= %s AND month <= %s{where_place} GROUP BY location_id, cube, b",
            [*FIELDS, adapt(period.first), adapt(period.last), *([] if gemeenten is None else sorted(gemeente_of))],
        )
        for location_id, cube, code, n, k in cur.fetchall():
            gemeente = gemeente_of.get(location_id)
            if not gemeente or not n:
                continue
            count = privacy.Count(int(n), int(k))
            counts[(gemeente, cube, code or "")] += count
            if cube == "K":  # a question has exactly one channel: the K cells together are every question once
                counts[(gemeente, TOTAL, "")] += count
    out = []
    for (gemeente, dimension, code), count in sorted(counts.items()):
        out.append({"gemeente": gemeente, "dimensie": dimension, "code": code,
                    "aantal": privacy.published(count, suppressed=True)})
    return out


def periods_to_send(today: dt.date, months_back: int) -> list[Period]:
    """The ended months from ``months_back`` before the last one up to it, with their quarters and years (newest first).

    A quarter or year that is still running counts its ended months only, as the hub shows it ("januari t/m november
    2026, lopend jaar"); the next sync replaces it with one month more.
    """
    last = last_complete_month(today)
    keys: dict[str, None] = {}
    for i in range(months_back, -1, -1):
        month = add_months(last, -i)
        keys[f"{month.year}-{month.month:02d}"] = None
        keys[f"{month.year}-K{(month.month - 1) // 3 + 1}"] = None
        keys[str(month.year)] = None
    order = {"month": 0, "quarter": 1, "year": 2}  # months first, newest first: the hub has the fresh month soonest
    return sorted((Period.parse(key, today) for key in keys), key=lambda p: (order[p.kind], -p.first.toordinal()))


def _validate(rows: object, version: CodeListVersion) -> list[tuple[str, str, str, int | None]]:
    if not isinstance(rows, list):
        raise DeliveryInvalid([{"name": "cijfers", "reason": "Geef de cijfers als lijst."}])
    if len(rows) > MAX_ROWS:
        raise DeliveryInvalid([{"name": "cijfers", "reason": f"Een levering heeft hoogstens {MAX_ROWS} cijfers."}])
    # Both cached (per code-list version, per process): a delivery no longer reloads every municipality and code list.
    known = gemeente_codes()
    # A node's older months may hold codes a later version retired: any code of a published version up to this one.
    allowed = {letter: codelists.codes_through(version, LISTS[letter]) for letter in FIELDS}
    errors: list[dict[str, str]] = []
    clean: list[tuple[str, str, str, int | None]] = []
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(rows):
        name = f"cijfers[{i}]"
        if not isinstance(row, dict) or set(row) != {"gemeente", "dimensie", "code", "aantal"}:
            errors.append({"name": name, "reason": "Elk cijfer heeft precies gemeente, dimensie, code en aantal."})
            continue
        gemeente, dimension, code, n = row["gemeente"], row["dimensie"], row["code"], row["aantal"]
        if not isinstance(gemeente, str) or gemeente not in known:
            errors.append({"name": f"{name}.gemeente", "reason": "Onbekende gemeentecode."})
        elif dimension not in DIMENSIONS:
            errors.append({"name": f"{name}.dimensie", "reason": f"Kies een van {', '.join(DIMENSIONS)}."})
        elif not isinstance(code, str) or not CODE_PATTERN.match(code) or (
            code and (dimension == TOTAL or code not in allowed[dimension])
        ):
            errors.append({"name": f"{name}.code", "reason": f"Geen landelijke code van codelijstversie {version.number}."})
        elif n is not None and (isinstance(n, bool) or not isinstance(n, int) or not privacy.THRESHOLD <= n <= MAX_COUNT):
            # A node publishes only what passed suppression: a count below the threshold must come as null ("<5").
            errors.append({"name": f"{name}.aantal", "reason": f"Geef null (minder dan {privacy.THRESHOLD}) of een aantal vanaf {privacy.THRESHOLD}."})
        elif (gemeente, dimension, code) in seen:
            errors.append({"name": name, "reason": "Dit cijfer staat er twee keer in."})
        else:
            seen.add((gemeente, dimension, code))
            clean.append((gemeente, dimension, code, n))
        if len(errors) >= 50:
            break
    if errors:
        raise DeliveryInvalid(errors)
    return clean


def store(*, source: str, period: Period, version_number: object, rows: object, transaction_id: str) -> Stored:
    """Replace one node's figures for one period, all or nothing. Sending the same figures again changes nothing."""
    version = CodeListVersion.objects.filter(number=version_number, published_at__isnull=False).first() if (
        isinstance(version_number, int) and not isinstance(version_number, bool)) else None
    if version is None:
        raise DeliveryInvalid([{"name": "codelijstversie", "reason": "Geen gepubliceerde codelijstversie van de hub."}])
    clean = _validate(rows, version)
    with transaction.atomic():
        existing = DeliveredPeriod.objects.select_for_update().filter(source=source, period=period.key).first()
        if existing is not None:
            before = sorted(existing.figures.values_list("gemeente", "dimension", "code", "n"))
            if existing.codelist_version == version.number and before == sorted(clean):
                return Stored(period.key, len(clean), changed=False)
            existing.delete()
        delivery = DeliveredPeriod.objects.create(
            source=source, period=period.key, codelist_version=version.number, rows=len(clean),
            transaction_id=transaction_id, received_at=timezone.now(),
        )
        DeliveredFigure.objects.bulk_create(
            DeliveredFigure(delivery=delivery, gemeente=g, dimension=d, code=c, n=n) for g, d, c, n in clean
        )
    cache.delete(OPEN_DATA_CACHE)  # the open-data file adds the nodes' quarters
    return Stored(period.key, len(clean), changed=True)


def withdraw(*, source: str, period: Period | None = None) -> int:
    """Delete a node's deliveries (one period, or all): the node owns its figures and may take them back."""
    deliveries = DeliveredPeriod.objects.filter(source=source)
    if period is not None:
        deliveries = deliveries.filter(period=period.key)
    with transaction.atomic():
        count = deliveries.count()
        DeliveredFigure.objects.filter(delivery__in=deliveries).delete()
        deliveries.delete()
    cache.delete(OPEN_DATA_CACHE)
    return count


def delivered_periods(source: str) -> list[DeliveredPeriod]:
    return list(DeliveredPeriod.objects.filter(source=source).order_by("-period"))


def register_sources(register: Callable[[], dict[str, str]]) -> None:
    """Federation tells insight which nodes exist (code -> name), so national views can name those that did not deliver."""
    if register not in _registers:
        _registers.append(register)


def sources() -> dict[str, str]:
    found: dict[str, str] = {}
    for register in _registers:
        found.update(register())
    return found


def in_use() -> bool:
    """This installation is a hub with nodes (or has deliveries): the national views count the nodes in."""
    return bool(sources()) or DeliveredPeriod.objects.exists()
