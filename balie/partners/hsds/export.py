"""Writing the social map as an HSDS package: exactly the files and columns that import_package reads."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from balie.core.spreadsheet import safe_cell
from balie.network.models import Organisation

from ..models import Partner, Service
from .schema import DAY_CODES, FILES

Out = dict[str, list[dict[str, Any]]]


def _id(obj: Any) -> str:
    return obj.hsds_id or str(obj.uuid)


def export_package(organisation: Organisation | None) -> dict[str, str]:
    """The organisation's social map as HSDS CSV texts, one per file name (exactly what import_package reads).

    Only organisations on the social map (receiving referrals); one that only receives signals is not part of it.
    """
    out: Out = {name: [] for name in FILES}
    partners = (Partner.objects.filter(organisation=organisation, receives_referrals=True)
                .prefetch_related("locations", "services__hours", "services__gemeenten", "services__locations").order_by("name", "pk"))
    for p in partners:
        _partner_rows(out, p)
        for s in p.services.all():
            _service_rows(out, p, s)
    texts = {}
    for name, columns in FILES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        # Names and texts come from coordinators and earlier imports; a coordinator opens these files in a spreadsheet,
        # so a text that starts like a formula gets an apostrophe (review M3). import_package takes it off again.
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in out[name])
        texts[name] = buffer.getvalue()
    return texts


def _partner_rows(out: Out, p: Partner) -> None:
    out["organizations.csv"].append({"id": _id(p), "name": p.name, "description": p.description, "email": p.email, "website": p.website})
    if p.phone:
        out["phones.csv"].append({"id": f"{_id(p)}-tel", "organization_id": _id(p), "number": p.phone, "type": "voice", "description": "Algemeen nummer"})
    for loc in p.locations.all():
        out["locations.csv"].append({
            "id": _id(loc), "organization_id": _id(p), "name": loc.name, "transportation": loc.transport,
            "latitude": "" if loc.lat is None else loc.lat, "longitude": "" if loc.lon is None else loc.lon,
            "balie_adres": loc.address, "balie_postcode": loc.postcode, "balie_plaats": loc.plaats,
        })


def _service_rows(out: Out, p: Partner, s: Service) -> None:
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


def export_zip(organisation: Organisation | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_package(organisation).items():
            archive.writestr(name, text)
    return buffer.getvalue()
