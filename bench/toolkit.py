#!/usr/bin/env python
"""Toolkit benchmark: accuracy on the project's labelled sets and speed of the message check and the letter explainer.

    .venv/bin/python bench/toolkit.py
    .venv/bin/python bench/toolkit.py --only messages --iterations 50

Needs no database (the checks run on the shipped data files, never on a developer's data). Prints ONE JSON line on
stdout, one key per tool ({"messages": {...}, "letters": {...}, "machine": {...}}); progress goes to stderr.
Another tool adds itself by writing a function and registering it in SECTIONS. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MESSAGES = ROOT / "balie" / "messagecheck" / "data"
LETTERS = ROOT / "balie" / "letters" / "data"
PHOTOS = {"brief-foto-aanslag.png": "belastingdienst-aanslag.txt", "brief-foto-cjib.png": "cjib-aanmaning.txt",
          "brief-foto-uwv.png": "uwv-documenten.txt"}
TARGETS = {"check_max_ms": 50, "ocr_photo_max_s": 5}
FIELDS = ("afzender", "datum", "termijnen", "bedragen", "actie")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_messages(args: argparse.Namespace) -> dict[str, Any]:
    from balie.messagecheck.check import check_message
    from balie.messagecheck.domains import base_register

    started = time.perf_counter()
    register = base_register()
    check_message("opwarmen: www.example.nl", register)  # lazy caches (suffix list, homoglyph table)
    load_ms = (time.perf_counter() - started) * 1000
    rows = [json.loads(line) for line in (MESSAGES / "berichten.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    confusion: Counter[tuple[str, str]] = Counter()
    for row in rows:
        confusion[(row["verwacht"], check_message(row["tekst"], register).verdict)] += 1
    timings = []
    for _ in range(args.iterations):
        for row in rows:
            t = time.perf_counter()
            check_message(row["tekst"], register)
            timings.append((time.perf_counter() - t) * 1000)
    correct = sum(n for (want, got), n in confusion.items() if want == got)
    log(f"berichten: {correct}/{len(rows)} goed, {len(timings)} checks getimed")
    return {
        "n": len(rows),
        "accuracy": round(correct / len(rows), 3),
        "per_verdict": {v: {"n": sum(n for (w, _), n in confusion.items() if w == v), "correct": confusion[(v, v)]}
                        for v in ("nep", "twijfel", "betrouwbaar")},
        # The dangerous mistake: a fake message called trustworthy.
        "nep_called_betrouwbaar": confusion[("nep", "betrouwbaar")],
        "betrouwbaar_called_nep": confusion[("betrouwbaar", "nep")],
        "register_load_ms": round(load_ms, 1),
        "check_p50_ms": round(statistics.median(timings), 3),
        "check_p95_ms": round(_percentile(timings, 95), 3),
        "check_max_ms": round(max(timings), 3),
    }


def _fields(result: Any) -> dict[str, Any]:
    data = result.as_json()
    return {"afzender": data["afzender"], "datum": data["datum"], "termijnen": sorted(t["datum"] for t in data["termijnen"]),
            "bedragen": sorted(data["bedragen"]), "actie": data["actie"]}


def _score(results: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    per_field = {f: sum(1 for got, want in results if got[f] == want[f]) / len(results) for f in FIELDS}
    complete = sum(1 for got, want in results if all(got[f] == want[f] for f in FIELDS)) / len(results)
    return {"field_accuracy": {f: round(v, 3) for f, v in per_field.items()}, "all_fields": round(complete, 3)}


def bench_letters(args: argparse.Namespace) -> dict[str, Any]:
    from balie.letters import ocr
    from balie.letters.explain import explain_letter

    labelled = json.loads((LETTERS / "brieven.json").read_text(encoding="utf-8"))
    expected = {n: {**e, "termijnen": sorted(e["termijnen"]), "bedragen": sorted(e["bedragen"])} for n, e in labelled.items()}
    explain_letter((LETTERS / "brieven" / next(iter(labelled))).read_text(encoding="utf-8"))  # warm-up: glossary, hyphenation
    results, timings = [], []
    for name in labelled:
        text = (LETTERS / "brieven" / name).read_text(encoding="utf-8")
        t = time.perf_counter()
        result = explain_letter(text)
        timings.append((time.perf_counter() - t) * 1000)
        results.append((_fields(result), expected[name]))
    out: dict[str, Any] = {"n": len(labelled), **_score(results), "explain_p50_ms": round(statistics.median(timings), 2)}
    log(f"brieven (tekst): alle velden goed in {out['all_fields']:.0%}")

    reason = ocr.unavailable_reason()
    if reason or args.no_ocr:
        out["photos"] = {"skipped": reason or "--no-ocr"}
        return out
    photo_results, walls, cpus = [], [], []
    for photo, letter in PHOTOS.items():
        data = (ROOT / "tests" / "fixtures" / photo).read_bytes()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, wall = time.process_time(), time.perf_counter()
        text = ocr.read_upload(data).text
        result = explain_letter(text)
        walls.append(time.perf_counter() - wall)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(time.process_time() - cpu + (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime))
        photo_results.append((_fields(result), expected[letter]))
        log(f"foto {photo}: {walls[-1]:.2f} s (cpu {cpus[-1]:.2f} s)")
    out["photos"] = {
        "n": len(PHOTOS), **_score(photo_results),
        # Wall time from upload bytes to explained letter (prepare + Tesseract + extraction); CPU time is steadier on a busy machine.
        "ocr_photo_median_s": round(statistics.median(walls), 2), "ocr_photo_max_s": round(max(walls), 2),
        "ocr_photo_cpu_max_s": round(max(cpus), 2),
    }
    return out


def bench_suggestions(args: argparse.Namespace) -> dict[str, Any]:
    """Suggestion accuracy (held-out demo notes and the hand-labelled set) and speed, from bench/suggest.py.

    It runs in its own process because it builds its own temporary database with demo registrations.
    """
    import subprocess

    log("suggestions: bench/suggest.py (builds a temporary demo database) ...")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "suggest.py")], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "messages": bench_messages, "letters": bench_letters, "suggestions": bench_suggestions,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections (repeatable)")
    parser.add_argument("--iterations", type=int, default=20, help="timed rounds over all labelled messages (20)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the phone-photo OCR timing")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
    os.environ.setdefault("BALIE_DEBUG", "0")
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + "x" * 40)
    # Production settings (DEBUG off) over the test client's plain http, in one process (the cache is not measured).
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("BALIE_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("BALIE_CACHE_URL", "locmem://")
    # Production settings refuse to start without an encryption key; a fresh one per run (bench data only).
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "0"
    import django

    django.setup()
    result: dict[str, Any] = {name: run(args) for name, run in SECTIONS.items() if not args.only or name in args.only}
    result["machine"] = {"cpus": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2), "targets": TARGETS}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
