from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .access import Cap, Scope, request_scope

Link = tuple[str, str]


def _items(scope: Scope) -> list[tuple[str, list[Link]]]:
    """(group label, links) for the scope's capabilities; an empty label means the links stand on their own in the bar.

    Library staff have many pages; the desk work stays one click away and the rest sits in a few named
    groups, so the bar stays one line instead of wrapping into three.
    """
    groups: list[tuple[str, list[Link]]] = []
    if scope.can(Cap.REGISTER):
        groups.append(("", [(reverse("desk:register"), _("Registreren")), (reverse("desk:tally"), _("Turven")),
                            (reverse("desk:today"), _("Vandaag")), (reverse("walkin:staff"), _("Wachtrij"))]))
        groups.append((_("Helpen en verwijzen"), [(reverse("toolkit:index"), _("Hulpmiddelen")), (reverse("referrals:list"), _("Verwijzingen")),
                                               (reverse("partners:list"), _("Sociale kaart")), (reverse("courses:list"), _("Cursussen")),
                                               (reverse("announcements:list"), _("Aanmeldingen"))]))
    if scope.can(Cap.COORDINATE):
        groups.insert(0, ("", [(reverse("overview"), _("Overzicht"))]))
        groups.append((_("Inzicht"), [(reverse("insight:dashboard"), _("Cijfers")), (reverse("signals:list"), _("Signalen")), (reverse("forecast:index"), _("Prognose")),
                                   (reverse("survey:index"), _("Enquête")), (reverse("announcements:figures"), _("Wie stuurt mensen"))]))
        groups.append((_("Organisatie"), [(reverse("network:manage"), _("Locaties en medewerkers")), (reverse("desk:import"), _("Importeren"))]))
    if not scope.can(Cap.REGISTER):
        links: list[Link] = []
        if scope.can(Cap.ANSWER_REFERRALS):
            links.append((reverse("referrals:list"), _("Verwijzingen")))
        if scope.can(Cap.ANNOUNCE):
            links.append((reverse("announcements:list"), _("Aanmeldingen")))
        if scope.can(Cap.SEE_INSIGHT):
            links.append((reverse("insight:dashboard"), _("Cijfers")))
        if scope.can(Cap.SEE_SIGNALS):
            links.append((reverse("signals:list"), _("Signalen")))
        if scope.can(Cap.NATIONAL):
            links.append((reverse("core:codelists"), _("Codelijsten")))
            links.append((reverse("federation:nodes"), _("Knooppunten")))
        groups.append(("", links))
    if scope.can(Cap.ADMINISTER):
        groups.append(("", [(reverse("admin:index"), _("Beheer"))]))
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
