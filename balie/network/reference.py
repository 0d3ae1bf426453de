"""Shipped reference data (municipalities), loaded by migration and again after a test flush."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "nl-gemeenten-2021.csv"


def load_gemeenten(gemeente_model=None) -> int:
    if gemeente_model is None:
        from .models import Gemeente as gemeente_model
    with open(DATA, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(gemeente_model.objects.values_list("cbs_code", flat=True))
    created = gemeente_model.objects.bulk_create(
        gemeente_model(cbs_code=r["cbs_code"], naam=r["naam"], lat=float(r["lat"]), lon=float(r["lon"]))
        for r in rows
        if r["cbs_code"] not in existing
    )
    return len(created)


def ensure_reference_data() -> None:
    """Code lists v1 and municipalities; both are idempotent."""
    from balie.core import codelists

    codelists.install_shipped_version(1)
    codelists.clear_cache()
    load_gemeenten()
