#!/usr/bin/env python
"""Insight benchmark: dashboards and the accountability report on N registrations, rollups against the raw table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/insight.py --registrations 1000000
    .venv/bin/python bench/insight.py --registrations 20000 --iterations 10      # SQLite, quick

Loads N demo registrations over ten years (build_network + desk.demo.generate, as load_demo does) and
builds the rollups (timed separately), then times every dashboard view through Django's test client,
the report's data load and the PDF render, and computes the same figures from the raw
desk_question table to report the speed-up (`ratio_vs_raw`) and whether both agree (`identical`).
Works in a database of its own (PostgreSQL: ``balie_bench_insight_<N>``). ``--keep`` keeps it and
``--reuse`` times an already loaded one again (loading 20M takes ~15 minutes). Prints ONE JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import desk  # noqa: E402
from desk import _pg_admin, _pg_url, log, percentiles  # noqa: E402

TARGETS = {"p95_ms": 300, "ratio_vs_raw": 50, "pdf_s": 5}


def views() -> list[tuple[str, str, str]]:
    """(name, username, url): every dashboard a role opens, plain and with each kind of filter."""
    return [
        ("coordinator", "coordinator", "/inzicht/"),
        ("coordinator_locatie", "coordinator", "/inzicht/?locatie=RDAM-CENTRAAL"),
        ("coordinator_instantie", "coordinator", "/inzicht/?instantie=DIGID"),
        ("coordinator_kwartaal", "coordinator", "/inzicht/?periode={quarter}"),
        ("gemeente", "gemeente", "/inzicht/"),
        ("gemeente_behoefte", "gemeente", "/inzicht/?behoefteprofiel=FYSIEKE_HULP"),
        ("gemeente_uitkomst", "gemeente", "/inzicht/?uitkomst=DOORVERWEZEN&periode={year}"),
        ("landelijk", "landelijk", "/inzicht/"),
        ("landelijk_bestuurslaag", "landelijk", "/inzicht/?bestuurslaag=RIJK"),
        ("landelijk_gemeente", "landelijk", "/inzicht/?gemeente=GM0599&leeftijdsgroep=75_PLUS"),
        ("landelijk_kanaal", "landelijk", "/inzicht/?kanaal=LOCATIE&periode={year}"),
        ("open_data", "", "/inzicht/open-data.csv"),
    ]


def run(args: argparse.Namespace, db: str, reuse: bool) -> dict[str, Any]:
    import django

    django.setup()
    import gc
    import logging
    import warnings

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from balie.demo.network import build_network
    from balie.desk.models import Question
    from balie.insight import rollup

    load_s = rebuild_s = None
    if not reuse:
        log(f"[bench] migrate ({db})")
        call_command("migrate", verbosity=0)
        build_network()
        from balie.demo.registrations import generate

        log(f"[bench] generate {args.registrations} registrations over {args.years} years")
        started = time.perf_counter()
        generate(registrations=args.registrations, years=args.years, seed=args.seed)
        load_s = time.perf_counter() - started
        log(f"[bench] loaded in {load_s:.1f} s; rebuilding the rollups")
        started = time.perf_counter()
        built = rollup.rebuild(log=lambda m: log(f"[bench]   {m}"))
        rebuild_s = time.perf_counter() - started
        log(f"[bench] rollups: {built['cells']} cells in {rebuild_s:.1f} s")
        desk.settle(db)
        if db == "postgresql":
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE insight_cell, insight_hourcell")
    if args.load_only:
        return {"registrations": args.registrations, "db": db, "load_s": load_s, "rollup_build_s": rebuild_s}
    from balie.insight import figures, report
    from balie.insight import views as insight_views

    registrations = Question.objects.count()
    gc.collect()
    gc.freeze()

    today = dt.date.today()
    from balie.insight.periods import last_complete_month

    ended = last_complete_month(today)  # a period must have a month that has ended (insight/periods.py)
    quarter = f"{ended.year}-K{(ended.month - 1) // 3 + 1}"
    year = str(today.year - 1)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["coordinator", "gemeente", "landelijk"])}
    clients: dict[str, Client] = {"": Client()}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)

    per_view: dict[str, float] = {}
    per_view_p50: dict[str, float] = {}
    all_ms: list[float] = []
    for name, username, url in views():
        url = url.format(quarter=quarter, year=year)
        client = clients[username]
        for _ in range(args.warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} als {username or 'anoniem'} gaf {response.status_code}")
        samples = []
        for _ in range(args.iterations):
            t = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            samples.append((time.perf_counter() - t) * 1000)
        per_view_p50[name], per_view[name] = percentiles(samples)
        all_ms += samples
        log(f"[bench] {name}: p95 {per_view[name]} ms")

    # Desks keep saving: N saves through the real service land in the journal (ADR 0012); the next dashboard view
    # folds them first. Timed: that first view, and the fold rate. The raw check below then covers these saves too.
    from balie.desk import services as desk_services
    from balie.desk.models import JournalEntry
    from balie.network.models import Location

    staff = get_user_model().objects.get(username="medewerker")
    desk_location = Location.objects.get(code="RDAM-CENTRAAL")
    rollup.fold()
    for i in range(args.saves):
        desk_services.visit_register(user=staff, location=desk_location, questions=[
            {"instantie": ("DIGID", "UWV", "BELASTINGDIENST")[i % 3], "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST",
             "duur_minuten": "10", "behoefteprofielen": ["WEGWIJS"]}])
    pending_rows = JournalEntry.objects.count()
    name, username, url = views()[0]
    t = time.perf_counter()
    response = clients[username].get(url.format(quarter=quarter, year=year))
    first_view_ms = (time.perf_counter() - t) * 1000
    if response.status_code != 200 or JournalEntry.objects.exists():
        raise RuntimeError("het dashboard verwerkte de wachtende registraties niet")
    log(f"[bench] first {name} view after {args.saves} saves ({pending_rows} journal rows): {first_view_ms:.0f} ms")
    for i in range(args.saves):
        desk_services.visit_register(user=staff, location=desk_location, questions=[
            {"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "DEELS", "duur_minuten": str(5 + i % 40)}])
    t = time.perf_counter()
    folded = rollup.fold()
    fold_rows_per_s = folded / (time.perf_counter() - t)

    # The same figures from the rollups and from the raw table: speed and agreement, per dashboard query.
    from balie.network.models import Gemeente

    gemeente = Gemeente.objects.get(cbs_code="GM0599")
    identical = True
    rolled_ms, raw_ms = [], []
    checks = []
    # Counting the raw table is the slow side (seconds to minutes per view at 20M); above 5M a representative subset.
    sample = set(args.raw_views.split(",")) if args.raw_views else (
        {"coordinator_kwartaal", "landelijk"} if registrations > 5_000_000 else None)
    for name, username, url in views():
        if not username or (sample is not None and name not in sample):
            continue
        log(f"[bench] raw check: {name}")
        request_query = insight_views.query_for(users[username], url.format(quarter=quarter, year=year))
        if len(request_query.filters) > 1:
            continue
        for _ in range(max(1, args.iterations // 10)):
            t = time.perf_counter()
            rolled = figures.from_rollups(request_query)
            rolled_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        raw = figures.from_raw(request_query)
        raw_ms.append((time.perf_counter() - t) * 1000)
        same = rolled.comparable() == raw.comparable()
        identical &= same
        checks.append({"view": name, "identical": same, "raw_ms": round(raw_ms[-1], 1)})
    ratio = statistics.median(raw_ms) / statistics.median(rolled_ms)

    period = report.Period.parse(str(today.year - 1))
    report_ms = []
    for _ in range(args.iterations):
        t = time.perf_counter()
        report.collect(gemeente, period, locations=None)
        report_ms.append((time.perf_counter() - t) * 1000)
    pdf_s = []
    for _ in range(3):
        t = time.perf_counter()
        response = clients["gemeente"].get(f"/inzicht/verantwoording/GM0599/{period.key}.pdf")
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise RuntimeError(f"PDF gaf {response.status_code}")
        pdf_s.append(time.perf_counter() - t)
    per_view_p50["report_data"], per_view["report_data"] = percentiles(report_ms)
    all_ms += report_ms
    p95 = percentiles(all_ms)[1]
    result = {
        "registrations": registrations,
        "db": db,
        "load_s": round(load_s, 1) if load_s else None,
        "rollup_build_s": round(rebuild_s, 1) if rebuild_s else None,
        "p95_ms": p95,
        "max_view_p95_ms": max(per_view.values()),
        "views_p95_ms": per_view,
        "views_p50_ms": per_view_p50,
        "rollup_query_p50_ms": round(statistics.median(rolled_ms), 2),
        "raw_query_p50_ms": round(statistics.median(raw_ms), 1),
        "ratio_vs_raw": round(ratio, 1),
        "identical": identical,
        "checks": checks,
        "pdf_s": round(max(pdf_s), 2),
        "saves_before_first_view": args.saves,
        "first_view_after_saves_ms": round(first_view_ms, 1),
        "fold_rows_per_s": round(fold_rows_per_s),
        "targets": TARGETS,
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }
    result["met"] = {
        "p95_ms": max(per_view.values()) <= TARGETS["p95_ms"],
        "ratio_vs_raw": ratio >= TARGETS["ratio_vs_raw"],
        "identical": identical,
        "pdf_s": max(pdf_s) <= TARGETS["pdf_s"],
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10, help="spread over this many years (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=50, help="timed requests per view")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--saves", type=int, default=1000, help="desk saves journaled before the first dashboard view (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time an existing bench database (loaded earlier with --keep)")
    parser.add_argument("--raw-views", default="", help="comma-separated views to check against the raw table (default: all; above 5M two)")
    parser.add_argument("--load-only", action="store_true", help="only load and build the rollups (use with --keep)")
    args = parser.parse_args()

    original_url = os.environ.get("DATABASE_URL", "")
    name = f"balie_bench_insight_{args.registrations}"
    desk.BENCH_DB = name
    if original_url.startswith(("postgres://", "postgresql://")):
        db, bench_url = "postgresql", _pg_url(original_url, name)
        if not args.reuse:
            _pg_admin(original_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            _pg_admin(original_url, f"CREATE DATABASE {name}")
    else:
        if args.reuse:
            raise SystemExit("--reuse werkt alleen met PostgreSQL")
        db, bench_url = desk.create_database(original_url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
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
    os.environ["BALIE_REQUIRE_2FA"] = "False"  # the timed clients sign in without a second factor (force_login)
    try:
        result = run(args, db, args.reuse)
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            desk.drop_database(original_url, db, bench_url)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
