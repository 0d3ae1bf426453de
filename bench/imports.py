#!/usr/bin/env python
"""Import benchmark (issue 13, items 3 and 5): the registration CSV import and the HSDS social-map import.

    .venv/bin/python bench/imports.py [--rows 10000] [--seed 1]

Works in a SQLite database of its own (a temporary file with the demo network, removed afterwards), or in the
PostgreSQL database of DATABASE_URL when it is set. Measures, for a generated file of --rows registrations:
the first import; the same file again (found as duplicates before anything is written); "overslaan"; "vervangen";
and the same file as a Dutch Excel writes it (semicolons, Windows-1252, Dutch dates). For HSDS: the official Open
Referral example (entities and warnings), and a generated package with --rows services (check + save, export,
re-import of the export). Prints ONE JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, round(time.perf_counter() - started, 3)


def registrations_csv(rows: int, seed: int) -> list[list[str]]:
    from balie.desk.exchange.csvformat import HEADER

    rng = random.Random(seed)
    codes = [("DIGID", "INLOGGEN"), ("BELASTINGDIENST", "AANGIFTE"), ("UWV", "BERICHT"), ("TOESLAGEN", "WIJZIGEN"), ("GEMEENTE", "AANVRAGEN")]
    out = [list(HEADER)]
    for i in range(rows):
        instantie, onderwerp = rng.choice(codes)
        values = {"organisatie": "BIB-RDAM", "locatie": rng.choice(["RDAM-CENTRAAL", "RDAM-ZUIDPLEIN"]), "bezoek": str(i // 2),
                  "datum": f"2025-{1 + (i // 2) % 12:02d}-{1 + (i // 24) % 28:02d}", "tijd": f"{9 + (i // 2) % 8:02d}:{(i // 2) % 60:02d}",
                  "kanaal": "INLOOP", "instantie": instantie, "onderwerp": onderwerp, "uitkomst": rng.choice(["OPGELOST", "DEELS"]),
                  "duur_minuten": str(rng.choice([5, 10, 20])), "notitie": rng.choice(["", "uitleg gegeven", "café in Ëlst"])}
        row = [values.get(column, "") for column in HEADER]
        if i % 2:  # the second question of a visit shares the visit's columns
            row[:6] = out[-1][:6]
        out.append(row)
    return out


def as_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def excel_nl(rows: list[list[str]]) -> bytes:
    from balie.desk.exchange.csvformat import HEADER

    at = HEADER.index("datum")
    out = [rows[0]] + [[*r[:at], "{2}-{1}-{0}".format(*(str(int(p)) for p in r[at].split("-"))), *r[at + 1:]] for r in rows[1:]]
    return as_text(out, ";").encode("cp1252")


def registrations(rows: int, seed: int) -> dict[str, Any]:
    from balie.desk.exchange import checking, importing
    from balie.desk.models import Question

    table = registrations_csv(rows, seed)
    text = as_text(table)
    result: dict[str, Any] = {"rows": rows}
    first, result["first_import_s"] = timed(lambda: importing.import_text(text))
    result["created"] = first.created

    def again() -> int:
        try:
            importing.import_text(text)
        except importing.DuplicatesFound as exc:
            return exc.duplicates.count
        return 0

    result["duplicates_found"], result["duplicates_detect_s"] = timed(again)
    skipped, result["skip_s"] = timed(lambda: importing.import_text(text, duplicates=importing.Mode.SKIP))
    result["skip_created"], result["skip_skipped"] = skipped.created, skipped.skipped
    replaced, result["replace_s"] = timed(lambda: importing.import_text(text, duplicates=importing.Mode.REPLACE))
    result["replace_replaced"], result["replace_created"] = replaced.replaced, replaced.created
    result["questions_after"] = Question.objects.count()
    data = excel_nl(table)
    plan, result["excel_nl_decode_check_s"] = timed(lambda: checking.check(checking.decode(data), scrub_notes=False))
    result["excel_nl_errors"] = len(plan.errors)
    return result


def hsds_package(services: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    orgs = [uid() for _ in range(max(1, services // 5))]
    rows: dict[str, list[list[str]]] = {
        "organizations.csv": [["id", "name", "description", "website"]] + [[o, f"Stichting {i}", "Helpt met post", f"https://s{i}.example"] for i, o in enumerate(orgs)],
        "services.csv": [["id", "organization_id", "name", "status", "balie_instanties"]],
        "locations.csv": [["id", "location_type", "organization_id", "name", "latitude", "longitude"]],
        "service_at_location.csv": [["id", "service_id", "location_id"]],
        "schedules.csv": [["id", "service_id", "freq", "byday", "opens_at", "closes_at", "attending_type"]],
        "service_areas.csv": [["id", "service_id", "name", "extent", "extent_type"]],
        "programs.csv": [["id", "organization_id", "name", "description"]],
    }
    locations = {}
    for o in orgs:
        locations[o] = uid()
        rows["locations.csv"].append([locations[o], "physical", o, "Kantoor", f"{51.9 + rng.random() / 10:.5f}", f"{4.4 + rng.random() / 10:.5f}"])
        rows["programs.csv"].append([uid(), o, "Programma", "Een programma"])
    for i in range(services):
        o, s = rng.choice(orgs), uid()
        rows["services.csv"].append([s, o, f"Dienst {i}", "active", "BELASTINGDIENST"])
        rows["service_at_location.csv"].append([uid(), s, locations[o]])
        rows["schedules.csv"].append([uid(), s, "WEEKLY", "MO,WE", "09:00", "12:00", rng.choice(["phone", "in person"])])
        rows["service_areas.csv"].append([uid(), s, "Rotterdam", "GM0599", "text"])
    return {name: as_text(r) for name, r in rows.items()}


def hsds(services: int, seed: int) -> dict[str, Any]:
    from balie.network.models import Organisation
    from balie.partners import hsds as package

    rdam, gouda = Organisation.objects.get(code="BIB-RDAM"), Organisation.objects.get(code="BIB-GOUDA")
    folder = ROOT / "tests" / "fixtures" / "hsds-official"
    official = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.csv")}
    imported = package.import_package(official, organisation=rdam)
    result: dict[str, Any] = {"official": {
        "files": len(official), "rows": sum(t.count("\n") - 1 for t in official.values()), "partners": imported.partners,
        "services": imported.services, "locations": imported.locations, "rows_kept": imported.records, "warnings": imported.warning_total,
    }}
    files = hsds_package(services, seed)
    generated, result["generated_import_s"] = timed(lambda: package.import_package(files, organisation=gouda))
    result["generated"] = {"services": generated.services, "partners": generated.partners, "rows": sum(t.count("\n") - 1 for t in files.values()),
                           "warnings": generated.warning_total}
    exported, result["export_s"] = timed(lambda: package.export_package(gouda))
    _, result["reimport_s"] = timed(lambda: package.import_package(exported, organisation=gouda))
    result["round_trip_identical"] = package.export_package(gouda) == exported
    return result


def django_in(directory: Path) -> None:
    """Django set up as in production (no debug, no name model) on a SQLite file in directory, unless DATABASE_URL is
    set; also used by bench/hsds_json.py."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    os.environ["BALIE_DEBUG"] = "False"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "localhost")
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "False"
    os.environ["BALIE_PII_WARMUP"] = "False"
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="balie-bench-imports-"))
    try:
        django_in(directory)
        from django.core.management import call_command

        from balie.demo.network import build_network

        log("[imports] migrate and the demo network ...")
        call_command("migrate", verbosity=0)
        build_network()
        log(f"[imports] registrations: {args.rows} rows ...")
        out: dict[str, Any] = {"bench": "imports", "database": os.environ["DATABASE_URL"].split(":", 1)[0]}
        out["registrations"] = registrations(args.rows, args.seed)
        log(f"[imports] HSDS: official example and {args.rows} services ...")
        out["hsds"] = hsds(args.rows, args.seed)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
