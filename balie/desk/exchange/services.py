"""Writes of the CSV exchange: start an import job (the worker then checks and saves it, all or nothing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from balie.core import audit, crypto
from balie.core.access import Cap, scope_of
from balie.core.audit import Event

from . import tasks
from .models import ImportJob


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
