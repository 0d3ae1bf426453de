"""Checking every row of every file of an HSDS package before anything is saved; errors are Dutch and precise."""

from __future__ import annotations

import csv
import datetime as dt
import io

from balie.core import codelists
from balie.core.csvcheck import RowError
from balie.core.models import CodeList
from balie.core.spreadsheet import restore_cell
from balie.network.models import Gemeente

from ..models import Access, HoursKind
from .schema import DAYS, FILES, REQUIRED_COLUMNS, TIME_RE, Rows, normalise_phone, split_codes, split_days, time_text

Row = dict[str, str]
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
SERVICE_CODE_COLUMNS = (
    ("balie_instanties", CodeList.INSTANTIE), ("balie_onderwerpen", CodeList.ONDERWERP),
    ("balie_behoefteprofielen", CodeList.BEHOEFTEPROFIEL), ("balie_talen", CodeList.TAAL),
)


class _Checker:
    def __init__(self, files: dict[str, str]):
        self.files = files
        self.errors: list[RowError] = []
        self.rows: Rows = {}
        version = codelists.current_version()
        self.codes = {name: set(codelists.codes(version, name)) for name in (CodeList.INSTANTIE, CodeList.ONDERWERP, CodeList.BEHOEFTEPROFIEL, CodeList.TAAL)}
        self.gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
        self.gemeente_names = {g.naam.lower(): g for g in self.gemeenten.values()}

    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message, file=file))

    # --- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        for name in FILES:
            if name not in self.files:
                self.error(name, 0, "", "Dit bestand ontbreekt in het pakket. Een leeg bestand met alleen de kopregel mag.")
                continue
            reader = csv.DictReader(io.StringIO(self.files[name]))
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
            for column in missing:
                self.error(name, 1, column, "Deze kolom ontbreekt in de kopregel.")
            if not missing:
                self.rows[name] = self._load_rows(name, reader)

    def _load_rows(self, name: str, reader: csv.DictReader) -> list[tuple[int, Row]]:
        rows, seen = [], set()
        for line, row in enumerate(reader, start=2):
            # restore_cell: our own export puts an apostrophe before text that starts like a formula (core.spreadsheet).
            clean = {(k or "").strip(): restore_cell((v or "").strip()).strip() for k, v in row.items() if k}
            if not any(clean.values()):
                continue
            for column in [c for c, v in clean.items() if "\x00" in v]:
                # PostgreSQL cannot store a NUL character (review L3); it never belongs in a text.
                self.error(name, line, column, "Hier staat een onzichtbaar NUL-teken (0x00). Haal het weg en probeer het opnieuw.")
            if not clean["id"]:
                self.error(name, line, "id", "Vul een id in.")
            elif clean["id"] in seen:
                self.error(name, line, "id", f"Het id {clean['id']} komt twee keer voor in dit bestand.")
            seen.add(clean["id"])
            rows.append((line, clean))
        return rows

    # --- shared rules ----------------------------------------------------------------------------
    def ids(self, name: str) -> set[str]:
        return {r["id"] for _, r in self.rows.get(name, [])}

    def ref(self, file: str, line: int, row: Row, column: str, target: str, *, required: bool) -> None:
        value = row.get(column, "")
        if not value:
            if required:
                self.error(file, line, column, "Vul dit veld in.")
            return
        if target in self.rows and value not in self.ids(target):
            self.error(file, line, column, f"Verwijst naar {value}, maar dat id staat niet in {target}.")

    def codes_in(self, file: str, line: int, row: Row, column: str, list_name: str) -> None:
        for code in split_codes(row.get(column, "")):
            if code not in self.codes[list_name]:
                self.error(file, line, column, f"Onbekende code {code} in de codelijst {list_name}.")

    def email_in(self, file: str, line: int, row: Row) -> None:
        if row.get("email") and "@" not in row["email"]:
            self.error(file, line, "email", f"{row['email']} is geen geldig e-mailadres.")

    def gemeente_for(self, row: Row) -> Gemeente | None:
        code = row.get("extent", "").upper()
        if code in self.gemeenten:
            return self.gemeenten[code]
        return self.gemeente_names.get(row.get("name", "").lower())

    # --- one method per file, in the order the errors are reported -------------------------------
    def check(self) -> None:
        self.load()
        checks = [
            ("organizations.csv", self.check_organization), ("services.csv", self.check_service), ("locations.csv", self.check_location),
            ("service_at_location.csv", self.check_service_at_location), ("phones.csv", self.check_phone),
            ("schedules.csv", self.check_schedule), ("service_areas.csv", self.check_service_area),
        ]
        for name, check_row in checks:
            for line, row in self.rows.get(name, []):
                check_row(name, line, row)

    def check_organization(self, f: str, line: int, row: Row) -> None:
        if not row["name"]:
            self.error(f, line, "name", "Vul de naam van de organisatie in.")
        self.email_in(f, line, row)

    def check_service(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "organization_id", "organizations.csv", required=True)
        if not row["name"]:
            self.error(f, line, "name", "Vul de naam van de dienst in.")
        self.email_in(f, line, row)
        if row.get("status") and row["status"] not in SERVICE_STATUSES:
            self.error(f, line, "status", "Gebruik active, inactive, defunct of temporarily closed.")
        if row.get("assured_date"):
            try:
                dt.date.fromisoformat(row["assured_date"])
            except ValueError:
                self.error(f, line, "assured_date", f"{row['assured_date']} is geen datum; gebruik JJJJ-MM-DD.")
        for column, list_name in SERVICE_CODE_COLUMNS:
            self.codes_in(f, line, row, column, list_name)
        if row.get("balie_toegang") and row["balie_toegang"] not in Access.values:
            self.error(f, line, "balie_toegang", f"Gebruik {', '.join(Access.values)}.")

    def check_location(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "organization_id", "organizations.csv", required=True)
        for column in ("latitude", "longitude"):
            if row.get(column):
                try:
                    float(row[column])
                except ValueError:
                    self.error(f, line, column, f"{row[column]} is geen getal.")

    def check_service_at_location(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "service_id", "services.csv", required=True)
        self.ref(f, line, row, "location_id", "locations.csv", required=True)

    def check_phone(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "organization_id", "organizations.csv", required=False)
        self.ref(f, line, row, "service_id", "services.csv", required=False)
        self.ref(f, line, row, "location_id", "locations.csv", required=False)
        if not (row.get("organization_id") or row.get("service_id") or row.get("location_id")):
            self.error(f, line, "service_id", "Een telefoonnummer hoort bij een organisatie, dienst of locatie.")
        if normalise_phone(row["number"]) is None:
            self.error(f, line, "number", f"{row['number'] or '(leeg)'} is geen geldig Nederlands telefoonnummer.")

    def check_schedule(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "service_id", "services.csv", required=False)
        self.ref(f, line, row, "location_id", "locations.csv", required=False)
        self.ref(f, line, row, "service_at_location_id", "service_at_location.csv", required=False)
        if not (row.get("service_id") or row.get("service_at_location_id")):
            self.error(f, line, "service_id", "Een tijdvak hoort bij een dienst (service_id of service_at_location_id).")
        if row.get("freq") and row["freq"].upper() != "WEEKLY":
            self.error(f, line, "freq", "Alleen wekelijkse tijden (WEEKLY) worden ondersteund.")
        days = split_days(row["byday"])
        if not days or any(d not in DAYS for d in days):
            self.error(f, line, "byday", "Gebruik dagen als MO,TU,WE,TH,FR,SA,SU.")
        self._check_times(f, line, row)
        if row.get("attending_type") and row["attending_type"] not in HoursKind.values:
            self.error(f, line, "attending_type", "Gebruik phone (warme lijn) of in_person (open voor bezoek).")

    def _check_times(self, f: str, line: int, row: Row) -> None:
        times = []
        for column in ("opens_at", "closes_at"):
            if not TIME_RE.match(row[column]):
                self.error(f, line, column, f"{row[column] or '(leeg)'} is geen tijd; gebruik UU:MM.")
            else:
                times.append(time_text(row[column]))
        if len(times) == 2 and times[0] >= times[1]:
            self.error(f, line, "closes_at", "De eindtijd moet na de begintijd liggen.")

    def check_service_area(self, f: str, line: int, row: Row) -> None:
        self.ref(f, line, row, "service_id", "services.csv", required=True)
        if self.gemeente_for(row) is None:
            self.error(f, line, "extent", f"Onbekende gemeente {row.get('extent') or row.get('name') or '(leeg)'}; gebruik de CBS-code, bijvoorbeeld GM0599.")


def check(files: dict[str, str]) -> _Checker:
    checker = _Checker(files)
    checker.check()
    return checker
