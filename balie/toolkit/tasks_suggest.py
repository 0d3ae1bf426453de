"""Background work for suggestions: retraining an organisation's model, run by `manage.py db_worker`.

Enqueued by ``suggest`` when enough new notes came in, and by ``manage.py train_suggestions``
(for a nightly cron job). Training takes seconds, so it never runs inside a desk request.
"""

from __future__ import annotations

from django_tasks import task

from .suggest_training import train_organisation


@task()
def retrain_suggestions(organisation_id: int) -> int:
    """Retrain and store one organisation's suggestion model. Returns the number of notes learned from."""
    return train_organisation(organisation_id)
