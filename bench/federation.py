#!/usr/bin/env python
"""Federation benchmark: a hub receives the deliveries of N simulated nodes for M months (issue 15).

    .venv/bin/python bench/federation.py                      # 750 nodes, 12 months, SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/federation.py --nodes 750

Each node delivers, through the real HTTP stack (Django's test client, the node's Bearer key, Fsc-Transaction-Id),
every month, quarter and year of the period: per municipality the total and the counts per code of five national
code lists, with "<5" cells as null, as `federatie_sync` sends them. Then every node sends everything again (a
nightly resend: nothing changes). Then every node reports one national signal summary (PUT signalen/{id}; the hub
merges them per instantie). Reported: ingest time and per-request p50/p95 for both rounds and the signals, and
afterwards the p95 of the national reads: the merged cube (insight.national.merged) per period, the landelijk
dashboard with every node counted in (a month, a quarter, the year), the open-data file without its cache, and the
landelijk nodes page. Prints ONE JSON line.
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
BENCH_DB = "balie_bench_federation"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def p50_p95(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return round(statistics.median(samples), 2), round(cuts[94], 2)


def figures(rng: random.Random, gemeenten: list[str], codes: dict[str, list[str]], scale: int) -> list[dict[str, Any]]:
    out = []
    for gemeente in gemeenten:
        total = rng.randint(scale // 2, scale * 2)
        out.append({"gemeente": gemeente, "dimensie": "T", "code": "", "aantal": total if total >= 5 else None})
        for letter, values in codes.items():
            for code in rng.sample(values, k=min(len(values), rng.randint(3, 12))):
                n = rng.randint(0, max(1, total // 4))
                if n:
                    out.append({"gemeente": gemeente, "dimensie": letter, "code": code, "aantal": n if n >= 5 else None})
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from balie.core import codelists
    from balie.federation import services
    from balie.federation.client import uuid7
    from balie.insight import delivered, national
    from balie.insight.dims import LISTS
    from balie.network.models import Gemeente

    log("[federation] migrate ...")
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    version = codelists.current_version()
    codes = {letter: [c for c in codelists.codes(version, LISTS[letter]) if c] for letter in ("I", "O", "U", "K", "V")}
    all_gemeenten = list(Gemeente.objects.filter(active=True).values_list("cbs_code", flat=True))
    log(f"[federation] {args.nodes} nodes ...")
    nodes = []
    for i in range(args.nodes):
        _node, token = services.node_add(code=f"KNOOPPUNT-{i:04d}", naam=f"Bibliotheek {i}")
        # Most nodes serve one municipality; a few are delegates for several small ones.
        served = rng.sample(all_gemeenten, k=1 if rng.random() < 0.9 else rng.randint(2, 8))
        nodes.append((token, served, rng.randint(20, 600)))
    today = dt.date.today()
    periods = delivered.periods_to_send(today, args.months - 1)
    payloads = [[(p.key, figures(random.Random(f"{args.seed}-{i}-{p.key}"), served, codes, scale)) for p in periods]
                for i, (_t, served, scale) in enumerate(nodes)]
    rows = sum(len(f) for node in payloads for _k, f in node)

    def deliver(round_name: str) -> dict[str, Any]:
        timings: list[float] = []
        changed = 0
        start = time.perf_counter()
        for (token, _served, _scale), node_payloads in zip(nodes, payloads, strict=True):
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            for key, body in node_payloads:
                t0 = time.perf_counter()
                response = client.put(f"/api/federatie/v1/leveringen/{key}",
                                      json.dumps({"codelijstversie": version.number, "cijfers": body}),
                                      content_type="application/json", HTTP_FSC_TRANSACTION_ID=uuid7())
                timings.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"levering geweigerd ({response.status_code}): {response.content[:300]!r}")
                changed += response.json()["gewijzigd"]
        seconds = time.perf_counter() - start
        p50, p95 = p50_p95(timings)
        log(f"[federation] {round_name}: {len(timings)} deliveries in {seconds:.1f} s")
        return {"deliveries": len(timings), "seconds": round(seconds, 1), "p50_ms": p50, "p95_ms": p95, "changed": changed}

    first = deliver("first")
    again = deliver("again")

    from balie.core import pii

    pii.scrub_for_storage("opwarmen")  # the name lists load once per process; not part of a delivery
    signal_timings: list[float] = []
    instanties = codes["I"][:12]
    start = time.perf_counter()
    for i, (token, _served, scale) in enumerate(nodes):
        week = today - dt.timedelta(days=today.weekday() + 7 * (1 + i % 4))
        body = {"instantie": instanties[i % len(instanties)], "eerste_week": (week - dt.timedelta(weeks=1)).isoformat(),
                "laatste_week": week.isoformat(), "aantal": max(5, scale // 10), "verwacht": max(0, scale // 40),
                "omschrijving": "Inloggen lukt niet sinds de nieuwe versie van de app", "open": True}
        t0 = time.perf_counter()
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").put(
            f"/api/federatie/v1/signalen/{uuid.UUID(int=i + 1)}", json.dumps(body), content_type="application/json",
            HTTP_FSC_TRANSACTION_ID=uuid7())
        signal_timings.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"signaal geweigerd ({response.status_code}): {response.content[:300]!r}")
    signals_seconds = time.perf_counter() - start
    from balie.signals.models import Signal

    merged_signals = Signal.objects.filter(scope_kind="landelijk").count()

    reads: list[float] = []
    for _ in range(args.iterations):
        for period in periods:
            t0 = time.perf_counter()
            cube = national.merged(period)
            reads.append((time.perf_counter() - t0) * 1000)
    assert len(cube.delivered) == args.nodes and cube.nodes
    from balie.accounts.models import User

    landelijk = User.objects.create_user("bench-landelijk", password=uuid.uuid4().hex, role="landelijk")
    client = Client()
    client.force_login(landelijk)
    page: list[float] = []
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        assert client.get("/federatie/knooppunten/").status_code == 200
        page.append((time.perf_counter() - t0) * 1000)
    shown = [p for p in periods if p.kind == "month"][:1] + [p for p in periods if p.kind == "quarter"][:1] + [
        p for p in periods if p.kind == "year"][:1]
    board: list[float] = []
    for _ in range(args.iterations):
        for period in shown:
            t0 = time.perf_counter()
            response = client.get(f"/inzicht/?periode={period.key}")
            board.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200 and b"met de knooppunten" in response.content
    from django.core.cache import cache

    open_data: list[float] = []
    for _ in range(max(3, args.iterations // 3)):
        cache.delete("insight:open-data")
        t0 = time.perf_counter()
        assert client.get("/inzicht/open-data.csv").status_code == 200
        open_data.append((time.perf_counter() - t0) * 1000)
    read_p50, read_p95 = p50_p95(reads)
    page_p50, page_p95 = p50_p95(page)
    board_p50, board_p95 = p50_p95(board)
    signal_p50, signal_p95 = p50_p95(signal_timings)
    return {
        "bench": "federation", "nodes": args.nodes, "months": args.months, "periods_per_node": len(periods),
        "figures_per_round": rows, "first_round": first, "resend_round": again,
        "signals": {"summaries": len(signal_timings), "seconds": round(signals_seconds, 1), "p50_ms": signal_p50, "p95_ms": signal_p95,
                    "national_signals": merged_signals},
        "national_cube_p50_ms": read_p50, "national_cube_p95_ms": read_p95,
        "national_dashboard_periods": [p.key for p in shown], "national_dashboard_p50_ms": board_p50, "national_dashboard_p95_ms": board_p95,
        "open_data_uncached_ms": round(max(open_data), 1),
        "nodes_page_p50_ms": page_p50, "nodes_page_p95_ms": page_p95,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=750)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    original = os.environ.get("DATABASE_URL", "")
    directory = None
    if original.startswith(("postgres://", "postgresql://")):
        sys.path.insert(0, str(ROOT / "bench"))
        from desk import _pg_admin, _pg_url

        _pg_admin(original, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        _pg_admin(original, f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = _pg_url(original, BENCH_DB)
        kind = "postgresql"
    else:
        directory = tempfile.mkdtemp(prefix="balie-bench-federation-")
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        kind = "sqlite"
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings_test"  # production settings, test keys, plain http
    os.environ["BALIE_REQUIRE_2FA"] = "0"  # the bench user signs in without an authenticator app
    try:
        result = run(args)
    finally:
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
        elif kind == "postgresql":
            from django.db import connections

            connections.close_all()
            _pg_admin(original, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    result["database"] = kind
    result["machine"] = {"cpus": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
