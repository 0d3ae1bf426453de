"""/api/v1/aanmeldingen: visitors announced to an IDO by a partner organisation or a municipality (issue 16).

Writes go through balie.announcements.services like the web form (same checks, same consent rules, same rate limit).
Partners and municipalities read what they announced, with the anonymous outcome; library staff read the
announcements for their locations. Name and phone never appear in the API: they are read in Balie, audit-logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from balie.announcements import selectors, services
from balie.announcements.models import Announcement, Status
from balie.core.access import Cap, get_or_404, request_scope
from balie.core.ratelimit import hit
from balie.network.models import Location

from .pagination import Paginering
from .parsers import StrictJSONParser
from .publiek import ClockField
from .schema import idempotency_key, problems, submission_key
from .serializers import TIME_SCHEMA, BoundedCharField
from .throttles import refused

UUID = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Kenmerk van de aanmelding.")
FORBIDDEN = {403: "Geen toegang: alleen voor bibliotheekmedewerkers, partneraccounts en gemeenten."}


class MayUseAnnouncements(BasePermission):
    message = "Alleen bibliotheekmedewerkers, partneraccounts en gemeenten hebben toegang tot aanmeldingen."

    def has_permission(self, request: Any, view: Any) -> bool:
        scope = request_scope(request)
        return scope.is_desk_staff or scope.can(Cap.ANNOUNCE)


class AanmeldingStatuswijzigingSerializer(serializers.Serializer):
    van = serializers.CharField(source="from_status", help_text="Status ervoor; leeg bij ontstaan.")
    naar = serializers.CharField(source="to_status", help_text="Nieuwe status.")
    via = serializers.CharField(help_text="formulier, balie, api of systeem.")
    op = serializers.DateTimeField(source="at", help_text="Moment van de wijziging.")


class AanmeldingSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="Kenmerk van de aanmelding.")
    locatie = serializers.CharField(source="location.code", help_text="Code van de IDO-locatie.")
    locatie_naam = serializers.CharField(source="location.naam", help_text="Naam van de IDO-locatie.")
    afzender = serializers.CharField(source="sender_name", help_text="De partner of gemeente die aanmeldde.")
    datum = serializers.DateField(source="expected_on", help_text="De dag waarop de bezoeker komt.")
    spreekuur_van = serializers.SerializerMethodField(help_text="Begin van het gekozen spreekuur (UU:MM), of null.")
    spreekuur_tot = serializers.SerializerMethodField(help_text="Einde van het gekozen spreekuur (UU:MM), of null.")
    instantie = serializers.CharField(help_text="Landelijke instantiecode, of leeg.")
    onderwerp = serializers.CharField(help_text="Landelijke onderwerpcode, of leeg.")
    toelichting = serializers.CharField(source="description", help_text="Korte toelichting; persoonsgegevens zijn weggelakt.")
    status = serializers.ChoiceField(choices=Status.choices, help_text="aangemeld, gekomen, geholpen, niet_gekomen, verlopen of ingetrokken.")
    uitkomst = serializers.CharField(help_text="Anonieme uitkomstcode van het bezoek (OPGELOST, DEELS, DOORVERWEZEN, NIET_OPGELOST), of leeg.")
    toestemming = serializers.BooleanField(source="consent", help_text="Gaf de bezoeker toestemming voor naam en telefoon? Die staan nooit in de API.")
    aangemaakt_op = serializers.DateTimeField(source="created_at", help_text="Moment van aanmelden.")
    @extend_schema_field({**TIME_SCHEMA, "nullable": True})
    def get_spreekuur_van(self, obj: Announcement) -> str | None:
        return f"{obj.preferred_start:%H:%M}" if obj.preferred_start else None

    @extend_schema_field({**TIME_SCHEMA, "nullable": True})
    def get_spreekuur_tot(self, obj: Announcement) -> str | None:
        return f"{obj.preferred_end:%H:%M}" if obj.preferred_end else None

    historie = AanmeldingStatuswijzigingSerializer(source="history.all", many=True, help_text="Alle statuswijzigingen, oudste eerst.")


class ContactInvoerSerializer(serializers.Serializer):
    naam = BoundedCharField(max_length=100, help_text="Naam van de bezoeker.")
    telefoon = BoundedCharField(max_length=30, help_text="Telefoonnummer van de bezoeker.")


class AanmeldingInvoerSerializer(serializers.Serializer):
    locatie = BoundedCharField(max_length=40, help_text="Code van de IDO-locatie (zie /locaties of de publieke locaties).")
    # Required: the service refuses an announcement without a day, so the schema says so (a client reads it there).
    datum = serializers.DateField(help_text="De dag waarop de bezoeker komt (vandaag tot 60 dagen vooruit).",
                                  error_messages={"required": "Vul de dag in waarop de bezoeker komt.",
                                                  "null": "Vul de dag in waarop de bezoeker komt."})
    spreekuur_van = ClockField(required=False, allow_null=True, help_text="Begin van een spreekuur op die dag, UU:MM; leeg is geen voorkeur.")
    instantie = BoundedCharField(required=False, allow_blank=True, max_length=40, help_text="Landelijke instantiecode.")
    onderwerp = BoundedCharField(required=False, allow_blank=True, max_length=40, help_text="Landelijke onderwerpcode.")
    toelichting = BoundedCharField(required=False, allow_blank=True, max_length=500, trim_whitespace=True,
                                        help_text="Korte toelichting zonder persoonsgegevens (hoogstens 500 tekens); wordt gecontroleerd en weggelakt.")
    toestemming = serializers.BooleanField(default=False, help_text="De bezoeker gaf toestemming om naam en telefoon door te geven.")
    contact = ContactInvoerSerializer(required=False, allow_null=True, help_text="Alleen met toestemming: naam en telefoon.")


class AanmeldingBase(GenericAPIView):
    permission_classes = [IsAuthenticated, MayUseAnnouncements]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    serializer_class = AanmeldingSerializer
    pagination_class = Paginering

    def get_queryset(self) -> QuerySet[Announcement]:
        return selectors.announcements_for(request_scope(self.request)).prefetch_related("history").order_by("-expected_on", "-created_at", "-id")


class AanmeldingLijstView(AanmeldingBase):
    @extend_schema(operation_id="aanmeldingen_lijst", tags=["Aanmeldingen"], summary="Aanmeldingen",
                   description=("Partneraccounts en gemeenten: de bezoekers die zij aanmeldden, met de anonieme uitkomst. "
                                "Bibliotheekmedewerkers: de aanmeldingen voor de locaties van hun organisatie."),
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Alleen aanmeldingen met deze status."),
                               OpenApiParameter("datum", OpenApiTypes.DATE, description="Alleen aanmeldingen voor deze dag (JJJJ-MM-DD).")],
                   responses={200: OpenApiResponse(AanmeldingSerializer(many=True), description="Eén pagina aanmeldingen."),
                              **problems(400, 401, 403, descriptions=FORBIDDEN)})
    def get(self, request: Request) -> Response:
        qs = self.get_queryset()
        if "status" in request.query_params:
            status = request.query_params["status"]
            if status not in Status.values:
                raise ValidationError({"status": [f"Onbekende status '{status[:40]}'. Kies uit: {', '.join(Status.values)}."]})
            qs = qs.filter(status=status)
        if "datum" in request.query_params:
            try:
                qs = qs.filter(expected_on=dt.date.fromisoformat(request.query_params["datum"][:10]))
            except ValueError as exc:
                raise ValidationError({"datum": ["Geef een datum als JJJJ-MM-DD."]}) from exc
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AanmeldingSerializer(page, many=True).data)

    @extend_schema(operation_id="aanmelding_aanmaken", tags=["Aanmeldingen"], summary="Een bezoeker aanmelden",
                   description=("Een partnerorganisatie of gemeente meldt aan dat zij iemand naar een IDO stuurt. Standaard anoniem "
                                "(codes en een korte toelichting zonder persoonsgegevens); naam en telefoon alleen met `toestemming: true`. "
                                "Geef een `Idempotency-Key` mee om een verzoek veilig te herhalen."),
                   parameters=[idempotency_key("aanmelding", "de eerste aanmelding")], request=AanmeldingInvoerSerializer,
                   responses={201: OpenApiResponse(AanmeldingSerializer, description="De aanmelding is vastgelegd."),
                              200: OpenApiResponse(AanmeldingSerializer, description="Herhaald verzoek (zelfde Idempotency-Key): de eerdere aanmelding."),
                              **problems(400, 401, 403, 413, 415, 422, 429, descriptions={
                                  403: "Alleen partneraccounts en gemeenten melden bezoekers aan.",
                                  429: "Te veel nieuwe aanmeldingen van dit account; probeer het later opnieuw (Retry-After)."})})
    def post(self, request: Request) -> Response:
        if not request_scope(request).can(Cap.ANNOUNCE):
            raise PermissionDenied(_("Alleen partneraccounts en gemeenten melden bezoekers aan."))
        key = submission_key(request)
        data = AanmeldingInvoerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = hit(request._request, "announce", scope=f"user:{request.user.pk}", per_address=False)
        if wait is not None:
            raise refused(_("Te veel nieuwe aanmeldingen. Probeer het over %(seconds)s seconden opnieuw.") % {"seconds": wait}, wait)
        values = data.validated_data
        location = Location.objects.filter(code=values["locatie"]).first()
        slot = None
        errors: dict[str, list[str]] = {}
        if values.get("spreekuur_van") and location is not None and values.get("datum"):
            start = dt.time.fromisoformat(values["spreekuur_van"])
            match = [s for s in services.consultation_slots(location, start=values["datum"], days=1) if s.start == start]
            if match:
                slot = (match[0].start, match[0].end)
            else:
                errors["spreekuur_van"] = ["Op die dag begint er geen spreekuur op dat tijdstip."]
        if errors:
            raise ValidationError(errors)
        contact = values.get("contact")
        try:
            announcement, created = services.announcement_create(
                user=request.user, location=location, expected_on=values.get("datum"), slot=slot,
                instantie=values.get("instantie", ""), onderwerp=values.get("onderwerp", ""), description=values.get("toelichting", ""),
                consent=values["toestemming"], contact=dict(contact) if contact else None, submission_key=key, via="api",
            )
        except services.AnnouncementInvalid as exc:
            raise ValidationError({e.field: [e.message] for e in exc.errors}) from exc
        announcement = self.get_queryset().get(pk=announcement.pk)
        return Response(AanmeldingSerializer(announcement).data, status=201 if created else 200)


class AanmeldingDetailView(AanmeldingBase):
    @extend_schema(operation_id="aanmelding_lezen", tags=["Aanmeldingen"], summary="Eén aanmelding", parameters=[UUID],
                   responses={200: OpenApiResponse(AanmeldingSerializer, description="De aanmelding met de anonieme uitkomst."),
                              **problems(401, 403, 404, descriptions=FORBIDDEN)})
    def get(self, request: Request, uuid: str) -> Response:
        return Response(AanmeldingSerializer(get_or_404(self.get_queryset(), uuid=uuid)).data)
