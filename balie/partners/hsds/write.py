"""Saving a checked HSDS package: all of it in one transaction, matched on HSDS id within the library organisation."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction

from balie.core import audit
from balie.core.audit import Event
from balie.core.codelists import join_multi
from balie.network.models import Organisation

from ..models import Access, HsdsRecord, Partner, PartnerLocation, Service, ServiceHours
from .schema import (
    DAYS,
    NOT_KEPT,
    NOT_KEPT_COLUMNS,
    NOT_KEPT_FILES,
    REQUIRED_COLUMNS,
    HsdsRejected,
    ImportResult,
    Row,
    normalise_phone,
    split_codes,
    time_text,
)
from .validate import _Checker, check
from .values import PHONE_MAX


class _Existing:
    """The entries the package's ids can match, loaded in a few queries. A query per row (the column has no index) made a
    package of 10,000 rows take minutes; loading the whole map would cost memory for every small package. The first in
    the model's order wins, as .first() did."""

    CHUNK = 2000  # ids per query (SQLite allows 32,766 parameters; a package has at most validate.MAX_ROWS rows)

    def __init__(self, model: type, scope: dict[str, Any], ids: list[str]):
        self.by_id: dict[str, Any] = {}
        self.by_uuid: dict[str, Any] = {}
        manager = model.objects  # type: ignore[attr-defined]
        uuids = [str(u) for u in (_uuid(i) for i in ids) if u is not None]
        for start in range(0, len(ids), self.CHUNK):
            for obj in manager.filter(**scope, hsds_id__in=ids[start:start + self.CHUNK]):
                self.by_id.setdefault(obj.hsds_id, obj)
        for start in range(0, len(uuids), self.CHUNK):
            for obj in manager.filter(**scope, uuid__in=uuids[start:start + self.CHUNK]):
                self.by_uuid[str(obj.uuid)] = obj

    def find(self, hsds_id: str) -> Any:
        obj = self.by_id.get(hsds_id)
        if obj is None and (u := _uuid(hsds_id)) is not None:
            obj = self.by_uuid.get(str(u))  # an id Balie itself exported (the uuid of an entry made in the UI)
        return obj


def _uuid(value: str) -> uuid.UUID | None:
    if not re.fullmatch(r"[0-9a-fA-F-]{36}", value):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def import_package(files: dict[str, str], *, organisation: Organisation | None, user: Any = None) -> ImportResult:
    """Check everything, then save everything (or raise HsdsRejected and save nothing).

    The check runs before the transaction opens (review S2): on SQLite a transaction takes the database's write lock
    at its start, and every other write in the installation would wait for a large package to be checked.
    """
    checker = check(files)
    if checker.errors:
        raise HsdsRejected(checker.errors, omitted=checker.omitted)
    records = _records(checker, organisation)  # built outside the lock too
    with transaction.atomic():
        result = _save(checker, organisation, user, records)
    result.warnings, result.warning_total = checker.warnings, len(checker.warnings) + checker.warnings_omitted
    return result


def _records(checker: _Checker, organisation: Organisation | None) -> list[HsdsRecord]:
    out = []
    for name, rows in checker.rows.items():
        if name in NOT_KEPT_FILES:
            continue
        dropped = NOT_KEPT_COLUMNS.get(name, set())
        for line, row in rows:
            # A name of a person is not kept; where the schema requires the column, a placeholder keeps the row valid.
            data = {k: (NOT_KEPT if k in dropped else v) for k, v in row.items() if v and (k not in dropped or k in REQUIRED_COLUMNS[name])}
            out.append(HsdsRecord(organisation=organisation, resource=name, hsds_id=row["id"], position=line, data=data,
                                  modelled=(name, row["id"]) in checker.modelled))
    return out


def _save(checker: _Checker, organisation: Organisation | None, user: Any, records: list[HsdsRecord]) -> ImportResult:
    result = ImportResult()
    partners = _save_partners(checker, organisation, result)
    locations = _save_locations(checker, organisation, partners)
    services = _save_services(checker, organisation, partners, result)
    result.partners, result.locations, result.services = len(partners), len(locations), len(services)
    _link_locations(checker, services, locations)
    _save_phones(checker, partners, services)
    ServiceHours.objects.bulk_create(_hours(checker, services, locations))
    areas = {(services[service_id].pk, gemeente.pk) for service_id, gemeente in checker.areas.values()}
    through = Service.gemeenten.through
    through.objects.bulk_create([through(service_id=s, gemeente_id=g) for s, g in sorted(areas)], batch_size=500)
    by_resource = defaultdict(list)
    for record in records:
        by_resource[record.resource].append(record.hsds_id)
    for resource, ids in by_resource.items():
        for start in range(0, len(ids), _Existing.CHUNK):
            HsdsRecord.objects.filter(organisation=organisation, resource=resource, hsds_id__in=ids[start:start + _Existing.CHUNK]).delete()
    HsdsRecord.objects.bulk_create(records, batch_size=500)
    result.records = len(records)
    audit.log(Event.SOCIAL_MAP_IMPORTED, user=user, obj=organisation, partners=result.partners, services=result.services,
              records=result.records, warnings=len(checker.warnings) + checker.warnings_omitted)
    return result


def _save_partners(checker: _Checker, organisation: Organisation | None, result: ImportResult) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    rows = checker.rows.get("organizations.csv", [])
    existing = _Existing(Partner, {"organisation": organisation}, [row["id"] for _, row in rows])
    for _, row in rows:
        partner = existing.find(row["id"]) or Partner(organisation=organisation, hsds_id=row["id"])
        result.created += partner.pk is None
        partner.hsds_id = row["id"]
        partner.name, partner.description = row["name"][:150], row.get("description", "")
        partner.email, partner.website = row.get("email", ""), checker.websites.get(row["id"], "")
        partner.save()
        partners[row["id"]] = partner
    return partners


def _save_locations(checker: _Checker, organisation: Organisation | None, partners: dict[str, Partner]) -> dict[str, PartnerLocation]:
    locations: dict[str, PartnerLocation] = {}
    rows = [(line, row) for line, row in checker.rows.get("locations.csv", []) if row["id"] in checker.location_partner]
    existing = _Existing(PartnerLocation, {"partner__organisation": organisation}, [row["id"] for _, row in rows])
    for _, row in rows:
        loc = existing.find(row["id"]) or PartnerLocation(hsds_id=row["id"])
        loc.partner, loc.hsds_id = partners[checker.location_partner[row["id"]]], row["id"]
        # name is not required in HSDS; a location needs one on the map.
        loc.name = (row.get("name") or row.get("alternate_name") or "Locatie")[:150]
        address = checker.addresses.get(row["id"], {})
        street = " ".join(filter(None, [address.get("address_1", ""), address.get("address_2", "")]))
        loc.address = (row.get("balie_adres") or street)[:150]
        loc.postcode = (row.get("balie_postcode") or address.get("postal_code", ""))[:7]
        loc.plaats = (row.get("balie_plaats") or address.get("city", ""))[:100]
        loc.transport = row.get("transportation", "")[:200]
        loc.lat, loc.lon = checker.coordinates.get(row["id"], (None, None))
        loc.save()
        locations[row["id"]] = loc
    return locations


def _save_services(checker: _Checker, organisation: Organisation | None, partners: dict[str, Partner], result: ImportResult) -> dict[str, Service]:
    services: dict[str, Service] = {}
    rows = checker.rows.get("services.csv", [])
    existing = _Existing(Service, {"partner__organisation": organisation}, [row["id"] for _, row in rows])
    replaced = []
    for _, row in rows:
        service = existing.find(row["id"]) or Service(hsds_id=row["id"])
        new = service.pk is None
        result.created += new
        service.partner, service.hsds_id, service.name = partners[row["organization_id"]], row["id"], row["name"][:150]
        _fill_service(checker, service, row)
        service.save()
        if not new:
            replaced.append(service.pk)
        services[row["id"]] = service
    # Children are replaced as a whole: the package is the truth for the services it contains. A few queries per chunk,
    # not three per service.
    for start in range(0, len(replaced), _Existing.CHUNK):
        chunk = replaced[start:start + _Existing.CHUNK]
        ServiceHours.objects.filter(service_id__in=chunk).delete()
        Service.gemeenten.through.objects.filter(service_id__in=chunk).delete()
        Service.locations.through.objects.filter(service_id__in=chunk).delete()
    return services


def _known(checker: _Checker, row: Row, column: str, list_name: str) -> list[str]:
    return [c for c in split_codes(row.get(column, "")) if c in checker.codes[list_name]]


def _fill_service(checker: _Checker, service: Service, row: Row) -> None:
    from balie.core.models import CodeList

    service.description, service.email = row.get("description", ""), row.get("email", "")
    service.active = row.get("status", "active") in ("", "active")
    service.cost = row.get("fees_description", "")[:150]
    service.eligibility = row.get("eligibility_description", "")
    service.last_verified = dt.date.fromisoformat(row["assured_date"]) if row.get("assured_date") else None
    service.instanties = join_multi(_known(checker, row, "balie_instanties", CodeList.INSTANTIE))
    service.onderwerpen = join_multi(_known(checker, row, "balie_onderwerpen", CodeList.ONDERWERP))
    service.behoefteprofielen = join_multi(_known(checker, row, "balie_behoefteprofielen", CodeList.BEHOEFTEPROFIEL))
    service.languages = join_multi(_known(checker, row, "balie_talen", CodeList.TAAL) or checker.languages.get(row["id"]) or ["NL"])
    service.access = row.get("balie_toegang") if row.get("balie_toegang") in Access.values else Access.AFSPRAAK
    service.warm_phone = ""


def _link_locations(checker: _Checker, services: dict[str, Service], locations: dict[str, PartnerLocation]) -> None:
    links = {(services[row["service_id"]].pk, locations[row["location_id"]].pk) for _, row in checker.rows.get("service_at_location.csv", [])
             if ("service_at_location.csv", row["id"]) in checker.modelled}
    through = Service.locations.through
    through.objects.bulk_create([through(service_id=s, partnerlocation_id=loc) for s, loc in sorted(links)], batch_size=500)


def _phone(number: str) -> str:
    return normalise_phone(number) or number[:PHONE_MAX]


def _save_phones(checker: _Checker, partners: dict[str, Partner], services: dict[str, Service]) -> None:
    for service_id, row in checker.service_phone.items():
        Service.objects.filter(pk=services[service_id].pk).update(warm_phone=_phone(row["number"]))
    for org_id, row in checker.partner_phone.items():
        Partner.objects.filter(pk=partners[org_id].pk).update(phone=_phone(row["number"]))


def _hours(checker: _Checker, services: dict[str, Service], locations: dict[str, PartnerLocation]) -> list[ServiceHours]:
    hours = []
    for schedule_id, weekly in checker.weekly.items():
        for day in weekly.days:
            hours.append(ServiceHours(
                hsds_id=schedule_id[:100], service=services[weekly.service_id], location=locations.get(weekly.location_id),
                weekday=DAYS[day], kind=weekly.kind,
                opens=dt.time.fromisoformat(time_text(weekly.opens)), closes=dt.time.fromisoformat(time_text(weekly.closes)),
            ))
    return hours
