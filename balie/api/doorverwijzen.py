"""/api/v1/partners (HSDS-shaped social map), /api/v1/verwijzingen (referrals and their loop), /api/v1/cursussen.

Writes go through balie.referrals.services like the desk. Contact data appears only in responses to the
receiving partner's own account, and each such response is audit-logged (ADR 0009).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from balie.core import audit
from balie.core.access import get_or_404, request_scope
from balie.courses import selectors as course_selectors
from balie.courses.models import Course
from balie.desk import selectors as desk_selectors
from balie.partners import selectors as partner_selectors
from balie.partners.hsds import DAY_CODES
from balie.partners.models import Partner, Service
from balie.referrals import selectors as referral_selectors
from balie.referrals import services as referral_services
from balie.referrals.models import Kind, Referral, RejectReason, Status

from .pagination import Paginering
from .parsers import StrictJSONParser
from .permissions import IsDeskStaff
from .schema import idempotency_key, problems, submission_key
from .serializers import BoundedCharField

UUID = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Kenmerk.")
CONFLICT = {409: "Deze statuswijziging kan niet vanuit de huidige status, of niet door u (bijvoorbeeld terug naar een eerdere status)."}
PAGING_400 = {400: "Ongeldige `limit` of `offset`; `invalid_params` noemt de parameter."}
PARTNER_OR_STAFF_403 = {403: "Geen toegang: alleen voor bibliotheekmedewerkers en partneraccounts."}


class Conflict(APIException):
    status_code = 409
    default_detail = "Conflict."


class IsDeskStaffOrPartner(BasePermission):
    message = "Alleen bibliotheekmedewerkers en partneraccounts hebben toegang tot verwijzingen."

    def has_permission(self, request: Any, view: Any) -> bool:
        scope = request_scope(request)
        return scope.is_desk_staff or scope.is_partner


# --- partners (HSDS 3.0 shaped) -----------------------------------------------------------------------
class TelefoonSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Telefoonnummer.")
    type = serializers.CharField(help_text="HSDS phone.type, hier altijd `voice`.")
    description = serializers.CharField(help_text="Bijvoorbeeld `Warme lijn`.")


class TijdvakSerializer(serializers.Serializer):
    freq = serializers.CharField(help_text="Altijd `WEEKLY`.")
    byday = serializers.CharField(help_text="Dag als MO, TU, WE, TH, FR, SA of SU.")
    opens_at = serializers.CharField(help_text="Begintijd UU:MM.")
    closes_at = serializers.CharField(help_text="Eindtijd UU:MM.")
    attending_type = serializers.CharField(help_text="`phone`: warme lijn bemand; `in_person`: open voor bezoek.")


class WerkgebiedSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Naam van de gemeente.")
    extent = serializers.CharField(help_text="CBS-code van de gemeente, bijvoorbeeld GM0599.")
    extent_type = serializers.CharField(help_text="Altijd `text`.")


class DienstSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", help_text="Kenmerk van de dienst.")
    name = serializers.CharField(help_text="Naam van de dienst.")
    description = serializers.CharField(help_text="Omschrijving.")
    email = serializers.CharField(help_text="E-mailadres voor verwijzingen.")
    status = serializers.SerializerMethodField(help_text="`active` of `inactive`.")
    fees_description = serializers.CharField(source="cost", help_text="Kosten.")
    eligibility_description = serializers.CharField(source="eligibility", help_text="Voor wie.")
    assured_date = serializers.DateField(source="last_verified", allow_null=True, help_text="Laatst gecontroleerd.")
    languages = serializers.ListField(source="language_list", child=serializers.CharField(), help_text="Talen (codelijst taal).")
    phones = serializers.SerializerMethodField(help_text="De warme lijn.")
    schedules = serializers.SerializerMethodField(help_text="Wanneer de warme lijn bemand is en wanneer de dienst open is.")
    service_areas = serializers.SerializerMethodField(help_text="Werkgebied; leeg is heel Nederland.")
    balie_instanties = serializers.ListField(source="instantie_list", child=serializers.CharField(), help_text="Landelijke instantiecodes.")
    balie_onderwerpen = serializers.ListField(source="onderwerp_list", child=serializers.CharField(), help_text="Landelijke onderwerpcodes.")
    balie_behoefteprofielen = serializers.ListField(source="behoefteprofiel_list", child=serializers.CharField(), help_text="Behoefteprofielen.")
    balie_toegang = serializers.CharField(source="access", help_text="`inloop`, `afspraak` of `beide`.")

    def get_status(self, obj: Service) -> str:
        return "active" if obj.active else "inactive"

    @extend_schema_field(TelefoonSerializer(many=True))
    def get_phones(self, obj: Service) -> list[dict[str, str]]:
        return [{"number": obj.warm_phone, "type": "voice", "description": "Warme lijn"}] if obj.warm_phone else []

    @extend_schema_field(TijdvakSerializer(many=True))
    def get_schedules(self, obj: Service) -> list[dict[str, str]]:
        return [{"freq": "WEEKLY", "byday": DAY_CODES[h.weekday], "opens_at": f"{h.opens:%H:%M}", "closes_at": f"{h.closes:%H:%M}",
                 "attending_type": h.kind} for h in obj.hours.all()]

    @extend_schema_field(WerkgebiedSerializer(many=True))
    def get_service_areas(self, obj: Service) -> list[dict[str, str]]:
        return [{"name": g.naam, "extent": g.cbs_code, "extent_type": "text"} for g in obj.gemeenten.all()]


class PartnerSerializer(serializers.Serializer):
    """Een partnerorganisatie van de sociale kaart, in de vorm van een HSDS 3.0 organization met services."""

    id = serializers.UUIDField(source="uuid", help_text="Kenmerk van de organisatie.")
    name = serializers.CharField(help_text="Naam.")
    description = serializers.CharField(help_text="Omschrijving.")
    email = serializers.CharField(help_text="Algemeen e-mailadres.")
    website = serializers.CharField(help_text="Website.")
    phones = serializers.SerializerMethodField(help_text="Algemeen telefoonnummer.")
    services = DienstSerializer(many=True, help_text="Diensten van de organisatie.")
    balie_landelijk = serializers.SerializerMethodField(help_text="Waar als de partner landelijk is (niet door één bibliotheek beheerd).")

    @extend_schema_field(TelefoonSerializer(many=True))
    def get_phones(self, obj: Partner) -> list[dict[str, str]]:
        return [{"number": obj.phone, "type": "voice", "description": "Algemeen nummer"}] if obj.phone else []

    def get_balie_landelijk(self, obj: Partner) -> bool:
        return obj.organisation_id is None


class PartnerBase(GenericAPIView):
    permission_classes = [IsAuthenticated, IsDeskStaff]
    renderer_classes = [JSONRenderer]
    serializer_class = PartnerSerializer
    pagination_class = Paginering

    def get_queryset(self) -> QuerySet[Partner]:
        return partner_selectors.with_details(partner_selectors.visible_partners(self.request.user)).filter(active=True).order_by("name")


class PartnerLijstView(PartnerBase):
    @extend_schema(operation_id="partners_lijst", tags=["Sociale kaart"], summary="Partners op uw sociale kaart",
                   description="De partners van uw organisatie en de landelijke partners, met hun diensten, in de vorm van HSDS 3.0.",
                   responses={200: OpenApiResponse(PartnerSerializer(many=True), description="Eén pagina partners."), **problems(400, 401, 403, descriptions=PAGING_400)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PartnerSerializer(page, many=True).data)


class PartnerDetailView(PartnerBase):
    @extend_schema(operation_id="partner_lezen", tags=["Sociale kaart"], summary="Eén partner", parameters=[UUID],
                   responses={200: OpenApiResponse(PartnerSerializer, description="De partner."), **problems(401, 403, 404)})
    def get(self, request: Request, uuid: str) -> Response:
        return Response(PartnerSerializer(get_or_404(self.get_queryset(), uuid=uuid)).data)


# --- verwijzingen ---------------------------------------------------------------------------------------
class StatuswijzigingSerializer(serializers.Serializer):
    van = serializers.CharField(source="from_status", help_text="Status ervoor; leeg bij ontstaan.")
    naar = serializers.CharField(source="to_status", help_text="Nieuwe status.")
    reden = serializers.CharField(source="reason", help_text="Bij afgewezen: de reden.")
    via = serializers.CharField(help_text="balie, partneraccount, link, api of systeem.")
    op = serializers.DateTimeField(source="at", help_text="Moment van de wijziging.")


class ContactSerializer(serializers.Serializer):
    naam = serializers.CharField(help_text="Naam van de bezoeker.")
    telefoon = serializers.CharField(required=False, allow_blank=True, help_text="Telefoonnummer.")
    email = serializers.CharField(required=False, allow_blank=True, help_text="E-mailadres.")
    voorkeur = serializers.CharField(required=False, allow_blank=True, help_text="Wanneer de bezoeker liefst gebeld wordt.")


class VerwijzingSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="Kenmerk van de verwijzing.")
    registratie = serializers.UUIDField(source="question.uuid", help_text="De registratie (vraag) waaruit de verwijzing voortkwam.")
    organisatie = serializers.CharField(source="organisation.code", help_text="Code van de verwijzende bibliotheekorganisatie.")
    partner = serializers.UUIDField(source="partner.uuid", help_text="Kenmerk van de partner.")
    partner_naam = serializers.CharField(source="partner.name", help_text="Naam van de partner.")
    dienst = serializers.UUIDField(source="service.uuid", allow_null=True, help_text="Kenmerk van de dienst.")
    soort = serializers.ChoiceField(source="kind", choices=Kind.choices, help_text="Soort verwijzing.")
    status = serializers.ChoiceField(choices=Status.choices, help_text="Huidige status.")
    instantie = serializers.CharField(help_text="Landelijke instantiecode.")
    onderwerp = serializers.CharField(help_text="Landelijke onderwerpcode.")
    aangemaakt_op = serializers.DateTimeField(source="created_at", help_text="Moment van verwijzen.")
    eerste_reactie_op = serializers.DateTimeField(source="first_response_at", allow_null=True, help_text="Eerste reactie van de partner.")
    afgesloten_op = serializers.DateTimeField(source="closed_at", allow_null=True, help_text="Moment van de eindstatus.")
    toestemming = serializers.BooleanField(source="consent", help_text="Gaf de bezoeker toestemming voor contact?")
    historie = StatuswijzigingSerializer(source="history.all", many=True, help_text="Alle statuswijzigingen, oudste eerst.")
    contactgegevens = serializers.SerializerMethodField(
        help_text=("Alleen in antwoorden aan het account van de ontvangende partner, alleen met toestemming en alleen zolang de verwijzing "
                   "loopt (niet meer na afronden of intrekken); elke keer vastgelegd in het auditlog."))

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contactgegevens(self, obj: Referral) -> dict[str, str] | None:
        user = self.context.get("contact_for")
        # Closed or withdrawn: the partner no longer sees the contact data (review M2).
        if user is None or not referral_services.contact_visible(obj, user=user):
            return None
        return referral_services.contact_for(obj, user=user, via="api", origin=self.context.get("origin"))


class VerwijzingInvoerSerializer(serializers.Serializer):
    registratie = serializers.UUIDField(help_text="Kenmerk van de registratie (vraag) van uw organisatie.")
    dienst = serializers.UUIDField(help_text="Kenmerk van de dienst op uw sociale kaart.")
    soort = serializers.ChoiceField(choices=Kind.choices, help_text="Soort verwijzing.")
    toestemming = serializers.BooleanField(default=False, help_text="De bezoeker gaf toestemming om contactgegevens door te geven.")
    contact = ContactSerializer(required=False, allow_null=True, help_text="Alleen met toestemming: de minimale contactgegevens.")


class StatusInvoerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in Status.choices if s[0] not in (Status.VERSTUURD, Status.INFORMATIE)],
                                     help_text="Nieuwe status. Partners: ontvangen, in_behandeling, geholpen, niet_bereikt, afgewezen. Bibliotheek: teruggetrokken.")
    reden = serializers.ChoiceField(choices=RejectReason.choices, required=False, allow_blank=True, help_text="Verplicht bij afgewezen.")
    toelichting = BoundedCharField(required=False, allow_blank=True, max_length=300, help_text="Korte toelichting zonder persoonsgegevens.")


class VerwijzingBase(GenericAPIView):
    permission_classes = [IsAuthenticated, IsDeskStaffOrPartner]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    serializer_class = VerwijzingSerializer
    pagination_class = Paginering

    def get_queryset(self) -> QuerySet[Referral]:
        return referral_selectors.referrals_for(self.request.user).select_related("question").prefetch_related("history")

    def serializer_context(self) -> dict[str, Any]:
        # Contact data only for the receiving partner's own account (the referring library sees it in Balie itself).
        return {"contact_for": self.request.user if request_scope(self.request).is_partner else None,
                "origin": audit.origin(self.request)}


class VerwijzingLijstView(VerwijzingBase):
    @extend_schema(operation_id="verwijzingen_lijst", tags=["Verwijzingen"], summary="Verwijzingen",
                   description="Bibliotheekmedewerkers: de verwijzingen van hun organisatie. Partneraccounts: de warme verwijzingen aan hun organisatie.",
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values,
                                                description="Alleen verwijzingen met deze status. Een onbekende status geeft 400.")],
                   responses={200: OpenApiResponse(VerwijzingSerializer(many=True), description="Eén pagina verwijzingen."),
                              **problems(400, 401, 403, descriptions={**PARTNER_OR_STAFF_403, 400: "Onbekende status of ongeldige paginering; `invalid_params` noemt de parameter."})})
    def get(self, request: Request) -> Response:
        qs = self.get_queryset()
        if "status" in request.query_params:
            # Strict like the registration filters: a typo is a 400 naming the parameter, not a silently empty list.
            status = request.query_params["status"]
            if status not in Status.values:
                raise ValidationError({"status": [f"Onbekende status '{status}'. Kies uit: {', '.join(Status.values)}."]})
            qs = qs.filter(status=status)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(VerwijzingSerializer(page, many=True, context=self.serializer_context()).data)

    @extend_schema(operation_id="verwijzing_aanmaken", tags=["Verwijzingen"], summary="Doorverwijzen vanuit een registratie",
                   description=("Legt een verwijzing vast, zoals de knop Doorverwijzen aan de balie. Warme verwijzingen krijgen status "
                                "`verstuurd` en de partner krijgt een e-mail met een persoonlijke link. Contactgegevens alleen met "
                                "`toestemming: true`. Geef een `Idempotency-Key` mee om een verzoek veilig te herhalen."),
                   parameters=[idempotency_key("verwijzing", "de eerste verwijzing")], request=VerwijzingInvoerSerializer,
                   responses={201: OpenApiResponse(VerwijzingSerializer, description="De verwijzing is vastgelegd."),
                              200: OpenApiResponse(VerwijzingSerializer, description="Herhaald verzoek (zelfde Idempotency-Key): de eerdere verwijzing."),
                              **problems(400, 401, 403, 413, 415, 422)})
    def post(self, request: Request) -> Response:
        if not request_scope(request).is_desk_staff:
            raise PermissionDenied(gettext("Alleen bibliotheekmedewerkers verwijzen door."))
        key = submission_key(request)
        data = VerwijzingInvoerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        question = desk_selectors.questions_for_user(request.user).filter(uuid=values["registratie"]).first()
        service = (Service.objects.filter(partner__in=partner_selectors.visible_partners(request.user), uuid=values["dienst"], active=True)
                   .select_related("partner").first())
        errors = {}
        if question is None:
            errors["registratie"] = ["Onbekende registratie van uw organisatie."]
        if service is None:
            errors["dienst"] = ["Onbekende dienst op uw sociale kaart."]
        if errors:
            raise ValidationError(errors)
        try:
            referral, created = referral_services.referral_create(
                user=request.user, question=question, partner=service.partner, service=service, kind=values["soort"],
                consent=values["toestemming"], contact=values.get("contact"), via="api",
                submission_key=key, base_url=request.build_absolute_uri("/")[:-1],
            )
        except referral_services.ReferralInvalid as exc:
            raise ValidationError({e.field: [e.message] for e in exc.errors}) from exc
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(VerwijzingSerializer(referral, context=self.serializer_context()).data, status=201 if created else 200)


class VerwijzingDetailView(VerwijzingBase):
    @extend_schema(operation_id="verwijzing_lezen", tags=["Verwijzingen"], summary="Eén verwijzing", parameters=[UUID],
                   responses={200: OpenApiResponse(VerwijzingSerializer, description="De verwijzing."),
                              **problems(401, 403, 404, descriptions=PARTNER_OR_STAFF_403)})
    def get(self, request: Request, uuid: str) -> Response:
        return Response(VerwijzingSerializer(get_or_404(self.get_queryset(), uuid=uuid), context=self.serializer_context()).data)


class VerwijzingStatusView(VerwijzingBase):
    @extend_schema(operation_id="verwijzing_status_wijzigen", tags=["Verwijzingen"], summary="Status van een verwijzing wijzigen",
                   description=("Voegt een statuswijziging toe aan de historie (nooit een wijziging van een oude regel). Vooruit: "
                                "verstuurd → ontvangen → in_behandeling → geholpen, niet_bereikt of afgewezen (met reden); de bibliotheek "
                                "kan intrekken. Een afgeronde verwijzing verandert niet meer: 409."),
                   parameters=[UUID], request=StatusInvoerSerializer,
                   responses={200: OpenApiResponse(VerwijzingSerializer, description="De verwijzing met de nieuwe status."),
                              **problems(400, 401, 403, 404, 409, 413, 415, descriptions={**PARTNER_OR_STAFF_403, **CONFLICT})})
    def post(self, request: Request, uuid: str) -> Response:
        referral = get_or_404(self.get_queryset(), uuid=uuid)
        data = StatusInvoerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = referral_services.PARTNER if request_scope(request).is_partner else referral_services.LIBRARY
        try:
            referral_services.transition(referral, data.validated_data["status"], actor=actor, via="api", by=request.user,
                                         reason=data.validated_data.get("reden", ""), note=data.validated_data.get("toelichting", ""))
        except referral_services.TransitionNotAllowed as exc:
            raise Conflict(str(exc)) from exc
        return Response(VerwijzingSerializer(self.get_queryset().get(pk=referral.pk), context=self.serializer_context()).data)


# --- cursussen --------------------------------------------------------------------------------------------
class CursusSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="Kenmerk van de cursus.")
    soort = serializers.CharField(source="kind", help_text="digisterker, klik_en_tik, taalcafe, veilig_online of lokaal.")
    titel = serializers.CharField(source="title", help_text="Titel.")
    omschrijving = serializers.CharField(source="description", help_text="Omschrijving.")
    locatie = serializers.CharField(source="location.code", allow_null=True, default=None, help_text="Code van de locatie.")
    eerste_keer = serializers.DateField(source="start_date", help_text="Datum van de eerste bijeenkomst.")
    laatste_keer = serializers.DateField(source="end_date", help_text="Datum van de laatste bijeenkomst.")
    wanneer = serializers.CharField(source="schedule", help_text="Dagen en tijden in woorden.")
    plaatsen = serializers.IntegerField(source="capacity", help_text="Aantal plaatsen.")
    ingeschreven = serializers.IntegerField(source="enrolled", help_text="Aantal ingeschrevenen.")
    wachtlijst = serializers.IntegerField(source="waiting", help_text="Aantal op de wachtlijst.")
    taalniveau = serializers.CharField(source="language_level", help_text="Benodigd niveau Nederlands.")
    kosten = serializers.CharField(source="cost", help_text="Kosten.")


class CursusBase(GenericAPIView):
    permission_classes = [IsAuthenticated, IsDeskStaff]
    renderer_classes = [JSONRenderer]
    serializer_class = CursusSerializer
    pagination_class = Paginering

    def get_queryset(self) -> QuerySet[Course]:
        return course_selectors.with_counts(course_selectors.courses_for(self.request.user)).order_by("start_date", "title")


class CursusLijstView(CursusBase):
    @extend_schema(operation_id="cursussen_lijst", tags=["Cursussen"], summary="Cursussen en groepen van uw organisatie",
                   description="Zonder persoonsgegevens: alleen aantallen ingeschrevenen en wachtenden.",
                   responses={200: OpenApiResponse(CursusSerializer(many=True), description="Eén pagina cursussen."), **problems(400, 401, 403, descriptions=PAGING_400)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CursusSerializer(page, many=True).data)


class CursusDetailView(CursusBase):
    @extend_schema(operation_id="cursus_lezen", tags=["Cursussen"], summary="Eén cursus", parameters=[UUID],
                   responses={200: OpenApiResponse(CursusSerializer, description="De cursus."), **problems(401, 403, 404)})
    def get(self, request: Request, uuid: str) -> Response:
        return Response(CursusSerializer(get_or_404(self.get_queryset(), uuid=uuid)).data)
