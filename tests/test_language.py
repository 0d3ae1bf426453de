"""Staff choose their own language (issue 14 item 4): stored with the account, so it follows them; Dutch by default."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_keeps_staff_pages_dutch_by_default_even_for_an_english_browser(users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["coordinator"])
    html = client.get("/account/").content.decode()
    assert '<html lang="nl"' in html and "Uitloggen" in html and ">English</button>" in html


def test_it_switches_a_staff_user_to_english_and_remembers_it_on_another_computer(users):
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post("/account/taal/", {"language": "en", "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert response.cookies["balie_taal"].value == "en"
    users["coordinator"].refresh_from_db()
    assert users["coordinator"].language == "en"
    # Another computer: a fresh client, no cookie, Dutch browser.
    other = Client(HTTP_ACCEPT_LANGUAGE="nl")
    other.force_login(users["coordinator"])
    html = other.get("/account/").content.decode()
    assert '<html lang="en"' in html and "Log out" in html and "Main menu" in html and "Figures" in html
    assert "Uitloggen" not in html and ">Nederlands</button>" in html
    # A colleague on the same installation keeps Dutch.
    colleague = Client()
    colleague.force_login(users["medewerker"])
    assert "Uitloggen" in colleague.get("/account/").content.decode()
    # Back to Dutch.
    other.post("/account/taal/", {"language": "nl"})
    assert "Uitloggen" in other.get("/account/").content.decode()


def test_it_refuses_an_unknown_language_and_stays_on_this_site(users):
    client = Client()
    client.force_login(users["medewerker"])
    assert client.post("/account/taal/", {"language": "xx"}).status_code == 400
    assert client.post("/account/taal/", {"language": "en", "next": "https://example.org/"})["Location"] == "/start/"
    assert client.get("/account/taal/").status_code == 405
    assert Client().post("/account/taal/", {"language": "en"}).status_code == 302  # to the login page


# --- visitors' pages in English (review 2026-12, B13) ------------------------------------------------------------

DUTCH = ("Uw nummer", "U staat in de rij", "Wachttijd", "Nu aan de beurt", "Eerder opgeroepen", "Is dit bericht echt",
         "Wat moet u doen", "Klik niet", "Neem een nummer", "Waar gaat uw vraag over", "Zonder onderwerp")


def _no_dutch(html: str) -> list[str]:
    return [phrase for phrase in DUTCH if phrase in html]


def test_the_queue_ticket_screen_and_kiosk_speak_english_when_asked(network):
    from balie.network.models import Location
    from balie.walkin import services
    from balie.walkin.models import QueueSettings

    location = Location.objects.get(code="RDAM-CENTRAAL")
    queue = QueueSettings.objects.create(location=location, enabled=True)
    first, _ = services.ticket_issue(location=location, topic="DIGID")
    second, _ = services.ticket_issue(location=location, topic="BRIEF")
    client = Client()
    html = client.get(f"/wachtrij/ticket/{second.uuid}/", {"lang": "en"}).content.decode()
    assert '<html lang="en"' in html and "Your number:" in html and "You are in the queue." in html
    assert "There is 1 person ahead of you." in html and "Waiting time:" in html and "minutes" in html
    assert _no_dutch(html) == [] and 'hreflang="nl">Nederlands</a>' in html
    # The polled status block keeps English through the cookie, without ?lang.
    partial = client.get(f"/wachtrij/ticket/{second.uuid}/", HTTP_HX_REQUEST="true").content.decode()
    assert "You are in the queue." in partial and _no_dutch(partial) == []
    screen = client.get(f"/wachtrij/{location.code}/scherm/").content.decode()
    assert "Now serving" in screen and "Called earlier" in screen and "Waiting:" in screen and _no_dutch(screen) == []
    kiosk = client.get(f"/wachtrij/{location.code}/kiosk/{queue.kiosk_token}/").content.decode()
    assert "Take a number" in kiosk and "DigiD and logging in" in kiosk and "No topic" in kiosk and _no_dutch(kiosk) == []
    # Someone else's phone without the choice: Dutch.
    assert "U staat in de rij." in Client().get(f"/wachtrij/ticket/{first.uuid}/").content.decode()


def test_the_public_message_check_speaks_english_when_asked(db):
    client = Client()
    page = client.get("/hulpmiddelen/is-dit-echt/", {"lang": "en"}).content.decode()
    assert '<html lang="en"' in page and "Is this message real?" in page and "How to recognise a fake" in page
    assert 'href="/"' in page and _no_dutch(page) == []  # a way home, in the visitor's header
    fake = ("Belastingdienst: u heeft recht op een teruggave van EUR 312,50. Bevestig binnen 24 uur uw gegevens via "
            "https://mijn-belastingdienst-teruggave.nl/claim anders vervalt uw recht.")
    result = client.post("/hulpmiddelen/is-dit-echt/", {"tekst": fake}).content.decode()
    assert "Fake" in result and "What should you do?" in result and "time pressure" in result
    assert _no_dutch(result) == [] and "<code>naam_in_domein" not in result


def test_beheer_is_dutch_also_for_an_english_browser(users):
    admin = users["beheerder"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    response = client.get("/beheer/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Achtergrondtaken" in html and "Taakresultaten" in html
    assert "Task Results" not in html and "TASKS DATABASE" not in html.upper().replace("ACHTERGRONDTAKEN", "")
    assert "Site administration" not in html


def test_every_demo_location_has_a_street_address(network):
    from balie.network.models import Location

    assert list(Location.objects.filter(address="").values_list("code", flat=True)) == []


def test_the_coordinator_lands_on_an_overview_and_landelijk_on_the_national_figures(users, client_for):
    from balie.network.models import Location
    from balie.walkin import services
    from balie.walkin.models import QueueSettings

    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.create(location=location, enabled=True)
    services.ticket_issue(location=location, topic="DIGID")
    response = client_for("coordinator").get("/start/")
    assert response["Location"] == "/overzicht/"
    html = client_for("coordinator").get("/overzicht/").content.decode()
    assert "Overzicht" in html and "Wachtenden nu" in html and "Open verwijzingen" in html and "Centrale Bibliotheek" in html
    assert "zodra de dashboards" not in html
    assert client_for("landelijk").get("/start/")["Location"] == "/inzicht/"
    assert client_for("gemeente").get("/start/")["Location"] == "/inzicht/"
    assert client_for("medewerker").get("/start/")["Location"] == "/balie/"
    assert client_for("medewerker").get("/overzicht/").status_code == 403


def test_an_english_users_request_does_not_leave_english_behind_in_the_thread(users):
    from django.utils import translation
    from django.utils.translation import gettext

    from tests.languages import client_in

    client = client_in(users["coordinator"], "en")
    assert "Log out" in client.get("/account/").content.decode()
    # Code that runs next on this thread (here the test itself) speaks the default language again.
    assert translation.get_language() == "nl"
    assert gettext("Uitloggen") == "Uitloggen"
