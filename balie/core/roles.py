"""The roles a user can have. Only ``core.access`` turns a role into capabilities; nothing else compares roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEDEWERKER = "medewerker", _("Medewerker")
    COORDINATOR = "coordinator", _("Coördinator")
    GEMEENTE = "gemeente", _("Gemeente")
    LANDELIJK = "landelijk", _("Landelijk")
    PARTNER = "partner", _("Partner")
    BEHEERDER = "beheerder", _("Beheerder")


STAFF_ROLES = frozenset({Role.MEDEWERKER, Role.COORDINATOR})
