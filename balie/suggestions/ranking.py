"""Ranking codes for a note: the organisation's own model and the built-in lexicon, blended.

Pure functions of a note and a model (plain numpy, well under a millisecond), so the desk, the command and the bench
all rank the same way. The model is TF-IDF + logistic regression over the organisation's past notes (see
``training``); the lexicon covers the cold start and words the organisation's notes never used.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from . import lexicon
from .features import FEATURES_VERSION, features

TOP = 3
# How far the model's word is trusted over the lexicon: weight n / (n + LEXICON_PRIOR_NOTES), but never more
# than MODEL_WEIGHT_MAX. However many notes an organisation has, staff keep finding new words for things; on
# notes phrased unlike the training notes the lexicon keeps adding ~6 points top-1 (bench/suggest.py, labelled)
# for ~1 point less on notes phrased like the old ones.
LEXICON_PRIOR_NOTES = 50
MODEL_WEIGHT_MAX = 0.75
HEADS = ("instantie", "onderwerp")


@dataclass(frozen=True)
class Ranked:
    code: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    instantie: list[Ranked]
    onderwerp: list[Ranked]
    # "model", "lexicon", "model+lexicon" or "none" (the note said nothing either source knows).
    source: str

    @property
    def has_evidence(self) -> bool:
        return self.source != "none"

    def codes(self) -> dict[str, list[str]]:
        return {"instantie": [r.code for r in self.instantie], "onderwerp": [r.code for r in self.onderwerp]}


class Predictor:
    """TF-IDF + linear model from stored arrays: the same numbers scikit-learn's predict_proba computes."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.vocabulary = {term: i for i, term in enumerate(arrays["vocabulary"].tolist())}
        self.idf = arrays["idf"]
        self.n_samples = int(arrays["n_samples"][0])
        self.heads = {
            head: (arrays[f"{head}_classes"].tolist(), arrays[f"{head}_coef"], arrays[f"{head}_intercept"]) for head in HEADS
        }

    @classmethod
    def from_bytes(cls, blob: bytes) -> Predictor | None:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if int(arrays["features_version"][0]) != FEATURES_VERSION:
            return None  # trained with other features: useless until retrained
        return cls(arrays)

    def predict(self, text: str) -> dict[str, dict[str, float]] | None:
        """Probabilities per head, or None when the note has no word the model knows."""
        counts = Counter(i for term in features(text) if (i := self.vocabulary.get(term)) is not None)
        if not counts:
            return None
        index = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        weights = tf * self.idf[index]
        weights /= np.linalg.norm(weights)
        result = {}
        for head, (classes, coef, intercept) in self.heads.items():
            # One-vs-rest logistic models: each class its own sigmoid, scaled to sum to one.
            scores = 1.0 / (1.0 + np.exp(-(weights @ coef[index] + intercept)))
            scores /= scores.sum()
            result[head] = dict(zip(classes, scores.tolist()))
        return result


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {code: value / total for code, value in scores.items()} if total > 0 else {}


def blend(model: dict[str, float] | None, lex: dict[str, float], *, n_samples: int, prior: dict[str, float]) -> dict[str, float]:
    """Model and lexicon as one distribution; the prior only breaks ties."""
    lex = _normalised(lex)
    if model and lex:
        w = min(MODEL_WEIGHT_MAX, n_samples / (n_samples + LEXICON_PRIOR_NOTES))
        merged = {code: w * p for code, p in model.items()}
        for code, p in lex.items():
            merged[code] = merged.get(code, 0.0) + (1 - w) * p
    else:
        merged = dict(model or lex)
    for code, p in prior.items():
        merged[code] = merged.get(code, 0.0) + 1e-3 * p
    return merged


def _top(scores: dict[str, float], valid: frozenset[str] | None) -> list[Ranked]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [Ranked(code, round(score, 4)) for code, score in ranked if valid is None or code in valid][:TOP]


def rank(note: str, predictor: Predictor | None, *, typing: bool = False,
         valid: dict[str, frozenset[str]] | None = None) -> Suggestion:
    """Pure function of the note and a model: what the desk, the command and the bench all call."""
    note = note[:2000]
    predicted = predictor.predict(note) if predictor is not None else None
    lex_inst, lex_ond = lexicon.score(note, typing=typing)
    has_lex = bool(lex_inst or lex_ond)
    source = "+".join(name for name, used in (("model", predicted is not None), ("lexicon", has_lex)) if used) or "none"
    n = predictor.n_samples if predictor is not None else 0
    valid = valid or {}
    return Suggestion(
        instantie=_top(blend(predicted and predicted["instantie"], lex_inst, n_samples=n, prior=lexicon.PRIOR_INSTANTIE),
                       valid.get("instantie")),
        onderwerp=_top(blend(predicted and predicted["onderwerp"], lex_ond, n_samples=n, prior=lexicon.PRIOR_ONDERWERP),
                       valid.get("onderwerp")),
        source=source,
    )


def suggestion_ms(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of durations in seconds (nearest-rank percentiles)."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

    return round(pick(0.5) * 1000, 3), round(pick(0.95) * 1000, 3)
