"""The HSDS package format: files and columns, the result and error types, and the small value rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from balie.core.csvcheck import Rejected, RowError
from balie.core.pii import normalise_phone  # noqa: F401  (re-exported for the HSDS checks)
from balie.network.models import Organisation

FILES: dict[str, list[str]] = {
    "organizations.csv": ["id", "name", "description", "email", "website"],
    "services.csv": [
        "id", "organization_id", "name", "description", "email", "status", "fees_description", "eligibility_description",
        "assured_date", "balie_instanties", "balie_onderwerpen", "balie_behoefteprofielen", "balie_talen", "balie_toegang",
    ],
    "locations.csv": ["id", "organization_id", "name", "transportation", "latitude", "longitude", "balie_adres", "balie_postcode", "balie_plaats"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "phones.csv": ["id", "organization_id", "service_id", "location_id", "number", "type", "description"],
    "schedules.csv": ["id", "service_id", "location_id", "service_at_location_id", "freq", "byday", "opens_at", "closes_at", "attending_type", "description"],
    "service_areas.csv": ["id", "service_id", "name", "extent", "extent_type"],
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "organizations.csv": ["id", "name"],
    "services.csv": ["id", "organization_id", "name"],
    "locations.csv": ["id", "organization_id", "name"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "phones.csv": ["id", "number"],
    "schedules.csv": ["id", "byday", "opens_at", "closes_at"],
    "service_areas.csv": ["id", "service_id"],
}
DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
DAY_CODES = {v: k for k, v in DAYS.items()}
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:00)?$")
Rows = dict[str, list[tuple[int, dict[str, str]]]]


class HsdsRejected(Rejected):
    what = "het HSDS-pakket"

    def __init__(self, errors: list[RowError], omitted: int = 0):
        super().__init__(errors)
        self.total = len(errors) + omitted  # errors holds at most validate.MAX_ERRORS of them
        if omitted:
            self.args = (f"{self.total} fouten in {self.what} (de eerste {len(errors)} staan hieronder); er is niets geïmporteerd.",)


@dataclass
class ImportResult:
    partners: int = 0
    services: int = 0
    locations: int = 0
    created: int = 0


def split_codes(value: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[|,;]", value or "") if c.strip()]


def split_days(value: str) -> list[str]:
    return [d.strip().upper() for d in value.split(",") if d.strip()]


def time_text(value: str) -> str:
    """'9:00' or '09:00:00' -> '09:00' (only for values TIME_RE accepted)."""
    return value[:5].zfill(5)


def organisation_option(code: str | None) -> Organisation | None:
    """The library organisation named by a command's --organisation (None: national partners)."""
    from django.core.management.base import CommandError

    if not code:
        return None
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise CommandError(f"Onbekende organisatie {code}.")
    return organisation
