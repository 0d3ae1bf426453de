"""Signals: recurring problems found in the registrations, and their append-only workflow (ADR 0007)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.access import Scope
from balie.core.models import AppendOnlyModel


class ScopeKind(models.TextChoices):
    ORGANISATIE = "organisatie", _("Bibliotheekorganisatie")
    GEMEENTE = "gemeente", _("Gemeente")
    LANDELIJK = "landelijk", _("Landelijk")


class Kind(models.TextChoices):
    AANTAL = "aantal", _("Meer vragen dan verwacht")
    THEMA = "thema", _("Nieuw terugkerend thema in notities")


class Status(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw")
    BEVESTIGD = "bevestigd", _("Bevestigd")
    GEMELD = "gemeld", _("Gemeld")
    REACTIE = "reactie", _("Reactie ontvangen")
    OPGELOST = "opgelost", _("Opgelost")
    NIET_OPGEPAKT = "niet_opgepakt", _("Niet opgepakt")
    # The coordinator judged the rise harmless; the same episode does not fire again (services.store).
    GEEN_SIGNAAL = "geen_signaal", _("Geen signaal")


class DismissReason(models.TextChoices):
    """Why a coordinator marks a detected rise as "geen signaal": the choice is required, a text explains."""

    SEIZOEN = "seizoen", _("Hoort bij de tijd van het jaar (elk jaar zo)")
    GEWONE_HULP = "gewone_hulp", _("Gewone hulp, geen probleem bij de organisatie")
    EENMALIG = "eenmalig", _("Eenmalige drukte (bijvoorbeeld een actie of voorlichting)")
    REGISTRATIE = "registratie", _("Fout of dubbel geregistreerd")
    AL_BEKEND = "al_bekend", _("Al bekend bij de organisatie")
    ANDERS = "anders", _("Anders")


OPEN_STATUSES = (Status.NIEUW, Status.BEVESTIGD, Status.GEMELD, Status.REACTIE)



# Statuses in which a signal has been reported to its recipient organisation (and so exists for that organisation).
REPORTED = (Status.GEMELD, Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT)


class SignalQuerySet(models.QuerySet["Signal"]):
    def for_scope(self, scope: Scope) -> SignalQuerySet:
        """A coordinator: the library's own signals; a municipality: those of its gemeenten; the national role: the
        national ones; a partner account: the signals reported to its organisation. Anyone else: none."""
        if scope.is_coordinator:
            return self.filter(scope_kind=ScopeKind.ORGANISATIE, organisation_id=scope.organisation_id)
        if scope.reads_gemeenten:
            return self.filter(scope_kind=ScopeKind.GEMEENTE, gemeente_id__in=scope.gemeente_ids)
        if scope.is_national:
            return self.filter(scope_kind=ScopeKind.LANDELIJK)
        if scope.is_partner:
            return self.filter(recipient_id=scope.partner_id, status__in=REPORTED)
        return self.none()


class Signal(models.Model):
    objects = SignalQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van het signaal.")
    kind = models.CharField("soort", max_length=10, choices=Kind.choices, default=Kind.AANTAL, help_text="Stijging in aantallen of een nieuw thema.")
    scope_kind = models.CharField("niveau", max_length=12, choices=ScopeKind.choices, help_text="Organisatie, gemeente of landelijk.")
    scope_key = models.CharField("gebied", max_length=60, help_text="Bijvoorbeeld organisatie:BIB-RDAM, gemeente:GM0599 of landelijk.")
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="signals",
        verbose_name="bibliotheekorganisatie", help_text="Bij een signaal van één bibliotheekorganisatie.",
    )
    gemeente = models.ForeignKey(
        "network.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="signals",
        verbose_name="gemeente", help_text="Bij een signaal van één gemeente.",
    )
    instantie = models.CharField("instantie", max_length=40, help_text="Landelijke code van de instantie.")
    onderwerp = models.CharField("onderwerp", max_length=40, blank=True, help_text="Leeg als het om alle onderwerpen gaat.")
    partner = models.CharField("lokale instantie", max_length=40, blank=True, help_text="Lokale code, bijvoorbeeld een woningcorporatie.")
    phrase = models.CharField("thema", max_length=120, blank=True, help_text="Bij een thema: de woorden die opvallend vaak terugkomen.")
    start_week = models.DateField("eerste week", help_text="Maandag van de eerste week met de stijging.")
    end_week = models.DateField("laatste week", help_text="Maandag van de laatste week met de stijging.")
    observed = models.PositiveIntegerField("geteld", help_text="Aantal vragen in deze weken.")
    expected = models.FloatField("verwacht", help_text="Aantal dat op grond van de eigen geschiedenis verwacht werd.")
    effect = models.FloatField("effect", help_text="Geteld gedeeld door verwacht, min 1 (0,5 = 50% meer).")
    q_value = models.FloatField("q-waarde", help_text="Kans op vals alarm na correctie voor het aantal reeksen (Benjamini-Hochberg).")
    evidence = models.JSONField("onderbouwing", default=dict, help_text="Aantallen per week, verwachting en voorbeeldnotities.")
    status = models.CharField(
        "status", max_length=15, choices=Status.choices, default=Status.NIEUW,
        help_text="Huidige status; verandert alleen via een nieuwe statusregel.",
    )
    description = models.TextField("omschrijving", blank=True, help_text="Het probleem in gewone woorden, door de coördinator.")
    impact = models.TextField("gevolgen", blank=True, help_text="Wat het probleem betekent voor bezoekers.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name="landelijk signaal",
        help_text="Het landelijke signaal waarin dit signaal is samengevoegd.",
    )
    recipient = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="signals",
        verbose_name="ontvanger", help_text="De organisatie (van de sociale kaart) waaraan het signaal is gemeld.",
    )
    report_national = models.BooleanField(
        "ook landelijk melden", default=False,
        help_text="De coördinator wil dit signaal ook landelijk melden: een knooppunt stuurt dan een samenvatting naar de hub.",
    )
    created_at = models.DateTimeField("gevonden op", auto_now_add=True, help_text="Moment van detectie.")

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope_key", "instantie", "onderwerp"], name="signal_series")]

    def __str__(self) -> str:
        return f"{self.instantie}{' / ' + self.onderwerp if self.onderwerp else ''} ({self.scope_key})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def effect_percent(self) -> int:
        return round(self.effect * 100)


class NodeSignal(models.Model):
    """On the hub: the summary of a signal that a node's coordinator reported nationally (docs/federatie.md).

    Only what the summary holds crosses: instantie, weeks, published count and the scrubbed description. Never notes,
    examples or a phrase from notes. The node sends it again on every sync (replaced) and takes it back on withdrawal.
    """

    source = models.CharField("knooppunt", max_length=40, help_text="Code van het knooppunt dat het signaal meldde.")
    source_name = models.CharField("naam knooppunt", max_length=150, help_text="Naam van het knooppunt, zoals de hub het kent.")
    remote_id = models.UUIDField("kenmerk op het knooppunt", help_text="Het vaste kenmerk van het signaal op het knooppunt.")
    instantie = models.CharField("instantie", max_length=40, help_text="Landelijke code van de instantie.")
    start_week = models.DateField("eerste week", help_text="Maandag van de eerste week met de stijging.")
    end_week = models.DateField("laatste week", help_text="Maandag van de laatste week met de stijging.")
    observed = models.PositiveIntegerField("geteld", null=True, blank=True, help_text="Het gepubliceerde aantal vragen; leeg = minder dan 5.")
    expected = models.PositiveIntegerField("verwacht", null=True, blank=True, help_text="De verwachting, afgerond; leeg = minder dan 5.")
    description = models.TextField("omschrijving", blank=True, help_text="Het probleem in gewone woorden, zonder persoonsgegevens.")
    open = models.BooleanField("open", default=True, help_text="Het signaal loopt nog op het knooppunt.")
    national = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.SET_NULL, related_name="node_reports", verbose_name="landelijk signaal",
        help_text="Het landelijke signaal waarin deze melding is samengevoegd.",
    )
    transaction_id = models.CharField("transactie-id", max_length=36, help_text="Fsc-Transaction-Id van de laatste levering.")
    received_at = models.DateTimeField("ontvangen op", help_text="Moment waarop deze versie binnenkwam.")

    class Meta:
        verbose_name = "signaal van een knooppunt"
        verbose_name_plural = "signalen van knooppunten"
        ordering = ["source", "start_week"]
        constraints = [models.UniqueConstraint(fields=["source", "remote_id"], name="signals_nodesignal_key")]


class SignalStatusChange(AppendOnlyModel):
    """One row per transition, never edited (append-only history: see core.models.AppendOnlyModel)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history", verbose_name="signaal", help_text="Het signaal.")
    from_status = models.CharField("van", max_length=15, blank=True, choices=Status.choices, help_text="Status ervoor; leeg bij ontstaan.")
    to_status = models.CharField("naar", max_length=15, choices=Status.choices, help_text="Nieuwe status.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="Wie de status veranderde; leeg bij de automatische detectie of een reactielink.",
    )
    at = models.DateTimeField("op", auto_now_add=True, help_text="Moment van de verandering.")
    note = models.TextField("toelichting", blank=True, help_text="Waarom de status veranderde.")
    reason = models.CharField(
        "reden", max_length=20, blank=True, choices=DismissReason.choices,
        help_text="Bij 'geen signaal': waarom de coördinator de stijging geen signaal vond.",
    )

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["at", "id"]


class SignalResponse(AppendOnlyModel):
    """What the organisation answered and what it changed (append-only, like the status history)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="responses", verbose_name="signaal", help_text="Het signaal.")
    text = models.TextField("reactie", help_text="Reactie van de organisatie.")
    change = models.TextField("wat is veranderd", blank=True, help_text="Wat de organisatie heeft aangepast.")
    change_date = models.DateField("datum van de verandering", null=True, blank=True, help_text="Vanaf wanneer de verandering geldt.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="Het partneraccount; leeg bij een reactie via een link.",
    )
    at = models.DateTimeField("op", auto_now_add=True, help_text="Moment van de reactie.")

    class Meta:
        verbose_name = "reactie op signaal"
        verbose_name_plural = "reacties op signalen"
        ordering = ["at", "id"]
