"""The hub's register of nodes and both sides' log of federation calls (docs/federatie.md, ADR 0017)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import AppendOnlyModel


class Node(models.Model):
    """Another Balie installation that delivers figures to this one (only on the hub)."""

    class Status(models.TextChoices):
        ACTIVE = "actief", _("actief")
        SUSPENDED = "geschorst", _("geschorst")

    code = models.CharField(
        "code", max_length=40, unique=True, validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9\-]{1,39}$")],
        help_text="Korte code van het knooppunt in hoofdletters, bijvoorbeeld BIB-AMSTERDAM.",
    )
    naam = models.CharField("naam", max_length=150, help_text="Naam van de organisatie die het knooppunt beheert.")
    oin = models.CharField(
        "OIN", max_length=20, blank=True, validators=[RegexValidator(r"^\d{20}$")],
        help_text="Organisatie-identificatienummer (20 cijfers); bij FSC is dit de PeerID.",
    )
    token_hash = models.CharField("sleutel (hash)", max_length=64, help_text="SHA-256 van de sleutel; de sleutel zelf wordt niet bewaard.")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.ACTIVE, help_text="Een geschorst knooppunt wordt geweigerd.")
    created_at = models.DateTimeField("toegevoegd op", auto_now_add=True, help_text="Moment waarop het knooppunt werd toegevoegd.")
    token_rotated_at = models.DateTimeField("sleutel vernieuwd op", help_text="Moment waarop de huidige sleutel werd gemaakt.")
    last_seen_at = models.DateTimeField("laatst gezien", null=True, blank=True, help_text="Laatste geldige aanroep van het knooppunt.")
    last_delivery_at = models.DateTimeField("laatste levering", null=True, blank=True, help_text="Laatste keer dat het knooppunt cijfers leverde.")
    codelist_version = models.PositiveIntegerField(
        "codelijstversie", null=True, blank=True, help_text="De codelijstversie waarmee het knooppunt het laatst leverde.",
    )

    class Meta:
        verbose_name = "knooppunt"
        verbose_name_plural = "knooppunten"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Call(AppendOnlyModel):
    """One federation call, logged on both sides (FSC Logging: the transaction id links the two log lines)."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("binnenkomend")
        OUTGOING = "uit", _("uitgaand")

    direction = models.CharField("richting", max_length=3, choices=Direction.choices, help_text="Binnenkomend (hub) of uitgaand (knooppunt).")
    peer = models.CharField("andere kant", max_length=200, help_text="Code van het knooppunt (op de hub) of adres van de hub (op het knooppunt).")
    method = models.CharField("methode", max_length=8, help_text="HTTP-methode.")
    path = models.CharField("pad", max_length=200, help_text="Aangeroepen pad van de federatie-API.")
    status = models.PositiveSmallIntegerField("status", help_text="HTTP-status van het antwoord (0 = geen antwoord).")
    transaction_id = models.CharField("transactie-id", max_length=36, blank=True, help_text="Fsc-Transaction-Id (UUIDv7).")
    at = models.DateTimeField("moment", auto_now_add=True, db_index=True, help_text="Moment van de aanroep.")

    class Meta:
        verbose_name = "federatie-aanroep"
        verbose_name_plural = "federatie-aanroepen"
        ordering = ["-at"]
