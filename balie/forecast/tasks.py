"""Forecasts as a background task. django-tasks has no scheduler: cron enqueues it or runs the command nightly."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def update_forecasts_task() -> str:
    """Recompute every location's forecast, backtest and staffing suggestion. Returns the run's uuid."""
    return str(services.update_forecasts().uuid)
