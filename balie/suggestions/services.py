"""Writes of the suggestions feature: storing a retrained model, and asking the background worker to retrain."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .features import FEATURES_VERSION
from .models import SuggestionModel
from .training import MIN_TRAINING_NOTES, fit, new_notes_since, training_set

# Retrain once this many new notes came in since the stored model was trained.
RETRAIN_AFTER = 100
# Do not ask the worker again within this time (another process may already have asked).
REQUEST_GRACE = timedelta(hours=1)


def suggestion_model_train(*, organisation_id: int) -> int:
    """Retrain and store the organisation's model. Returns the number of notes it learned from (0: too few)."""
    started = time.perf_counter()
    data = training_set(organisation_id)
    try:
        blob = fit(data) if len(data) >= MIN_TRAINING_NOTES else b""
    except ValueError:  # not one usable word in all those notes (digits, placeholders): the lexicon will do
        blob = b""
    with transaction.atomic():
        SuggestionModel.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={
                "blob": blob,
                "n_samples": len(data) if blob else 0,
                "features_version": FEATURES_VERSION,
                "trained_at": timezone.now(),
                "train_seconds": round(time.perf_counter() - started, 3),
            },
        )
    return len(data) if blob else 0


def suggestion_retrain_request(*, organisation_id: int, stored: SuggestionModel | None) -> bool:
    """Ask the background worker to retrain when enough new notes came in. Returns True if asked."""
    # Imported here, not at the top: tasks imports this module, and tests swap the task for an unreachable queue.
    from . import tasks

    now = timezone.now()
    if stored is not None and stored.requested_at and now - stored.requested_at < REQUEST_GRACE:
        return False
    # An empty stored model (too few notes last time) counts as none: train as soon as there are enough notes.
    has_model = stored is not None and stored.n_samples > 0 and stored.features_version == FEATURES_VERSION
    trained_at = stored.trained_at if has_model else None
    needed = RETRAIN_AFTER if has_model else MIN_TRAINING_NOTES
    if new_notes_since(organisation_id, trained_at, enough=needed) < needed:
        return False
    tasks.retrain_suggestions.enqueue(organisation_id)
    # Only marked once really queued: if the queue is down, the next look (in ten minutes) asks again.
    SuggestionModel.objects.update_or_create(organisation_id=organisation_id, defaults={"requested_at": now})
    return True
