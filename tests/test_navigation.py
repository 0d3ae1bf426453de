"""The main menu per role: desk work one click away, the rest in named groups; never a page the role cannot open."""

from __future__ import annotations

import re

import pytest


def _menu(html: str) -> str:
    return html[html.index('aria-label="Hoofdmenu"'):html.index("</nav>")]


def _links(menu: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', menu)


@pytest.mark.parametrize("username", ["medewerker", "coordinator", "gemeente", "landelijk", "partner"])
def test_every_menu_link_opens_for_that_role(client_for, username):
    from balie.demo.partners import build_social_map

    build_social_map()  # links the demo partner account to its organisation (SchuldHulpMaatje Rotterdam)
    client = client_for(username)
    menu = _menu(client.get("/start/", follow=True).content.decode())
    links = _links(menu)
    assert links
    for url in links:
        assert client.get(url).status_code == 200, (username, url)


def test_the_coordinator_has_desk_work_on_the_bar_and_the_rest_in_groups(client_for):
    menu = _menu(client_for("coordinator").get("/balie/").content.decode())
    bar = menu.split("<details")[0]
    assert all(label in bar for label in ("Registreren", "Turven", "Vandaag", "Wachtrij"))
    groups = re.findall(r"<summary[^>]*>([^<]+)</summary>", menu)
    assert groups == ["Helpen en verwijzen", "Inzicht", "Organisatie"]
    # The group holding the current page is marked, and so is the page itself.
    menu = _menu(client_for("coordinator").get("/prognose/").content.decode())
    assert '<summary class="is-current">Inzicht</summary>' in menu
    assert 'href="/prognose/" aria-current="page"' in menu


def test_a_desk_worker_sees_no_coordinator_groups_and_a_municipality_no_desk(client_for):
    menu = _menu(client_for("medewerker").get("/balie/").content.decode())
    assert re.findall(r"<summary[^>]*>([^<]+)</summary>", menu) == ["Helpen en verwijzen"]
    assert "/prognose/" not in menu and "/organisatie/" not in menu
    menu = _menu(client_for("gemeente").get("/signalen/").content.decode())
    assert "<details" not in menu and "/balie/" not in menu and "/signalen/" in menu


def test_the_administrator_lands_in_the_admin(client_for):
    response = client_for("beheerder").get("/start/")
    assert response.status_code == 302 and response["Location"].startswith("/beheer/")


def test_an_account_that_is_not_linked_yet_gets_no_menu_and_a_plain_explanation(client_for):
    # The network alone does not link the partner account to an outside organisation: it may do nothing yet.
    response = client_for("partner").get("/start/")
    assert response.status_code == 200 and _links(_menu(response.content.decode())) == []
    assert "nog niet gekoppeld" in response.content.decode()
