"""Suggestions while registering: the top-3 instantie and onderwerp for a note being typed.

Models are per organisation because notes never leave their organisation (DESIGN.md). A process
keeps each organisation's model in memory and looks at the database at most every
``CACHE_SECONDS``; that same look decides whether enough new notes came in to retrain
(``services.suggestion_retrain_request``), which a background task does. Until a stored model
exists, a small model is trained in memory on the newest notes, so suggestions learn from day one
even without a worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from balie.core import codelists
from balie.core.memo import ProcessMemo
from balie.core.models import CodeList

from .features import FEATURES_VERSION
from .models import SuggestionModel
from .ranking import Predictor, Suggestion, rank
from .services import suggestion_retrain_request
from .training import MIN_TRAINING_NOTES, fit, training_set

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600
# The in-memory fallback trains on this many newest notes: ~0.3 s, once per process.
INLINE_MAX_NOTES = 3_000


@dataclass
class _Entry:
    predictor: Predictor | None
    trained_at: object  # the stored model's trained_at, or None for the in-memory fallback
    valid: dict[str, frozenset[str]] = field(default_factory=dict)


_cache: ProcessMemo[_Entry] = ProcessMemo(CACHE_SECONDS)


def clear_cache() -> None:
    _cache.forget()


def suggest(note: str, *, organisation_id: int | None, typing: bool = False) -> Suggestion:
    """Top-3 codes for a note, learned from this organisation's registrations (None: lexicon only)."""
    entry = _entry(organisation_id)
    return rank(note, entry.predictor, typing=typing, valid=entry.valid)


# --- the per-process cache ---------------------------------------------------------------------
def _valid_codes() -> dict[str, frozenset[str]]:
    version = codelists.current_version()
    return {
        "instantie": frozenset(codelists.codes(version, CodeList.INSTANTIE)),
        "onderwerp": frozenset(codelists.codes(version, CodeList.ONDERWERP)),
    }


def _entry(organisation_id: int | None) -> _Entry:
    # The expired entry is handed to the refresh: an unchanged stored model need not be loaded again.
    return _cache.get(organisation_id, lambda: _refresh(organisation_id, _cache.stale(organisation_id)))


def _refresh(organisation_id: int | None, old: _Entry | None) -> _Entry:
    valid = _valid_codes()
    if organisation_id is None:
        return _Entry(None, None, valid)
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
        # The look at the database is also the moment to ask for a retrain: a read with a deliberate side effect.
        suggestion_retrain_request(organisation_id=organisation_id, stored=stored)
    except Exception:  # a suggestion must never fail because the task queue does
        logger.exception("Kon het opnieuw trainen van de suggesties niet aanvragen (organisatie %s)", organisation_id)
    return _Entry(predictor, stored.trained_at if usable else None, valid)


def _train_inline(organisation_id: int) -> Predictor | None:
    data = training_set(organisation_id, limit=INLINE_MAX_NOTES)
    if len(data) < MIN_TRAINING_NOTES:
        return None
    try:
        return Predictor.from_bytes(fit(data))
    except ValueError:  # e.g. notes without a single usable word: the lexicon will do
        logger.warning("Geen suggestiemodel uit de notities van organisatie %s", organisation_id)
        return None
