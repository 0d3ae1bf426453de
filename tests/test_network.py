"""The coordinator's organisation pages, the national code lists and the network commands."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from balie.core.models import AuditEvent, Code, CodeListVersion
from balie.network.models import LocalCode, Location

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username, status", [("coordinator", 200), ("medewerker", 403), ("gemeente", 403), ("landelijk", 403), ("partner", 403)])
def test_it_opens_the_organisation_page_for_coordinators_only(client_for, username, status):
    assert client_for(username).get("/organisatie/").status_code == status


def test_it_shows_only_the_own_organisation(client_for):
    html = client_for("coordinator").get("/organisatie/").content.decode()
    assert "RDAM-CENTRAAL" in html and "GOUDA-CHOCOLADEFABRIEK" not in html
    assert "medewerker-gouda" not in html


def test_it_creates_a_location_with_a_cbs_code(client_for, users):
    response = client_for("coordinator").post("/organisatie/locaties/nieuw/", {
        "code": "rdam-buurthuis", "naam": "Buurthuis De Kuip", "kind": "OUTREACH", "postcode": "3077ab", "plaats": "Rotterdam",
        "gemeente_code": "GM0599", "active": "on",
    })
    assert response.status_code == 302
    loc = Location.objects.get(code="RDAM-BUURTHUIS")
    assert (loc.organisation.code, loc.gemeente.cbs_code, loc.postcode, loc.is_outreach) == ("BIB-RDAM", "GM0599", "3077 AB", True)
    assert AuditEvent.objects.filter(event="location_saved", object_uuid=str(loc.uuid)).exists()


def test_it_explains_a_wrong_cbs_code_and_saves_nothing(client_for):
    before = Location.objects.count()
    response = client_for("coordinator").post("/organisatie/locaties/nieuw/", {"code": "X-1", "naam": "X", "kind": "BIBLIOTHEEK", "gemeente_code": "GM9999"})
    assert response.status_code == 422
    assert "Geen gemeente met CBS-code GM9999" in response.content.decode()
    assert Location.objects.count() == before


@pytest.mark.parametrize("username, status", [("coordinator", 200), ("coordinator-gouda", 404), ("medewerker", 403)])
def test_it_scopes_location_editing(client_for, username, status):
    assert client_for(username).get("/organisatie/locaties/RDAM-CENTRAAL/").status_code == status


def test_it_adds_staff_with_a_role_in_the_own_organisation(client_for):
    response = client_for("coordinator").post("/organisatie/medewerkers/nieuw/", {
        "username": "nieuw", "first_name": "Nina", "last_name": "Vos", "email": "", "role": "medewerker",
        "default_location": "", "is_active": "on", "password": "lang-genoeg-wachtwoord",
    })
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="nieuw")
    assert user.organisation.code == "BIB-RDAM" and user.role == "medewerker" and user.check_password("lang-genoeg-wachtwoord")


def test_it_cannot_make_someone_landelijk(client_for):
    response = client_for("coordinator").post("/organisatie/medewerkers/nieuw/", {"username": "x", "role": "landelijk", "password": "lang-genoeg-wachtwoord"})
    assert response.status_code == 422


@pytest.mark.parametrize("username, status", [("coordinator", 200), ("coordinator-gouda", 404)])
def test_it_scopes_staff_editing(client_for, users, username, status):
    assert client_for(username).get(f"/organisatie/medewerkers/{users['collega'].pk}/").status_code == status


def test_it_maps_a_local_code_to_exactly_one_national_code(client_for):
    client = client_for("coordinator")
    bad = client.post("/organisatie/lokale-codes/nieuw/", {"list": "instantie", "code": "WOONBRON", "label": "Woonbron", "national_code": "HUIZEN", "active": "on"})
    assert bad.status_code == 422 and "geen landelijke code" in bad.content.decode()
    # The form offers national codes by label (issue 14); the option's value names the list and the code.
    page = client.get("/organisatie/lokale-codes/nieuw/").content.decode()
    assert '<option value="instantie:WONEN">Instantie: Woningcorporatie / woningzoeken</option>' in page
    good = client.post("/organisatie/lokale-codes/nieuw/", {"list": "instantie", "code": "woonbron", "label": "Woonbron", "national_code": "wonen", "active": "on"})
    assert good.status_code == 302
    assert LocalCode.objects.get(code="WOONBRON").national_code == "WONEN"


def test_it_creates_an_api_token_for_a_coordinator(client_for, users):
    from rest_framework.authtoken.models import Token

    client_for("coordinator").post("/organisatie/", {"token": "1"})
    assert Token.objects.filter(user=users["coordinator"]).exists()


def test_it_lists_locations_as_json():
    from balie.demo.network import build_network

    build_network()
    out = io.StringIO()
    call_command("list_locations", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    central = next(r for r in rows if r["code"] == "RDAM-CENTRAAL")
    assert central == {"code": "RDAM-CENTRAAL", "naam": "Centrale Bibliotheek", "organisatie": "BIB-RDAM", "gemeente": "GM0599"}
    assert len({r["gemeente"] for r in rows}) >= 3
    assert sum(r["organisatie"] == "BIB-RDAM" for r in rows) == 23  # 21 branches + school + food bank


def test_it_ships_the_national_code_lists_by_migration():
    version = CodeListVersion.objects.get(number=1)
    assert not version.is_draft
    counts = {name: Code.objects.filter(version=version, list=name).count() for name in ("instantie", "onderwerp", "behoefteprofiel", "uitkomst", "kanaal")}
    assert counts == {"instantie": 27, "onderwerp": 14, "behoefteprofiel": 6, "uitkomst": 4, "kanaal": 5}
    assert Code.objects.get(version=version, list="instantie", code="TOESLAGEN").bestuurslaag == "RIJK"


@pytest.mark.parametrize("username, status", [("landelijk", 200), ("coordinator", 403), ("medewerker", 403), ("gemeente", 403)])
def test_it_lets_only_landelijk_manage_code_lists(client_for, username, status):
    assert client_for(username).get("/codelijsten/").status_code == status
    assert client_for(username).get("/codelijsten/1/").status_code == status


def test_it_never_edits_a_published_version(client_for):
    client = client_for("landelijk")
    response = client.post("/codelijsten/1/", {"list": "onderwerp", "code": "X", "label": "X", "active": "1"})
    assert response.status_code == 422
    assert not Code.objects.filter(code="X").exists()


def test_it_publishes_a_new_version_through_the_pages(client_for):
    client = client_for("landelijk")
    assert client.post("/codelijsten/", {"description": "Nieuwe app"}).status_code == 302
    assert client.post("/codelijsten/2/", {"list": "onderwerp", "code": "nieuwe_app", "label": "Nieuwe app", "active": "1"}).status_code == 302
    # The first press only shows what changes (review 2026-12): nothing is published yet.
    confirm = client.post("/codelijsten/2/", {"publish": "1"})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Versie 2 publiceren?" in html and "NIEUWE_APP" in html and "nieuw" in html
    from balie.core import codelists

    assert codelists.current_version().number == 1
    assert client.post("/codelijsten/2/", {"publish": "1", "confirm": "1"}).status_code == 302

    assert codelists.current_version().number == 2
    assert "NIEUWE_APP" in codelists.codes(codelists.current_version(), "onderwerp")
    assert "NIEUWE_APP" not in codelists.codes(CodeListVersion.objects.get(number=1), "onderwerp")


def test_it_shows_every_kind_of_change_before_publishing(client_for):
    client = client_for("landelijk")
    client.post("/codelijsten/", {"description": "Herstel"})
    assert client.post("/codelijsten/2/", {"list": "instantie", "code": "UHT", "label": "Herstel Toeslagen", "active": "1"}).status_code == 422
    client.post("/codelijsten/2/", {"list": "instantie", "code": "UHT", "label": "Herstel Toeslagen", "active": "1", "bestuurslaag": "RIJK"})
    client.post("/codelijsten/2/", {"list": "instantie", "code": "CJIB", "label": "CJIB", "active": "0", "bestuurslaag": "RIJK"})
    client.post("/codelijsten/2/", {"list": "onderwerp", "code": "INLOGGEN", "label": "Inloggen en wachtwoorden", "active": "1"})
    html = client.post("/codelijsten/2/", {"publish": "1"}).content.decode()
    assert "3 wijzigingen" in html
    for expected in ("UHT", "nieuw", "bestuurslaag RIJK", "CJIB", "vervallen", "INLOGGEN", "gewijzigd", "Inloggen en wachtwoorden"):
        assert expected in html, expected
    assert CodeListVersion.objects.get(number=2).is_draft
    assert "DESIGN.md" not in client.get("/codelijsten/").content.decode()


# --- review M7, L7, M6: a coordinator manages only library staff; passwords; sessions of a working day ------------
def test_a_coordinator_cannot_touch_an_account_with_a_higher_role_in_the_own_organisation(client_for, users):
    admin = users["beheerder"]
    admin.organisation = users["coordinator"].organisation  # a state the admin allows
    admin.save()
    before = admin.password
    client = client_for("coordinator")
    assert client.get(f"/organisatie/medewerkers/{admin.pk}/").status_code == 404
    response = client.post(f"/organisatie/medewerkers/{admin.pk}/", {
        "username": "beheerder", "role": "coordinator", "password": "Overgenomen-2026!", "is_active": "on"})
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.password == before and admin.role == "beheerder" and admin.is_superuser
    gemeente = users["gemeente"]
    gemeente.organisation = users["coordinator"].organisation
    gemeente.save()
    assert client.get(f"/organisatie/medewerkers/{gemeente.pk}/").status_code == 404
    assert client.get(f"/organisatie/medewerkers/{users['collega'].pk}/").status_code == 200


@pytest.mark.parametrize("password", ["9081726354", "1234567890123"])
def test_a_numeric_password_is_refused(client_for, password):
    response = client_for("coordinator").post("/organisatie/medewerkers/nieuw/", {
        "username": "nieuw", "role": "medewerker", "password": password, "is_active": "on"})
    assert response.status_code == 422
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="nieuw").exists()


def test_a_session_lasts_one_working_day_and_ends_with_the_browser(users):
    from django.test import Client

    client = Client()
    assert client.post("/inloggen/", {"username": "medewerker", "password": "demo"}).status_code == 302
    assert client.session.get_expiry_age() <= 9 * 3600
    assert client.session.get_expire_at_browser_close()


def test_fifteen_wrong_passwords_then_the_right_one_does_not_log_in_and_every_attempt_is_audited(users):
    from django.test import Client

    from balie.core.models import AuditEvent

    client = Client()
    for _ in range(15):
        assert client.post("/inloggen/", {"username": "collega", "password": "fout-wachtwoord"}).status_code in (200, 429)
    response = client.post("/inloggen/", {"username": "collega", "password": "demo"})
    assert response.status_code == 429 and "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(event="login_failed")
    assert failed.count() >= 10 and all(e.extra["username"] == "collega" for e in failed)
    # Another account from another address is not locked by this one's failures.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/inloggen/", {"username": "medewerker", "password": "demo"}).status_code == 302
    assert AuditEvent.objects.filter(event="login", user__username="medewerker").count() == 1


def test_the_same_account_is_locked_from_every_address(users):
    from django.test import Client

    for n in range(10):
        Client(REMOTE_ADDR=f"10.0.1.{n}").post("/inloggen/", {"username": "collega", "password": "fout"})
    assert Client(REMOTE_ADDR="10.0.2.1").post("/inloggen/", {"username": "collega", "password": "demo"}).status_code == 429


# --- the week in one grid (issue 14 item 6) ----------------------------------------------------------------------

def _week_post(cells: dict[tuple[int, str, int], tuple[str, str, str]], **extra: str) -> dict[str, str]:
    data = {"save": "1", **extra}
    for (day, kind, index), (start, end, staff) in cells.items():
        prefix = f"d{day}-{kind}-{index}"
        data.update({f"{prefix}-start": start, f"{prefix}-end": end, f"{prefix}-staff": staff})
    return data


def test_it_sets_a_whole_week_in_one_form_and_copies_monday(client_for):
    from balie.network.models import Location, WeeklyHours

    client = client_for("coordinator")
    location = Location.objects.get(code="RDAM-KRALINGEN")
    page = client.get("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/").content.decode()
    assert "Maandag" in page and "Zondag" in page and 'name="d0-inloop-0-start"' in page
    # Monday only, then "Maandag overnemen": the grid comes back with Tuesday-Friday filled, nothing saved yet.
    monday = {(0, "inloop", 0): ("09:00", "17:00", "2"), (0, "spreekuur", 0): ("10:00", "12:00", "1")}
    copied = client.post("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/", _week_post(monday, copy_monday="1"))
    html = copied.content.decode()
    assert copied.status_code == 200 and html.count('value="09:00"') == 5 and html.count('value="10:00"') == 5
    before = set(WeeklyHours.objects.filter(location=location).values_list("weekday", "start", "end", "kind"))
    # A wrong cell: nothing changes, the cell says why.
    wrong = dict(monday) | {(2, "spreekuur", 1): ("15:00", "14:00", "1")}
    refused = client.post("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/", _week_post(wrong))
    assert refused.status_code == 422 and "De eindtijd moet na de begintijd liggen." in refused.content.decode()
    assert set(WeeklyHours.objects.filter(location=location).values_list("weekday", "start", "end", "kind")) == before
    week = {(d, kind, 0): times for d in range(5) for kind, times in (("inloop", ("9:00", "17.00", "2")), ("spreekuur", ("10:00", "12:00", "1")))}
    saved = client.post("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/", _week_post(week))
    assert saved.status_code == 302
    stored = WeeklyHours.objects.filter(location=location)
    assert stored.count() == 10 and stored.filter(kind="INLOOP", start=dt.time(9), end=dt.time(17), staff=2).count() == 5
    # The page shows the stored week back, and another organisation's location does not exist.
    assert client.get("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/").content.decode().count('value="09:00"') == 5
    assert client.get("/organisatie/locaties/GOUDA-CHOCOLADEFABRIEK/rooster/week/").status_code == 404


def test_it_refuses_overlaps_and_nonsense_in_the_week_grid(client_for):
    client = client_for("coordinator")
    for cells, message in [
        ({(1, "inloop", 0): ("09:00", "12:00", "1"), (1, "inloop", 1): ("11:00", "13:00", "1")}, "overlapt"),
        ({(3, "spreekuur", 0): ("kwart over", "12:00", "1")}, "uu:mm"),
        ({(4, "inloop", 0): ("09:00", "12:00", "999")}, "Bezetting"),
        ({(4, "inloop", 0): ("09:00", "12:00", "x" * 5000)}, "Bezetting"),
    ]:
        response = client.post("/organisatie/locaties/RDAM-KRALINGEN/rooster/week/", _week_post(cells))
        assert response.status_code == 422 and message in response.content.decode(), message
