"""Shipped reference data (municipalities with province and population), loaded by migration and again after a test flush.

Two files (sources in ``data/README.md``):
- ``nl-gemeenten-2026.csv``: the 342 municipalities of 2026 with CBS code, name, province, inhabitants and centroid;
- ``nl-gemeenten-herindelingen.csv``: the municipalities merged away since 2021 and their successor. They stay in the
  table (inactive) so figures registered before a merger keep their place; they get their successor's province.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_2021 = DATA_DIR / "nl-gemeenten-2021.csv"
DATA = DATA_DIR / "nl-gemeenten-2026.csv"
MERGERS = DATA_DIR / "nl-gemeenten-herindelingen.csv"
# The twelve provinces with their CBS codes (PV20-PV31), in the CBS order.
PROVINCES = {
    "PV20": "Groningen", "PV21": "Fryslân", "PV22": "Drenthe", "PV23": "Overijssel", "PV24": "Flevoland", "PV25": "Gelderland",
    "PV26": "Utrecht", "PV27": "Noord-Holland", "PV28": "Zuid-Holland", "PV29": "Zeeland", "PV30": "Noord-Brabant", "PV31": "Limburg",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def current() -> list[dict[str, str]]:
    """The 2026 municipalities as shipped (for the loader and the tests)."""
    return _rows(DATA)


def mergers() -> list[dict[str, str]]:
    return _rows(MERGERS)


def load_gemeenten(gemeente_model=None) -> int:
    """Create or bring up to date every municipality; returns how many were created.

    Migration 0002 runs this with a historical model that has no population yet: then only the 2021 list is inserted
    (as it always was); migration 0004 and every later call apply the 2026 list on top.
    """
    if gemeente_model is None:
        from .models import Gemeente as gemeente_model
    has_population = any(f.name == "inwoners" for f in gemeente_model._meta.get_fields())
    existing = {g.cbs_code: g for g in gemeente_model.objects.all()}
    created = 0
    if not has_population:
        new = [gemeente_model(cbs_code=r["cbs_code"], naam=r["naam"], lat=float(r["lat"]), lon=float(r["lon"]))
               for r in _rows(DATA_2021) if r["cbs_code"] not in existing]
        return len(gemeente_model.objects.bulk_create(new))
    now = current()
    province_of = {r["cbs_code"]: r["provincie"] for r in now}
    for r in now:
        values = {"naam": r["naam"], "provincie": r["provincie"], "inwoners": int(r["inwoners"]), "active": True}
        g = existing.get(r["cbs_code"])
        if g is None:
            gemeente_model.objects.create(cbs_code=r["cbs_code"], lat=float(r["lat"]), lon=float(r["lon"]), **values)
            created += 1
        elif any(getattr(g, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(g, k, v)
            g.save(update_fields=list(values))
    old_names = {r["cbs_code"]: r for r in _rows(DATA_2021)}
    for m in mergers():
        # Merged away: kept for old figures, inactive, no population of its own any more, the successor's province.
        values = {"provincie": province_of[m["nieuwe_code"]], "inwoners": None, "active": False}
        g = existing.get(m["oude_code"])
        if g is None:
            old = old_names[m["oude_code"]]
            gemeente_model.objects.create(cbs_code=m["oude_code"], naam=m["oude_naam"], lat=float(old["lat"]), lon=float(old["lon"]), **values)
            created += 1
        elif any(getattr(g, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(g, k, v)
            g.save(update_fields=list(values))
    return created


def ensure_reference_data() -> None:
    """Code lists v1 and municipalities; both are idempotent."""
    from balie.core import codelists

    from .selectors import clear_gemeente_codes

    codelists.install_shipped_version(1)
    codelists.clear_cache()
    load_gemeenten()
    clear_gemeente_codes()
