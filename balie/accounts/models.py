"""Users and their role. A user has exactly one role; core.access turns it into a scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from balie.core.access import Scope
from balie.core.roles import Role  # noqa: F401  (re-exported: older migrations and imports use accounts.models.Role)


class UserQuerySet(models.QuerySet["User"]):
    def for_scope(self, scope: Scope) -> UserQuerySet:
        """A library's coordinator manages the accounts of its own organisation; nobody else lists accounts here."""
        if not scope.is_coordinator:
            return self.none()
        return self.filter(organisation_id=scope.organisation_id)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    objects = UserManager()

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
