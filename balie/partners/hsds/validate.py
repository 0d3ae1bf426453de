"""Checking every row of every file of an HSDS package before anything is saved; errors are Dutch and precise.

Besides the content rules, the checks keep hostile or broken files from reaching the database (review L1, L3, M8, L10):
a field over the csv module's limit or a file over MAX_ROWS rows becomes a row message (not a 500); a NUL character,
an id, e-mail address, website or address longer than its database column is refused (PostgreSQL would fail on it);
e-mail addresses must pass Django's EmailValidator (so "a@b.nl\nBcc: c@d.nl" never becomes a mail header) and websites
must be http(s) (no javascript: link for an API client to render). After MAX_ERRORS errors the rest is only counted
(HsdsRejected.total).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from balie.core import codelists
from balie.core.csvcheck import RowError
from balie.core.models import CodeList
from balie.core.spreadsheet import restore_cell
from balie.network.models import Gemeente

from ..models import Access, HoursKind, Partner, PartnerLocation, Service
from .schema import DAYS, FILES, REQUIRED_COLUMNS, TIME_RE, Rows, normalise_phone, split_codes, split_days, time_text

Row = dict[str, str]
MAX_ROWS = 10_000  # per file: a large city's social map has a few thousand services; 10,000 save in about 10 s
MAX_ERRORS = 500  # listed on the page; more would only bury the first ones
_validate_url = URLValidator(schemes=["http", "https"])
EMAIL_MAX = Partner._meta.get_field("email").max_length
WEBSITE_MAX = Partner._meta.get_field("website").max_length
# Values that are matched or used as they are, so they are refused rather than cut off when too long for their column.
# (Names, costs, postcodes and travel directions are cut to their column length when saved, as before.)
MAX_LENGTHS: dict[str, dict[str, int]] = {
    "organizations.csv": {"id": Partner._meta.get_field("hsds_id").max_length},
    "services.csv": {"id": Service._meta.get_field("hsds_id").max_length},
    "locations.csv": {
        "id": PartnerLocation._meta.get_field("hsds_id").max_length,
        "balie_adres": PartnerLocation._meta.get_field("address").max_length,
        "balie_plaats": PartnerLocation._meta.get_field("plaats").max_length,
    },
}


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in an error message: control characters (a newline in an e-mail address) made visible, long ones cut."""
    visible = "".join(c if c.isprintable() else "␣" for c in value)
    return visible if len(visible) <= limit else visible[:limit] + "…"


def _field_limit() -> str:
    return f"{csv.field_size_limit():,}".replace(",", ".")
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
SERVICE_CODE_COLUMNS = (
    ("balie_instanties", CodeList.INSTANTIE), ("balie_onderwerpen", CodeList.ONDERWERP),
    ("balie_behoefteprofielen", CodeList.BEHOEFTEPROFIEL), ("balie_talen", CodeList.TAAL),
)


class _Checker:
    def __init__(self, files: dict[str, str]):
        self.files = files
        self.errors: list[RowError] = []
        self.omitted = 0
        self.rows: Rows = {}
        version = codelists.current_version()
        self.codes = {name: set(codelists.codes(version, name)) for name in (CodeList.INSTANTIE, CodeList.ONDERWERP, CodeList.BEHOEFTEPROFIEL, CodeList.TAAL)}
        self.gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
        self.gemeente_names = {g.naam.lower(): g for g in self.gemeenten.values()}

    def error(self, file: str, line: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message, file=file))
        else:
            self.omitted += 1

    # --- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        for name in FILES:
            if name not in self.files:
                self.error(name, 0, "", "Dit bestand ontbreekt in het pakket. Een leeg bestand met alleen de kopregel mag.")
                continue
            reader = csv.DictReader(io.StringIO(self.files[name]))
            try:
                header = [h.strip() for h in (reader.fieldnames or [])]
            except csv.Error as exc:
                self._csv_error(name, reader, exc)
                continue
            missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
            for column in missing:
                self.error(name, 1, column, "Deze kolom ontbreekt in de kopregel.")
            if not missing:
                self.rows[name] = self._load_rows(name, reader)

    def _csv_error(self, name: str, reader: csv.DictReader, exc: csv.Error) -> None:
        # The csv module stops at a field over its limit (131,072 characters), usually a quote that is never closed.
        if "field larger than field limit" in str(exc):
            message = (f"Een veld is langer dan {_field_limit()} tekens. Staat er een aanhalingsteken (\") dat niet "
                       "wordt afgesloten? Vanaf hier is het bestand niet gelezen.")
        else:
            message = "Deze regel is geen geldige CSV (controleer de aanhalingstekens). Vanaf hier is het bestand niet gelezen."
        self.error(name, max(reader.line_num, 1), "", message)

    def _load_rows(self, name: str, reader: csv.DictReader) -> list[tuple[int, Row]]:
        rows: list[tuple[int, Row]] = []
        seen: set[str] = set()
        line = 1
        try:
            for line, row in enumerate(reader, start=2):
                if line - 1 > MAX_ROWS:
                    self.error(name, line, "", f"Dit bestand heeft meer dan {MAX_ROWS:,} regels. ".replace(",", ".")
                               + "Splits de sociale kaart in kleinere pakketten. De regels hierna zijn niet gelezen.")
                    break
                # restore_cell: our own export puts an apostrophe before text that starts like a formula (core.spreadsheet).
                clean = {(k or "").strip(): restore_cell((v if isinstance(v, str) else "").strip()).strip() for k, v in row.items() if k}
                if not any(clean.values()):
                    continue
                for column in [c for c, v in clean.items() if "\x00" in v]:
                    # PostgreSQL cannot store a NUL character (review L3); it never belongs in a text.
                    self.error(name, line, column, "Hier staat een onzichtbaar NUL-teken (0x00). Haal het weg en probeer het opnieuw.")
                self._check_values(name, line, clean)
                rows.append((line, clean))
                if not clean["id"]:
                    self.error(name, line, "id", "Vul een id in.")
                elif clean["id"] in seen:
                    self.error(name, line, "id", f"Het id {shown(clean['id'])} komt twee keer voor in dit bestand.")
                seen.add(clean["id"])
        except csv.Error as exc:
            self._csv_error(name, reader, exc)
        return rows

    def _check_values(self, name: str, line: int, row: Row) -> None:
        for column, value in row.items():
            if "\x00" in value:
                # PostgreSQL text cannot hold NUL; it is never meant to be in a CSV field anyway.
                self.error(name, line, column, "In dit veld staat een onzichtbaar teken (NUL) dat niet in tekst hoort. Sla het bestand opnieuw op als CSV UTF-8.")
                row[column] = value.replace("\x00", "")
        for column, limit in MAX_LENGTHS.get(name, {}).items():
            if len(row.get(column, "")) > limit:
                what = "Een id" if column == "id" else "Dit veld"
                self.error(name, line, column, f"{what} mag hoogstens {limit} tekens lang zijn; dit is {len(row[column]):,} tekens.".replace(",", "."))

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
        value = row.get("email", "")
        if not value:
            return
        try:
            validate_email(value)
        except ValidationError:
            valid = False
        else:
            valid = len(value) <= EMAIL_MAX
        if not valid:
            self.error(file, line, "email", f"{shown(value)} is geen geldig e-mailadres. Vul één adres in, zoals info@voorbeeld.nl.")

    def website_in(self, file: str, line: int, row: Row) -> None:
        value = row.get("website", "")
        if not value:
            return
        if "://" not in value and ":" not in value.split("/", 1)[0]:
            value = "https://" + value  # www.voorbeeld.nl: a web address without its https://
        try:
            _validate_url(value)
        except ValidationError:
            valid = False
        else:
            valid = len(value) <= WEBSITE_MAX
        if not valid:
            self.error(file, line, "website", f"{shown(value)} is geen geldig webadres. Gebruik een adres dat begint met https:// "
                                              f"(hoogstens {WEBSITE_MAX} tekens).")
        else:
            row["website"] = value

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
        self.website_in(f, line, row)

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
