"""The value rules of an HSDS package: types and formats (Frictionless Table Schema, as HSDS 3.0 uses them), Balie's
own column limits and code columns, and how a row maps onto Balie's social map (weekly hours, warm line, gemeente).

validate.py applies them file by file; export.py uses the same mapping the other way round.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext

from balie.core.models import CodeList
from balie.network.models import Gemeente

from ..models import HoursKind, Partner, PartnerLocation
from .schema import TIME_RE, UUID_RE, Column, Row

validate_url = URLValidator(schemes=["http", "https"])
WEBSITE_MAX = Partner._meta.get_field("website").max_length
EMAIL_MAX = Partner._meta.get_field("email").max_length
PHONE_MAX = Partner._meta.get_field("phone").max_length
# Frictionless Table Schema numbers (HSDS 3.0's CSV types): decimals with a point, an exponent, and NaN, INF and -INF.
NUMBER_RE = re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|[+-]?INF)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
SERVICE_CODE_COLUMNS = (
    ("balie_instanties", CodeList.INSTANTIE), ("balie_onderwerpen", CodeList.ONDERWERP),
    ("balie_behoefteprofielen", CodeList.BEHOEFTEPROFIEL), ("balie_talen", CodeList.TAAL),
)
# languages.csv code (ISO 639-1 or -3) -> Balie's TAAL code
# Balie's own address columns are matched to a place as they are, so a value too long for its database column is refused.
EXTENSION_MAX = {"locations.csv": {"balie_adres": PartnerLocation._meta.get_field("address").max_length,
                                   "balie_plaats": PartnerLocation._meta.get_field("plaats").max_length}}
LANGUAGES = {"nl": "NL", "nld": "NL", "dut": "NL", "en": "EN", "eng": "EN", "ar": "AR", "ara": "AR", "tr": "TR", "tur": "TR",
             "pl": "PL", "pol": "PL", "uk": "UK", "ukr": "UK"}


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message: control characters (a newline in an e-mail address) made visible, long ones cut."""
    visible = "".join(c if c.isprintable() else "␣" for c in value)
    return visible if len(visible) <= limit else visible[:limit] + "…"


def field_limit() -> str:
    return f"{csv.field_size_limit():,}".replace(",", ".")


def warm_kind(attending_type: str) -> str:
    """HSDS attending_type is free text ("phone", "in_person", "You can attend in-person or by video"): a telephone
    schedule is Balie's staffed warm line, anything else the opening hours."""
    text = attending_type.lower()
    return HoursKind.WARME_LIJN if ("phone" in text or "telefo" in text) and "person" not in text else HoursKind.OPEN


@dataclass
class Weekly:
    """A schedules.csv row Balie can show: weekly days with an opening and closing time."""

    service_id: str
    location_id: str
    days: list[str]
    opens: str
    closes: str
    kind: str


def gemeente_for(row: Row, by_code: dict[str, Gemeente], by_name: dict[str, Gemeente]) -> Gemeente | None:
    """extent is free text in HSDS (a GeoJSON shape, a list of postcodes, a name); Balie recognises a CBS code or a name."""
    extent = row.get("extent", "").strip()
    return by_code.get(extent.upper()) or by_name.get(row.get("name", "").strip().lower()) or by_name.get(extent.lower())


def type_problem(column: Column, value: str) -> str:
    """Why a value is not of its column's type and format (Frictionless Table Schema, as HSDS 3.0 uses it), or ""."""
    if column.type == "number":
        return "" if NUMBER_RE.match(value) else gettext("is geen getal (gebruik een punt voor decimalen, zoals 51.92).")
    if column.type == "date":
        if DATE_RE.match(value):
            try:
                dt.date.fromisoformat(value)
                return ""
            except ValueError:
                pass
        return gettext("is geen datum; gebruik JJJJ-MM-DD.")
    if column.type == "time":
        return "" if TIME_RE.match(value) else gettext("is geen tijd; gebruik UU:MM of UU:MM:SS.")
    if column.type == "datetime":
        try:
            dt.datetime.fromisoformat(value)
            return "" if "T" in value or " " in value else gettext("is geen datum met tijd; gebruik JJJJ-MM-DDTUU:MM:SS.")
        except ValueError:
            return gettext("is geen datum met tijd; gebruik JJJJ-MM-DDTUU:MM:SS.")
    if column.format == "uuid":
        return "" if UUID_RE.match(value) else gettext("is geen UUID (zoals d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610), wat HSDS 3.0 hier vraagt.")
    if column.format == "email":
        try:
            validate_email(value)
            return ""
        except ValidationError:
            return gettext("is geen geldig e-mailadres. Vul één adres in, zoals info@voorbeeld.nl.")
    if column.format == "uri":
        return "" if URI_RE.match(value) else gettext("is geen webadres (URI), zoals https://voorbeeld.nl.")
    return ""
