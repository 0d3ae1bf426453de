"""Background work for the desk: the CSV import, run by `python manage.py db_worker`."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from . import importing
from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# The status page shows at most this many errors; the JSON column should not grow to megabytes.
MAX_STORED_ERRORS = 1000
FAILED_MESSAGE = "Er ging iets mis bij het verwerken. Er is niets opgeslagen. Probeer het later opnieuw."


def _update(job_id: int, **fields: object) -> None:
    # update() instead of save(): a plain UPDATE of just these columns, visible at once to the polling page.
    ImportJob.objects.filter(pk=job_id).update(**fields)


@task()
def run_import(job_id: int) -> int:
    """Check and import the file of one ImportJob. Returns the number of questions created."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.status != ImportStatus.WAITING:
        return job.created_count  # a retried task must not import twice

    def progress(phase: str, processed: int, total: int) -> None:
        status = ImportStatus.SAVING if phase == "opslaan" else ImportStatus.CHECKING
        _update(job_id, status=status, processed_rows=processed, total_rows=total)

    _update(job_id, status=ImportStatus.CHECKING)
    try:
        result = importing.import_text(job.content, only_organisation=job.organisation, user=job.created_by, progress=progress)
    except importing.ImportRejected as exc:
        # The file content goes as soon as the job ends: notes may hold text nobody should keep.
        _update(
            job_id, status=ImportStatus.REJECTED, content="", finished_at=timezone.now(), error_count=len(exc.errors),
            errors=[e.as_dict() for e in exc.errors[:MAX_STORED_ERRORS]],
        )
        return 0
    except Exception:
        logger.exception("Import %s is mislukt", job.uuid)
        _update(
            job_id, status=ImportStatus.FAILED, content="", finished_at=timezone.now(), error_count=1,
            errors=[{"regel": 0, "kolom": "", "reden": FAILED_MESSAGE}],
        )
        raise
    _update(
        job_id, status=ImportStatus.DONE, content="", finished_at=timezone.now(), created_count=result.created,
        processed_rows=result.rows, total_rows=result.rows,
    )
    return result.created
