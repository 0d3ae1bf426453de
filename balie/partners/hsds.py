"""Open Referral HSDS 3.0 CSV in and out for the social map (ADR 0009).

A package is a folder (or ZIP) with organizations.csv, services.csv, locations.csv, service_at_location.csv,
phones.csv, schedules.csv and service_areas.csv, using the HSDS column names. What HSDS has no column for is
carried in `balie_*` extension columns (the national codes a service helps with, languages, walk-in or
appointment, the address of a location), as HSDS profiles allow. service_areas name a municipality by its CBS
code in `extent` (extent_type "text").

The import checks every row of every file first and saves nothing unless all of it is right; each error
names the file, the line, the column and the reason in Dutch. Entries are matched on their HSDS id within
the library organisation, so importing the same package twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from balie.core import audit, codelists
from balie.core.codelists import join_multi
from balie.core.csvcheck import Rejected, RowError
from balie.core.pii import normalise_phone
from balie.core.models import CodeList
from balie.network.models import Gemeente, Organisation

from .models import Access, HoursKind, Partner, PartnerLocation, Service, ServiceHours
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


class HsdsRejected(Rejected):
    what = "het HSDS-pakket"


@dataclass
class ImportResult:
    partners: int = 0
    services: int = 0
    locations: int = 0
    created: int = 0


# --- reading a package ----------------------------------------------------------------------------
def read_dir(path: str) -> dict[str, str]:
    import pathlib

    folder = pathlib.Path(path)
    return {name: (folder / name).read_text(encoding="utf-8-sig") for name in FILES if (folder / name).is_file()}


def read_uploads(uploads: list[Any]) -> dict[str, str]:
    """CSV files uploaded one by one, or one ZIP holding them (possibly in a subfolder)."""
    files: dict[str, str] = {}
    for upload in uploads:
        raw = upload.read()
        if upload.name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(raw))
            except zipfile.BadZipFile as exc:
                raise HsdsRejected([RowError(0, "", "Dit is geen geldig ZIP-bestand.", file=upload.name)]) from exc
            for info in archive.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if name in FILES:
                    files[name] = _decode(archive.read(info), name)
        else:
            files[upload.name.rsplit("/", 1)[-1]] = _decode(raw, upload.name)
    return files


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HsdsRejected([RowError(0, "", "Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8.", file=name)]) from exc


class _Checker:
    def __init__(self, files: dict[str, str]):
        self.files = files
        self.errors: list[RowError] = []
        self.rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
        version = codelists.current_version()
        self.codes = {name: set(codelists.codes(version, name)) for name in (CodeList.INSTANTIE, CodeList.ONDERWERP, CodeList.BEHOEFTEPROFIEL, CodeList.TAAL)}
        self.gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
        self.gemeente_names = {g.naam.lower(): g for g in self.gemeenten.values()}

    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message, file=file))

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
            if missing:
                continue
            rows, seen = [], set()
            for line, row in enumerate(reader, start=2):
                clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
                if not any(clean.values()):
                    continue
                if not clean["id"]:
                    self.error(name, line, "id", "Vul een id in.")
                elif clean["id"] in seen:
                    self.error(name, line, "id", f"Het id {clean['id']} komt twee keer voor in dit bestand.")
                seen.add(clean["id"])
                rows.append((line, clean))
            self.rows[name] = rows

    def ids(self, name: str) -> set[str]:
        return {r["id"] for _, r in self.rows.get(name, [])}

    def ref(self, file: str, line: int, row: dict[str, str], column: str, target: str, *, required: bool) -> None:
        value = row.get(column, "")
        if not value:
            if required:
                self.error(file, line, column, "Vul dit veld in.")
            return
        if target in self.rows and value not in self.ids(target):
            self.error(file, line, column, f"Verwijst naar {value}, maar dat id staat niet in {target}.")

    def codes_in(self, file: str, line: int, row: dict[str, str], column: str, list_name: str) -> None:
        for code in _split_codes(row.get(column, "")):
            if code not in self.codes[list_name]:
                self.error(file, line, column, f"Onbekende code {code} in de codelijst {list_name}.")

    def check(self) -> None:
        self.load()
        for line, row in self.rows.get("organizations.csv", []):
            if not row["name"]:
                self.error("organizations.csv", line, "name", "Vul de naam van de organisatie in.")
            if row.get("email") and "@" not in row["email"]:
                self.error("organizations.csv", line, "email", f"{row['email']} is geen geldig e-mailadres.")
        for line, row in self.rows.get("services.csv", []):
            f = "services.csv"
            self.ref(f, line, row, "organization_id", "organizations.csv", required=True)
            if not row["name"]:
                self.error(f, line, "name", "Vul de naam van de dienst in.")
            if row.get("email") and "@" not in row["email"]:
                self.error(f, line, "email", f"{row['email']} is geen geldig e-mailadres.")
            if row.get("status") and row["status"] not in ("active", "inactive", "defunct", "temporarily closed"):
                self.error(f, line, "status", "Gebruik active, inactive, defunct of temporarily closed.")
            if row.get("assured_date"):
                try:
                    dt.date.fromisoformat(row["assured_date"])
                except ValueError:
                    self.error(f, line, "assured_date", f"{row['assured_date']} is geen datum; gebruik JJJJ-MM-DD.")
            self.codes_in(f, line, row, "balie_instanties", CodeList.INSTANTIE)
            self.codes_in(f, line, row, "balie_onderwerpen", CodeList.ONDERWERP)
            self.codes_in(f, line, row, "balie_behoefteprofielen", CodeList.BEHOEFTEPROFIEL)
            self.codes_in(f, line, row, "balie_talen", CodeList.TAAL)
            if row.get("balie_toegang") and row["balie_toegang"] not in Access.values:
                self.error(f, line, "balie_toegang", f"Gebruik {', '.join(Access.values)}.")
        for line, row in self.rows.get("locations.csv", []):
            f = "locations.csv"
            self.ref(f, line, row, "organization_id", "organizations.csv", required=True)
            for column in ("latitude", "longitude"):
                if row.get(column):
                    try:
                        float(row[column])
                    except ValueError:
                        self.error(f, line, column, f"{row[column]} is geen getal.")
        for line, row in self.rows.get("service_at_location.csv", []):
            self.ref("service_at_location.csv", line, row, "service_id", "services.csv", required=True)
            self.ref("service_at_location.csv", line, row, "location_id", "locations.csv", required=True)
        for line, row in self.rows.get("phones.csv", []):
            f = "phones.csv"
            self.ref(f, line, row, "organization_id", "organizations.csv", required=False)
            self.ref(f, line, row, "service_id", "services.csv", required=False)
            self.ref(f, line, row, "location_id", "locations.csv", required=False)
            if not (row.get("organization_id") or row.get("service_id") or row.get("location_id")):
                self.error(f, line, "service_id", "Een telefoonnummer hoort bij een organisatie, dienst of locatie.")
            if normalise_phone(row["number"]) is None:
                self.error(f, line, "number", f"{row['number'] or '(leeg)'} is geen geldig Nederlands telefoonnummer.")
        for line, row in self.rows.get("schedules.csv", []):
            f = "schedules.csv"
            self.ref(f, line, row, "service_id", "services.csv", required=False)
            self.ref(f, line, row, "location_id", "locations.csv", required=False)
            self.ref(f, line, row, "service_at_location_id", "service_at_location.csv", required=False)
            if not (row.get("service_id") or row.get("service_at_location_id")):
                self.error(f, line, "service_id", "Een tijdvak hoort bij een dienst (service_id of service_at_location_id).")
            if row.get("freq") and row["freq"].upper() != "WEEKLY":
                self.error(f, line, "freq", "Alleen wekelijkse tijden (WEEKLY) worden ondersteund.")
            days = [d.strip().upper() for d in row["byday"].split(",") if d.strip()]
            if not days or any(d not in DAYS for d in days):
                self.error(f, line, "byday", "Gebruik dagen als MO,TU,WE,TH,FR,SA,SU.")
            times = []
            for column in ("opens_at", "closes_at"):
                if not TIME_RE.match(row[column]):
                    self.error(f, line, column, f"{row[column] or '(leeg)'} is geen tijd; gebruik UU:MM.")
                else:
                    times.append(row[column][:5].zfill(5))
            if len(times) == 2 and times[0] >= times[1]:
                self.error(f, line, "closes_at", "De eindtijd moet na de begintijd liggen.")
            if row.get("attending_type") and row["attending_type"] not in HoursKind.values:
                self.error(f, line, "attending_type", "Gebruik phone (warme lijn) of in_person (open voor bezoek).")
        for line, row in self.rows.get("service_areas.csv", []):
            f = "service_areas.csv"
            self.ref(f, line, row, "service_id", "services.csv", required=True)
            if self.gemeente_for(row) is None:
                self.error(f, line, "extent", f"Onbekende gemeente {row.get('extent') or row.get('name') or '(leeg)'}; gebruik de CBS-code, bijvoorbeeld GM0599.")

    def gemeente_for(self, row: dict[str, str]) -> Gemeente | None:
        code = row.get("extent", "").upper()
        if code in self.gemeenten:
            return self.gemeenten[code]
        return self.gemeente_names.get(row.get("name", "").lower())


def _split_codes(value: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[|,;]", value or "") if c.strip()]


def check(files: dict[str, str]) -> _Checker:
    checker = _Checker(files)
    checker.check()
    return checker


# --- importing ----------------------------------------------------------------------------------
def _find(model: type, scope: dict[str, Any], hsds_id: str) -> Any:
    obj = model.objects.filter(**scope, hsds_id=hsds_id).first()
    if obj is None and re.fullmatch(r"[0-9a-fA-F-]{36}", hsds_id):
        # An id Balie itself exported (the uuid of an entry made in the UI).
        obj = model.objects.filter(**scope, uuid=hsds_id).first()
    return obj


@transaction.atomic
def import_package(files: dict[str, str], *, organisation: Organisation | None, user: Any = None) -> ImportResult:
    """Check everything, then save everything (or raise HsdsRejected and save nothing)."""
    checker = check(files)
    if checker.errors:
        raise HsdsRejected(checker.errors)
    rows = checker.rows
    result = ImportResult()
    partners: dict[str, Partner] = {}
    for _, row in rows["organizations.csv"]:
        partner = _find(Partner, {"organisation": organisation}, row["id"]) or Partner(organisation=organisation, hsds_id=row["id"])
        result.created += partner.pk is None
        partner.hsds_id = row["id"]
        partner.name, partner.description = row["name"][:150], row.get("description", "")
        partner.email, partner.website = row.get("email", ""), row.get("website", "")
        partner.save()
        partners[row["id"]] = partner
    result.partners = len(partners)
    locations: dict[str, PartnerLocation] = {}
    for _, row in rows["locations.csv"]:
        partner = partners[row["organization_id"]]
        loc = _find(PartnerLocation, {"partner__organisation": organisation}, row["id"]) or PartnerLocation(hsds_id=row["id"])
        loc.partner, loc.hsds_id, loc.name = partner, row["id"], row["name"][:150]
        loc.address, loc.postcode, loc.plaats = row.get("balie_adres", ""), row.get("balie_postcode", "")[:7], row.get("balie_plaats", "")
        loc.transport = row.get("transportation", "")[:200]
        loc.lat = float(row["latitude"]) if row.get("latitude") else None
        loc.lon = float(row["longitude"]) if row.get("longitude") else None
        loc.save()
        locations[row["id"]] = loc
    result.locations = len(locations)
    services: dict[str, Service] = {}
    for _, row in rows["services.csv"]:
        service = _find(Service, {"partner__organisation": organisation}, row["id"]) or Service(hsds_id=row["id"])
        result.created += service.pk is None
        service.partner, service.hsds_id, service.name = partners[row["organization_id"]], row["id"], row["name"][:150]
        service.description, service.email = row.get("description", ""), row.get("email", "")
        service.active = row.get("status", "active") in ("", "active")
        service.cost = row.get("fees_description", "")[:150]
        service.eligibility = row.get("eligibility_description", "")
        service.last_verified = dt.date.fromisoformat(row["assured_date"]) if row.get("assured_date") else None
        service.instanties = join_multi(_split_codes(row.get("balie_instanties", "")))
        service.onderwerpen = join_multi(_split_codes(row.get("balie_onderwerpen", "")))
        service.behoefteprofielen = join_multi(_split_codes(row.get("balie_behoefteprofielen", "")))
        service.languages = join_multi(_split_codes(row.get("balie_talen", "")) or ["NL"])
        service.access = row.get("balie_toegang") or Access.AFSPRAAK
        service.warm_phone = ""
        service.save()
        # Children are replaced as a whole: the package is the truth for the services it contains.
        service.hours.all().delete()
        service.gemeenten.clear()
        service.locations.clear()
        services[row["id"]] = service
    result.services = len(services)
    sal: dict[str, tuple[Service, PartnerLocation]] = {}
    for _, row in rows["service_at_location.csv"]:
        service, loc = services[row["service_id"]], locations[row["location_id"]]
        service.locations.add(loc)
        sal[row["id"]] = (service, loc)
    for _, row in rows["phones.csv"]:
        number = normalise_phone(row["number"]) or ""
        if row.get("service_id"):
            Service.objects.filter(pk=services[row["service_id"]].pk).update(warm_phone=number)
        elif row.get("organization_id"):
            Partner.objects.filter(pk=partners[row["organization_id"]].pk).update(phone=number)
    hours = []
    for _, row in rows["schedules.csv"]:
        service, loc = (sal[row["service_at_location_id"]] if row.get("service_at_location_id")
                        else (services[row["service_id"]], locations.get(row.get("location_id", ""))))
        for day in [d.strip().upper() for d in row["byday"].split(",") if d.strip()]:
            hours.append(ServiceHours(
                hsds_id=row["id"], service=service, location=loc, weekday=DAYS[day],
                kind=row.get("attending_type") or HoursKind.OPEN,
                opens=dt.time.fromisoformat(row["opens_at"][:5].zfill(5)), closes=dt.time.fromisoformat(row["closes_at"][:5].zfill(5)),
            ))
    ServiceHours.objects.bulk_create(hours)
    areas = defaultdict(list)
    for _, row in rows["service_areas.csv"]:
        areas[row["service_id"]].append(checker.gemeente_for(row))
    for service_id, gemeenten in areas.items():
        services[service_id].gemeenten.add(*gemeenten)
    audit.log("social_map_imported", user=user, obj=organisation, partners=result.partners, services=result.services)
    return result


# --- exporting ----------------------------------------------------------------------------------
def _id(obj: Any) -> str:
    return obj.hsds_id or str(obj.uuid)


def export_package(organisation: Organisation | None) -> dict[str, str]:
    """The organisation's social map as HSDS CSV texts, one per file name (exactly what import_package reads)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FILES}
    partners = (Partner.objects.filter(organisation=organisation)
                .prefetch_related("locations", "services__hours", "services__gemeenten", "services__locations").order_by("name", "pk"))
    for p in partners:
        out["organizations.csv"].append({"id": _id(p), "name": p.name, "description": p.description, "email": p.email, "website": p.website})
        if p.phone:
            out["phones.csv"].append({"id": f"{_id(p)}-tel", "organization_id": _id(p), "number": p.phone, "type": "voice", "description": "Algemeen nummer"})
        for loc in p.locations.all():
            out["locations.csv"].append({
                "id": _id(loc), "organization_id": _id(p), "name": loc.name, "transportation": loc.transport,
                "latitude": "" if loc.lat is None else loc.lat, "longitude": "" if loc.lon is None else loc.lon,
                "balie_adres": loc.address, "balie_postcode": loc.postcode, "balie_plaats": loc.plaats,
            })
        for s in p.services.all():
            out["services.csv"].append({
                "id": _id(s), "organization_id": _id(p), "name": s.name, "description": s.description, "email": s.email,
                "status": "active" if s.active else "inactive", "fees_description": s.cost, "eligibility_description": s.eligibility,
                "assured_date": s.last_verified.isoformat() if s.last_verified else "",
                "balie_instanties": "|".join(s.instantie_list), "balie_onderwerpen": "|".join(s.onderwerp_list),
                "balie_behoefteprofielen": "|".join(s.behoefteprofiel_list), "balie_talen": "|".join(s.language_list), "balie_toegang": s.access,
            })
            for loc in s.locations.all():
                out["service_at_location.csv"].append({"id": f"{_id(s)}@{_id(loc)}", "service_id": _id(s), "location_id": _id(loc)})
            if s.warm_phone:
                out["phones.csv"].append({"id": f"{_id(s)}-tel", "service_id": _id(s), "number": s.warm_phone, "type": "voice", "description": "Warme lijn"})
            # A stable order (kind, day, time) keeps the generated schedule ids the same on every export.
            for n, h in enumerate(sorted(s.hours.all(), key=lambda h: (h.kind, h.weekday, h.opens, h.closes)), start=1):
                out["schedules.csv"].append({
                    "id": f"{_id(s)}-t{n}", "service_id": _id(s), "location_id": _id(h.location) if h.location else "", "freq": "WEEKLY",
                    "byday": DAY_CODES[h.weekday], "opens_at": h.opens.strftime("%H:%M"), "closes_at": h.closes.strftime("%H:%M"),
                    "attending_type": h.kind, "description": h.get_kind_display(),
                })
            for g in s.gemeenten.all():
                out["service_areas.csv"].append({"id": f"{_id(s)}-{g.cbs_code}", "service_id": _id(s), "name": g.naam, "extent": g.cbs_code, "extent_type": "text"})
    texts = {}
    for name, columns in FILES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(out[name])
        texts[name] = buffer.getvalue()
    return texts


def export_zip(organisation: Organisation | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_package(organisation).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def organisation_option(code: str | None) -> Organisation | None:
    """The library organisation named by a command's --organisation (None: national partners)."""
    from django.core.management.base import CommandError

    if not code:
        return None
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise CommandError(f"Onbekende organisatie {code}.")
    return organisation
