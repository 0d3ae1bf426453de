"""Writing the social map as an HSDS 3.0 package: every file of the standard, with the rows of the map and the rows an
import kept (HsdsRecord), so that what was imported comes back out.

An entry on the map is written from the map (what a coordinator changed wins); the columns Balie has no field for come
from the imported row with the same id. A text Balie cut to its column length (a name, the costs) comes back whole as
long as nobody changed it. Imported rows that did not become an entry (a program, a monthly schedule, a service area
drawn as GeoJSON) are written as they came, unless a reference the schema requires now points to an entry that is gone.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from typing import Any

from balie.core.spreadsheet import safe_cell
from balie.network.models import Gemeente, Organisation

from ..models import HsdsRecord, Partner, Service
from .schema import DAY_CODES, FILES, RESOURCES, is_uuid, made_id, normalise_phone, time_text
from .values import gemeente_for, warm_kind

Out = dict[str, list[dict[str, Any]]]
TYPED = {path: {c.name for c in r.columns if c.type in ("number", "date", "time", "datetime")} for path, r in RESOURCES.items()}
Raw = dict[str, Any]


def _id(obj: Any) -> str:
    return obj.hsds_id if is_uuid(obj.hsds_id or "") else str(obj.uuid)


def _whole(raw: Any, value: str) -> str:
    """The imported text when Balie's copy is that text cut short (and not changed since); else Balie's value."""
    return raw if isinstance(raw, str) and value and raw.startswith(value) else value


class _Kept:
    """The imported rows of one organisation's map, by file and id, and the modelled ones by what they belong to."""

    def __init__(self, organisation: Organisation | None):
        self.rows: dict[str, dict[str, Raw]] = defaultdict(dict)
        self.loose: dict[str, list[Raw]] = defaultdict(list)
        for record in HsdsRecord.objects.filter(organisation=organisation).order_by("resource", "position", "pk"):
            data = {**record.data, "id": record.hsds_id}
            if record.modelled:
                self.rows[record.resource][record.hsds_id] = data
            else:
                self.loose[record.resource].append(data)
        self.service_phone: dict[str, Raw] = {}
        self.partner_phone: dict[str, Raw] = {}
        for data in self.rows["phones.csv"].values():
            if data.get("service_id") and data["service_id"] in self.rows["services.csv"]:
                self.service_phone.setdefault(data["service_id"], data)
            elif data.get("organization_id"):
                self.partner_phone.setdefault(data["organization_id"], data)
        self.sal = {(d.get("service_id"), d.get("location_id")): d for d in self.rows["service_at_location.csv"].values()}
        self.areas: dict[str, list[Raw]] = defaultdict(list)  # service id -> its imported service areas
        for data in self.rows["service_areas.csv"].values():
            self.areas[data.get("service_id", "")].append(data)
        self.used: set[str] = set()

    def get(self, resource: str, key: str) -> Raw:
        return dict(self.rows[resource].get(key, {}))


def export_package(organisation: Organisation | None) -> dict[str, str]:
    """The organisation's social map as HSDS CSV texts, one per file of the standard (exactly what import_package reads).

    Only organisations on the social map (receiving referrals); one that only receives signals is not part of it.
    """
    out: Out = {name: [] for name in FILES}
    kept = _Kept(organisation)
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
    names = {g.naam.lower(): g for g in gemeenten.values()}
    partners = (Partner.objects.filter(organisation=organisation, receives_referrals=True)
                .prefetch_related("locations", "services__hours__location", "services__gemeenten", "services__locations")
                .order_by("name", "pk"))
    # Ordered by what the file itself says (name, then HSDS id), never by database ids: a package exported, imported
    # elsewhere and exported again must come out the same on every database (PostgreSQL returns ties in any order).
    for p in sorted(partners, key=lambda p: (p.name, _id(p))):
        _partner_rows(out, kept, p)
        for s in sorted(p.services.all(), key=lambda s: (s.name, _id(s))):
            _service_rows(out, kept, p, s, gemeenten, names)
    _loose_rows(out, kept)
    texts = {}
    for name, columns in FILES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        # Names and texts come from coordinators and earlier imports; a coordinator opens these files in a spreadsheet,
        # so a text that starts like a formula gets an apostrophe (review M3). import_package takes it off again.
        # Numbers, dates and times passed the schema's type check on import, so they cannot hold a formula; an
        # apostrophe before -3 or -INF would make the export invalid HSDS for every other reader.
        typed = TYPED.get(name, set())
        writer.writerows({k: v if k in typed else safe_cell(v) for k, v in row.items()} for row in out[name])
        texts[name] = buffer.getvalue()
    return texts


def _phone_row(kept: _Kept, raw: Raw, number: str, **owner: str) -> Raw:
    kept_number = raw.get("number", "")
    same = kept_number and (normalise_phone(kept_number) == number or kept_number[:len(number)] == number)
    return {**raw, **owner, "number": kept_number if same else number}


def _partner_rows(out: Out, kept: _Kept, p: Partner) -> None:
    pid = _id(p)
    raw = kept.get("organizations.csv", pid)
    out["organizations.csv"].append({**raw, "id": pid, "name": _whole(raw.get("name"), p.name),
                                     # description is required by HSDS 3.0; a partner typed in the screen may have none.
                                     "description": p.description or p.name,
                                     "email": p.email, "website": p.website or raw.get("website", "")})
    if p.phone:
        base = kept.partner_phone.get(pid) or {"id": made_id("phone", pid), "type": "voice", "description": "Algemeen nummer"}
        out["phones.csv"].append(_phone_row(kept, base, p.phone, organization_id=pid))
    for loc in sorted(p.locations.all(), key=lambda loc: (loc.name, _id(loc))):
        lid = _id(loc)
        raw = kept.get("locations.csv", lid)
        out["locations.csv"].append({
            **raw, "id": lid, "organization_id": raw.get("organization_id") or pid, "location_type": raw.get("location_type", "physical"),
            "name": _whole(raw.get("name"), loc.name), "transportation": _whole(raw.get("transportation"), loc.transport),
            "latitude": _number(raw.get("latitude", ""), loc.lat), "longitude": _number(raw.get("longitude", ""), loc.lon),
            "balie_adres": loc.address, "balie_postcode": loc.postcode, "balie_plaats": loc.plaats,
        })


def _number(raw: Any, value: float | None) -> Any:
    """The imported spelling of a coordinate (5.192E1, 51.920) while it is still the same number; else Balie's."""
    if value is None:
        return raw or ""
    try:
        return raw if raw and float(raw) == value else value
    except ValueError:
        return value


def _status(raw: Raw, active: bool) -> str:
    if active:
        return "active"
    return raw["status"] if raw.get("status") in ("inactive", "defunct", "temporarily closed") else "inactive"


def _service_rows(out: Out, kept: _Kept, p: Partner, s: Service, gemeenten: dict[str, Gemeente], names: dict[str, Gemeente]) -> None:
    sid = _id(s)
    raw = kept.get("services.csv", sid)
    out["services.csv"].append({
        **raw, "id": sid, "organization_id": _id(p), "name": _whole(raw.get("name"), s.name), "description": s.description,
        "email": s.email, "status": _status(raw, s.active), "fees_description": _whole(raw.get("fees_description"), s.cost),
        "eligibility_description": s.eligibility, "assured_date": s.last_verified.isoformat() if s.last_verified else "",
        "balie_instanties": "|".join(s.instantie_list), "balie_onderwerpen": "|".join(s.onderwerp_list),
        "balie_behoefteprofielen": "|".join(s.behoefteprofiel_list), "balie_talen": "|".join(s.language_list), "balie_toegang": s.access,
    })
    for loc in sorted(s.locations.all(), key=lambda loc: (loc.name, _id(loc))):
        base = kept.sal.get((sid, _id(loc))) or {"id": made_id("sal", sid, _id(loc))}
        out["service_at_location.csv"].append({**base, "service_id": sid, "location_id": _id(loc)})
    if s.warm_phone:
        base = kept.service_phone.get(sid) or {"id": made_id("phone", sid), "type": "voice", "description": "Warme lijn"}
        out["phones.csv"].append(_phone_row(kept, base, s.warm_phone, service_id=sid))
    _schedule_rows(out, kept, s, sid)
    areas = {}
    for data in kept.areas.get(sid, []):
        gemeente = gemeente_for(data, gemeenten, names)
        if gemeente is not None:
            areas.setdefault(gemeente.cbs_code, data)
    for g in sorted(s.gemeenten.all(), key=lambda g: g.cbs_code):
        base = areas.get(g.cbs_code) or {"id": made_id("area", sid, g.cbs_code), "name": g.naam, "extent": g.cbs_code, "extent_type": "text"}
        out["service_areas.csv"].append({**base, "service_id": sid})


def _schedule_rows(out: Out, kept: _Kept, s: Service, sid: str) -> None:
    groups: dict[tuple[Any, ...], list[int]] = {}
    # A stable order (kind, day, time) keeps the generated schedule ids the same on every export.
    for h in sorted(s.hours.all(), key=lambda h: (h.kind, h.weekday, h.opens, h.closes)):
        key = (h.hsds_id, h.kind, _id(h.location) if h.location else "", h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"), h.get_kind_display())
        groups.setdefault(key, []).append(h.weekday)
    for (hsds_id, kind, location_id, opens, closes, label), days in groups.items():
        raw = kept.rows["schedules.csv"].get(hsds_id)
        imported = raw is not None and hsds_id not in kept.used
        if not imported:
            raw = {"id": made_id("schedule", sid, kind, location_id, opens, closes, *map(str, days)), "description": label}
        kept.used.add(raw["id"])
        byday = ",".join(DAY_CODES[d] for d in days)
        if raw.get("byday") and sorted(raw["byday"].replace(" ", "").upper().split(",")) == sorted(byday.split(",")):
            byday = raw["byday"]
        out["schedules.csv"].append({
            **raw, "service_id": raw.get("service_id") or sid, "location_id": raw.get("location_id") or location_id,
            "freq": "WEEKLY", "byday": byday,
            # Table Schema's time is hh:mm:ss (what the official example writes); 09:00 alone is refused by its validators.
            "opens_at": raw["opens_at"] if time_text(raw.get("opens_at", "")) == opens else f"{opens}:00",
            "closes_at": raw["closes_at"] if time_text(raw.get("closes_at", "")) == closes else f"{closes}:00",
            # As the package wrote it (also left empty) while it still means the same; Balie's own hours say which kind.
            "attending_type": raw.get("attending_type", "") if imported and warm_kind(raw.get("attending_type", "")) == kind else kind,
        })


def _loose_rows(out: Out, kept: _Kept) -> None:
    """Imported rows that are no entry on the map, as they came; a row whose required reference now points nowhere is left
    out (the export must import again)."""
    written = {name: {row["id"] for row in rows} for name, rows in out.items()}
    for name in RESOURCES:
        written[name] |= {d["id"] for d in kept.loose.get(name, [])}
    for name, resource in RESOURCES.items():
        required = {c.name for c in resource.columns if c.required}
        for data in kept.loose.get(name, []):
            if all(not data.get(col) or data[col] in written.get(target, set()) for col, target in resource.references.items() if col in required):
                out[name].append(data)


def export_zip(organisation: Organisation | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_package(organisation).items():
            archive.writestr(name, text)
    return buffer.getvalue()
