"""/api/v1/public/locaties: open data, every public location with its hours. No authentication, cacheable.

Staffing (bezetting) is internal and is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balie.core.dates import WEEKDAYS
from balie.network.geo import pc4_point
from balie.network.models import Location, LocationKind
from balie.network.schedule import hours
from balie.network.schedule.selectors import schedules_for
from balie.public.selectors import public_locations

from .schema import problems
from .serializers import TIME_SCHEMA
from .throttles import PublicApiThrottle

MAX_AGE = 300
DAYS = 56


# A pattern, not an enum: drf-spectacular names enums after the field, and "soort" is already the location kind's
# SoortEnum in /locaties; a second choice set under that name would rename the existing component.
@extend_schema_field({"type": "string", "pattern": "^(INLOOP|SPREEKUUR)$", "example": "SPREEKUUR"})
class HoursKindField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "pattern": "^(feestdag|sluiting)$", "example": "feestdag"})
class DeviationKindField(serializers.CharField):
    pass


# The output is "10:00" (UU:MM). OpenAPI's `format: time` means RFC 3339 full-time ("10:00:00+01:00"), which this is not,
# so the schema says what clients get: a pattern, the same as `tijd` in /registraties (review L12).
@extend_schema_field(TIME_SCHEMA)
class ClockField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[RegexValidator(TIME_SCHEMA["pattern"])], **kwargs)


class CodeNaamSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Vaste code.")
    naam = serializers.CharField(help_text="Naam.")


class LiggingSerializer(serializers.Serializer):
    breedtegraad = serializers.FloatField(help_text="WGS84.")
    lengtegraad = serializers.FloatField(help_text="WGS84.")
    bron = serializers.ChoiceField(
        choices=["locatie", "postcode"], help_text="`locatie`: ingevuld door de bibliotheek; `postcode`: middelpunt van het PC4-gebied."
    )


class ToegankelijkheidSerializer(serializers.Serializer):
    rolstoel = serializers.BooleanField(allow_null=True, help_text="Toegankelijk met een rolstoel; `null` als onbekend.")
    ringleiding = serializers.BooleanField(allow_null=True, help_text="Ringleiding aanwezig; `null` als onbekend.")


class VastTijdvakSerializer(serializers.Serializer):
    weekdag = serializers.IntegerField(min_value=1, max_value=7, help_text="ISO 8601: 1 is maandag, 7 is zondag.")
    dag = serializers.CharField(help_text="Naam van de dag, bijvoorbeeld `dinsdag`.")
    begin = ClockField(help_text="Begintijd (Europe/Amsterdam), UU:MM.")
    eind = ClockField(help_text="Eindtijd (Europe/Amsterdam), UU:MM.")
    soort = HoursKindField(help_text="`INLOOP` aan de balie of `SPREEKUUR` van het IDO.")


class BijeenkomstSerializer(serializers.Serializer):
    datum = serializers.DateField(help_text="Datum.")
    begin = ClockField(help_text="Begintijd (Europe/Amsterdam), UU:MM.")
    eind = ClockField(help_text="Eindtijd (Europe/Amsterdam), UU:MM.")
    soort = HoursKindField(help_text="`INLOOP` of `SPREEKUUR`.")
    titel = serializers.CharField(allow_blank=True, help_text="Omschrijving, bijvoorbeeld een ouderspreekuur op een school.")


class UitzonderingSerializer(serializers.Serializer):
    van = serializers.DateField(help_text="Eerste dag.")
    tot_en_met = serializers.DateField(help_text="Laatste dag.")
    soort = DeviationKindField(help_text="Een officiële feestdag of een sluiting door de bibliotheek.")
    reden = serializers.CharField(help_text="De reden zoals bezoekers die zien.")


class PubliekeLocatieSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Vaste code van de locatie, bijvoorbeeld `RDAM-CENTRAAL`.")
    naam = serializers.CharField(help_text="Naam zoals bezoekers die kennen.")
    soort = serializers.ChoiceField(choices=LocationKind.choices, help_text="`BIBLIOTHEEK` of `OUTREACH` (het IDO op bezoek elders).")
    organisatie = CodeNaamSerializer(help_text="De bibliotheekorganisatie.")
    gemeente = CodeNaamSerializer(help_text="De gemeente; `code` is de CBS-code.")
    adres = serializers.CharField(allow_blank=True, help_text="Straat en huisnummer; kan leeg zijn.")
    postcode = serializers.CharField(allow_blank=True, help_text="Postcode.")
    plaats = serializers.CharField(allow_blank=True, help_text="Plaats.")
    ligging = LiggingSerializer(allow_null=True, help_text="Ligging, of `null` als onbekend.")
    telefoon = serializers.CharField(allow_blank=True, help_text="Openbaar telefoonnummer; kan leeg zijn.")
    toelichting = serializers.CharField(allow_blank=True, help_text="Uitleg voor bezoekers; kan leeg zijn.")
    toegankelijkheid = ToegankelijkheidSerializer(help_text="Toegankelijkheid.")
    openbaar_vervoer = serializers.CharField(allow_blank=True, help_text="Hoe u er met het openbaar vervoer komt; kan leeg zijn.")
    url = serializers.URLField(help_text="De publieke pagina van de locatie.")
    agenda = serializers.URLField(help_text="iCalendar-feed met de spreekuren van de komende 8 weken.")
    vaste_tijden = VastTijdvakSerializer(many=True, help_text="Wekelijkse tijden. Op feestdagen en bij sluitingen vervallen ze.")
    bijeenkomsten = BijeenkomstSerializer(many=True, help_text="Losse bijeenkomsten vanaf vandaag, de komende 8 weken.")
    uitzonderingen = UitzonderingSerializer(many=True, help_text="Dagen in de komende 8 weken waarop vaste tijden of bijeenkomsten vervallen.")


def location_data(loc: Location, schedule: hours.Schedule, today: dt.date, request: Request) -> dict[str, Any]:
    point = None
    if loc.lat is not None and loc.lon is not None:
        point = {"breedtegraad": loc.lat, "lengtegraad": loc.lon, "bron": "locatie"}
    elif (pc4 := pc4_point(loc.postcode)) is not None:
        point = {"breedtegraad": pc4.lat, "lengtegraad": pc4.lon, "bron": "postcode"}
    return {
        "code": loc.code,
        "naam": loc.naam,
        "soort": loc.kind,
        "organisatie": {"code": loc.organisation.code, "naam": loc.organisation.naam},
        "gemeente": {"code": loc.gemeente.cbs_code, "naam": loc.gemeente.naam},
        "adres": loc.address,
        "postcode": loc.postcode,
        "plaats": loc.plaats,
        "ligging": point,
        "telefoon": loc.phone,
        "toelichting": loc.public_description,
        "toegankelijkheid": {"rolstoel": loc.wheelchair_accessible, "ringleiding": loc.hearing_loop},
        "openbaar_vervoer": loc.transit_note,
        "url": request.build_absolute_uri(reverse("public:location", args=[loc.code])),
        "agenda": request.build_absolute_uri(reverse("public:calendar", args=[loc.code])),
        "vaste_tijden": [
            {"weekdag": w.weekday + 1, "dag": WEEKDAYS[w.weekday], "begin": f"{w.start:%H:%M}", "eind": f"{w.end:%H:%M}", "soort": w.kind}
            for w in schedule.weekly
        ],
        "bijeenkomsten": [
            {"datum": s.date.isoformat(), "begin": f"{s.start:%H:%M}", "eind": f"{s.end:%H:%M}", "soort": s.kind, "titel": s.title}
            for s in schedule.sessions
        ],
        "uitzonderingen": [
            {"van": d.first.isoformat(), "tot_en_met": d.last.isoformat(), "soort": d.kind, "reden": d.reason}
            for d in hours.exceptions(schedule, today, days=DAYS)
        ],
    }


class PubliekeLocatiesView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicApiThrottle]  # per address, BALIE_RATELIMIT_PUBLIC_API
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="publieke_locaties_lijst",
        tags=["Open data"],
        summary="Alle informatiepunten met hun tijden (open data)",
        description=(
            "Alle actieve IDO-locaties met vaste tijden, losse bijeenkomsten en uitzonderingen (feestdagen, sluitingen) "
            f"voor de komende 8 weken. Zonder authenticatie; mag {MAX_AGE} seconden gecachet worden. Niet gepagineerd. "
            "Tijden zijn in Europe/Amsterdam."
        ),
        auth=[],
        responses={
            200: OpenApiResponse(PubliekeLocatieSerializer(many=True), description="Alle publieke locaties."),
            **problems(429, descriptions={429: "Te veel verzoeken vanaf dit adres; `Retry-After` zegt na hoeveel seconden het weer kan."}),
        },
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        locations = list(public_locations().select_related("gemeente", "organisation").order_by("code"))
        schedules = schedules_for(locations, start=today, end=today + dt.timedelta(days=DAYS))
        data = [location_data(loc, schedules[loc.pk], today, request) for loc in locations]
        # Plain dicts in the documented shape (PubliekeLocatieSerializer, checked by the tests): running 1,000 locations
        # through nested DRF serializers would triple the time of this uncached request.
        response = Response(data)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response
