#!/usr/bin/env python
"""Registrations overview benchmark (issue 14 item 2): a coordinator's filtered, paginated list on large data.

    .venv/bin/python bench/registrations.py --registrations 20000        # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/registrations.py --registrations 1000000

Same database handling as bench/desk.py (a database of its own, dropped afterwards). Times GET /balie/registraties/
for the coordinator: the default 30 days, a filtered query (instantie and uitkomst over a year), page 5, a rare
combination (kanaal and locatie over a year) and one staff member's back-dated registrations over a year.
Prints ONE JSON line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from desk import create_database, drop_database, log, percentiles, settle  # noqa: E402  (bench/desk.py, same folder)

TARGETS = {"overview_p95_ms": 150}


def run(args: argparse.Namespace, db: str) -> dict[str, Any]:
    import django

    django.setup()
    import logging

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    log(f"[bench] load_demo --registrations {args.registrations}")
    call_command("load_demo", registrations=args.registrations, years=args.years, seed=args.seed, quiet=True, stdout=io.StringIO())
    settle(db)
    from django.conf import settings

    # The coordinator owes a second factor in production; the bench times the page, not the sign-in.
    settings.BALIE_REQUIRE_2FA = False
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    year_ago = (timezone.localdate().replace(day=1) - __import__("datetime").timedelta(days=365)).isoformat()
    from balie.network.models import Location

    coordinator = get_user_model().objects.get(username="coordinator")
    location = Location.objects.filter(organisation_id=coordinator.organisation_id, active=True).order_by("code").values_list("code", flat=True).first()
    queries = {
        "default": {},
        "filtered": {"van": year_ago, "instantie": "DIGID", "uitkomst": "OPGELOST"},
        "page5": {"van": year_ago, "pagina": "5"},
        # Rare matches: the page must look through the whole year (the demo has no back-dated visits at all).
        "rare": {"van": year_ago, "kanaal": "TELEFOON", "locatie": location or ""},
        "staff_afterwards": {"van": year_ago, "medewerker": "medewerker", "achteraf": "on"},
    }
    result: dict[str, Any] = {"bench": "registrations_overview", "db": db, "registrations": args.registrations}
    worst = 0.0
    for name, query in queries.items():
        for _ in range(args.warmup):
            client.get("/balie/registraties/", query)
        samples = []
        for _ in range(args.iterations):
            started = time.perf_counter()
            response = client.get("/balie/registraties/", query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        p50, p95 = percentiles(samples)
        result[f"{name}_p50_ms"], result[f"{name}_p95_ms"] = round(p50, 1), round(p95, 1)
        worst = max(worst, p95)
    result["overview_p95_ms"] = round(worst, 1)
    result["targets"] = TARGETS
    result["ok"] = worst <= TARGETS["overview_p95_ms"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    original_url = os.environ.get("DATABASE_URL", "")
    db, bench_url = create_database(original_url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    os.environ["BALIE_DEBUG"] = "False"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + uuid.uuid4().hex * 2)
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("BALIE_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("BALIE_CACHE_URL", "locmem://")
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "False"
    os.environ["BALIE_PII_WARMUP"] = "False"
    try:
        result = run(args, db)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(original_url, db, bench_url)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
