"""Background work for suggestions: retraining an organisation's model, run by `manage.py db_worker`.

Enqueued by ``services.suggestion_retrain_request`` when enough new notes came in, and by
``manage.py train_suggestions`` (for a nightly cron job). Training takes seconds, so it never runs
inside a desk request.
"""

from __future__ import annotations

from django_tasks import task

from .services import suggestion_model_train


@task()
def retrain_suggestions(organisation_id: int) -> int:
    """Retrain and store one organisation's suggestion model. Returns the number of notes learned from."""
    return suggestion_model_train(organisation_id=organisation_id)
