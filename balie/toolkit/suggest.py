"""Suggestions while registering: the top-3 instantie and onderwerp for a note being typed.

Two sources, blended:
- the organisation's own model (TF-IDF + logistic regression over its past notes, see
  ``suggest_training``), predicted here with plain numpy in well under a millisecond;
- the built-in Dutch lexicon (``lexicon``), which covers the cold start and words the
  organisation's notes never used.

Models are per organisation because notes never leave their organisation (DESIGN.md). A process
keeps each organisation's model in memory and looks at the database at most every
``CACHE_SECONDS``; that same look decides whether enough new notes came in to retrain
(``RETRAIN_AFTER``), which a background task does. Until a stored model exists, a small model is
trained in memory on the newest notes, so suggestions learn from day one even without a worker.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.utils import timezone

from . import lexicon
from .suggest_text import FEATURES_VERSION, features

logger = logging.getLogger(__name__)

TOP = 3
CACHE_SECONDS = 600
# Retrain once this many new notes came in since the stored model was trained.
RETRAIN_AFTER = 100
# Do not ask the worker again within this time (another process may already have asked).
REQUEST_GRACE = timedelta(hours=1)
# The in-memory fallback trains on this many newest notes: ~0.3 s, once per process.
INLINE_MAX_NOTES = 3_000
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


@dataclass
class _Entry:
    predictor: Predictor | None
    trained_at: object  # the stored model's trained_at, or None for the in-memory fallback
    checked_at: float
    valid: dict[str, frozenset[str]] = field(default_factory=dict)


_cache: dict[int | None, _Entry] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


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


def suggest(note: str, *, organisation_id: int | None, typing: bool = False) -> Suggestion:
    """Top-3 codes for a note, learned from this organisation's registrations (None: lexicon only)."""
    entry = _entry(organisation_id)
    return rank(note, entry.predictor, typing=typing, valid=entry.valid)


# --- the per-process cache and retraining ------------------------------------------------------
def _valid_codes() -> dict[str, frozenset[str]]:
    from balie.core import codelists
    from balie.core.models import CodeList

    version = codelists.current_version()
    return {
        "instantie": frozenset(codelists.codes(version, CodeList.INSTANTIE)),
        "onderwerp": frozenset(codelists.codes(version, CodeList.ONDERWERP)),
    }


def _entry(organisation_id: int | None) -> _Entry:
    now = time.monotonic()
    entry = _cache.get(organisation_id)
    if entry is not None and now - entry.checked_at < CACHE_SECONDS:
        return entry
    with _lock:
        entry = _cache.get(organisation_id)
        if entry is not None and now - entry.checked_at < CACHE_SECONDS:
            return entry
        entry = _refresh(organisation_id, entry, now)
        _cache[organisation_id] = entry
        return entry


def _refresh(organisation_id: int | None, old: _Entry | None, now: float) -> _Entry:
    from .models import SuggestionModel

    valid = _valid_codes()
    if organisation_id is None:
        return _Entry(None, None, now, valid)
    stored = (
        SuggestionModel.objects.filter(organisation_id=organisation_id)
        .only("trained_at", "n_samples", "features_version", "requested_at").first()
    )
    usable = stored is not None and stored.n_samples > 0 and stored.features_version == FEATURES_VERSION
    if usable and old is not None and old.trained_at == stored.trained_at:
        predictor = old.predictor  # unchanged: no need to load the blob again
    elif usable:
        blob = SuggestionModel.objects.filter(pk=stored.pk).values_list("blob", flat=True).first()
        predictor = Predictor.from_bytes(bytes(blob)) if blob else None
    else:
        # No stored model yet: keep the in-memory one, or train it now on the newest notes.
        keep = old is not None and old.trained_at is None and old.predictor is not None
        predictor = old.predictor if keep else _train_inline(organisation_id)
    try:
        _maybe_request_retrain(organisation_id, stored)
    except Exception:  # a suggestion must never fail because the task queue does
        logger.exception("Kon het opnieuw trainen van de suggesties niet aanvragen (organisatie %s)", organisation_id)
    return _Entry(predictor, stored.trained_at if usable else None, now, valid)


def _train_inline(organisation_id: int) -> Predictor | None:
    from .suggest_training import MIN_TRAINING_NOTES, fit, training_set

    data = training_set(organisation_id, limit=INLINE_MAX_NOTES)
    if len(data) < MIN_TRAINING_NOTES:
        return None
    try:
        return Predictor.from_bytes(fit(data))
    except ValueError:  # e.g. notes without a single usable word: the lexicon will do
        logger.warning("Geen suggestiemodel uit de notities van organisatie %s", organisation_id)
        return None


def new_notes_since(organisation_id: int, moment: object, *, enough: int) -> int:
    """Labelled notes registered after moment, counted up to enough (counting further is wasted work)."""
    from balie.desk.models import Question

    qs = Question.objects.filter(organisation_id=organisation_id, tally=False).exclude(note="")
    if moment is not None:
        qs = qs.filter(created_at__gt=moment)
    return qs[:enough].count()


def _maybe_request_retrain(organisation_id: int, stored: object) -> bool:
    """Ask the background worker to retrain when enough new notes came in. Returns True if asked."""
    from .models import SuggestionModel
    from .suggest_training import MIN_TRAINING_NOTES
    from .tasks_suggest import retrain_suggestions

    now = timezone.now()
    if stored is not None and stored.requested_at and now - stored.requested_at < REQUEST_GRACE:
        return False
    # An empty stored model (too few notes last time) counts as none: train as soon as there are enough notes.
    has_model = stored is not None and stored.n_samples > 0 and stored.features_version == FEATURES_VERSION
    trained_at = stored.trained_at if has_model else None
    needed = RETRAIN_AFTER if has_model else MIN_TRAINING_NOTES
    if new_notes_since(organisation_id, trained_at, enough=needed) < needed:
        return False
    retrain_suggestions.enqueue(organisation_id)
    # Only marked once really queued: if the queue is down, the next look (in ten minutes) asks again.
    SuggestionModel.objects.update_or_create(organisation_id=organisation_id, defaults={"requested_at": now})
    return True


def suggestion_ms(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of durations in seconds (nearest-rank percentiles)."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

    return round(pick(0.5) * 1000, 3), round(pick(0.95) * 1000, 3)
