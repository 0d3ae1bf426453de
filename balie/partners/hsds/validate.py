"""Checking an HSDS package against the HSDS 3.0 schema (schema.py reads the standard's datapackage.json) before anything
is saved, and planning how it lands on Balie's social map.

Two kinds of findings:

- errors: what the schema itself makes invalid (a required column or value missing, a value of the wrong type, format or
  enum, an id twice, more cells than columns, a required reference to an id that is not in the package), and what no
  database can hold (a NUL character, a field over the csv module's limit, a file over MAX_ROWS rows). One error refuses
  the whole package; each names the file, the line and the column.
- warnings: what is valid HSDS but does not fit Balie's map one to one (a reference the schema does not require that
  points nowhere, an unknown column or file, a phone number that is not Dutch, a service area that is no Dutch
  municipality, a schedule that is not weekly). The package is imported; the row is kept as it came for the export.

Free text stays free text: attending_type, extent with its extent_type, descriptions. Past MAX_ERRORS / MAX_WARNINGS: counted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from balie.core import codelists
from balie.core.csvcheck import RowError, physical_lines
from balie.core.spreadsheet import restore_cell
from balie.network.models import Gemeente

from ..models import Access
from .jsonread import Table, locate
from .schema import (
    DAYS,
    EXTENSIONS,
    NOT_KEPT,
    NOT_KEPT_COLUMNS,
    NOT_KEPT_FILES,
    RESOURCES,
    Column,
    Row,
    Rows,
    normalise_phone,
    split_codes,
    split_days,
    time_text,
)
from .values import (
    EMAIL_MAX,
    EXTENSION_MAX,
    LANGUAGES,
    PHONE_MAX,
    SERVICE_CODE_COLUMNS,
    WEBSITE_MAX,
    Weekly,
    field_limit,
    gemeente_for,
    shown,
    type_problem,
    validate_url,
    warm_kind,
)

MAX_ROWS = 10_000  # per file: a large city's social map has a few thousand services; 10,000 save in about 10 s
MAX_ERRORS = 500  # listed on the page; more would only bury the first ones
MAX_WARNINGS = 500
class _Checker:
    def __init__(self, files: dict[str, Any]):
        self.files = files  # name -> CSV text or a Table from JSON; a read.Package also says how its CSV files are written
        self.dialects: dict[str, dict[str, Any]] = getattr(files, "dialects", {})
        self.fieldnames: dict[str, list[str]] = getattr(files, "fieldnames", {})
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = list(getattr(files, "notes", []))
        self.omitted = 0
        self.warnings_omitted = 0
        self.rows: Rows = {}
        self.ids: dict[str, set[str]] = {}
        self.headers: dict[str, list[str]] = {}
        self.unique: dict[tuple[str, str], dict[str, int]] = {}  # (file, column) -> value -> first line
        version = codelists.current_version()
        self.codes = {name: set(codelists.codes(version, name)) for _, name in SERVICE_CODE_COLUMNS}
        self.gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
        self.gemeente_names = {g.naam.lower(): g for g in self.gemeenten.values()}
        # The plan for Balie's map, filled by plan(): which rows become which entries.
        self.location_partner: dict[str, str] = {}  # location id -> organization id it is shown under
        self.service_phone: dict[str, Row] = {}  # service id -> the phones row that is its warm line
        self.partner_phone: dict[str, Row] = {}
        self.weekly: dict[str, Weekly] = {}  # schedule id -> what Balie shows
        self.areas: dict[str, tuple[str, Gemeente]] = {}  # service_areas id -> (service id, municipality)
        self.addresses: dict[str, Row] = {}  # location id -> its address row
        self.languages: dict[str, list[str]] = {}  # service id -> Balie language codes from languages.csv
        self.coordinates: dict[str, tuple[float, float]] = {}
        self.websites: dict[str, str] = {}
        self.modelled: set[tuple[str, str]] = set()  # (file, id) of rows that became an entry on the map

    def error(self, file: str, line: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message, file=file))
        else:
            self.omitted += 1

    def warn(self, file: str, line: int, column: str, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(RowError(line, column, message, file=file))
        else:
            self.warnings_omitted += 1

    # --- reading the files -----------------------------------------------------------------------
    def load(self) -> None:
        known = [name for name in self.files if name in RESOURCES]
        for name in sorted(set(self.files) - set(known)):
            self.warn(name, 0, "", gettext("Dit bestand hoort niet bij HSDS 3.0. Balie heeft het niet gebruikt."))
        if not known:
            self.error("", 0, "", gettext("Er staat geen enkel HSDS-bestand in het pakket (zoals organizations.csv en services.csv)."))
        for name in [n for n in RESOURCES if n in self.files]:
            self._load_file(name)
            if name in NOT_KEPT_FILES and self.rows.get(name):
                self.warn(name, 0, "", gettext("Balie bewaart geen contactpersonen (namen en e-mailadressen van mensen). De %(n)s regels "
                                               "van dit bestand zijn overgeslagen.") % {"n": len(self.rows[name])})
            for column in sorted(NOT_KEPT_COLUMNS.get(name, set()) & {c for _, r in self.rows.get(name, []) for c, v in r.items() if v and v != NOT_KEPT}):
                self.warn(name, 0, column, gettext("Balie bewaart geen namen van personen; deze kolom is niet overgenomen (een verplichte "
                                                   "kolom krijgt bij export de tekst '%(text)s').") % {"text": NOT_KEPT})

    def _records(self, name: str) -> Iterator[tuple[int, list[str]]]:
        reader, previous_end = csv.reader(physical_lines(self.files[name]), strict=True, **self.dialects.get(name, {})), 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = previous_end + 1
                if "field larger than field limit" in str(exc):
                    message = gettext("Een veld is langer dan %(limit)s tekens. Staat er een aanhalingsteken (\") dat niet "
                                      "wordt afgesloten? Vanaf hier is het bestand niet gelezen.") % {"limit": field_limit()}
                else:
                    message = gettext("Hier begint een tekst met een aanhalingsteken (\") die niet goed wordt afgesloten. Vanaf hier is "
                                      "het bestand niet gelezen. Een aanhalingsteken in een tekst staat er dubbel (\"\").")
                self.error(name, line, "", message)
                return
            yield previous_end + 1, fields
            previous_end = reader.line_num

    def _load_file(self, name: str) -> None:
        from_json = isinstance(self.files[name], Table)
        records = self.files[name].records() if from_json else self._records(name)
        first = (0, self.fieldnames[name]) if name in self.fieldnames else next(records, None)  # datapackage.json: header false
        self.rows[name], self.ids[name] = [], set()
        if first is None:
            return  # an empty file: nothing in it
        header = [h.strip() for h in first[1]]
        self.headers[name] = header
        self._check_header(name, header)
        count = 0
        for line, fields in records:
            if not any(f.strip() for f in fields):
                continue
            count += 1
            if count > MAX_ROWS:
                self.error(name, line, "", gettext("Dit bestand heeft meer dan %(max)s regels. Splits de sociale kaart in kleinere "
                                                   "pakketten. De regels hierna zijn niet gelezen.") % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
                break
            self._load_row(name, line, header, fields, from_csv=not from_json)

    def _check_header(self, name: str, header: list[str]) -> None:
        resource = RESOURCES[name]
        known = set(resource.column_names) | set(EXTENSIONS.get(name, []))
        for column in sorted({h for h in header if header.count(h) > 1}):
            self.error(name, 1, column, gettext("Deze kolom staat twee keer in de kopregel."))
        for column in header:
            if column not in known:
                self.warn(name, 1, column or gettext("(leeg)"), gettext("Deze kolom hoort niet bij HSDS 3.0. Balie heeft hem niet gebruikt."))
        for c in resource.columns:
            if c.required and c.name not in header:
                self.error(name, 1, c.name, gettext("Deze kolom is verplicht in HSDS 3.0 en ontbreekt in de kopregel."))

    def _load_row(self, name: str, line: int, header: list[str], fields: list[str], *, from_csv: bool) -> None:
        """One row; from_csv: read from a CSV file (else flattened from JSON)."""
        resource = RESOURCES[name]
        for index in [i for i, v in enumerate(fields) if "\x00" in v]:
            # PostgreSQL text cannot hold NUL (review L3); it never belongs in a CSV field.
            self.error(name, line, header[index] if index < len(header) else "", gettext(
                "In dit veld staat een onzichtbaar teken (NUL) dat niet in tekst hoort. Sla het bestand opnieuw op als CSV UTF-8."))
        if len(fields) != len(header):
            self.error(name, line, "", gettext("Deze regel heeft %(fields)s velden, de kopregel %(header)s. Staat er een komma in een tekst "
                                               "zonder aanhalingstekens eromheen?") % {"fields": len(fields), "header": len(header)})
            return
        # restore_cell: our own CSV export puts an apostrophe before text that starts like a formula (core.spreadsheet).
        # A JSON value is no spreadsheet cell (we export no JSON): its apostrophe is the writer's own text and stays.
        row = {h: (restore_cell(v.strip()) if from_csv else v).strip() for h, v in zip(header, fields) if h}
        columns = {c.name: c for c in resource.columns}
        for column, value in row.items():
            if column in columns and "\x00" not in value:
                self._check_value(name, line, columns[column], value)
        for column, limit in EXTENSION_MAX.get(name, {}).items():
            if len(row.get(column, "")) > limit:
                self.error(name, line, column, gettext("Dit veld mag hoogstens %(limit)s tekens lang zijn; dit is %(length)s tekens.") % {
                    "limit": limit, "length": f"{len(row[column]):,}".replace(",", ".")})
        for c in resource.columns:
            if c.required and c.name in header and not row.get(c.name):
                self.error(name, line, c.name, gettext("Dit veld is verplicht in HSDS 3.0. Vul het in."))
        key = row.get(resource.primary_key, "")
        if key and key in self.ids[name]:
            self.error(name, line, resource.primary_key, gettext("Het id %(id)s komt twee keer voor in dit bestand.") % {"id": shown(key)})
        self.ids[name].add(key)
        # Other columns the schema marks unique (programs.organization_id, taxonomy_terms.code); an empty value is no value.
        for column in [c.name for c in resource.columns if c.unique and c.name != resource.primary_key and row.get(c.name)]:
            first = self.unique.setdefault((name, column), {}).setdefault(row[column], line)
            if first != line:
                self.error(name, line, column, gettext("%(value)s staat ook op regel %(line)s; HSDS 3.0 vraagt in deze kolom een andere "
                                                       "waarde op elke regel.") % {"value": shown(row[column]), "line": first})
        self.rows[name].append((line, row))

    def _check_value(self, name: str, line: int, column: Column, value: str) -> None:
        if not value:
            return
        problem = type_problem(column, value)
        if problem:
            self.error(name, line, column.name, f"{shown(value)} {problem}")
        elif column.enum is not None and value not in column.enum:
            self.error(name, line, column.name, gettext("%(value)s is hier niet toegestaan; gebruik %(allowed)s.") % {
                "value": shown(value), "allowed": gettext(" of ").join(column.enum)})

    # --- references --------------------------------------------------------------------------------
    def references(self) -> None:
        for name, rows in self.rows.items():
            if name in NOT_KEPT_FILES:
                continue  # not imported, so its references do not matter (its rows are only read for their ids)
            resource = RESOURCES[name]
            required = {c.name for c in resource.columns if c.required}
            for column, target in resource.references.items():
                for line, row in rows:
                    value = row.get(column, "")
                    if not value or value in self.ids.get(target, set()):
                        continue
                    where = (gettext("Verwijst naar %(value)s, maar dat id staat niet in %(file)s.") if target in self.files else
                             gettext("Verwijst naar %(value)s, maar dat id en %(file)s zit niet in het pakket."))
                    message = where % {"value": shown(value), "file": target}
                    if column in required:
                        self.error(name, line, column, message)
                    else:
                        self.warn(name, line, column, message + " " + gettext(
                            "De regel is wel geïmporteerd; deze verwijzing wordt niet gebruikt."))

    # --- how the rows land on Balie's map ----------------------------------------------------------
    def plan(self) -> None:
        orgs = self.ids.get("organizations.csv", set())
        services = {row["id"]: row for _, row in self.rows.get("services.csv", [])}
        for line, row in self.rows.get("organizations.csv", []):
            self.modelled.add(("organizations.csv", row["id"]))
            self._website(line, row)
            self._email("organizations.csv", line, row)
        for line, row in self.rows.get("services.csv", []):
            self.modelled.add(("services.csv", row["id"]))
            self._email("services.csv", line, row)
            self._service_codes(line, row)
        sal_rows = self.rows.get("service_at_location.csv", [])
        for line, row in self.rows.get("locations.csv", []):
            org = row.get("organization_id", "")
            if org not in orgs:
                # A location needs a partner on Balie's map: the organisation of a service given there.
                org = next((services[s["service_id"]]["organization_id"] for _, s in sal_rows
                            if s["location_id"] == row["id"] and s["service_id"] in services), "")
            if org:
                self.location_partner[row["id"]] = org
                self.modelled.add(("locations.csv", row["id"]))
                self._coordinates(line, row)
            else:
                self.warn("locations.csv", line, "organization_id", gettext("Deze locatie hoort bij geen organisatie en geen dienst in het "
                          "pakket. Ze staat niet op de sociale kaart, maar wordt wel weer geëxporteerd."))
        for _, row in sal_rows:
            if row["location_id"] in self.location_partner and row["service_id"] in services:
                self.modelled.add(("service_at_location.csv", row["id"]))
        for line, row in self.rows.get("addresses.csv", []):
            loc = row.get("location_id", "")
            # The first address of a location, a physical one (the visiting address) before a postal one.
            if loc in self.location_partner and (loc not in self.addresses or
                                                 (row.get("address_type") == "physical" != self.addresses[loc].get("address_type"))):
                self.addresses[loc] = row
        self._phones(services)
        self._schedules(services)
        self._areas(services)
        for _, row in self.rows.get("languages.csv", []):
            if row.get("service_id") in services:
                code = LANGUAGES.get(row.get("code", "").lower(), "OVERIG")
                self.languages.setdefault(row["service_id"], [])
                if code not in self.languages[row["service_id"]]:
                    self.languages[row["service_id"]].append(code)

    def _website(self, line: int, row: Row) -> None:
        value = row.get("website", "")
        if not value:
            return
        try:
            validate_url(value)
        except ValidationError:
            ok = False
        else:
            ok = len(value) <= WEBSITE_MAX
        if ok:
            self.websites[row["id"]] = value
        else:
            self.warn("organizations.csv", line, "website", gettext("Balie toont alleen webadressen die met http:// of https:// beginnen "
                      "(hoogstens %(max)s tekens); %(value)s staat niet op de kaart.") % {"max": WEBSITE_MAX, "value": shown(value)})

    def _email(self, name: str, line: int, row: Row) -> None:
        value = row.get("email", "")
        if value and len(value) > EMAIL_MAX:
            self.error(name, line, "email", gettext("Dit is geen geldig e-mailadres voor Balie: hoogstens %(max)s tekens.") % {"max": EMAIL_MAX})

    def _service_codes(self, line: int, row: Row) -> None:
        for column, list_name in SERVICE_CODE_COLUMNS:
            unknown = [c for c in split_codes(row.get(column, "")) if c not in self.codes[list_name]]
            if unknown:
                self.warn("services.csv", line, column, gettext("Onbekende code %(codes)s in de codelijst %(list)s; die is niet "
                                                                "overgenomen.") % {"codes": ", ".join(unknown), "list": list_name})
        if row.get("balie_toegang") and row["balie_toegang"] not in Access.values:
            self.warn("services.csv", line, "balie_toegang", gettext("Gebruik %(values)s; nu staat er op afspraak.") % {
                "values": ", ".join(Access.values)})

    def _coordinates(self, line: int, row: Row) -> None:
        if not (row.get("latitude") and row.get("longitude")):
            return
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            self.coordinates[row["id"]] = (lat, lon)
        else:
            self.warn("locations.csv", line, "latitude", gettext("%(lat)s, %(lon)s ligt niet op aarde (breedte -90 tot 90, lengte -180 tot "
                                                                 "180); Balie gebruikt deze ligging niet.") % {"lat": lat, "lon": lon})

    def _phones(self, services: dict[str, Row]) -> None:
        for line, row in self.rows.get("phones.csv", []):
            owner = ("service", row["service_id"]) if row.get("service_id") in services else (
                ("organization", row["organization_id"]) if row.get("organization_id") in self.ids.get("organizations.csv", set()) else None)
            target = {"service": self.service_phone, "organization": self.partner_phone}.get(owner[0]) if owner else None
            if target is None or owner is None or owner[1] in target:
                continue  # kept as it is for the export; Balie shows one number per service and per organisation
            target[owner[1]] = row
            self.modelled.add(("phones.csv", row["id"]))
            if normalise_phone(row["number"]) is None:
                self.warn("phones.csv", line, "number", (
                    gettext("%(value)s is geen Nederlands telefoonnummer. Het staat op de kaart zoals het hier staat (de eerste %(max)s "
                            "tekens).") if len(row["number"]) > PHONE_MAX else
                    gettext("%(value)s is geen Nederlands telefoonnummer. Het staat op de kaart zoals het hier staat.")
                ) % {"value": shown(row["number"]), "max": PHONE_MAX})

    def _schedules(self, services: dict[str, Row]) -> None:
        sal = {row["id"]: row for _, row in self.rows.get("service_at_location.csv", [])}
        for line, row in self.rows.get("schedules.csv", []):
            service_id, location_id = row.get("service_id", ""), row.get("location_id", "")
            if row.get("service_at_location_id") in sal:
                link = sal[row["service_at_location_id"]]
                service_id, location_id = link["service_id"], link["location_id"]
            days = split_days(row.get("byday", ""))
            reason = ""
            if service_id not in services:
                reason = gettext("Dit tijdvak hoort bij geen dienst in het pakket.")
            elif row.get("freq", "WEEKLY") not in ("WEEKLY", ""):
                reason = gettext("Dit tijdvak is niet wekelijks.")
            elif not days or any(d not in DAYS for d in days):
                reason = gettext("Dit tijdvak heeft geen dagen als MO,TU,WE in byday.")
            elif not (row.get("opens_at") and row.get("closes_at")):
                reason = gettext("Dit tijdvak heeft geen begin- en eindtijd.")
            elif time_text(row["opens_at"]) >= time_text(row["closes_at"]):
                reason = gettext("Dit tijdvak eindigt niet na de begintijd.")
            if reason:
                self.warn("schedules.csv", line, "", reason + " " + gettext("Balie toont het niet, maar exporteert het wel weer."))
                continue
            self.weekly[row["id"]] = Weekly(service_id, location_id if location_id in self.location_partner else "", days,
                                            time_text(row["opens_at"]), time_text(row["closes_at"]), warm_kind(row.get("attending_type", "")))
            self.modelled.add(("schedules.csv", row["id"]))

    def gemeente_for(self, row: Row) -> Gemeente | None:
        return gemeente_for(row, self.gemeenten, self.gemeente_names)

    def _areas(self, services: dict[str, Row]) -> None:
        for line, row in self.rows.get("service_areas.csv", []):
            gemeente = self.gemeente_for(row) if row.get("service_id") in services else None
            if gemeente is None:
                self.warn("service_areas.csv", line, "extent", gettext("Balie herkent hier geen Nederlandse gemeente (een CBS-code zoals "
                          "GM0599 of een gemeentenaam). Het werkgebied is bewaard en wordt weer geëxporteerd, maar staat niet op de kaart."))
                continue
            self.areas[row["id"]] = (row["service_id"], gemeente)
            self.modelled.add(("service_areas.csv", row["id"]))

    def check(self) -> None:
        self.load()
        if not self.errors:
            self.references()
        if not self.errors:
            self.plan()


def check(files: dict[str, Any]) -> _Checker:
    checker = _Checker(files)
    checker.check()
    checker.errors, checker.warnings = locate(files, checker.errors), locate(files, checker.warnings)  # JSON: a path, no line
    checker.errors = list(getattr(files, "errors", [])) + checker.errors  # what reading the JSON found comes first
    checker.omitted += getattr(files, "omitted", 0)
    return checker
