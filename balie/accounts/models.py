"""Users and their role. A user has exactly one role; the role decides the scope (see core.scoping)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    MEDEWERKER = "medewerker", "Medewerker"
    COORDINATOR = "coordinator", "Coördinator"
    GEMEENTE = "gemeente", "Gemeente"
    LANDELIJK = "landelijk", "Landelijk"
    PARTNER = "partner", "Partner"
    BEHEERDER = "beheerder", "Beheerder"


STAFF_ROLES = {Role.MEDEWERKER, Role.COORDINATOR}


class User(AbstractUser):
    role = models.CharField(
        "rol",
        max_length=20,
        choices=Role.choices,
        default=Role.MEDEWERKER,
        help_text="Bepaalt wat deze gebruiker mag zien en doen.",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="bibliotheekorganisatie",
        help_text="Voor medewerkers en coördinatoren: de bibliotheekorganisatie waar zij voor werken.",
    )
    gemeenten = models.ManyToManyField(
        "network.Gemeente",
        blank=True,
        related_name="users",
        verbose_name="gemeenten",
        help_text="Voor de rol gemeente: de gemeenten waarvan deze gebruiker cijfers mag zien.",
    )
    default_location = models.ForeignKey(
        "network.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="standaardlocatie",
        help_text="De locatie die de balie standaard kiest voor deze medewerker.",
    )

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    @property
    def is_desk_staff(self) -> bool:
        return self.role in STAFF_ROLES and self.organisation_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR and self.organisation_id is not None
