"""The HSDS 3.0 package format, read from the standard's own tabular data package (datapackage.json, next to this file).

datapackage.json is the Open Referral HSDS 3.0.0 "tabular-data-package" (CC-BY-SA 4.0, https://openreferral.org), copied
unchanged: which files a package may hold, their columns, which are required, their types, formats, enums and foreign
keys all come from it, so the checks follow the standard and not our own demo data. What HSDS has no column for travels in
`balie_*` extension columns (EXTENSIONS); every other unknown column or file is imported with a warning.
"""

from __future__ import annotations

import json
import pathlib
import re
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from balie.core.csvcheck import Rejected, RowError
from balie.core.pii import normalise_phone  # noqa: F401  (re-exported for the HSDS checks)
from balie.network.models import Organisation

SCHEMA_PATH = pathlib.Path(__file__).with_name("datapackage.json")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    format: str | None
    required: bool
    unique: bool
    enum: tuple[str, ...] | None


@dataclass(frozen=True)
class Resource:
    name: str  # "organization"
    path: str  # "organizations.csv"
    columns: tuple[Column, ...]
    primary_key: str
    references: dict[str, str]  # column -> file it refers to (the schema's foreignKeys)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _load() -> dict[str, Resource]:
    package = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    paths = {r["name"]: r["path"] for r in package["resources"]}
    resources = {}
    for r in package["resources"]:
        schema = r["schema"]
        columns = tuple(
            Column(f["name"], f.get("type", "string"), f.get("format"), bool(f.get("constraints", {}).get("required")),
                   bool(f.get("constraints", {}).get("unique")), tuple(f["constraints"]["enum"]) if "enum" in f.get("constraints", {}) else None)
            for f in schema["fields"]
        )
        references = {fk["fields"]: paths[fk["reference"]["resource"]] for fk in schema.get("foreignKeys", [])
                      if fk["reference"]["resource"] in paths}
        resources[r["path"]] = Resource(r["name"], r["path"], columns, schema.get("primaryKey", "id"), references)
    return resources


RESOURCES: dict[str, Resource] = _load()
SCHEMA_VERSION = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["version"]
# Balie's own columns (an HSDS profile may add columns): the national codes a service helps with, and a location's address.
EXTENSIONS: dict[str, list[str]] = {
    "services.csv": ["balie_instanties", "balie_onderwerpen", "balie_behoefteprofielen", "balie_talen", "balie_toegang"],
    "locations.csv": ["balie_adres", "balie_postcode", "balie_plaats"],
}
# Every file of the standard with its columns in the schema's order, then Balie's extension columns.
FILES: dict[str, list[str]] = {path: r.column_names + EXTENSIONS.get(path, []) for path, r in RESOURCES.items()}
REQUIRED_COLUMNS: dict[str, list[str]] = {path: [c.name for c in r.columns if c.required] for path, r in RESOURCES.items()}
# Balie keeps no contact persons of partners (names and e-mail addresses of people); contacts.csv is skipped with a warning,
# and so are the columns that name a person elsewhere.
NOT_KEPT_FILES = {"contacts.csv"}
NOT_KEPT_COLUMNS = {"addresses.csv": {"attention"}, "metadata.csv": {"updated_by"}}
NOT_KEPT = "(niet bewaard)"
DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
DAY_CODES = {v: k for k, v in DAYS.items()}
# ISO 8601 times: 09:00, 09:00:00, 09:00:00.5, with an optional offset (Z or +01:00).
# Table Schema's time is XML Schema's, where 24:00:00 is the end of the day ("closes_at": "24:00:00").
TIME_RE = re.compile(r"^(([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?|24:00(:00(\.0+)?)?)(Z|[+-]\d{2}:\d{2})?$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Ids Balie makes up for rows that have none of their own (a warm line typed in the screen): the same input, the same id.
BALIE_NAMESPACE = uuid.UUID("6f1c1f0e-5b0a-4c36-9d0e-3f6c2b7a8d41")
Row = dict[str, str]
Rows = dict[str, list[tuple[int, Row]]]


def made_id(*parts: str) -> str:
    return str(uuid.uuid5(BALIE_NAMESPACE, "|".join(parts)))


def is_uuid(value: str) -> bool:
    return bool(UUID_RE.match(value))


class HsdsRejected(Rejected):
    what = gettext_lazy("het HSDS-pakket")

    def __init__(self, errors: list[RowError], omitted: int = 0):
        super().__init__(errors)
        self.total = len(errors) + omitted  # errors holds at most validate.MAX_ERRORS of them
        if omitted:
            # More than MAX_ERRORS, so always more than one.
            self.args = (gettext("%(total)s fouten in %(what)s (de eerste %(shown)s staan hieronder); er is niets geïmporteerd.") % {
                "total": self.total, "what": self.what, "shown": len(errors)},)


@dataclass
class ImportResult:
    partners: int = 0
    services: int = 0
    locations: int = 0
    created: int = 0
    records: int = 0  # rows of the package kept as they were (for the export), all files together
    warnings: list[RowError] = field(default_factory=list)
    warning_total: int = 0


def split_codes(value: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[|,;]", value or "") if c.strip()]


def split_days(value: str) -> list[str]:
    return [d.strip().upper() for d in value.split(",") if d.strip()]


def time_text(value: str) -> str:
    """'09:00', '09:00:00' or '09:00:00+01:00' -> '09:00' (only for values TIME_RE accepted); the end of the day
    ('24:00:00') is the last minute a time of day can hold, '23:59' (the export writes the package's own value back)."""
    return "23:59" if value.startswith("24:") else value[:5]


def organisation_option(code: str | None) -> Organisation | None:
    """The library organisation named by a command's --organisation (None: national partners)."""
    from django.core.management.base import CommandError

    if not code:
        return None
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise CommandError(f"Onbekende organisatie {code}.")
    return organisation
