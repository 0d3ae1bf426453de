"""/api/v1/codelijsten: the national code lists, readable by every authenticated user."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balie.core import codelists
from balie.core.access import request_scope
from balie.core.models import CodeListVersion

from .schema import problems
from .serializers import CodelijstVersieSerializer

TAG = "Codelijsten"


class CodelijstBase(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]


class CodelijstenView(CodelijstBase):
    @extend_schema(
        operation_id="codelijsten_huidig",
        tags=[TAG],
        summary="Huidige codelijsten",
        description="De nieuwste gepubliceerde versie van alle landelijke codelijsten; nieuwe registraties gebruiken deze.",
        responses={200: OpenApiResponse(CodelijstVersieSerializer, description="De huidige versie."), **problems(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(CodelijstVersieSerializer(codelists.current_version()).data)


class CodelijstVersieView(CodelijstBase):
    @extend_schema(
        operation_id="codelijsten_versie",
        tags=[TAG],
        summary="Codelijsten van één versie",
        description="Een gepubliceerde versie. Een conceptversie is alleen zichtbaar voor de landelijke rol; voor anderen 404.",
        parameters=[OpenApiParameter("versie", OpenApiTypes.INT, OpenApiParameter.PATH, description="Versienummer.")],
        responses={
            200: OpenApiResponse(CodelijstVersieSerializer, description="De gevraagde versie."),
            **problems(401, 404, descriptions={404: "Deze versie bestaat niet (of is een concept en u hebt niet de landelijke rol)."}),
        },
    )
    def get(self, request: Request, versie: int) -> Response:
        version = CodeListVersion.objects.filter(number=versie).first()
        # A draft is work in progress of the landelijk role; to others it does not exist yet.
        if version is None or (version.is_draft and not request_scope(request).is_national):
            raise Http404(f"Codelijstversie {versie} bestaat niet.")
        return Response(CodelijstVersieSerializer(version).data)
