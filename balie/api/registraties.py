"""/api/v1/registraties: one row per question. Every write goes through balie.desk.services."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from balie.core.access import get_or_404
from balie.desk import selectors, services
from balie.desk.models import Question

from .filters import filter_registraties
from .input import read_update, read_visit
from .pagination import Paginering
from .parsers import StrictJSONParser
from .permissions import IsDeskStaff
from .schema import RequiredBodySchema, idempotency_key, problems, submission_key
from .serializers import (
    BezoekInvoerSerializer,
    BezoekSerializer,
    EnkeleVraagInvoerSerializer,
    RegistratieSerializer,
    RegistratieWijzigingSerializer,
)

TAG = "Registraties"

FILTER_PARAMETERS = [
    OpenApiParameter("van", OpenApiTypes.DATE, description="Alleen registraties op of na deze datum (JJJJ-MM-DD)."),
    OpenApiParameter("tot", OpenApiTypes.DATE, description="Alleen registraties op of voor deze datum (JJJJ-MM-DD), inclusief."),
    OpenApiParameter("locatie", OpenApiTypes.STR, description="Code van een locatie van uw organisatie."),
    OpenApiParameter("instantie", OpenApiTypes.STR, description="Landelijke code uit de codelijst instantie, of een lokale code."),
    OpenApiParameter("onderwerp", OpenApiTypes.STR, description="Landelijke code uit de codelijst onderwerp, of een lokale code."),
    OpenApiParameter("uitkomst", OpenApiTypes.STR, description="Code uit de codelijst uitkomst."),
    OpenApiParameter("kanaal", OpenApiTypes.STR, description="Code uit de codelijst kanaal."),
]
UUID_PARAMETER = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Kenmerk van de registratie.")
CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="RegistratieAanmaken",
    serializers=[EnkeleVraagInvoerSerializer, BezoekInvoerSerializer],
    resource_type_field_name=None,
)
# No settings in the texts: the committed openapi.yaml must not depend on the environment.
UPDATE_DESCRIPTION = (
    "Corrigeert een registratie via dezelfde validatie als de balie. Alleen de medewerker die registreerde "
    "(binnen de correctietermijn, standaard 24 uur) of een coördinator van de organisatie mag corrigeren; "
    "anders 403. Datum, tijd en kanaal gelden voor het hele bezoek. De locatie is niet te wijzigen."
)

EDIT_FORBIDDEN = (
    "Geen toegang: uw rol heeft geen toegang tot registraties, of u mag deze registratie niet (meer) corrigeren "
    "(niet uw eigen registratie, of de correctietermijn is verstreken)."
)
EDIT_PROBLEMS = problems(400, 401, 403, 404, 413, 415, descriptions={403: EDIT_FORBIDDEN})


class RegistratieBase(GenericAPIView):
    permission_classes = [IsAuthenticated, IsDeskStaff]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    serializer_class = RegistratieSerializer
    pagination_class = Paginering

    def get_queryset(self) -> QuerySet[Question]:
        return selectors.questions_for_user(self.request.user).select_related(
            "visit", "organisation", "location", "codelist_version"
        )


class RegistratieLijstView(mixins.ListModelMixin, RegistratieBase):
    schema = RequiredBodySchema()

    @extend_schema(
        operation_id="registraties_lijst",
        tags=[TAG],
        summary="Registraties van uw organisatie",
        description="Alle vragen die uw organisatie registreerde, nieuwste eerst, met paginering (limit/offset).",
        parameters=FILTER_PARAMETERS,
        responses={
            200: OpenApiResponse(RegistratieSerializer(many=True), description="Eén pagina registraties."),
            **problems(400, 401, 403, descriptions={400: "Ongeldige filterwaarde, `limit` of `offset`; `invalid_params` noemt de parameter."}),
        },
    )
    def get(self, request: Request) -> Response:
        return self.list(request)

    def filter_queryset(self, queryset: QuerySet[Question]) -> QuerySet[Question]:
        return filter_registraties(queryset, self.request.query_params, self.request.user)

    @extend_schema(
        operation_id="registratie_aanmaken",
        tags=[TAG],
        summary="Bezoek registreren",
        description=(
            "Registreert één bezoek: één vraag met de bezoekvelden ernaast, of de bezoekvelden met een lijst `vragen`. "
            "Dezelfde validatie, het weglakken van persoonsgegevens en de auditlog als aan de balie. "
            "Geef een `Idempotency-Key` mee om een verzoek veilig te herhalen."
        ),
        parameters=[idempotency_key("bezoek", "het eerste bezoek")],
        request=CREATE_REQUEST,
        responses={
            201: OpenApiResponse(BezoekSerializer, description="Het bezoek is geregistreerd."),
            200: OpenApiResponse(BezoekSerializer, description="Herhaald verzoek (zelfde Idempotency-Key): het eerder geregistreerde bezoek."),
            **problems(400, 401, 403, 413, 415, 422),
        },
    )
    def post(self, request: Request) -> Response:
        key = submission_key(request)
        visit_input = read_visit(request.user, request.data)
        visit, created = services.visit_register(
            user=request.user,
            location=visit_input.location,
            questions=visit_input.questions,
            started_at=visit_input.started_at,
            kanaal=visit_input.kanaal,
            submission_key=key,
            source="api",
        )
        return Response(BezoekSerializer(visit, context={"request": request}).data, status=201 if created else 200)


class RegistratieDetailView(RegistratieBase):
    def get_object(self) -> Question:
        return get_or_404(self.get_queryset(), uuid=self.kwargs["uuid"])

    @extend_schema(
        operation_id="registratie_lezen",
        tags=[TAG],
        summary="Eén registratie",
        parameters=[UUID_PARAMETER],
        responses={200: OpenApiResponse(RegistratieSerializer, description="De registratie."), **problems(401, 403, 404)},
    )
    def get(self, request: Request, uuid: str) -> Response:
        return Response(RegistratieSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="registratie_vervangen",
        tags=[TAG],
        summary="Registratie corrigeren (alle velden)",
        description=UPDATE_DESCRIPTION + " Weggelaten vraagvelden worden leeggemaakt.",
        parameters=[UUID_PARAMETER],
        request=RegistratieWijzigingSerializer,
        responses={200: OpenApiResponse(RegistratieSerializer, description="De gecorrigeerde registratie."), **EDIT_PROBLEMS},
    )
    def put(self, request: Request, uuid: str) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        operation_id="registratie_wijzigen",
        tags=[TAG],
        summary="Registratie corrigeren (alleen gegeven velden)",
        description=UPDATE_DESCRIPTION + " Wijzigt u de instantie zonder vraagsoort, dan wordt de vraagsoort opnieuw afgeleid.",
        parameters=[UUID_PARAMETER],
        request=RegistratieWijzigingSerializer,
        responses={200: OpenApiResponse(RegistratieSerializer, description="De gecorrigeerde registratie."), **EDIT_PROBLEMS},
    )
    def patch(self, request: Request, uuid: str) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        operation_id="registratie_verwijderen",
        tags=[TAG],
        summary="Registratie verwijderen",
        description="Verwijdert een verkeerde registratie; een bezoek zonder vragen verdwijnt mee. Zelfde regels als corrigeren.",
        parameters=[UUID_PARAMETER],
        responses={204: OpenApiResponse(description="Verwijderd."), **problems(401, 403, 404, descriptions={403: EDIT_FORBIDDEN})},
    )
    def delete(self, request: Request, uuid: str) -> Response:
        services.question_delete(user=request.user, question=self.get_object())
        return Response(status=204)

    def _update(self, request: Request, *, partial: bool) -> Response:
        question = self.get_object()
        # Refuse before reading the body: someone who may not edit gets 403, not field errors.
        services.require_edit(request.user, question)
        update = read_update(question, request.data, partial=partial)
        question = services.question_update(
            user=request.user, question=question, data=update.data, started_at=update.started_at, kanaal=update.kanaal
        )
        return Response(RegistratieSerializer(self.get_queryset().get(pk=question.pk)).data)

