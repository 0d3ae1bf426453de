"""Users and their role. A user has exactly one role; core.access turns it into a scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy

from balie.core.access import Scope
from balie.core.roles import STAFF_ROLES, Role  # noqa: F401  (Role re-exported: older migrations and imports use it)


class UserQuerySet(models.QuerySet["User"]):
    def for_scope(self, scope: Scope) -> UserQuerySet:
        """A library's coordinator manages the staff accounts of its own organisation; nobody else lists accounts here.

        Only library roles: an account with a higher role (gemeente, landelijk, beheerder) or with admin rights that
        happens to carry the organisation is not the coordinator's to edit, let alone to give a new password (review M7).
        """
        if not scope.is_coordinator:
            return self.none()
        return self.filter(organisation_id=scope.organisation_id, role__in=STAFF_ROLES, is_superuser=False, is_staff=False)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    objects = UserManager()

    role = models.CharField(
        gettext_lazy("rol"),
        max_length=20,
        choices=Role.choices,
        default=Role.MEDEWERKER,
        help_text=gettext_lazy("Bepaalt wat deze gebruiker mag zien en doen."),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=gettext_lazy("bibliotheekorganisatie"),
        help_text=gettext_lazy("Voor medewerkers en coördinatoren: de bibliotheekorganisatie waar zij voor werken."),
    )
    gemeenten = models.ManyToManyField(
        "network.Gemeente",
        blank=True,
        related_name="users",
        verbose_name=gettext_lazy("gemeenten"),
        help_text=gettext_lazy("Voor de rol gemeente: de gemeenten waarvan deze gebruiker cijfers mag zien."),
    )
    default_location = models.ForeignKey(
        "network.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("standaardlocatie"),
        help_text=gettext_lazy("De locatie die de balie standaard kiest voor deze medewerker."),
    )

    must_change_password = models.BooleanField(
        gettext_lazy("moet wachtwoord wijzigen"),
        default=False,
        help_text=gettext_lazy("Aan als iemand anders (de coördinator) het wachtwoord koos: bij het inloggen kiest de gebruiker eerst een eigen wachtwoord."),
    )

    language = models.CharField(
        gettext_lazy("taal"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
        help_text=gettext_lazy("Taal van de schermen, e-mails en pdf's van Balie voor deze gebruiker (zelf te kiezen op de accountpagina)."),
    )

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
