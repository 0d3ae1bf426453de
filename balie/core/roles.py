"""The roles a user can have. Only ``core.access`` turns a role into capabilities; nothing else compares roles."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    MEDEWERKER = "medewerker", "Medewerker"
    COORDINATOR = "coordinator", "Coördinator"
    GEMEENTE = "gemeente", "Gemeente"
    LANDELIJK = "landelijk", "Landelijk"
    PARTNER = "partner", "Partner"
    BEHEERDER = "beheerder", "Beheerder"


STAFF_ROLES = frozenset({Role.MEDEWERKER, Role.COORDINATOR})
