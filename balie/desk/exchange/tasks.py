"""Background work for the desk: the CSV import, run by the task worker (`python manage.py run_worker`).

An import is all or nothing, and so is its bookkeeping: the rows and the job's "klaar" are written in one transaction.
Each run belongs to one `attempt` of the job. A run only starts if the job still waits for that attempt, and only
commits if the job still belongs to it, so an attempt that was given up (its worker died, core/worker.py) and a new
one can never both store the file. A database fault during the run gives the job a next attempt (the file is still
there, encrypted); after MAX_ATTEMPTS, or when the worker stays away, the job fails with INTERRUPTED_MESSAGE and the
file is deleted (recovery.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django_tasks import task

from balie.core import audit, crypto
from balie.core.audit import Event

from . import importing
from .models import FAILED_MESSAGE, FINISHED, INTERRUPTED_MESSAGE, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# The status page shows at most this many errors; the JSON column should not grow to megabytes.
MAX_STORED_ERRORS = 1000
MAX_ATTEMPTS = 3
TRANSIENT = (OperationalError, InterfaceError)


class Superseded(Exception):
    """This attempt was given up while it ran (its worker was thought gone); a newer attempt owns the job."""


def _update(job_id: int, attempt: int, **fields: object) -> int:
    # update() instead of save(): a plain UPDATE of just these columns, visible at once to the polling page. Only while the
    # job is still this attempt's and not finished: a late write from a given-up attempt changes nothing.
    return ImportJob.objects.filter(pk=job_id, attempt=attempt).exclude(status__in=FINISHED).update(updated_at=timezone.now(), **fields)


def finish(job_id: int, *, status: str, attempt: int | None = None, **fields: Any) -> int:
    """End a job: the status, the moment, and the file deleted (notes may hold text nobody should keep)."""
    jobs = ImportJob.objects.filter(pk=job_id).exclude(status__in=FINISHED)
    if attempt is not None:
        jobs = jobs.filter(attempt=attempt)
    return jobs.update(status=status, content="", finished_at=timezone.now(), updated_at=timezone.now(), **fields)


def fail(job_id: int, message: str, *, attempt: int | None = None) -> int:
    return finish(job_id, status=ImportStatus.FAILED, attempt=attempt, error_count=1,
                  errors=[{"regel": 0, "kolom": "", "reden": message}])


def next_attempt(job_id: int, attempt: int, *, why: str) -> bool:
    """Give the job a new attempt and queue it, or fail it when it has had MAX_ATTEMPTS. True when it will run again."""
    with transaction.atomic():
        if attempt >= MAX_ATTEMPTS:
            if fail(job_id, INTERRUPTED_MESSAGE, attempt=attempt):
                audit.log(Event.IMPORT_JOB_INTERRUPTED, object_type="desk.importjob", object_uuid=_uuid(job_id), attempt=attempt,
                          resumed=False, why=why)
            return False
        moved = ImportJob.objects.filter(pk=job_id, attempt=attempt).exclude(status__in=FINISHED).update(
            status=ImportStatus.WAITING, attempt=attempt + 1, processed_rows=0, updated_at=timezone.now(),
        )
        if not moved:
            return False
        audit.log(Event.IMPORT_JOB_INTERRUPTED, object_type="desk.importjob", object_uuid=_uuid(job_id), attempt=attempt,
                  resumed=True, why=why)
        # In the same transaction (database task backend): the new attempt and its task exist together or not at all.
        run_import.enqueue(job_id, attempt + 1)
    return True


def _uuid(job_id: int) -> str:
    return str(ImportJob.objects.filter(pk=job_id).values_list("uuid", flat=True).first() or "")


def _language(job: ImportJob) -> str:
    language = getattr(job.created_by, "language", "") or "nl"
    return language if language in ("nl", "en") else "nl"


@task()
def run_import(job_id: int, attempt: int = 1) -> int:
    """Check and import the file of one ImportJob. Returns the number of questions created."""
    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=ImportStatus.WAITING).update(
        status=ImportStatus.CHECKING, updated_at=timezone.now(),
    )
    if not claimed:
        # Already run, finished, or superseded by a newer attempt: a repeated task must not import twice.
        return ImportJob.objects.filter(pk=job_id).values_list("created_count", flat=True).first() or 0
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)

    def progress(phase: str, processed: int, total: int) -> None:
        status = ImportStatus.SAVING if phase == "opslaan" else ImportStatus.CHECKING
        if not _update(job_id, attempt, status=status, processed_rows=processed, total_rows=total):
            raise Superseded

    def before_save() -> None:
        # Lock the job row for the whole save: recovery (a conditional UPDATE of this row) waits for the commit and then
        # finds the job done. If the job moved on meanwhile, nothing is saved.
        if not ImportJob.objects.select_for_update().filter(pk=job_id, attempt=attempt, status=ImportStatus.SAVING).exists():
            raise Superseded

    def after_save(result: importing.ImportResult) -> None:
        if not finish(job_id, status=ImportStatus.DONE, attempt=attempt, created_count=result.created, processed_rows=result.rows,
                      total_rows=result.rows):
            raise Superseded  # rolls the rows back with it

    try:
        text = crypto.open_text(job.content)
        # Row errors are stored as text: in the language of the coordinator who uploaded the file and reads them.
        with translation.override(_language(job)):
            result = importing.import_text(text, only_organisation=job.organisation, user=job.created_by, progress=progress,
                                           before_save=before_save, after_save=after_save, duplicates=job.on_duplicates)
    except importing.DuplicatesFound as exc:
        # Part of the file is already in Balie: the coordinator chooses (views.import_choice); the file stays, encrypted.
        _update(job_id, attempt, status=ImportStatus.CHOOSE, duplicates=exc.duplicates.as_dict())
        return 0
    except importing.ImportRejected as exc:
        finish(job_id, status=ImportStatus.REJECTED, attempt=attempt, error_count=len(exc.errors),
               errors=[e.as_dict() for e in exc.errors[:MAX_STORED_ERRORS]])
        return 0
    except Superseded:
        logger.warning("Import %s poging %s is overgenomen door een nieuwere poging; niets opgeslagen.", job.uuid, attempt)
        return 0
    except TRANSIENT as exc:
        # The database went away (restart, lock timeout): nothing was stored (one transaction). Try again with a fresh
        # connection; if the database is still gone this raises and the worker's recovery gives the job its next attempt.
        logger.warning("Import %s poging %s onderbroken door de database: %s", job.uuid, attempt, exc)
        if not connection.in_atomic_block:
            connection.close()
        next_attempt(job_id, attempt, why=type(exc).__name__)
        return 0
    except Exception:
        logger.exception("Import %s is mislukt", job.uuid)
        fail(job_id, FAILED_MESSAGE, attempt=attempt)
        raise
    return result.created
