"""Message check models. Nothing a visitor pastes is ever stored: only the domains administrators add."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TrustedDomain(models.Model):
    """A domain the message check treats as genuine, on top of the shipped register and supplement."""

    class Category(models.TextChoices):
        OVERHEID = "overheid", "Overheid"
        BANK = "bank", "Bank"
        VERVOER = "vervoer", "Openbaar vervoer"
        ENERGIE = "energie", "Energie"
        ZORGVERZEKERAAR = "zorgverzekeraar", "Zorgverzekeraar"
        ZORG = "zorg", "Zorg"
        WONEN = "wonen", "Wonen"
        TELECOM = "telecom", "Telecom"
        POST = "post", "Post en pakketten"
        PENSIOEN = "pensioen", "Pensioen"
        BIBLIOTHEEK = "bibliotheek", "Bibliotheek"
        OVERIG = "overig", "Overig"

    domain = models.CharField(
        "domein",
        max_length=253,
        unique=True,
        help_text="Alleen het domein, zonder https:// of pad, bijvoorbeeld 'woonbron.nl'. Subdomeinen tellen automatisch mee.",
    )
    organisation = models.CharField(
        "organisatie",
        max_length=200,
        help_text="De naam zoals bezoekers die kennen, bijvoorbeeld 'Woonbron'. De berichtcheck herkent deze naam ook in berichten.",
    )
    category = models.CharField(
        "soort",
        max_length=20,
        choices=Category.choices,
        default=Category.OVERIG,
        help_text="Overheid en bank wegen zwaarder: een nagemaakte naam van zo'n organisatie telt meteen als nep.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="toegevoegd door",
        help_text="De beheerder die dit domein heeft toegevoegd.",
    )
    note = models.TextField(
        "toelichting",
        blank=True,
        help_text="Waarom dit domein te vertrouwen is en hoe dat is gecontroleerd (bijvoorbeeld: staat in het RIO-register).",
    )
    created_at = models.DateTimeField(
        "toegevoegd op",
        auto_now_add=True,
        help_text="Wanneer dit domein is toegevoegd.",
    )

    class Meta:
        verbose_name = "vertrouwd domein"
        verbose_name_plural = "vertrouwde domeinen"
        ordering = ["domain"]
        db_table = "toolkit_trusteddomain"  # moved from the toolkit app; the table (and its rows) stayed

    def __str__(self) -> str:
        return f"{self.domain} ({self.organisation})"

    def save(self, *args, **kwargs) -> None:
        from .domains import normalise_host

        # Staff paste whole links; keep only the host so the check can match it.
        value = self.domain.strip()
        if "://" in value:
            value = value.split("://", 1)[1]
        self.domain = normalise_host(value.split("/")[0].split("?")[0])
        super().save(*args, **kwargs)
