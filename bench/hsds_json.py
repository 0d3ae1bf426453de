#!/usr/bin/env python
"""HSDS JSON benchmark (issue 13, item 3): the package of bench/imports.py written as HSDS 3.0 JSON (a page of services,
each with its organization, program, schedules, service area and service_at_location with the location nested), read
(flattened) and imported; and the hostile files at the limits of partners.hsds.jsonparse.

    .venv/bin/python bench/hsds_json.py [--services 10000] [--seed 1]

A temporary SQLite database with the demo network, as bench/imports.py. Peak memory is Python's own allocations
(tracemalloc) during a second run of the step; the
import runs twice, the second time over the entries of the first. Prints ONE JSON line on stdout.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name, self.size = name, len(data)


def measured(call: Any) -> tuple[Any, float, float]:
    """The result, the seconds (a run without tracemalloc, which slows every allocation) and the peak MB (a second run)."""
    def run() -> Any:
        try:
            return call()
        except Exception as exc:  # a refusal is the result of a hostile file
            return exc

    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, round(seconds, 3), round(peak / 1024 / 1024, 1)


def as_json(files: dict[str, str]) -> bytes:
    rows = {name: list(csv.DictReader(io.StringIO(text, newline=""))) for name, text in files.items()}

    def typed(row: dict[str, str]) -> dict[str, Any]:
        return {k: float(v) if k in ("latitude", "longitude") else v for k, v in row.items() if v}

    by = {name: {r["id"]: typed(r) for r in rs} for name, rs in rows.items()}
    program_of = {r["organization_id"]: r for r in by["programs.csv"].values()}
    services = []
    for service in by["services.csv"].values():
        org = by["organizations.csv"][service["organization_id"]]
        sal = [{"id": r["id"], "location": by["locations.csv"][r["location_id"]]} for r in rows["service_at_location.csv"] if r["service_id"] == service["id"]]
        services.append({**{k: v for k, v in service.items() if k != "organization_id"}, "organization": org,
                         "program": {k: v for k, v in program_of[org["id"]].items() if k != "organization_id"},
                         "schedules": [{k: v for k, v in r.items() if k != "service_id"} for r in by["schedules.csv"].values() if r["service_id"] == service["id"]],
                         "service_areas": [{k: v for k, v in r.items() if k != "service_id"} for r in by["service_areas.csv"].values() if r["service_id"] == service["id"]],
                         "service_at_locations": sal})
    return json.dumps({"total_items": len(services), "contents": services}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="balie-bench-hsdsjson-"))
    try:
        from imports import django_in, hsds_package

        django_in(directory)
        from django.core.management import call_command

        from balie.demo.network import build_network
        from balie.network.models import Organisation
        from balie.partners import hsds
        from balie.partners.hsds.jsonparse import MAX_OBJECTS, MAX_STRINGS

        call_command("migrate", verbosity=0)
        build_network()
        rdam = Organisation.objects.get(code="BIB-RDAM")
        data = as_json(hsds_package(args.services, args.seed))
        out: dict[str, Any] = {"bench": "hsds_json", "services": args.services, "json_mb": round(len(data) / 1024 / 1024, 1)}
        package, out["read_s"], out["read_peak_mb"] = measured(lambda: hsds.read_uploads([Upload("services.json", data)]))
        result, out["import_s"], out["import_peak_mb"] = measured(lambda: hsds.import_package(package, organisation=rdam))
        out["imported"] = {"services": result.services, "partners": result.partners, "locations": result.locations, "warnings": result.warning_total}
        hostile = {
            "strings_at_limit": ('["' + '","'.join(["ab"] * (MAX_STRINGS - 1)) + '"]').encode(),
            "objects_over_limit": ("[" + ",".join(['{"a":1}'] * (MAX_OBJECTS + 1)) + "]").encode(),
            "nested_100000_deep": b"[" * 100_000 + b"]" * 100_000,
        }
        for name, raw in hostile.items():
            refused, seconds, peak = measured(lambda raw=raw: hsds.read_uploads([Upload("services.json", raw)]))
            out[name] = {"mb": round(len(raw) / 1024 / 1024, 1), "s": seconds, "peak_mb": peak, "refused": isinstance(refused, hsds.HsdsRejected),
                         "errors_listed": len(getattr(refused, "errors", [])), "errors_total": getattr(refused, "total", 0)}
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
