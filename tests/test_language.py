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
