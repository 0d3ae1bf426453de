"""The three-question visitor survey: anonymous answers per location and day (ADR 0011).

No IP address, no user, no time of day: only the location, the date and the three answers. The device limit
(one answer per device per day) rests on a hash of a random per-day cookie with a salt that exists for one day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Helped(models.TextChoices):
    JA = "JA", _("Ja")
    DEELS = "DEELS", _("Een beetje")
    NEE = "NEE", _("Nee")


class Confident(models.TextChoices):
    JA = "JA", _("Ja")
    BEETJE = "BEETJE", _("Een beetje")
    NEE = "NEE", _("Nee")


class ComeBack(models.TextChoices):
    JA = "JA", _("Ja")
    MISSCHIEN = "MISSCHIEN", _("Misschien")
    NEE = "NEE", _("Nee")


class SurveyLink(models.Model):
    location = models.OneToOneField(
        "network.Location", on_delete=models.CASCADE, related_name="survey_link", verbose_name="locatie",
        help_text="De locatie waar deze enquêtelink bij hoort.",
    )
    code = models.CharField(
        "korte code", max_length=12, unique=True,
        help_text="De code in de korte link /v/<code>/ en de QR-code; willekeurig, zodat niemand links kan raden.",
    )
    active = models.BooleanField("actief", default=True, help_text="Uit: de link toont dat de enquête gesloten is.")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True, help_text="Moment waarop de link is gemaakt.")

    class Meta:
        verbose_name = "enquêtelink"
        verbose_name_plural = "enquêtelinks"

    def __str__(self) -> str:
        return f"/v/{self.code}/ ({self.location})"


class SurveyResponse(models.Model):
    location = models.ForeignKey(
        "network.Location", on_delete=models.CASCADE, related_name="survey_responses", verbose_name="locatie",
        help_text="De locatie waar de bezoeker geholpen werd.",
    )
    date = models.DateField("datum", help_text="Alleen de dag, geen tijdstip: zo is een antwoord niet aan een bezoek te koppelen.")
    helped = models.CharField("hulp gekregen", max_length=10, choices=Helped.choices, help_text="Heeft u hulp gekregen?")
    confident = models.CharField(
        "meer zelf durven", max_length=10, choices=Confident.choices, help_text="Durft u dit de volgende keer meer zelf te doen?",
    )
    come_back = models.CharField("terugkomen", max_length=10, choices=ComeBack.choices, help_text="Zou u terugkomen?")
    language = models.CharField("taal", max_length=2, default="nl", help_text="Taal waarin de enquête werd ingevuld (nl of en).")
    device_hash = models.CharField(
        "apparaatcontrole", max_length=64,
        help_text="Hash van een willekeurige dagcookie met een zout dat maar één dag bestaat; daarna niet meer te herleiden.",
    )

    class Meta:
        verbose_name = "enquêteantwoord"
        verbose_name_plural = "enquêteantwoorden"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["date", "device_hash"], name="survey_one_per_device_per_day")]
        indexes = [models.Index(fields=["location", "date"], name="survey_location_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.location_id}"


class DailySalt(models.Model):
    """A random salt per day. Yesterday's salt is deleted, so yesterday's hashes cannot be recomputed from a cookie."""

    date = models.DateField("datum", unique=True, help_text="De dag waarvoor dit zout geldt.")
    salt = models.CharField("zout", max_length=64, help_text="Willekeurige waarde; wordt na de dag verwijderd.")

    class Meta:
        verbose_name = "dagzout"
        verbose_name_plural = "dagzouten"

    def __str__(self) -> str:
        return str(self.date)
