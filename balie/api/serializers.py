"""Serializers of the API v1 (field names in Dutch, NL API Design Rules).

The output serializers render models. The *Invoer serializers only document the request bodies
in the OpenAPI document: the rules themselves live in balie.desk.validation and are applied by
the services, so the desk, the API and the import can never disagree (see balie.api.input).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from balie.core.models import Bestuurslaag, CodeList
from balie.desk.forms import MAX_QUESTIONS_PER_VISIT
from balie.desk.models import Visit
from balie.desk.validation import MAX_DURATION, MAX_NOTE_LENGTH
from balie.network.models import LocationKind

TIME_SCHEMA = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "14:30"}


class BoundedCharField(serializers.CharField):
    """A text whose length is checked as it was sent, before DRF trims the spaces around it: openapi.yaml's maxLength
    is about the request, so a value one (non-breaking) space too long is refused as the document says."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().run_validation(data)


class BlankAsNullCharField(serializers.CharField):
    """Optional values are stored as ''; the API renders them as null so 'absent' has one spelling."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return str(value) if value else None


class BlankAsNullChoiceField(serializers.ChoiceField):
    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return str(value) if value else None


@extend_schema_field(TIME_SCHEMA)
class LocalTimeField(serializers.Field):
    """A moment rendered as the local (Europe/Amsterdam) clock time HH:MM."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return timezone.localtime(value).strftime("%H:%M")


@extend_schema_field({"type": "string", "format": "date", "example": "2025-03-14"})
class LocalDateField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return timezone.localtime(value).date().isoformat()


# --- output ------------------------------------------------------------------------------------


class RegistratieSerializer(serializers.Serializer):
    """Eén geregistreerde vraag. Alleen codes, nooit persoonsgegevens."""

    uuid = serializers.UUIDField(read_only=True, help_text="Vast kenmerk van de registratie.")
    bezoek = serializers.UUIDField(source="visit.uuid", read_only=True, help_text="Kenmerk van het bezoek waarin de vraag gesteld werd.")
    organisatie = serializers.CharField(source="organisation.code", read_only=True, help_text="Code van de bibliotheekorganisatie.")
    locatie = serializers.CharField(source="location.code", read_only=True, help_text="Code van de locatie.")
    datum = serializers.DateField(source="date", read_only=True, help_text="Lokale datum van het bezoek (JJJJ-MM-DD).")
    tijd = LocalTimeField(source="started_at", help_text="Lokale tijd van het bezoek (UU:MM, Europe/Amsterdam).")
    kanaal = serializers.CharField(read_only=True, help_text="Code uit de codelijst kanaal.")
    vraagsoort = serializers.CharField(read_only=True, help_text="Code uit de codelijst vraagsoort.")
    instantie = serializers.CharField(read_only=True, help_text="Landelijke code uit de codelijst instantie.")
    instantie_lokaal = BlankAsNullCharField(source="instantie_local", help_text="Lokale code van de organisatie, of null.")
    onderwerp = serializers.CharField(read_only=True, help_text="Landelijke code uit de codelijst onderwerp.")
    onderwerp_lokaal = BlankAsNullCharField(source="onderwerp_local", help_text="Lokale code van de organisatie, of null.")
    digid_detail = BlankAsNullCharField(help_text="Code uit de codelijst digid_detail, of null.")
    behoefteprofielen = serializers.ListField(
        source="behoefteprofiel_list", child=serializers.CharField(), read_only=True, help_text="Codes uit de codelijst behoefteprofiel."
    )
    complexiteit = BlankAsNullCharField(help_text="Code uit de codelijst complexiteit, of null.")
    achterliggend = serializers.ListField(
        source="achterliggend_list", child=serializers.CharField(), read_only=True, help_text="Codes uit de codelijst achterliggend."
    )
    uitkomst = serializers.CharField(read_only=True, help_text="Code uit de codelijst uitkomst.")
    duur_minuten = serializers.IntegerField(
        source="duration_minutes", read_only=True, allow_null=True, help_text="Duur van de hulp in minuten, of null."
    )
    leeftijdsgroep = BlankAsNullCharField(help_text="Code uit de codelijst leeftijdsgroep, of null.")
    taal = BlankAsNullCharField(help_text="Code uit de codelijst taal, of null.")
    notitie = BlankAsNullCharField(source="note", help_text="Anonieme toelichting; persoonsgegevens zijn weggelakt.")
    codelijstversie = serializers.IntegerField(
        source="codelist_version.number", read_only=True, help_text="Versie van de codelijsten waarmee is geregistreerd."
    )
    aangemaakt_op = serializers.DateTimeField(source="created_at", read_only=True, help_text="Moment van registreren.")
    gewijzigd_op = serializers.DateTimeField(source="updated_at", read_only=True, help_text="Moment van de laatste correctie.")


class BezoekSerializer(serializers.Serializer):
    """Een bezoek met de registraties die erin zijn vastgelegd (antwoord op een registratie)."""

    uuid = serializers.UUIDField(read_only=True, help_text="Vast kenmerk van het bezoek.")
    organisatie = serializers.CharField(source="organisation.code", read_only=True, help_text="Code van de bibliotheekorganisatie.")
    locatie = serializers.CharField(source="location.code", read_only=True, help_text="Code van de locatie.")
    datum = LocalDateField(source="started_at", help_text="Lokale datum van het bezoek (JJJJ-MM-DD).")
    tijd = LocalTimeField(source="started_at", help_text="Lokale tijd van het bezoek (UU:MM).")
    kanaal = serializers.CharField(read_only=True, help_text="Code uit de codelijst kanaal.")
    codelijstversie = serializers.IntegerField(source="codelist_version.number", read_only=True, help_text="Gebruikte codelijstversie.")
    registraties = serializers.SerializerMethodField(help_text="De vragen van het bezoek, in volgorde.")

    @extend_schema_field(RegistratieSerializer(many=True))
    def get_registraties(self, visit: Visit) -> list[dict[str, Any]]:
        # Question's default ordering is newest first; within a visit the entered order matters.
        questions = visit.questions.select_related("visit", "organisation", "location", "codelist_version").order_by("position")
        return RegistratieSerializer(questions, many=True, context=self.context).data


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Stabiele code in hoofdletters.")
    omschrijving = serializers.CharField(source="label", read_only=True, help_text="Naam zoals medewerkers die zien.")
    actief = serializers.BooleanField(source="active", read_only=True, help_text="Inactieve codes zijn niet meer te kiezen.")
    bestuurslaag = BlankAsNullChoiceField(Bestuurslaag.choices, help_text="Alleen bij de lijst instantie; anders null.")


class CodelijstSerializer(serializers.Serializer):
    naam = serializers.ChoiceField(CodeList.choices, read_only=True, help_text="Naam van de codelijst; ook de veldnaam in een registratie.")
    omschrijving = serializers.CharField(read_only=True, help_text="Leesbare naam van de codelijst.")
    codes = CodeSerializer(many=True, read_only=True, help_text="Alle codes, ook inactieve, in weergavevolgorde.")


class CodelijstVersieSerializer(serializers.Serializer):
    """Alle landelijke codelijsten van één versie."""

    versie = serializers.IntegerField(source="number", read_only=True, help_text="Versienummer.")
    omschrijving = serializers.CharField(source="description", read_only=True, help_text="Wat er in deze versie veranderde.")
    gepubliceerd_op = serializers.DateTimeField(
        source="published_at", read_only=True, allow_null=True, help_text="Moment van publiceren; null bij een concept."
    )
    concept = serializers.BooleanField(source="is_draft", read_only=True, help_text="Waar bij een nog niet gepubliceerde versie.")
    lijsten = serializers.SerializerMethodField(help_text="De codelijsten in vaste volgorde.")

    @extend_schema_field(CodelijstSerializer(many=True))
    def get_lijsten(self, version: Any) -> list[dict[str, Any]]:
        by_list: dict[str, list[Any]] = {name: [] for name in CodeList.values}
        for code in version.codes.order_by("list", "sort_order", "code"):
            by_list.setdefault(code.list, []).append(code)
        lists = [{"naam": value, "omschrijving": label, "codes": by_list[value]} for value, label in CodeList.choices]
        return CodelijstSerializer(lists, many=True, context=self.context).data


class GemeenteSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(read_only=True, help_text="CBS-gemeentecode, bijvoorbeeld GM0599.")
    naam = serializers.CharField(read_only=True, help_text="Naam van de gemeente.")


class LocatieSerializer(serializers.Serializer):
    """Een vestiging of buitenlocatie van de eigen bibliotheekorganisatie."""

    code = serializers.CharField(read_only=True, help_text="Vaste code, gebruikt als `locatie` bij registraties.")
    naam = serializers.CharField(read_only=True, help_text="Naam zoals bezoekers die kennen.")
    soort = serializers.ChoiceField(LocationKind.choices, source="kind", read_only=True, help_text="Bibliotheekvestiging of buitenlocatie.")
    adres = BlankAsNullCharField(source="address", help_text="Straat en huisnummer, of null.")
    postcode = BlankAsNullCharField(help_text="Postcode, of null.")
    plaats = BlankAsNullCharField(help_text="Woonplaats, of null.")
    gemeente = GemeenteSerializer(read_only=True, help_text="De gemeente waarin de locatie ligt.")
    actief = serializers.BooleanField(source="active", read_only=True, help_text="Alleen actieve locaties nemen registraties aan.")


# --- request bodies (documentation only; see the module docstring) --------------------------------


# What the server reads (balie.api.input.read_moment), written as the schema: empty or null means "not given", a time
# may have seconds. A pattern rather than `format: date`, because `format: date` would make the documented "leeg" invalid.
DATE_INPUT_SCHEMA = {"type": "string", "nullable": True, "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", "example": "2025-03-14"}
TIME_INPUT_SCHEMA = {
    "type": "string", "nullable": True, "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?$", "example": "14:30",
}


class _OptionalText(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, allow_null=True, **kwargs)


@extend_schema_field(TIME_INPUT_SCHEMA)
class TijdField(_OptionalText):
    pass


@extend_schema_field(DATE_INPUT_SCHEMA)
class DatumField(_OptionalText):
    pass


def _code(help_text: str, *, required: bool = False) -> serializers.CharField:
    if required:
        return serializers.CharField(help_text=help_text)
    return serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text=help_text)


class VraagInvoerSerializer(serializers.Serializer):
    """De velden van één vraag. Codes zijn hoofdletterongevoelig; een omschrijving mag ook."""

    vraagsoort = _code("Code uit de codelijst vraagsoort. Leeg: afgeleid van de bestuurslaag van de instantie.")
    instantie = _code("Landelijke code uit de codelijst instantie, of een lokale code van uw organisatie.", required=True)
    instantie_lokaal = _code("Lokale code van uw organisatie; gaat voor `instantie` en moet daaronder vallen.")
    onderwerp = _code("Landelijke code uit de codelijst onderwerp, of een lokale code van uw organisatie.", required=True)
    onderwerp_lokaal = _code("Lokale code van uw organisatie; gaat voor `onderwerp` en moet daaronder vallen.")
    digid_detail = _code("Code uit de codelijst digid_detail; alleen bij instantie DIGID of onderwerp INLOGGEN.")
    behoefteprofielen = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True, help_text="Nul of meer codes uit de codelijst behoefteprofiel."
    )
    complexiteit = _code("Code uit de codelijst complexiteit (1 eenvoudig tot 4 zeer complex).")
    achterliggend = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True, help_text="Nul of meer codes uit de codelijst achterliggend."
    )
    uitkomst = _code("Code uit de codelijst uitkomst.", required=True)
    duur_minuten = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_DURATION, help_text="Duur van de hulp in hele minuten."
    )
    leeftijdsgroep = _code("Code uit de codelijst leeftijdsgroep (schatting).")
    taal = _code("Code uit de codelijst taal.")
    notitie = BoundedCharField(
        required=False, allow_null=True, allow_blank=True, max_length=MAX_NOTE_LENGTH,
        help_text="Korte anonieme toelichting. BSN, IBAN, e-mail, telefoon, adres en namen worden bij opslaan weggelakt.",
    )


class _BezoekVelden(serializers.Serializer):
    locatie = serializers.CharField(help_text="Code van een actieve locatie van uw organisatie (zie /locaties).")
    datum = DatumField(
        required=False, help_text="Lokale datum (JJJJ-MM-DD), niet voor 2019-01-01 en niet in de toekomst. Leeg: vandaag."
    )
    tijd = TijdField(required=False, help_text="Lokale tijd (UU:MM). Leeg: nu, of 12:00 als alleen de datum is gegeven.")
    kanaal = _code("Code uit de codelijst kanaal. Leeg: afgeleid van locatie en spreekuurtijden.")


class EnkeleVraagInvoerSerializer(_BezoekVelden, VraagInvoerSerializer):
    """Een bezoek met één vraag: de velden van het bezoek en de vraag samen."""


class BezoekInvoerSerializer(_BezoekVelden):
    """Een bezoek met één of meer vragen."""

    vragen = serializers.ListField(
        child=VraagInvoerSerializer(), min_length=1, max_length=MAX_QUESTIONS_PER_VISIT,
        help_text="De vragen van het bezoek, in volgorde.",
    )


class RegistratieWijzigingSerializer(VraagInvoerSerializer):
    """Een correctie. Alleen-lezen velden uit een GET (uuid, bezoek, ...) mogen mee en worden genegeerd."""

    locatie = serializers.CharField(required=False, help_text="Niet te wijzigen; indien gegeven moet het de huidige locatie zijn.")
    datum = DatumField(required=False, help_text="Nieuwe lokale datum (JJJJ-MM-DD); geldt voor het hele bezoek. Leeg: ongewijzigd.")
    tijd = TijdField(required=False, help_text="Nieuwe lokale tijd (UU:MM); geldt voor het hele bezoek. Leeg: ongewijzigd.")
    kanaal = _code("Nieuw kanaal; geldt voor het hele bezoek. Leeg: ongewijzigd.")

