"""Models of the knowledge base (kennisbank) and of the suggestion state per organisation.

Kept in their own module, imported by models.py (the app's other models live there).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Guide(models.Model):
    """A short step-by-step guide in B1 Dutch. National (organisation empty) or local to one organisation."""

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de handleiding.")
    slug = models.SlugField(
        "adres", max_length=80, help_text="Het laatste deel van het webadres, bijvoorbeeld digid-app-activeren."
    )
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="guides",
        verbose_name="organisatie", help_text="Leeg bij een landelijke handleiding; anders de organisatie die haar schreef.",
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="local_versions",
        verbose_name="gebaseerd op", help_text="De landelijke handleiding waarvan dit een eigen versie is.",
    )
    title = models.CharField("titel", max_length=120, help_text="Kort en duidelijk, bijvoorbeeld 'DigiD app activeren'.")
    summary = models.CharField("samenvatting", max_length=300, help_text="Eén of twee zinnen: waar gaat deze handleiding over?")
    body = models.TextField(
        "tekst", max_length=10_000,
        help_text="De stappen. Een regel die begint met '1.' is een stap, '- ' een opsomming, '## ' een tussenkop.",
    )
    instanties = models.CharField(
        "instanties", max_length=300, blank=True, help_text="Landelijke instantiecodes waar de handleiding bij hoort, als |A|B|."
    )
    onderwerpen = models.CharField(
        "onderwerpen", max_length=300, blank=True, help_text="Landelijke onderwerpcodes waar de handleiding bij hoort, als |A|B|."
    )
    keywords = models.CharField(
        "trefwoorden", max_length=300, blank=True, help_text="Extra zoekwoorden, bijvoorbeeld 'huurtoeslag zorgtoeslag'."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="gemaakt door", help_text="Leeg bij een landelijke handleiding.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="gewijzigd door", help_text="Wie de handleiding het laatst aanpaste.",
    )
    created_at = models.DateTimeField("gemaakt op", auto_now_add=True, help_text="Moment van aanmaken.")
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True, help_text="Laatste wijziging.")

    class Meta:
        verbose_name = "handleiding"
        verbose_name_plural = "handleidingen"
        ordering = ["title"]
        constraints = [
            # A local guide may share the slug of a national one: it is that organisation's own version.
            models.UniqueConstraint(fields=["organisation", "slug"], name="guide_slug_per_organisation"),
            models.UniqueConstraint(fields=["slug"], condition=Q(organisation__isnull=True), name="guide_slug_national"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    @property
    def instantie_list(self) -> list[str]:
        return [v for v in self.instanties.split("|") if v]

    @property
    def onderwerp_list(self) -> list[str]:
        return [v for v in self.onderwerpen.split("|") if v]


class SuggestionModel(models.Model):
    """The trained suggestion model of one organisation, as numpy arrays (npz, never a pickle)."""

    organisation = models.OneToOneField(
        "network.Organisation", on_delete=models.CASCADE, related_name="suggestion_model", verbose_name="organisatie",
        help_text="Elke organisatie leert alleen van haar eigen notities.",
    )
    blob = models.BinaryField("model", blank=True, default=b"", help_text="Woordenlijst en gewichten (numpy npz); leeg als nog niet getraind.")
    n_samples = models.PositiveIntegerField("aantal notities", default=0, help_text="Met hoeveel notities het model is getraind.")
    features_version = models.PositiveSmallIntegerField(
        "kenmerkversie", default=0, help_text="Versie van de tekstkenmerken; bij een andere versie wordt opnieuw getraind."
    )
    trained_at = models.DateTimeField("getraind op", null=True, blank=True, help_text="Wanneer het model voor het laatst is getraind.")
    train_seconds = models.FloatField("trainingsduur (s)", null=True, blank=True, help_text="Hoe lang de laatste training duurde.")
    requested_at = models.DateTimeField(
        "opnieuw trainen gevraagd op", null=True, blank=True,
        help_text="Wanneer de achtergrondtaak voor het laatst is gevraagd; voorkomt dat die vaker dan nodig start.",
    )

    class Meta:
        verbose_name = "suggestiemodel"
        verbose_name_plural = "suggestiemodellen"

    def __str__(self) -> str:
        return f"Suggestiemodel {self.organisation_id} ({self.n_samples} notities)"
