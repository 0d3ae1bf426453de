#!/usr/bin/env python
"""Desk benchmark: load the demo data, then time saving a registration and rendering the desk page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/desk.py --registrations 1000000
    .venv/bin/python bench/desk.py --registrations 20000          # SQLite, in a temporary file

Works in a database of its own (PostgreSQL: ``balie_bench``, created and dropped on the server of
DATABASE_URL; SQLite: a temporary file), so a developer's data is never touched. Prints ONE JSON
line on stdout; progress and ``--explain`` details go to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# BALIE_BENCH_DB: another name, so two people can bench on one PostgreSQL server without dropping each other's database.
BENCH_DB = os.environ.get("BALIE_BENCH_DB", "balie_bench")
TARGETS = {"save_p95_ms": 30, "desk_p95_ms": 30, "desk_page_bytes": 153600, "interactions": 3, "load_demo_s_per_million": 120}
NOTE = "DigiD app activeren lukte niet, activatiecode per brief aangevraagd"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the bench database ---------------------------------------------------------------------
def _pg_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    # Never connect to the database we are about to drop.
    admin_db = "postgres" if parts.path.strip("/") in ("", BENCH_DB) else parts.path.strip("/")
    conninfo = _pg_url(url, admin_db).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql)


def create_database(url: str) -> tuple[str, str]:
    """Returns (db kind, DATABASE_URL of the bench database)."""
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        _pg_admin(url, f'CREATE DATABASE "{BENCH_DB}"')
        return "postgresql", _pg_url(url, BENCH_DB)
    if url and not url.startswith("sqlite"):
        raise SystemExit(f"bench/desk.py kent alleen PostgreSQL en SQLite, niet {url.split(':')[0]}")
    directory = tempfile.mkdtemp(prefix="balie-bench-")
    return "sqlite", f"sqlite:///{directory}/bench.sqlite3"


def drop_database(original_url: str, db: str, bench_url: str) -> None:
    if db == "postgresql":
        _pg_admin(original_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    else:
        shutil.rmtree(Path(urlsplit(bench_url).path).parent, ignore_errors=True)


# --- measuring ------------------------------------------------------------------------------
def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return round(statistics.median(samples), 2), round(cuts[94], 2)


class _Assets(HTMLParser):
    """Collects what the page makes the browser fetch, and the controls of the common case."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.chips: list[dict[str, str]] = []
        self.outcomes: list[str] = []
        self.save_buttons = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "button" and a.get("name") == "chip" and a.get("type", "submit") == "submit" and ":" in a.get("value", ""):
            self.chips.append(a)
        elif tag == "input" and a.get("type") == "radio" and a.get("name") == "q-0-uitkomst":
            self.outcomes.append(a.get("value", ""))
        elif tag == "button" and a.get("name") == "save" and a.get("type", "submit") == "submit":
            self.save_buttons += 1


def _asset_bytes(client: Any, url: str) -> int:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get(url)
    if response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if body:
            return len(body)
    # Not served by the test client: read the file the way the static files app finds it.
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL):])
        if found:
            return Path(found).stat().st_size
    raise RuntimeError(f"asset {url} niet gevonden")


def _input_value(html: str, name: str) -> str | None:
    class Finder(HTMLParser):
        value: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "input" and a.get("name") == name:
                self.value = a.get("value") or ""

    finder = Finder()
    finder.feed(html)
    return finder.value


def common_case_interactions(client: Any) -> int | None:
    """Chip, outcome, save: check the controls exist, then do it for real (the no-JavaScript path)."""
    from balie.desk.models import Question

    page = client.get("/balie/").content.decode()
    controls = _Assets()
    controls.feed(page)
    if not (controls.chips and controls.outcomes and controls.save_buttons):
        return None
    chip = controls.chips[0]
    key = uuid.uuid4().hex
    # 1. the chip (a submit button; with JavaScript it fills the fields without a round trip)
    filled = client.post("/balie/", {"submission_key": key, "question_count": "1", "chip": chip["value"]})
    html = filled.content.decode()
    instantie, onderwerp = chip["value"].split(":", 1)
    # The fields show the label (people read labels, never codes); the form reads either back as the code.
    from balie.core import codelists
    from balie.core.models import CodeList

    shown_i, shown_o = _input_value(html, "q-0-instantie"), _input_value(html, "q-0-onderwerp")
    if filled.status_code != 200 or shown_i not in {instantie, codelists.current_labels(CodeList.INSTANTIE).get(instantie)} \
            or shown_o not in {onderwerp, codelists.current_labels(CodeList.ONDERWERP).get(onderwerp)}:
        return None
    # 2. the outcome (a radio button, no round trip) and 3. save, with what the fields hold
    before = Question.objects.count()
    saved = client.post("/balie/", {"submission_key": key, "question_count": "1", "q-0-instantie": shown_i,
                                    "q-0-onderwerp": shown_o, "q-0-uitkomst": controls.outcomes[0], "save": "1"})
    if saved.status_code != 302 or Question.objects.count() != before + 1:
        return None
    latest = Question.objects.order_by("-id").first()
    return 3 if (latest.instantie, latest.onderwerp) == (instantie, onderwerp) else None


def explain_desk_page(client: Any, db: str) -> None:
    """stderr: every query of one desk page view, slowest first, with the plan of the slowest three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/balie/")
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    log(f"desk page: {len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.1f} ms in the database")
    for q in queries:
        log(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:300]}")
    if db == "postgresql":
        with connection.cursor() as cur:
            for q in queries[:3]:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                log("\n" + "\n".join(r[0] for r in cur.fetchall()))


def settle(db: str) -> None:
    """Measure a steady state, not the aftermath of a bulk load: vacuum (visibility map, so
    autovacuum does not start mid-measurement) and flush dirty pages now (not during the timings)."""
    from django.db import DatabaseError, connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        if db == "postgresql":
            # Every table: the rollups are freshly built too, and autovacuum must not take a core mid-measurement.
            cur.execute("VACUUM ANALYZE")
            try:
                cur.execute("CHECKPOINT")
            except DatabaseError as exc:  # needs superuser or pg_checkpoint
                log(f"[bench] no CHECKPOINT: {exc}")
        else:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("ANALYZE")
    log(f"[bench] settled (vacuum, checkpoint) in {time.perf_counter() - started:.1f} s, not counted in load_demo_s")


def run(args: argparse.Namespace, db: str) -> dict[str, Any]:
    import django

    django.setup()
    import logging
    import warnings

    # The audit events still go to their table; only the console copy would flood stderr.
    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic needed here
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    log(f"[bench] migrate ({db})")
    call_command("migrate", verbosity=0)
    log(f"[bench] load_demo --registrations {args.registrations}")
    started = time.perf_counter()
    output = io.StringIO()
    call_command("load_demo", registrations=args.registrations, years=args.years, seed=args.seed, quiet=True, stdout=output)
    load_s = time.perf_counter() - started
    for line in output.getvalue().splitlines():
        log(f"[bench]   load_demo: {line}")
    log(f"[bench] loaded in {load_s:.1f} s")
    settle(db)
    # A web worker never holds the debris of generating a million rows; don't time requests with it either.
    import gc

    gc.collect()
    gc.freeze()

    client = Client()
    client.force_login(get_user_model().objects.get(username="medewerker"))

    def save(note: str = "") -> float:
        data = {"submission_key": uuid.uuid4().hex, "question_count": "1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN",
                "q-0-digid_detail": "APP", "q-0-uitkomst": "OPGELOST", "q-0-duur_minuten": "10", "q-0-notitie": note,
                "datum": "", "tijd": "", "kanaal": "", "save": "1"}
        t = time.perf_counter()
        response = client.post("/balie/", data)
        elapsed = (time.perf_counter() - t) * 1000
        if response.status_code != 302:
            raise RuntimeError(f"opslaan gaf {response.status_code}: {response.content[:500]!r}")
        return elapsed

    def desk() -> float:
        t = time.perf_counter()
        response = client.get("/balie/")
        elapsed = (time.perf_counter() - t) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET /balie/ gaf {response.status_code}")
        return elapsed

    log(f"[bench] {args.iterations} saves, {args.iterations} desk pages")
    for _ in range(args.warmup):
        save()
        desk()
    save_ms = [save() for _ in range(args.iterations)]
    desk_ms = [desk() for _ in range(args.iterations)]
    save_p50, save_p95 = percentiles(save_ms)
    desk_p50, desk_p95 = percentiles(desk_ms)

    page = client.get("/balie/").content
    assets = _Assets()
    assets.feed(page.decode())
    page_bytes = len(page) + sum(_asset_bytes(client, url) for url in dict.fromkeys(assets.assets))

    interactions = common_case_interactions(client)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/balie/")
    desk_queries = len(ctx.captured_queries)
    if args.explain:
        explain_desk_page(client, db)

    note_ms = None
    if not args.no_names:
        try:
            import deduce  # noqa: F401
        except ImportError:
            log("[bench] deduce not installed: no timing with name detection")
        else:
            from balie.core import pii

            log("[bench] loading deduce for a save with a note and name detection")
            pii.warm_up(background=False)
            if pii.names_ready():
                with override_settings(BALIE_PII_NAMES=True):
                    note_ms = round(statistics.median([save(NOTE) for _ in range(20)]), 2)

    per_million = load_s * 1_000_000 / args.registrations if args.registrations else None
    result = {
        "registrations": args.registrations,
        "db": db,
        "load_demo_s": round(load_s, 2),
        "load_demo_rows_per_s": round(args.registrations / load_s) if load_s else None,
        "load_demo_s_per_million": round(per_million, 1) if per_million is not None else None,
        "save_p50_ms": save_p50,
        "save_p95_ms": save_p95,
        "save_note_names_p50_ms": note_ms,
        "desk_p50_ms": desk_p50,
        "desk_p95_ms": desk_p95,
        "desk_queries": desk_queries,
        "desk_page_bytes": page_bytes,
        "common_case_interactions": interactions,
        "debug": settings.DEBUG,
        "targets": TARGETS,
    }
    result["met"] = {
        "save_p95_ms": save_p95 <= TARGETS["save_p95_ms"],
        "desk_p95_ms": desk_p95 <= TARGETS["desk_p95_ms"],
        "desk_page_bytes": page_bytes <= TARGETS["desk_page_bytes"],
        "interactions": interactions is not None and interactions <= TARGETS["interactions"],
        "load_demo_s_per_million": per_million is not None and per_million <= TARGETS["load_demo_s_per_million"],
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=1_000_000, help="demo questions to load (default 1,000,000)")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per measurement")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first")
    parser.add_argument("--explain", action="store_true", help="print the desk page's queries and plans to stderr")
    parser.add_argument("--no-names", action="store_true", help="skip the save timed with deduce name detection")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards (to investigate)")
    args = parser.parse_args()

    original_url = os.environ.get("DATABASE_URL", "")
    db, bench_url = create_database(original_url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    # Production-like: no DEBUG (no query log), no name model unless asked for, no background warm-up.
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
        result = run(args, db)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # noqa: BLE001 - dropping the database below matters more
            log(f"[bench] could not close connections: {exc}")
        if args.keep:
            log(f"[bench] kept the bench database: {bench_url}")
        else:
            drop_database(original_url, db, bench_url)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
