#!/usr/bin/env python
"""Note-theme benchmark: false themes on ordinary notes, and recall of a new problem written into notes.

    .venv/bin/python bench/themes.py                                  # SQLite, 300,000 demo questions
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/themes.py

``load_demo`` writes three years of realistic, anonymous notes (templates per instantie and
onderwerp, outcomes, referrals, the tax season). For every second week of the last year the
nightly theme detection runs on those notes as they are: every theme found there is a false alarm
(the demo has no emerging problems). Then, in the same weeks, a new problem is written into the
notes of a few (organisation, instantie) pairs: ``m`` of the recent notes get a wording about it
appended (several wordings, like real staff), for m in MENTIONS. Recall is the share of those
injections the detection reports, with all other pairs of that week in the same run (one
correction over the whole run, as at night).

Prints ONE JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import desk  # noqa: E402
from desk import create_database, drop_database, log  # noqa: E402

desk.BENCH_DB = "balie_bench_themes"

MENTIONS = (5, 8, 12, 20)
TARGETS = {"false_themes_per_100_pair_weeks": 1.0, "recall_8_mentions": 0.9}
# A new problem as different staff members write it down; each contains "bewijsstukken".
WORDINGS = (
    "uploaden bewijsstukken lukt niet in de nieuwe app",
    "foutmelding bij uploaden bewijsstukken",
    "bewijsstukken konden niet worden geüpload, samen opnieuw geprobeerd",
    "nieuwe app weigert bewijsstukken",
)
KEYWORD = "bewijsstukken"


def run(args: argparse.Namespace, db: str) -> dict[str, Any]:
    from django.core.management import call_command

    from balie.desk.models import Question
    from balie.signals import services, themes

    call_command("migrate", verbosity=0)
    log(f"[bench] load_demo --registrations {args.registrations} ({db})")
    call_command("load_demo", registrations=args.registrations, years=3, seed=args.seed, quiet=True, stdout=io.StringIO())
    last = Question.objects.order_by("-date").values_list("date", flat=True).first()
    final_week = last - dt.timedelta(days=last.weekday()) - dt.timedelta(weeks=1)
    weeks = [final_week - dt.timedelta(weeks=2 * k) for k in range(26)]
    rng = np.random.default_rng(args.seed)
    pair_weeks = false_themes = 0
    hits = {m: 0 for m in MENTIONS}
    trials = {m: 0 for m in MENTIONS}
    seconds = []
    for week in weeks:
        started = time.perf_counter()
        inputs = services.theme_inputs(week)
        clean = services.find_themes(week, inputs)
        seconds.append(time.perf_counter() - started)
        pair_weeks += len(inputs)
        false_themes += len(clean)
        for f in clean:
            log(f"[bench] {week} false theme: {f.scope} {f.instantie} '{f.phrase}' {f.observed} vs {f.expected}")
        eligible = [i for i, item in enumerate(inputs) if len(item.recent) >= max(MENTIONS)]
        if not eligible:
            continue
        for m in MENTIONS:
            chosen = rng.choice(eligible, size=min(args.pairs, len(eligible)), replace=False)
            changed = []
            for i, item in enumerate(inputs):
                if i not in chosen:
                    changed.append(item)
                    continue
                recent = list(item.recent)
                for n, j in enumerate(rng.choice(len(recent), size=m, replace=False)):
                    recent[j] = f"{recent[j]}, {WORDINGS[n % len(WORDINGS)]}"
                changed.append(services.ThemeInput(item.organisation, item.instantie, recent, item.windows, item.last_year))
            found = services.find_themes(week, changed)
            for i in chosen:
                item = inputs[i]
                trials[m] += 1
                if any(f.scope == f"organisatie:{item.organisation}" and f.instantie == item.instantie
                       and any(KEYWORD in p for p in [f.phrase, *f.weekly[0]["related"]]) for f in found):
                    hits[m] += 1
    assert themes.MIN_DOCS <= min(MENTIONS)
    result: dict[str, Any] = {
        "registrations": Question.objects.count(),
        "weeks": len(weeks),
        "pair_weeks": pair_weeks,
        "false_themes": false_themes,
        "false_themes_per_100_pair_weeks": round(false_themes / max(pair_weeks, 1) * 100, 3),
        **{f"recall_{m}_mentions": round(hits[m] / trials[m], 3) if trials[m] else None for m in MENTIONS},
        "trials_per_level": trials[MENTIONS[0]],
        "theme_run_seconds_max": round(max(seconds), 2),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=300_000)
    parser.add_argument("--pairs", type=int, default=3, help="pairs that get the new problem per week and level")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
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
    original_url = os.environ.get("DATABASE_URL", "")
    db, bench_url = create_database(original_url)
    os.environ["DATABASE_URL"] = bench_url
    import django

    django.setup()
    import logging

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    try:
        result = run(args, db)
        result["db"] = db
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(original_url, db, bench_url)
    result["targets"] = TARGETS
    result["met"] = {
        "false_themes_per_100_pair_weeks": result["false_themes_per_100_pair_weeks"] <= TARGETS["false_themes_per_100_pair_weeks"],
        "recall_8_mentions": (result["recall_8_mentions"] or 0) >= TARGETS["recall_8_mentions"],
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
