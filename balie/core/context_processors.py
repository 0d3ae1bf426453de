from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict:
    """Main navigation items for the signed-in user's role."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if getattr(user, "is_desk_staff", False):
            items += [(reverse("desk:register"), "Registreren"), (reverse("desk:tally"), "Turven"), (reverse("desk:today"), "Vandaag"),
                      (reverse("walkin:staff"), "Wachtrij")]
            items += [(reverse("toolkit:index"), "Hulpmiddelen")]
        if getattr(user, "is_coordinator", False):
            items += [(reverse("network:manage"), "Organisatie"), (reverse("desk:import"), "Importeren")]
        if getattr(user, "role", "") == "landelijk":
            items += [(reverse("core:codelists"), "Codelijsten")]
        if getattr(user, "is_coordinator", False) or getattr(user, "role", "") in ("gemeente", "landelijk", "partner"):
            items += [(reverse("signals:list"), "Signalen")]
        if getattr(user, "role", "") == "beheerder" or user.is_superuser:
            items += [(reverse("admin:index"), "Beheer")]
    current = request.path if request else ""
    # The longest matching prefix is the current item, so /balie/vandaag/ does not also mark /balie/.
    matches = [u for u, _ in items if current.startswith(u)]
    active = max(matches, key=len) if matches else None
    return {"nav_items": [{"url": u, "label": label, "current": u == active} for u, label in items]}
