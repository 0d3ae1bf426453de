from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .access import Cap, Scope, request_scope

Link = tuple[str, str]


def _items(scope: Scope) -> list[tuple[str, list[Link]]]:
    """(group label, links) for the scope's capabilities; an empty label means the links stand on their own in the bar.

    Library staff have many pages; the desk work stays one click away and the rest sits in a few named
    groups, so the bar stays one line instead of wrapping into three.
    """
    groups: list[tuple[str, list[Link]]] = []
    if scope.can(Cap.REGISTER):
        groups.append(("", [(reverse("desk:register"), "Registreren"), (reverse("desk:tally"), "Turven"),
                            (reverse("desk:today"), "Vandaag"), (reverse("walkin:staff"), "Wachtrij")]))
        groups.append(("Helpen en verwijzen", [(reverse("toolkit:index"), "Hulpmiddelen"), (reverse("referrals:list"), "Verwijzingen"),
                                               (reverse("partners:list"), "Sociale kaart"), (reverse("courses:list"), "Cursussen"),
                                               (reverse("announcements:list"), "Aanmeldingen")]))
    if scope.can(Cap.COORDINATE):
        groups.append(("Inzicht", [(reverse("insight:dashboard"), "Cijfers"), (reverse("signals:list"), "Signalen"), (reverse("forecast:index"), "Prognose"),
                                   (reverse("survey:index"), "Enquête"), (reverse("announcements:figures"), "Wie stuurt mensen")]))
        groups.append(("Organisatie", [(reverse("network:manage"), "Locaties en medewerkers"), (reverse("desk:import"), "Importeren")]))
    if not scope.can(Cap.REGISTER):
        links: list[Link] = []
        if scope.can(Cap.ANSWER_REFERRALS):
            links.append((reverse("referrals:list"), "Verwijzingen"))
        if scope.can(Cap.ANNOUNCE):
            links.append((reverse("announcements:list"), "Aanmeldingen"))
        if scope.can(Cap.SEE_INSIGHT):
            links.append((reverse("insight:dashboard"), "Cijfers"))
        if scope.can(Cap.SEE_SIGNALS):
            links.append((reverse("signals:list"), "Signalen"))
        if scope.can(Cap.NATIONAL):
            links.append((reverse("core:codelists"), "Codelijsten"))
        groups.append(("", links))
    if scope.can(Cap.ADMINISTER):
        groups.append(("", [(reverse("admin:index"), "Beheer")]))
    return groups


def navigation(request: HttpRequest) -> dict:
    """Main navigation for the signed-in user's scope: plain links and named groups of links; and the scope itself."""
    scope = request_scope(request)
    if not scope.authenticated:
        return {"nav_items": [], "scope": scope}
    groups = _items(scope)
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
    return {"nav_items": nav, "scope": scope}
