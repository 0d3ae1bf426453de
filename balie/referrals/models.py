"""Referrals from a desk question to a partner, with consent, encrypted contact data and an append-only loop (ADR 0009)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.access import Scope
from balie.core.idempotency import fingerprint_field
from balie.core.models import AppendOnlyModel


class Kind(models.TextChoices):
    SAMEN_GEBELD = "samen_gebeld", _("Samen gebeld")
    PER_EMAIL = "per_email", _("Per e-mail voorgesteld")
    BEGELEID = "begeleid", _("Begeleid (samen erheen)")
    INFORMATIE = "informatie", _("Informatie gegeven")


WARM_KINDS = (Kind.SAMEN_GEBELD, Kind.PER_EMAIL, Kind.BEGELEID)


class Status(models.TextChoices):
    VERSTUURD = "verstuurd", _("Verstuurd")
    ONTVANGEN = "ontvangen", _("Ontvangen")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    GEHOLPEN = "geholpen", _("Geholpen")
    NIET_BEREIKT = "niet_bereikt", _("Niet bereikt")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    TERUGGETROKKEN = "teruggetrokken", _("Teruggetrokken")
    # A plain referral (information given): nobody is expected to report back, so it starts closed.
    INFORMATIE = "informatie", _("Alleen informatie gegeven")


OPEN_STATUSES = (Status.VERSTUURD, Status.ONTVANGEN, Status.IN_BEHANDELING)
CLOSED_STATUSES = (Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN, Status.TERUGGETROKKEN, Status.INFORMATIE)
OUTCOMES = (Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN, Status.TERUGGETROKKEN)


class RejectReason(models.TextChoices):
    GEEN_CAPACITEIT = "geen_capaciteit", _("Geen capaciteit")
    NIET_DE_JUISTE_PLEK = "niet_de_juiste_plek", _("Niet de juiste plek")
    BUITEN_WERKGEBIED = "buiten_werkgebied", _("Woont buiten ons werkgebied")
    VOLDOET_NIET = "voldoet_niet", _("Voldoet niet aan de voorwaarden")
    OVERIG = "overig", _("Andere reden")



class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_scope(self, scope: Scope) -> ReferralQuerySet:
        """Library staff: their organisation's referrals. A partner account: the warm referrals addressed to it."""
        if scope.is_desk_staff:
            return self.filter(organisation_id=scope.organisation_id)
        if scope.is_partner:
            return self.filter(partner_id=scope.partner_id, kind__in=WARM_KINDS)
        return self.none()


class Referral(models.Model):
    objects = ReferralQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de verwijzing.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="referrals", verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek die doorverwees.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.PROTECT, related_name="referrals", verbose_name="locatie", help_text="Waar de bezoeker geholpen werd.",
    )
    question = models.ForeignKey(
        "desk.Question", on_delete=models.CASCADE, related_name="referrals", verbose_name="vraag",
        help_text="De geregistreerde vraag waaruit de verwijzing voortkwam.",
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="referrals", verbose_name="partner", help_text="Naar wie verwezen is.")
    service = models.ForeignKey(
        "partners.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals", verbose_name="dienst",
        help_text="De dienst van de partner.",
    )
    kind = models.CharField("soort", max_length=15, choices=Kind.choices, help_text="Warm (samen gebeld, per e-mail, begeleid) of alleen informatie.")
    status = models.CharField("status", max_length=15, choices=Status.choices, help_text="Huidige status; verandert alleen via een nieuwe statusregel.")
    instantie = models.CharField("instantie", max_length=40, help_text="Landelijke instantiecode van de vraag.")
    onderwerp = models.CharField("onderwerp", max_length=40, help_text="Landelijke onderwerpcode van de vraag.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals_made",
        verbose_name="verwezen door", help_text="De medewerker die doorverwees.",
    )
    created_at = models.DateTimeField("verwezen op", auto_now_add=True, help_text="Moment van doorverwijzen.")
    first_response_at = models.DateTimeField("eerste reactie", null=True, blank=True, help_text="Eerste statuswijziging door de partner.")
    last_update_at = models.DateTimeField("laatste update", help_text="Laatste statuswijziging; telt voor de opvolglijst.")
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True, help_text="Wanneer de verwijzing een eindstatus kreeg.")
    reminder_sent_at = models.DateTimeField("herinnering verstuurd", null=True, blank=True, help_text="Laatste herinnering aan de partner.")
    consent = models.BooleanField("toestemming", default=False, help_text="Aan als de bezoeker toestemming gaf om contactgegevens door te geven.")
    consent_text = models.TextField("toestemmingstekst", blank=True, help_text="De tekst die de bezoeker te zien kreeg, precies zoals getoond.")
    consent_at = models.DateTimeField("toestemming gegeven op", null=True, blank=True, help_text="Moment van toestemming.")
    contact_ciphertext = models.TextField(
        "contactgegevens (versleuteld)", blank=True, help_text="Naam, telefoon of e-mail en voorkeurstijd, versleuteld met BALIE_PII_KEY.",
    )
    personal_data_deleted_at = models.DateTimeField(
        "persoonsgegevens gewist op", null=True, blank=True, help_text="Wanneer de contactgegevens automatisch zijn gewist.",
    )
    submission_key = models.CharField(
        "inzendsleutel", max_length=80, null=True, blank=True, unique=True,
        help_text="Voorkomt dubbele verwijzingen bij dubbel klikken of een herhaald API-verzoek (Idempotency-Key).",
    )
    request_fingerprint = fingerprint_field()
    link_version = models.PositiveIntegerField(
        "versie van de partnerlink", default=0,
        help_text="Staat in elke persoonlijke link; 'link intrekken' verhoogt hem, waarna oudere links niet meer werken.",
    )

    class Meta:
        verbose_name = "doorverwijzing"
        verbose_name_plural = "doorverwijzingen"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="referral_org_created"),
            models.Index(fields=["partner", "status"], name="referral_partner_status"),
            models.Index(fields=["status", "last_update_at"], name="referral_followup"),
        ]

    def __str__(self) -> str:
        return f"Verwijzing naar {self.partner_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_ciphertext)


class ReferralStatusChange(AppendOnlyModel):
    """One row per transition, never edited (append-only history: see core.models.AppendOnlyModel)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history", verbose_name="verwijzing", help_text="De verwijzing.")
    from_status = models.CharField("van", max_length=15, blank=True, choices=Status.choices, help_text="Status ervoor; leeg bij ontstaan.")
    to_status = models.CharField("naar", max_length=15, choices=Status.choices, help_text="Nieuwe status.")
    reason = models.CharField("reden", max_length=25, blank=True, choices=RejectReason.choices, help_text="Bij afgewezen: waarom.")
    note = models.CharField("toelichting", max_length=300, blank=True, help_text="Korte toelichting zonder persoonsgegevens.")
    via = models.CharField(
        "via", max_length=20, help_text="Hoe de wijziging binnenkwam: balie, partneraccount, link, api of systeem.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="Wie de status veranderde; leeg bij een persoonlijke link.",
    )
    at = models.DateTimeField("op", help_text="Moment van de verandering.")

    class Meta:
        verbose_name = "statuswijziging van een verwijzing"
        verbose_name_plural = "statuswijzigingen van verwijzingen"
        ordering = ["at", "id"]
