"""/api/v1/locaties: the locations of the user's own organisation (codes to register with)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from balie.core.access import get_or_404, request_scope
from balie.network.models import Location

from .permissions import IsDeskStaff
from .schema import problems
from .serializers import LocatieSerializer

TAG = "Locaties"


class LocatieBase(GenericAPIView):
    permission_classes = [IsAuthenticated, IsDeskStaff]
    renderer_classes = [JSONRenderer]
    serializer_class = LocatieSerializer
    # An organisation has tens of locations at most: one page is simpler for clients.
    pagination_class = None

    def get_queryset(self) -> QuerySet[Location]:
        return Location.objects.for_scope(request_scope(self.request)).select_related("gemeente").order_by("naam")


class LocatieLijstView(mixins.ListModelMixin, LocatieBase):
    @extend_schema(
        operation_id="locaties_lijst",
        tags=[TAG],
        summary="Locaties van uw organisatie",
        description="Vestigingen en buitenlocaties van uw organisatie, ook inactieve (zie `actief`).",
        responses={200: OpenApiResponse(LocatieSerializer(many=True), description="Alle locaties, niet gepagineerd."), **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


class LocatieDetailView(LocatieBase):
    @extend_schema(
        operation_id="locatie_lezen",
        tags=[TAG],
        summary="Eén locatie",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Code van de locatie.")],
        responses={200: OpenApiResponse(LocatieSerializer, description="De locatie."), **problems(401, 403, 404)},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(LocatieSerializer(get_or_404(self.get_queryset(), code=code.upper())).data)
