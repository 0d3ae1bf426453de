#!/usr/bin/env python
"""Public pages benchmark: postcode search over 1,000 locations, and the weight of every public page.

    .venv/bin/python bench/public.py                      # 1,000 locations, 500 searches (SQLite, temporary file)
    .venv/bin/python bench/public.py --locations 3000 --searches 1000

Works in a SQLite database of its own (a temporary file, removed afterwards), so a developer's data is never touched.
Prints ONE JSON line on stdout; progress goes to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"search_p95_ms": 20, "page_bytes": 61440}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return round(statistics.median(samples), 2), round(cuts[94], 2)


def build_network(count: int, seed: int) -> list[str]:
    """`count` locations on random PC4 centroids across the country, each with weekly hours; returns PC4s to search."""
    from balie.network.geo import pc4_table
    from balie.network.models import Closure, Gemeente, HoursKind, Location, Organisation, Session, WeeklyHours
    from balie.network.reference import ensure_reference_data
    from balie.public.geo import distance_km

    ensure_reference_data()
    rng = random.Random(seed)
    pc4s = sorted(pc4_table())
    chosen = rng.sample(pc4s, min(count, len(pc4s)))
    gemeenten = list(Gemeente.objects.exclude(lat=None))
    orgs = Organisation.objects.bulk_create(Organisation(code=f"BENCH-{i:03d}", naam=f"Bibliotheek {i}") for i in range(count // 10 + 1))
    locations = []
    for i, pc4 in enumerate(chosen):
        place, point = pc4_table()[pc4]
        gemeente = min(gemeenten, key=lambda g: distance_km(point.lat, point.lon, g.lat, g.lon))
        locations.append(Location(
            organisation=orgs[i // 10], code=f"BENCH-{i:05d}", naam=f"Bibliotheek {place} {i}", postcode=f"{pc4} AB", plaats=place,
            gemeente=gemeente, lat=point.lat, lon=point.lon,
            wheelchair_accessible=rng.choice([True, False, None]), transit_note="Bus 1, halte Centrum.",
        ))
    Location.objects.bulk_create(locations, batch_size=500)
    locations = list(Location.objects.filter(code__startswith="BENCH-"))
    slots = []
    for loc in locations:
        slots += [WeeklyHours(location=loc, weekday=d, start=dt.time(10), end=dt.time(17), kind=HoursKind.INLOOP) for d in range(5)]
        slots += [WeeklyHours(location=loc, weekday=d, start=dt.time(13), end=dt.time(16), kind=HoursKind.SPREEKUUR) for d in (1, 3)]
    WeeklyHours.objects.bulk_create(slots, batch_size=2000)
    today = dt.date.today()
    Session.objects.bulk_create(
        Session(location=loc, date=today + dt.timedelta(days=rng.randint(1, 13)), start=dt.time(9), end=dt.time(10), title="Spreekuur op school")
        for loc in rng.sample(locations, len(locations) // 10)
    )
    Closure.objects.bulk_create(
        Closure(organisation_id=loc.organisation_id, location=loc, start_date=today + dt.timedelta(days=3),
                end_date=today + dt.timedelta(days=5), reason="Verbouwing")
        for loc in rng.sample(locations, len(locations) // 20)
    )
    return pc4s


def timed_get(client: Any, path: str, params: dict[str, str] | None = None, cpu: list[float] | None = None) -> float:
    """Wall-clock ms of one request; its CPU ms go to `cpu` (that one barely moves when other work shares the cores)."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    response = client.get(path, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if cpu is not None:
        cpu.append((time.thread_time() - started_cpu) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} {params} gaf {response.status_code}")
    return elapsed


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    import logging
    import warnings

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic needed here
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from balie.network.models import Location
    from balie.public.pageweight import page_weight

    log("[bench] migrate (sqlite)")
    call_command("migrate", verbosity=0)
    log(f"[bench] {args.locations} locations across the Netherlands")
    pc4s = build_network(args.locations, args.seed)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    rng = random.Random(args.seed + 1)
    client = Client()
    queries = [rng.choice(pc4s) + rng.choice(["", " AB", "ab"]) for _ in range(args.searches)]
    for q in queries[: args.warmup]:
        timed_get(client, "/", {"q": q})
    log(f"[bench] {args.searches} postcode searches")
    cpu_ms: list[float] = []
    search_ms = [timed_get(client, "/", {"q": q}, cpu_ms) for q in queries]
    p50, p95 = percentiles(search_ms)
    place_ms = [timed_get(client, "/", {"q": name}) for name in rng.choices(["Utrecht", "Zwolle", "Den Haag", "Súdwest-Fryslân", "Gouda"], k=100)]
    miss_ms = [timed_get(client, "/", {"q": name}) for name in rng.choices(["Roterdam", "xyzzy", "Amsterdm", "Nieuwerkerk"], k=100)]

    code = Location.objects.order_by("code").values_list("code", flat=True).first()
    page_paths = ["/", f"/?q={pc4s[0]}", "/?q=Utrecht", "/?q=Roterdam", "/?q=1000", f"/locaties/{code}/", f"/locaties/{code}/poster/",
                  "/locaties/BESTAAT-NIET/", f"/?q={pc4s[0]}&lang=en"]
    pages = {path: page_weight(client, path)[1] for path in page_paths}
    started = time.perf_counter()
    open_data = client.get("/api/v1/public/locaties")
    open_data_ms = round((time.perf_counter() - started) * 1000, 1)

    result = {
        "locations": Location.objects.count(),
        "db": "sqlite",
        "searches": args.searches,
        "search_p50_ms": p50,
        "search_p95_ms": p95,
        "target_search_p95_ms": TARGETS["search_p95_ms"],
        "search_cpu_p50_ms": percentiles(cpu_ms)[0],
        "search_cpu_p95_ms": percentiles(cpu_ms)[1],
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "search_place_p95_ms": percentiles(place_ms)[1],
        "search_miss_p95_ms": percentiles(miss_ms)[1],
        "pages": pages,
        "target_page_bytes": TARGETS["page_bytes"],
        "open_data_ms": open_data_ms,
        "open_data_bytes": len(open_data.content),
        "debug": settings.DEBUG,
    }
    result["met"] = {
        "search_p95_ms": p95 <= TARGETS["search_p95_ms"],
        "page_bytes": all(size <= TARGETS["page_bytes"] for size in pages.values()),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locations", type=int, default=1000, help="locations spread over the PC4 centroids (default 1,000)")
    parser.add_argument("--searches", type=int, default=500, help="timed postcode searches (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed searches first")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="balie-bench-public-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    # Production-like: no DEBUG (no query log), no name model, no background warm-up.
    os.environ["BALIE_DEBUG"] = "False"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + uuid.uuid4().hex * 2)  # production refuses keys under 50 characters
    # Production settings (DEBUG off) over the test client's plain http, in one process (the cache is not measured).
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("BALIE_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("BALIE_CACHE_URL", "locmem://")
    # Production settings refuse to start without an encryption key; a fresh one per run (bench data only).
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "False"
    os.environ["BALIE_PII_WARMUP"] = "False"
    try:
        result = run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # noqa: BLE001 - removing the database below matters more
            log(f"[bench] could not close connections: {exc}")
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
