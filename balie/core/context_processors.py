from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

Link = tuple[str, str]


def _items(user: Any) -> list[tuple[str, list[Link]]]:
    """(group label, links) for the user's role; an empty label means the links stand on their own in the bar.

    Library staff have many pages; the desk work stays one click away and the rest sits in a few named
    groups, so the bar stays one line instead of wrapping into three.
    """
    role = getattr(user, "role", "")
    desk_staff = getattr(user, "is_desk_staff", False)
    coordinator = getattr(user, "is_coordinator", False)
    groups: list[tuple[str, list[Link]]] = []
    if desk_staff:
        groups.append(("", [(reverse("desk:register"), "Registreren"), (reverse("desk:tally"), "Turven"),
                            (reverse("desk:today"), "Vandaag"), (reverse("walkin:staff"), "Wachtrij")]))
        groups.append(("Helpen en verwijzen", [(reverse("toolkit:index"), "Hulpmiddelen"), (reverse("referrals:list"), "Verwijzingen"),
                                               (reverse("partners:list"), "Sociale kaart"), (reverse("courses:list"), "Cursussen")]))
    if coordinator:
        groups.append(("Inzicht", [(reverse("insight:dashboard"), "Cijfers"), (reverse("signals:list"), "Signalen"), (reverse("forecast:index"), "Prognose"),
                                   (reverse("survey:index"), "Enquête")]))
        groups.append(("Organisatie", [(reverse("network:manage"), "Locaties en medewerkers"), (reverse("desk:import"), "Importeren")]))
    if not desk_staff:
        links: list[Link] = []
        if role == "partner":
            links.append((reverse("referrals:list"), "Verwijzingen"))
        if role in ("gemeente", "landelijk"):
            links.append((reverse("insight:dashboard"), "Cijfers"))
        if role in ("gemeente", "landelijk", "partner"):
            links.append((reverse("signals:list"), "Signalen"))
        if role == "landelijk":
            links.append((reverse("core:codelists"), "Codelijsten"))
        groups.append(("", links))
    if role == "beheerder" or getattr(user, "is_superuser", False):
        groups.append(("", [(reverse("admin:index"), "Beheer")]))
    return groups


def navigation(request: HttpRequest) -> dict:
    """Main navigation for the signed-in user's role: plain links and named groups of links."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    groups = _items(user)
    current = request.path
    # The longest matching prefix is the current item, so /balie/vandaag/ does not also mark /balie/.
    matches = [u for _, links in groups for u, _ in links if current.startswith(u)]
    active = max(matches, key=len) if matches else None
    nav: list[dict[str, Any]] = []
    for label, links in groups:
        entries = [{"url": u, "label": text, "current": u == active} for u, text in links]
        if label:
            nav.append({"label": label, "links": entries, "current": any(e["current"] for e in entries)})
        else:
            nav.extend(entries)
    return {"nav_items": nav}
