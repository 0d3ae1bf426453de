"""Building blocks for the OpenAPI document: the problem+json shape, shared parameters, auth schemes.

Kept apart from the views so every endpoint documents its errors the same way.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from balie.core import idempotency

from .input import IGNORED_FIELDS
from .problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Het ongeldige veld of de ongeldige parameter, bijvoorbeeld `uitkomst` of `vragen[2].instantie`.")
    reason = serializers.CharField(help_text="Waarom de waarde ongeldig is, in het Nederlands.")


class ProblemSerializer(serializers.Serializer):
    """Foutmelding volgens RFC 9457 (application/problem+json)."""

    type = serializers.CharField(help_text="URI van het soort fout; `about:blank` betekent: zie de HTTP-status.")
    title = serializers.CharField(help_text="Korte omschrijving van de HTTP-status, bijvoorbeeld `Niet gevonden`.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Uitleg voor mensen, in het Nederlands.")
    instance = serializers.CharField(required=False, help_text="Het pad van de aanvraag die misging.")
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text="Alleen bij validatiefouten: elk ongeldig veld met de reden."
    )


PROBLEM_DESCRIPTIONS = {
    400: "Ongeldige invoer; `invalid_params` noemt elk ongeldig veld met de reden.",
    401: "Niet geauthenticeerd: geef een geldig token mee (`Authorization: Token ...`).",
    403: "Geen toegang: alleen voor medewerkers en coördinatoren van een bibliotheekorganisatie.",
    404: "Niet gevonden, of niet van uw organisatie.",
    422: "De `Idempotency-Key` is al gebruikt voor een verzoek met andere gegevens; er is niets opgeslagen.",
    413: "Het verzoek is groter dan 1 MB.",
    415: "Alleen `application/json` wordt aangenomen.",
}


def problems(*statuses: int, descriptions: dict[int, str] | None = None) -> dict[Any, OpenApiResponse]:
    """Error responses with the problem+json media type, for `extend_schema(responses=...)`."""
    texts = {**PROBLEM_DESCRIPTIONS, **(descriptions or {})}
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(response=ProblemSerializer, description=texts[status])
        for status in statuses
    }


# Same rule as idempotency.KEY_PATTERN, written for JSON Schema (ECMA-262): visible ASCII, no spaces.
KEY_SCHEMA_PATTERN = "^[!-~]{1,64}$"


def idempotency_key(thing: str, first: str) -> OpenApiParameter:
    """The Idempotency-Key header of a create endpoint: `thing` is what it creates, `first` the earlier one ("het eerste bezoek").

    The schema states the server's rule (idempotency.KEY_PATTERN) so clients and fuzzers know a valid key (review L12).
    """
    return OpenApiParameter(
        name="Idempotency-Key",
        type={"type": "string", "minLength": 1, "maxLength": 64, "pattern": KEY_SCHEMA_PATTERN, "example": "3f1c2a9e-retry-1"},
        location=OpenApiParameter.HEADER,
        required=False,
        description=(
            "Unieke sleutel per aanmaakverzoek (bijvoorbeeld een UUID): 1 tot 64 zichtbare ASCII-tekens, zonder spaties. "
            f"Een herhaald verzoek met dezelfde sleutel en dezelfde gegevens maakt geen tweede {thing} aan, maar geeft "
            f"{first} terug met status 200. Zo is een time-out veilig opnieuw te proberen. Dezelfde sleutel met andere "
            "gegevens geeft 422 en slaat niets op. Een ongeldige sleutel geeft 400."
        ),
    )


def submission_key(request: Any) -> str | None:
    """The Idempotency-Key header as a service key, or None. One rule for every create endpoint."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not idempotency.valid_key(key):
        raise ValidationError({"Idempotency-Key": [idempotency.KEY_RULE]})
    # Scoped per user: two clients that happen to pick the same key never see each other's object.
    return f"api:{request.user.pk}:{key}"


class TokenScheme(OpenApiAuthenticationExtension):
    """Replaces drf-spectacular's English description of DRF's TokenAuthentication."""

    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "API-token met het voorvoegsel `Token`, bijvoorbeeld `Authorization: Token 9944b0...`. "
                "Een beheerder maakt het token aan met `python manage.py create_api_token GEBRUIKERSNAAM`."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    """Session login (the Balie web pages); unsafe methods then also need the CSRF token."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Sessie van de Balie-webapplicatie; voor POST, PUT, PATCH en DELETE is ook de CSRF-token nodig.",
        }


class ClosedRegistrationBody(OpenApiSerializerExtension):
    """Registration bodies are closed: the server answers an unknown field with 400 "Onbekend veld" (a typo such as
    `uitkomsten` must not be dropped silently), so the schema says `additionalProperties: false` (found by schemathesis).

    A correction (PUT/PATCH) may carry the read-only fields of a GET back; the server ignores them whatever their value,
    so they are listed without a type.
    """

    target_class = "balie.api.serializers.VraagInvoerSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        from .serializers import RegistratieWijzigingSerializer

        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        target = self.target if isinstance(self.target, type) else type(self.target)
        if issubclass(target, RegistratieWijzigingSerializer):
            for name in IGNORED_FIELDS:
                schema["properties"][name] = {"description": "Alleen-lezen veld uit een GET-antwoord: mag mee en wordt genegeerd."}
        schema["additionalProperties"] = False
        return schema


class ClosedVisitBody(ClosedRegistrationBody):
    target_class = "balie.api.serializers.BezoekInvoerSerializer"


class RequiredBodySchema(AutoSchema):
    """A POST whose body is a oneOf (PolymorphicProxySerializer) has no required fields at the top, so drf-spectacular
    marks the body optional; the server answers a POST without body with 400, so the document says it is required."""

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        body = super()._get_request_body(direction)
        if body is not None and self.method == "POST":
            body["required"] = True
        return body
