"""Background rebuild of the rollups (the nightly safety net; every write already keeps them current)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import rollup


@task()
def rebuild_rollups_task(date_from: str | None = None, date_to: str | None = None) -> int:
    """Recount whole months (default: everything). Returns the number of cells."""
    return rollup.rebuild(dt.date.fromisoformat(date_from) if date_from else None,
                          dt.date.fromisoformat(date_to) if date_to else None)["cells"]
