"""Coordinator pages: upload a CSV to import (checked, then run by the task worker) and download an export."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core import audit, codelists
from balie.core.access import Cap, get_or_404, requires
from balie.core.audit import Event
from balie.core.csvcheck import RowError

from . import checking, csvformat, exporting, importing, recovery, services
from .models import ImportJob, ImportStatus

MAX_UPLOAD_MB = 50
# Up to this many lines the whole file is checked while the coordinator waits (about a second),
# so errors show straight under the form. Bigger files are checked by the worker, with a progress bar.
SYNC_CHECK_MAX_LINES = 20_000
MAX_SHOWN_ERRORS = 1000
# SQLite has one write lock for the whole database: while an import saves, every desk and API write waits (and gives up
# after 20 s). 50,000 rows hold it for about 3 s on a quiet machine and 8 s on a busy one (measured, bench/README.md).
# PostgreSQL has no such limit: there the import locks only its own rows.
SQLITE_MAX_ROWS = 50_000


def _page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    organisation = request.user.organisation
    base = {
        "organisation": organisation,
        "header": csvformat.HEADER,
        "max_mb": MAX_UPLOAD_MB,
        "recent": ImportJob.objects.filter(organisation=organisation).defer("content")[:5],
        # The example of a column with two values: the codes are the file format, the labels say what they mean.
        "example_multi": {"codes": "WEGWIJS|STEUN", "first": codelists.label_of("behoefteprofiel", "WEGWIJS"),
                          "second": codelists.label_of("behoefteprofiel", "STEUN")},
    }
    return render(request, "desk/import.html", {**base, **context}, status=status)


def _check_upload(text: str, request: HttpRequest) -> list[RowError]:
    if text.count("\n") <= SYNC_CHECK_MAX_LINES:
        return checking.check(text, only_organisation=request.user.organisation, scrub_notes=False).errors
    return checking.check_header_only(text)


@requires(Cap.COORDINATE)
def import_start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    upload = request.FILES.get("bestand")
    if upload is None:
        return _page(request, status=422, form_error=_("Kies een CSV-bestand om te importeren."))
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        return _page(request, status=422, form_error=(
            _("Het bestand is %(size)s MB. Het maximum is %(max)s MB. "
              "Splits het bestand in kleinere delen en importeer die na elkaar.") % {"size": f"{upload.size / 1024 / 1024:.0f}", "max": MAX_UPLOAD_MB}
        ))
    try:
        text = checking.decode(upload.read())
        if connection.vendor == "sqlite" and text.count("\n") > SQLITE_MAX_ROWS + 1:
            return _page(request, status=422, form_error=_(
                "Dit bestand heeft meer dan %(max)s regels. Met de ingebouwde database (SQLite) importeert Balie hoogstens "
                "%(max)s regels per keer, anders moeten de balies te lang wachten tot ze kunnen opslaan. Splits het bestand in "
                "delen en importeer die na elkaar.") % {"max": f"{SQLITE_MAX_ROWS:,}".replace(",", ".")})
        errors = _check_upload(text, request)
    except importing.ImportRejected as exc:
        errors = exc.errors
    if errors:
        return _page(
            request, status=422, file_name=upload.name, error_count=len(errors),
            errors=[e.as_dict() for e in errors[:MAX_SHOWN_ERRORS]],
        )
    job = services.import_job_create(user=request.user, file_name=upload.name, text=text)
    return redirect("desk:import_status", uuid=job.uuid)


@requires(Cap.COORDINATE)
def import_status(request: HttpRequest, uuid: str) -> HttpResponse:
    jobs = ImportJob.objects.for_scope(request.scope).defer("content")
    job = get_or_404(jobs, uuid=uuid)
    # Never "bezig" for ever: past the timeout the job ends here too, also when no worker runs to end it.
    if not job.finished and recovery.expire_stale(jobs=ImportJob.objects.filter(pk=job.pk)):
        job = jobs.get(pk=job.pk)
    context = {"job": job, "errors": job.shown_errors, "error_count": job.error_count}
    if request.htmx:
        return render(request, "desk/_import_progress.html", context)
    return _page(request, **context)


@requires(Cap.COORDINATE)
def export_download(request: HttpRequest) -> StreamingHttpResponse:
    """All registrations of the coordinator's own organisation, streamed: no limit on size, little memory."""
    organisation = request.user.organisation
    audit.log(Event.REGISTRATIONS_EXPORTED, user=request.user, obj=organisation, format="csv")
    response = StreamingHttpResponse(exporting.csv_chunks(organisation, bom=True), content_type="text/csv; charset=utf-8")
    name = f"balie-{organisation.code.lower()}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Cap.COORDINATE)
def import_choice(request: HttpRequest, uuid: str) -> HttpResponse:
    """POST keuze=overslaan|vervangen|stoppen for a job that found rows already in Balie."""
    job = get_or_404(ImportJob.objects.for_scope(request.scope).defer("content"), uuid=uuid)
    if request.method != "POST":
        return _page(request, job=job, errors=job.shown_errors, error_count=job.error_count)
    if job.status == ImportStatus.CHOOSE:
        choice = request.POST.get("keuze", "")
        if choice not in (importing.Mode.SKIP, importing.Mode.REPLACE, "stoppen"):
            return _page(request, status=422, job=job, choice_error=_("Kies wat Balie moet doen met de regels die er al zijn."))
        services.import_job_choose(user=request.user, job=job, choice=choice)
    return redirect("desk:import_status", uuid=job.uuid)
