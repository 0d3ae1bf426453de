"""Announcements (aanmeldingen): a partner organisation or a municipality tells an IDO that it sends someone.

The reverse of a referral: the desk sees who is coming today, starts the registration from the announcement, and the
sender sees, anonymously, whether the visitor came and was helped. Contact data only with recorded consent, encrypted,
erased like referral contact data (core.consent); the status loop is append-only (core.workflow).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balie.core.access import Scope
from balie.core.idempotency import fingerprint_field
from balie.core.models import AppendOnlyModel


class Status(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    GEKOMEN = "gekomen", _("Gekomen")
    GEHOLPEN = "geholpen", _("Gekomen en geholpen")
    NIET_GEKOMEN = "niet_gekomen", _("Niet gekomen")
    VERLOPEN = "verlopen", _("Verlopen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


OPEN_STATUSES = (Status.AANGEMELD,)
CAME_STATUSES = (Status.GEKOMEN, Status.GEHOLPEN)


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def for_scope(self, scope: Scope) -> AnnouncementQuerySet:
        """Library staff: announcements for their organisation's locations. A partner account: what its organisation
        announced. A municipality: what it announced itself. Nobody else sees any."""
        if scope.is_desk_staff:
            return self.filter(organisation_id=scope.organisation_id)
        if scope.is_partner:
            return self.filter(partner_id=scope.partner_id)
        if scope.reads_gemeenten:
            return self.filter(gemeente_id__in=scope.gemeente_ids)
        return self.none()


class Announcement(models.Model):
    objects = AnnouncementQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de aanmelding.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="announcements", verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek van de locatie; bepaalt welke balie de aanmelding ziet.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.PROTECT, related_name="announcements", verbose_name="locatie",
        help_text="Het IDO waar de bezoeker naartoe komt.",
    )
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="announcements", verbose_name="partner",
        help_text="De partnerorganisatie die de bezoeker aanmeldde; leeg als een gemeente aanmeldde.",
    )
    gemeente = models.ForeignKey(
        "network.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="announcements", verbose_name="gemeente",
        help_text="De gemeente die de bezoeker aanmeldde; leeg als een partner aanmeldde.",
    )
    expected_on = models.DateField("verwacht op", help_text="De dag waarop de bezoeker naar het IDO komt.")
    preferred_start = models.TimeField("spreekuur vanaf", null=True, blank=True, help_text="Begin van het gewenste spreekuur; leeg is geen voorkeur.")
    preferred_end = models.TimeField("spreekuur tot", null=True, blank=True, help_text="Einde van het gewenste spreekuur.")
    instantie = models.CharField("instantie", max_length=40, blank=True, help_text="Landelijke instantiecode waar de vraag over gaat.")
    onderwerp = models.CharField("onderwerp", max_length=40, blank=True, help_text="Landelijke onderwerpcode waar de vraag over gaat.")
    description = models.CharField(
        "waar gaat het over", max_length=500, blank=True,
        help_text="Korte uitleg zonder persoonsgegevens; namen, nummers en adressen worden bij opslaan weggelakt.",
    )
    status = models.CharField("status", max_length=15, choices=Status.choices, help_text="Huidige status; verandert alleen via een nieuwe statusregel.")
    uitkomst = models.CharField("uitkomst", max_length=20, blank=True, help_text="Anonieme uitkomst van de registratie (landelijke uitkomstcode).")
    visit = models.ForeignKey(
        "desk.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements", verbose_name="bezoek",
        help_text="De registratie die vanuit deze aanmelding is gemaakt.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements_made",
        verbose_name="aangemeld door", help_text="Het account dat de bezoeker aanmeldde.",
    )
    created_at = models.DateTimeField("aangemeld op", auto_now_add=True, help_text="Moment van aanmelden.")
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True, help_text="Wanneer de aanmelding niet meer open was; telt voor het wissen.")
    consent = models.BooleanField("toestemming", default=False, help_text="Aan als de bezoeker toestemming gaf om naam en telefoon door te geven.")
    consent_text = models.TextField("toestemmingstekst", blank=True, help_text="De tekst die de bezoeker te zien kreeg, precies zoals getoond.")
    consent_at = models.DateTimeField("toestemming gegeven op", null=True, blank=True, help_text="Moment van toestemming.")
    contact_ciphertext = models.TextField(
        "contactgegevens (versleuteld)", blank=True, help_text="Naam en telefoon, versleuteld met BALIE_PII_KEY.",
    )
    personal_data_deleted_at = models.DateTimeField(
        "persoonsgegevens gewist op", null=True, blank=True, help_text="Wanneer naam en telefoon zijn gewist.",
    )
    submission_key = models.CharField(
        "inzendsleutel", max_length=80, null=True, blank=True, unique=True,
        help_text="Voorkomt dubbele aanmeldingen bij dubbel klikken of een herhaald API-verzoek (Idempotency-Key).",
    )
    request_fingerprint = fingerprint_field()

    class Meta:
        verbose_name = "aanmelding"
        verbose_name_plural = "aanmeldingen"
        ordering = ["expected_on", "preferred_start", "created_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "expected_on"], name="announcement_org_day"),
            models.Index(fields=["status", "expected_on"], name="announcement_status_day"),
            models.Index(fields=["closed_at"], name="announcement_closed"),
        ]
        constraints = [
            # Exactly one sender: a partner organisation or a municipality.
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(gemeente__isnull=True)) | (Q(partner__isnull=True) & Q(gemeente__isnull=False)),
                name="announcement_one_sender",
            ),
        ]

    def __str__(self) -> str:
        return f"Aanmelding {self.expected_on:%d-%m-%Y} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_ciphertext)

    @property
    def sender_name(self) -> str:
        if self.partner_id:
            return self.partner.name
        return _("Gemeente %(name)s") % {"name": self.gemeente.naam} if self.gemeente_id else ""


class AnnouncementStatusChange(AppendOnlyModel):
    """One row per transition, never edited (append-only history: core.models.AppendOnlyModel)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="history", verbose_name="aanmelding", help_text="De aanmelding.",
    )
    from_status = models.CharField("van", max_length=15, blank=True, choices=Status.choices, help_text="Status ervoor; leeg bij ontstaan.")
    to_status = models.CharField("naar", max_length=15, choices=Status.choices, help_text="Nieuwe status.")
    via = models.CharField("via", max_length=20, help_text="Hoe de wijziging binnenkwam: formulier, balie, api of systeem.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="Wie de status veranderde; leeg bij het systeem (verlopen).",
    )
    at = models.DateTimeField("op", help_text="Moment van de verandering.")

    class Meta:
        verbose_name = "statuswijziging van een aanmelding"
        verbose_name_plural = "statuswijzigingen van aanmeldingen"
        ordering = ["at", "id"]
