"""The walk-in queue: numbered tickets per location per day. No personal data at all.

A ticket only knows a number, an optional rough topic and timestamps; the visitor stays anonymous
and follows the ticket through its unguessable uuid (the QR code on the kiosk).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.access import OrganisationQuerySet
from balie.core.idempotency import fingerprint_field


def new_kiosk_token() -> str:
    # 24 url-safe characters (144 bits): a kiosk tablet needs no login, so the link itself is the key.
    return secrets.token_urlsafe(18)


class TicketQuerySet(OrganisationQuerySet["Ticket"]):
    organisation_field = "location__organisation"


class Topic(models.TextChoices):
    """The six pictograms on the kiosk. Mapped to national codes in walkin.topics."""

    DIGID = "DIGID", _("DigiD en inloggen")
    BELASTING = "BELASTING", _("Belastingen en toeslagen")
    BRIEF = "BRIEF", _("Brief begrijpen")
    ZORG = "ZORG", _("Zorg en verzekering")
    GELD = "GELD", _("Geld en betalen")
    ANDERS = "ANDERS", _("Iets anders")


class Status(models.TextChoices):
    WACHTEND = "WACHTEND", "wachtend"
    OPGEROEPEN = "OPGEROEPEN", "opgeroepen"
    GEHOLPEN = "GEHOLPEN", "geholpen"
    NIET_VERSCHENEN = "NIET_VERSCHENEN", "niet verschenen"
    GEANNULEERD = "GEANNULEERD", "geannuleerd"


class Channel(models.TextChoices):
    KIOSK = "kiosk", "Kiosk"
    BALIE = "balie", "Balie"


class QueueSettings(models.Model):
    location = models.OneToOneField(
        "network.Location", on_delete=models.CASCADE, related_name="queue_settings", verbose_name="locatie",
        help_text="De locatie waar deze wachtrij geldt.",
    )
    enabled = models.BooleanField(
        "wachtrij aan", default=False, help_text="Aan op drukke dagen: dan geven kiosk en balie volgnummers uit."
    )
    opening_note = models.CharField(
        "mededeling", max_length=200, blank=True,
        help_text="Korte tekst voor kiosk, scherm en telefoon, bijvoorbeeld 'Vandaag nummers tot 16.30 uur'.",
    )
    kiosk_token = models.CharField(
        "kioskcode", max_length=64, unique=True, default=new_kiosk_token,
        help_text="Geheime code in de kiosklink, zodat een tablet zonder inloggen nummers kan uitgeven.",
    )
    staff_on_duty = models.PositiveSmallIntegerField(
        "aantal medewerkers aan de balie", default=1,
        help_text="Hoeveel medewerkers nu bezoekers helpen; bepaalt de verwachte wachttijd. Geldt alleen op de datum hieronder.",
    )
    staff_on_duty_date = models.DateField(
        "datum aantal medewerkers", null=True, blank=True,
        help_text="De dag waarvoor het aantal medewerkers is ingevuld; op andere dagen rekent Balie met 1.",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True, help_text="Laatste wijziging van de instellingen.")

    class Meta:
        verbose_name = "wachtrij-instelling"
        verbose_name_plural = "wachtrij-instellingen"

    def __str__(self) -> str:
        return f"Wachtrij {self.location}"

    def staff_on(self, day: dt.date) -> int:
        """Staff entered for that day; a number from an earlier day must not shape today's estimate."""
        return max(1, self.staff_on_duty) if self.staff_on_duty_date == day else 1


class DailyCounter(models.Model):
    """One row per location per day, locked while a number is handed out so two kiosks never share a number."""

    location = models.ForeignKey(
        "network.Location", on_delete=models.CASCADE, related_name="+", verbose_name="locatie",
        help_text="De locatie van deze teller.",
    )
    service_date = models.DateField("datum", help_text="De dag waarop de nummers gelden.")
    last_number = models.PositiveIntegerField("laatste nummer", default=0, help_text="Het hoogste nummer dat die dag is uitgegeven.")

    class Meta:
        verbose_name = "dagteller"
        verbose_name_plural = "dagtellers"
        constraints = [models.UniqueConstraint(fields=["location", "service_date"], name="walkin_counter_unique")]

    def __str__(self) -> str:
        return f"{self.location_id} {self.service_date}: {self.last_number}"


class Ticket(models.Model):
    objects = TicketQuerySet.as_manager()

    uuid = models.UUIDField(
        "uuid", default=uuid.uuid4, unique=True, editable=False,
        help_text="Geheim kenmerk in de QR-code; daarmee volgt de bezoeker zijn plek in de rij.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.PROTECT, related_name="tickets", verbose_name="locatie",
        help_text="De locatie waar het nummer geldt.",
    )
    service_date = models.DateField("datum", help_text="De dag waarop het nummer geldt; de nummering begint elke dag bij 1.")
    number = models.PositiveIntegerField("nummer", help_text="Volgnummer op deze locatie op deze dag.")
    topic = models.CharField(
        "onderwerp", max_length=12, choices=Topic.choices, blank=True,
        help_text="Het pictogram dat de bezoeker koos; leeg als de bezoeker geen onderwerp koos.",
    )
    channel = models.CharField(
        "uitgegeven via", max_length=8, choices=Channel.choices, default=Channel.KIOSK,
        help_text="Of de bezoeker het nummer zelf nam bij de kiosk of kreeg van een medewerker.",
    )
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.WACHTEND,
        help_text="Elke statuswijziging staat ook in het auditlog.",
    )
    issued_at = models.DateTimeField("uitgegeven op", help_text="Moment waarop het nummer werd uitgegeven.")
    called_at = models.DateTimeField(
        "opgeroepen op", null=True, blank=True, help_text="Eerste oproep; de wachttijd loopt van uitgifte tot dit moment.",
    )
    announced_at = models.DateTimeField(
        "laatst omgeroepen op", null=True, blank=True,
        help_text="Laatste oproep op het scherm (ook bij opnieuw oproepen); het scherm meldt elke nieuwe oproep.",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="opgeroepen door", help_text="De medewerker die het nummer opriep.",
    )
    desk_label = models.CharField(
        "balie", max_length=30, blank=True, help_text="Waar de bezoeker heen moet, bijvoorbeeld 'balie 2'.",
    )
    served_at = models.DateTimeField(
        "geholpen op", null=True, blank=True,
        help_text="Moment van registreren; de hulptijd loopt van oproepen tot dit moment.",
    )
    visit = models.ForeignKey(
        "desk.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="bezoek",
        help_text="De registratie die bij dit nummer hoort.",
    )
    closed_at = models.DateTimeField(
        "afgesloten op", null=True, blank=True, help_text="Moment van niet verschenen of annuleren.",
    )
    idempotency_key = models.CharField(
        "uitgiftesleutel", max_length=100, null=True, blank=True, unique=True,
        help_text="Voorkomt twee nummers bij dubbel tikken op de kiosk of de balie.",
    )
    request_fingerprint = fingerprint_field()
    call_key = models.CharField(
        "oproepsleutel", max_length=100, null=True, blank=True, unique=True,
        help_text="Voorkomt dat dubbel klikken op 'Volgende oproepen' twee bezoekers tegelijk oproept.",
    )

    class Meta:
        verbose_name = "volgnummer"
        verbose_name_plural = "volgnummers"
        ordering = ["service_date", "location", "number"]
        constraints = [
            models.UniqueConstraint(fields=["location", "service_date", "number"], name="walkin_ticket_number_unique"),
        ]
        indexes = [models.Index(fields=["location", "service_date", "status"], name="walkin_ticket_day_status")]

    def __str__(self) -> str:
        return f"Nummer {self.number} ({self.service_date}, {self.location_id})"
