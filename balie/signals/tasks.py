"""Nightly detection as a background task. django-tasks has no scheduler: cron enqueues it or runs the command."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def detect_signals_task(until: str | None = None) -> int:
    """Detect and store signals for the last complete week (or the week of ``until``). Returns the number found."""
    return len(services.run(dt.date.fromisoformat(until) if until else None))
