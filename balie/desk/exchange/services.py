"""Writes of the CSV exchange: start an import job (the worker then checks and saves it, all or nothing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from balie.core import audit, crypto
from balie.core.access import Cap, scope_of
from balie.core.audit import Event

from . import importing, tasks
from .models import STOPPED_MESSAGE, ImportJob, ImportStatus


@transaction.atomic
def import_job_create(*, user: Any, file_name: str, text: str) -> ImportJob:
    """A coordinator's checked upload becomes a job for the worker.

    The task is queued inside the same transaction: the database task backend stores it next to the job, so both
    exist or neither does (no job without its task, no task for a job that was rolled back).
    """
    scope = scope_of(user)
    scope.require(Cap.COORDINATE)
    # Encrypted until the worker has read it (review M5): the notes in the file have not been scrubbed yet.
    job = ImportJob.objects.create(organisation_id=scope.organisation_id, created_by=user, file_name=file_name[:255],
                                   content=crypto.seal_text(text))
    audit.log(Event.IMPORT_JOB_CREATED, user=user, obj=job, file_name=job.file_name, lines=text.count("\n"))
    tasks.run_import.enqueue(job.pk)
    return job


@transaction.atomic
def import_job_choose(*, user: Any, job: ImportJob, choice: str) -> bool:
    """The coordinator's answer to "part of this file is already in Balie": skip those rows, replace the period, or stop.

    The job goes back to the worker with the choice (queued in the same transaction), or ends with nothing saved.
    """
    scope = scope_of(user)
    scope.require(Cap.COORDINATE)
    if choice in (importing.Mode.SKIP, importing.Mode.REPLACE):
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHOOSE).update(
            status=ImportStatus.WAITING, on_duplicates=choice, updated_at=timezone.now())
        if moved:
            audit.log(Event.IMPORT_JOB_CREATED, user=user, obj=job, file_name=job.file_name, duplicates=choice, **job.duplicates)
            tasks.run_import.enqueue(job.pk, job.attempt)
        return bool(moved)
    return bool(ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHOOSE).update(
        status=ImportStatus.FAILED, content="", finished_at=timezone.now(), updated_at=timezone.now(), error_count=1,
        errors=[{"regel": 0, "kolom": "", "reden": STOPPED_MESSAGE}]))
