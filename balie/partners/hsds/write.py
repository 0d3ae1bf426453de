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

from ..models import Access, HoursKind, Partner, PartnerLocation, Service, ServiceHours
from .schema import DAYS, HsdsRejected, ImportResult, Rows, normalise_phone, split_codes, split_days, time_text
from .validate import check

Row = dict[str, str]


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
    with transaction.atomic():
        return _save(checker, organisation, user)


def _save(checker: Any, organisation: Organisation | None, user: Any) -> ImportResult:
    rows = checker.rows
    result = ImportResult()
    partners = _save_partners(rows, organisation, result)
    locations = _save_locations(rows, organisation, partners)
    services = _save_services(rows, organisation, partners, result)
    result.partners, result.locations, result.services = len(partners), len(locations), len(services)
    sal = _link_locations(rows, services, locations)
    _save_phones(rows, partners, services)
    ServiceHours.objects.bulk_create(_hours(rows, services, locations, sal))
    areas = defaultdict(list)
    for _, row in rows["service_areas.csv"]:
        areas[row["service_id"]].append(checker.gemeente_for(row))
    for service_id, gemeenten in areas.items():
        services[service_id].gemeenten.add(*gemeenten)
    audit.log(Event.SOCIAL_MAP_IMPORTED, user=user, obj=organisation, partners=result.partners, services=result.services)
    return result


def _save_partners(rows: Rows, organisation: Organisation | None, result: ImportResult) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    existing = _Existing(Partner, {"organisation": organisation}, [row["id"] for _, row in rows["organizations.csv"]])
    for _, row in rows["organizations.csv"]:
        partner = existing.find(row["id"]) or Partner(organisation=organisation, hsds_id=row["id"])
        result.created += partner.pk is None
        partner.hsds_id = row["id"]
        partner.name, partner.description = row["name"][:150], row.get("description", "")
        partner.email, partner.website = row.get("email", ""), row.get("website", "")
        partner.save()
        partners[row["id"]] = partner
    return partners


def _save_locations(rows: Rows, organisation: Organisation | None, partners: dict[str, Partner]) -> dict[str, PartnerLocation]:
    locations: dict[str, PartnerLocation] = {}
    existing = _Existing(PartnerLocation, {"partner__organisation": organisation}, [row["id"] for _, row in rows["locations.csv"]])
    for _, row in rows["locations.csv"]:
        loc = existing.find(row["id"]) or PartnerLocation(hsds_id=row["id"])
        loc.partner, loc.hsds_id, loc.name = partners[row["organization_id"]], row["id"], row["name"][:150]
        loc.address, loc.postcode, loc.plaats = row.get("balie_adres", ""), row.get("balie_postcode", "")[:7], row.get("balie_plaats", "")
        loc.transport = row.get("transportation", "")[:200]
        loc.lat = float(row["latitude"]) if row.get("latitude") else None
        loc.lon = float(row["longitude"]) if row.get("longitude") else None
        loc.save()
        locations[row["id"]] = loc
    return locations


def _save_services(rows: Rows, organisation: Organisation | None, partners: dict[str, Partner], result: ImportResult) -> dict[str, Service]:
    services: dict[str, Service] = {}
    existing = _Existing(Service, {"partner__organisation": organisation}, [row["id"] for _, row in rows["services.csv"]])
    for _, row in rows["services.csv"]:
        service = existing.find(row["id"]) or Service(hsds_id=row["id"])
        new = service.pk is None
        result.created += new
        service.partner, service.hsds_id, service.name = partners[row["organization_id"]], row["id"], row["name"][:150]
        _fill_service(service, row)
        service.save()
        if not new:
            # Children are replaced as a whole: the package is the truth for the services it contains.
            service.hours.all().delete()
            service.gemeenten.clear()
            service.locations.clear()
        services[row["id"]] = service
    return services


def _fill_service(service: Service, row: Row) -> None:
    service.description, service.email = row.get("description", ""), row.get("email", "")
    service.active = row.get("status", "active") in ("", "active")
    service.cost = row.get("fees_description", "")[:150]
    service.eligibility = row.get("eligibility_description", "")
    service.last_verified = dt.date.fromisoformat(row["assured_date"]) if row.get("assured_date") else None
    service.instanties = join_multi(split_codes(row.get("balie_instanties", "")))
    service.onderwerpen = join_multi(split_codes(row.get("balie_onderwerpen", "")))
    service.behoefteprofielen = join_multi(split_codes(row.get("balie_behoefteprofielen", "")))
    service.languages = join_multi(split_codes(row.get("balie_talen", "")) or ["NL"])
    service.access = row.get("balie_toegang") or Access.AFSPRAAK
    service.warm_phone = ""


def _link_locations(rows: Rows, services: dict[str, Service], locations: dict[str, PartnerLocation]) -> dict[str, tuple[Service, PartnerLocation]]:
    sal: dict[str, tuple[Service, PartnerLocation]] = {}
    for _, row in rows["service_at_location.csv"]:
        service, loc = services[row["service_id"]], locations[row["location_id"]]
        service.locations.add(loc)
        sal[row["id"]] = (service, loc)
    return sal


def _save_phones(rows: Rows, partners: dict[str, Partner], services: dict[str, Service]) -> None:
    for _, row in rows["phones.csv"]:
        number = normalise_phone(row["number"]) or ""
        if row.get("service_id"):
            Service.objects.filter(pk=services[row["service_id"]].pk).update(warm_phone=number)
        elif row.get("organization_id"):
            Partner.objects.filter(pk=partners[row["organization_id"]].pk).update(phone=number)


def _hours(rows: Rows, services: dict[str, Service], locations: dict[str, PartnerLocation],
           sal: dict[str, tuple[Service, PartnerLocation]]) -> list[ServiceHours]:
    hours = []
    for _, row in rows["schedules.csv"]:
        service, loc = (sal[row["service_at_location_id"]] if row.get("service_at_location_id")
                        else (services[row["service_id"]], locations.get(row.get("location_id", ""))))
        for day in split_days(row["byday"]):
            hours.append(ServiceHours(
                # Schedule ids are kept for reference only (hours are replaced as a whole), so a long one is cut.
                hsds_id=row["id"][:100], service=service, location=loc, weekday=DAYS[day],
                kind=row.get("attending_type") or HoursKind.OPEN,
                opens=dt.time.fromisoformat(time_text(row["opens_at"])), closes=dt.time.fromisoformat(time_text(row["closes_at"])),
            ))
    return hours
