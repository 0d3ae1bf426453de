"""What the worker's recovery means for an import (core/worker.py): resume it, or end it cleanly; never "bezig" for ever.

- A run_import task whose worker died gets the job's next attempt (tasks.next_attempt), or fails the job after
  MAX_ATTEMPTS. Nothing was stored by the dead run: rows and "klaar" are one transaction.
- Once a minute (and on every status page view of that job): a job without progress for BALIE_IMPORT_TIMEOUT_MINUTES
  fails with "De import is onderbroken; probeer het opnieuw". This also covers a worker that never comes back.
- Every finished job's file is deleted (it should be already; this catches a job ended by hand or by an old version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from balie.core import audit, worker
from balie.core.audit import Event

from . import tasks
from .models import FINISHED, ImportJob


def timeout() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "BALIE_IMPORT_TIMEOUT_MINUTES", 30)))


def expire_stale(*, now: dt.datetime | None = None, jobs: Any = None) -> int:
    """Fail jobs that made no progress within the timeout. Returns how many."""
    now = now or timezone.now()
    stale = (jobs if jobs is not None else ImportJob.objects).exclude(status__in=FINISHED).filter(updated_at__lt=now - timeout())
    expired = 0
    for job_id, uuid in stale.values_list("pk", "uuid"):
        if tasks.fail(job_id, tasks.INTERRUPTED_MESSAGE):
            audit.log(Event.IMPORT_JOB_INTERRUPTED, object_type="desk.importjob", object_uuid=str(uuid), resumed=False, why="timeout")
            expired += 1
    return expired


def purge_finished() -> int:
    return ImportJob.objects.filter(status__in=FINISHED).exclude(content="").update(content="")


@receiver(worker.task_interrupted, dispatch_uid="balie.desk.exchange.recovery.interrupted")
def _on_interrupted(sender: Any, task_path: str, args: list[Any], kwargs: dict[str, Any], **extra: Any) -> None:
    if task_path != tasks.run_import.module_path:
        return
    job_id = args[0] if args else kwargs.get("job_id")
    attempt = args[1] if len(args) > 1 else kwargs.get("attempt", 1)
    if job_id is not None:
        tasks.next_attempt(int(job_id), int(attempt), why="worker")


@receiver(worker.maintenance, dispatch_uid="balie.desk.exchange.recovery.maintenance")
def _on_maintenance(sender: Any, now: dt.datetime, **extra: Any) -> None:
    expire_stale(now=now)
    purge_finished()
