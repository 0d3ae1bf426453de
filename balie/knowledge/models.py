"""The knowledge base (kennisbank): short step-by-step guides, national or local to one organisation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from balie.core.access import Scope


class GuideQuerySet(models.QuerySet["Guide"]):
    def for_scope(self, scope: Scope) -> GuideQuerySet:
        """Library staff read the national guides and their own organisation's; nobody else reads guides here."""
        if not scope.is_desk_staff:
            return self.none()
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=scope.organisation_id))

class Guide(models.Model):
    """A short step-by-step guide in B1 Dutch. National (organisation empty) or local to one organisation."""

    objects = GuideQuerySet.as_manager()

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
        db_table = "toolkit_guide"  # moved from the toolkit app; the table (and its rows) stayed
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
