"""The hub's federation API, /api/federatie/v1/ (docs/federatie.md): what a node may fetch and deliver.

Dutch resource names and problem+json like the rest of the API (NL API Design Rules). A node authenticates with its
own token (``Authorization: Bearer <code>.<secret>``); behind FSC the inway adds mutual TLS and the contract, and the
token still says which node calls. Every call carries ``Fsc-Transaction-Id`` (UUIDv7) and is logged on both sides.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotFound, ParseError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balie.api.parsers import StrictJSONParser
from balie.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from balie.api.schema import problems
from balie.core import audit, codelists
from balie.core.audit import Event
from balie.core.models import CodeListVersion
from balie.insight import delivered
from balie.insight.periods import Period
from balie.signals import national as signals

from . import services
from .models import Call, Node

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TRANSACTION_HEADER = "Fsc-Transaction-Id"
PERIOD_HELP = "Jaar (2026), kwartaal (2026-K3) of maand (2026-07)."


class NodeAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Node] | None:
        header = get_authorization_header(request).decode("latin-1")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("Stuur de sleutel van het knooppunt mee: Authorization: Bearer <sleutel>.")
        node = services.authenticate(token.strip())
        if node is None:
            raise AuthenticationFailed("Deze sleutel hoort bij geen knooppunt van deze hub (of is vervangen).")
        return (None, node)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="balie-federatie"'


class NodeAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = NodeAuthentication
    name = "knooppuntsleutel"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "De sleutel van het knooppunt (federatie_knooppunt_toevoegen)."}


class ActiveNode(BasePermission):
    message = "Dit knooppunt is door de hub geschorst. Neem contact op met de landelijke beheerder."

    def has_permission(self, request: Request, view: Any) -> bool:
        node = request.auth
        return isinstance(node, Node) and node.status == Node.Status.ACTIVE


class FederationView(APIView):
    authentication_classes = [NodeAuthentication]
    permission_classes = [ActiveNode]
    parser_classes = [StrictJSONParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        transaction_id = request.headers.get(TRANSACTION_HEADER, "")
        request.fsc_transaction_id = transaction_id if UUID7.match(transaction_id) else ""  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)
        if not request.fsc_transaction_id:  # type: ignore[attr-defined]
            raise ParseError(f"Stuur de header {TRANSACTION_HEADER} mee met een UUIDv7 (FSC Logging).")
        Node.objects.filter(pk=request.auth.pk).update(last_seen_at=timezone.now())

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        transaction_id = getattr(request, "fsc_transaction_id", "")
        if transaction_id:
            response[TRANSACTION_HEADER] = transaction_id
        node = request.auth if isinstance(getattr(request, "auth", None), Node) else None
        Call.objects.create(
            direction=Call.Direction.INCOMING, peer=node.code if node else "onbekend", method=request.method or "",
            path=request.path[:200], status=response.status_code, transaction_id=transaction_id,
        )
        return response


def _period(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise NotFound(f"Onbekende periode: {exc}") from exc


Withdrawn = inline_serializer("LeveringenIngetrokken", {
    "ingetrokken": serializers.IntegerField(), "signalen_ingetrokken": serializers.IntegerField(
        help_text="Samenvattingen van signalen die met de cijfers zijn ingetrokken (bij een periode: die met weken in die periode).")})
DeliveryList = inline_serializer("Leveringen", {"leveringen": inline_serializer("GeleverdePeriode", {
    "periode": serializers.CharField(), "rijen": serializers.IntegerField(), "codelijstversie": serializers.IntegerField(),
    "ontvangen": serializers.DateTimeField()}, many=True)})
Versions = inline_serializer("FederatieCodelijstVersies", {"versies": inline_serializer("FederatieCodelijstVersie", {
    "nummer": serializers.IntegerField(), "omschrijving": serializers.CharField(),
    "gepubliceerd": serializers.DateTimeField()}, many=True)})
VersionOut = inline_serializer("FederatieCodelijstVersieVolledig", {
    "version": serializers.IntegerField(), "description": serializers.CharField(),
    "lists": serializers.JSONField(help_text="Per codelijst de codes: code, label, label_en, bestuurslaag, active.")})

FEDERATION_PROBLEMS = {
    400: "De header Fsc-Transaction-Id ontbreekt of is geen UUIDv7, of de JSON is ongeldig.",
    401: "Geen of een onbekende sleutel: `Authorization: Bearer <sleutel van het knooppunt>`.",
    403: "Dit knooppunt is door de hub geschorst.",
    404: "Onbekende periode, codelijstversie of signaal.",
    422: "De levering is niet opgeslagen: `invalid_params` noemt elk ongeldig cijfer of veld.",
}


def answers(ok: Any, *statuses: int) -> dict[Any, Any]:
    return {200: ok, **problems(400, 401, 403, *statuses, descriptions=FEDERATION_PROBLEMS)}


NodeOut = inline_serializer("Knooppunt", {
    "code": serializers.CharField(), "naam": serializers.CharField(), "status": serializers.CharField(),
    "codelijstversie": serializers.IntegerField(allow_null=True),
})


class KnooppuntView(FederationView):
    @extend_schema(tags=["federatie"], operation_id="federatie_knooppunt", summary="Wie ben ik (knooppunt)", responses=answers(NodeOut))
    def get(self, request: Request) -> Response:
        node: Node = request.auth
        return Response({"code": node.code, "naam": node.naam, "status": node.status, "codelijstversie": node.codelist_version})


class CodelijstenView(FederationView):
    @extend_schema(tags=["federatie"], operation_id="federatie_codelijsten_lijst",
                   summary="Gepubliceerde landelijke codelijstversies", responses=answers(Versions))
    def get(self, request: Request) -> Response:
        versions = CodeListVersion.objects.filter(published_at__isnull=False).order_by("number")
        return Response({"versies": [{"nummer": v.number, "omschrijving": v.description,
                                      "gepubliceerd": v.published_at.isoformat() if v.published_at else None} for v in versions]})


class CodelijstView(FederationView):
    @extend_schema(tags=["federatie"], operation_id="federatie_codelijst", summary="Eén gepubliceerde codelijstversie, volledig",
                   responses=answers(VersionOut, 404))
    def get(self, request: Request, nummer: int) -> Response:
        version = CodeListVersion.objects.filter(number=nummer, published_at__isnull=False).first()
        if version is None:
            raise NotFound("Deze codelijstversie is (nog) niet gepubliceerd.")
        return Response(codelists.export_version(version))


FIGURE_FIELDS = {
    "gemeente": serializers.CharField(help_text="CBS-gemeentecode, GMxxxx."),
    "dimensie": serializers.CharField(help_text="T (alle vragen) of de letter van een landelijke codelijst."),
    "code": serializers.CharField(allow_blank=True), "aantal": serializers.IntegerField(allow_null=True, help_text="null = minder dan 5."),
}
DeliveryIn = inline_serializer("Levering", {"codelijstversie": serializers.IntegerField(),
                                            "cijfers": inline_serializer("Cijfer", FIGURE_FIELDS, many=True)})
DeliveryOut = inline_serializer("LeveringOntvangen", {
    "periode": serializers.CharField(), "rijen": serializers.IntegerField(), "gewijzigd": serializers.BooleanField()})


class LeveringenView(FederationView):
    @extend_schema(tags=["federatie"], operation_id="federatie_leveringen_lijst", summary="De perioden die dit knooppunt leverde",
                   responses=answers(DeliveryList))
    def get(self, request: Request) -> Response:
        rows = delivered.delivered_periods(request.auth.code)
        return Response({"leveringen": [{"periode": d.period, "rijen": d.rows, "codelijstversie": d.codelist_version,
                                         "ontvangen": d.received_at.isoformat()} for d in rows]})

    @extend_schema(tags=["federatie"], operation_id="federatie_leveringen_intrekken",
                   summary="Alle leveringen van dit knooppunt intrekken", responses=answers(Withdrawn))
    def delete(self, request: Request) -> Response:
        with transaction.atomic():
            count = delivered.withdraw(source=request.auth.code)
            summaries = signals.withdraw_summaries(source=request.auth.code)  # the node's signals go with its figures
            audit.log(Event.FEDERATION_DELIVERY_WITHDRAWN, obj=request.auth, node=request.auth.code, periods=count, signals=summaries)
        return Response({"ingetrokken": count, "signalen_ingetrokken": summaries})


class LeveringView(FederationView):
    @extend_schema(tags=["federatie"], operation_id="federatie_levering_leveren", summary="Cijfers van één periode leveren (vervangt een eerdere levering)",
                   parameters=[OpenApiParameter("periode", str, OpenApiParameter.PATH, description=PERIOD_HELP)],
                   request=DeliveryIn, responses=answers(DeliveryOut, 404, 413, 415, 422))
    def put(self, request: Request, periode: str) -> Response:
        period = _period(periode)
        body = request.data if isinstance(request.data, dict) else {}
        node: Node = request.auth
        try:
            stored = delivered.store(source=node.code, period=period, version_number=body.get("codelijstversie"),
                                     rows=body.get("cijfers"), transaction_id=request.fsc_transaction_id)  # type: ignore[attr-defined]
        except delivered.DeliveryInvalid as exc:
            problem = problem_body(422, "De levering is niet opgeslagen; zie invalid_params.", instance=request.path,
                                   invalid_params=exc.errors)
            return Response(problem, status=422, content_type=PROBLEM_CONTENT_TYPE)
        with transaction.atomic():
            Node.objects.filter(pk=node.pk).update(last_delivery_at=timezone.now(), codelist_version=body.get("codelijstversie"))
            if stored.changed:
                audit.log(Event.FEDERATION_DELIVERY_RECEIVED, obj=node, node=node.code, period=stored.period, rows=stored.rows)
        return Response({"periode": stored.period, "rijen": stored.rows, "gewijzigd": stored.changed})

    @extend_schema(tags=["federatie"], operation_id="federatie_levering_intrekken", summary="De levering van één periode intrekken",
                   parameters=[OpenApiParameter("periode", str, OpenApiParameter.PATH, description=PERIOD_HELP)],
                   responses=answers(Withdrawn, 404))
    def delete(self, request: Request, periode: str) -> Response:
        period = _period(periode)
        with transaction.atomic():
            count = delivered.withdraw(source=request.auth.code, period=period)
            summaries = signals.withdraw_summaries(source=request.auth.code, first=period.first, last=period.last_day)
            if count or summaries:
                audit.log(Event.FEDERATION_DELIVERY_WITHDRAWN, obj=request.auth, node=request.auth.code, periods=count, signals=summaries)
        return Response({"ingetrokken": count, "signalen_ingetrokken": summaries})



SummaryIn = inline_serializer("SignaalSamenvatting", {
    "instantie": serializers.CharField(help_text="Landelijke code van de instantie."),
    "eerste_week": serializers.DateField(help_text="Maandag van de eerste week met de stijging."),
    "laatste_week": serializers.DateField(help_text="Maandag van de laatste week."),
    "aantal": serializers.IntegerField(allow_null=True, help_text="Het gepubliceerde aantal vragen; null = minder dan 5."),
    "verwacht": serializers.IntegerField(allow_null=True, help_text="De verwachting, afgerond; null = minder dan 5."),
    "omschrijving": serializers.CharField(allow_blank=True, help_text="Het probleem in gewone woorden; de hub haalt persoonsgegevens er nog eens uit."),
    "open": serializers.BooleanField(help_text="Loopt het signaal nog op het knooppunt?"),
})
SummaryOut = inline_serializer("SignaalSamenvattingOntvangen", {
    "id": serializers.UUIDField(), "gewijzigd": serializers.BooleanField(),
    "landelijk_signaal": serializers.UUIDField(allow_null=True, help_text="Het landelijke signaal waarin de hub dit samenvoegde."),
})
SIGNAL_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Het vaste kenmerk (UUID) van het signaal op het knooppunt.")


class SignaalView(FederationView):
    """One signal that a node's coordinator reported nationally ("ook landelijk melden"): only its summary."""

    @extend_schema(tags=["federatie"], operation_id="federatie_signaal_melden",
                   summary="De samenvatting van een landelijk gemeld signaal (vervangt een eerdere)", parameters=[SIGNAL_ID],
                   request=SummaryIn, responses=answers(SummaryOut, 404, 413, 415, 422))
    def put(self, request: Request, id: Any) -> Response:  # noqa: A002 - the path parameter's name in the API
        node: Node = request.auth
        try:
            row, changed = signals.store_summary(source=node.code, source_name=node.naam, remote_id=id, data=request.data,
                                                 transaction_id=request.fsc_transaction_id)  # type: ignore[attr-defined]
        except signals.SummaryInvalid as exc:
            problem = problem_body(422, "Het signaal is niet opgeslagen; zie invalid_params.", instance=request.path,
                                   invalid_params=exc.errors)
            return Response(problem, status=422, content_type=PROBLEM_CONTENT_TYPE)
        if changed:
            audit.log(Event.FEDERATION_SIGNAL_RECEIVED, obj=node, node=node.code, instantie=row.instantie, open=row.open)
        return Response({"id": str(row.remote_id), "gewijzigd": changed,
                         "landelijk_signaal": str(row.national.uuid) if row.national else None})

    @extend_schema(tags=["federatie"], operation_id="federatie_signaal_intrekken", summary="Een landelijk gemeld signaal intrekken",
                   parameters=[SIGNAL_ID], responses=answers(Withdrawn, 404))
    def delete(self, request: Request, id: Any) -> Response:  # noqa: A002
        count = signals.withdraw_summaries(source=request.auth.code, remote_id=id)
        if count:
            audit.log(Event.FEDERATION_DELIVERY_WITHDRAWN, obj=request.auth, node=request.auth.code, periods=0, signals=count)
        return Response({"ingetrokken": 0, "signalen_ingetrokken": count})
