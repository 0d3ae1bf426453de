"""Rate limits on what anyone can use without logging in (review M10 rate-limit half, L5): the message check, the
survey, the kiosk, the open-data API and every other anonymous POST. N allowed, N+1 refused with 429 (Dutch or
English, Retry-After), another address not affected, the limit lifts when its window has passed, never a 5xx."""

from __future__ import annotations

import random
import re
import string

import pytest
from django.test import Client, RequestFactory
from django_ratelimit.core import get_usage

from balie.core import ratelimit
from balie.network.models import Location
from balie.survey import services as survey_services
from balie.survey.models import SurveyLink, SurveyResponse
from balie.walkin.models import QueueSettings, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still_clock")]

RNG = random.Random(12)
ANSWERS = {"helped": "JA", "confident": "BEETJE", "come_back": "JA"}


def messages(n: int) -> list[str]:
    """Texts of several shapes: a plain SMS, a link, digits, empty (a 400), a long paste."""
    shapes = [
        lambda: "Uw pakket ligt klaar, betaal €1,95 via https://post-nl-" + "".join(RNG.choices(string.ascii_lowercase, k=6)) + ".top/",
        lambda: "Beste klant, uw DigiD verloopt vandaag. Log in via mijn-digid-" + str(RNG.randint(1, 999)) + ".com",
        lambda: "".join(RNG.choices(string.digits + " ", k=RNG.randint(5, 400))),
        lambda: "",
        lambda: "Hoi mam, mijn telefoon is kapot. " * RNG.randint(5, 60),
    ]
    return [RNG.choice(shapes)() for _ in range(n)]


def first_rate(name: str, settings) -> int:
    return int(settings.BALIE_RATELIMITS[name].split(",")[0].split("/")[0])


def to_start_of_window(later, name: str, ip: str, rate: str) -> None:
    """Move the clock to one second after the current window of `rate` ends for this address, so a test that waits
    for a shorter window knows the longer one stays the same (windows of one address share their offset)."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    usage = get_usage(request, group=f"balie.{name}", key=lambda _group, _request: ip, rate=rate)
    later(usage["time_left"] + 1)


def assert_refused(response, language: str = "nl") -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    html = response.content.decode()
    assert ("U heeft dit de afgelopen tijd heel vaak gedaan" if language == "nl" else "You have done this very often") in html
    assert f'lang="{language}"' in html


# --- message check (M10) ----------------------------------------------------------------------------------------------------

def test_the_public_message_check_refuses_the_request_after_its_limit_per_address(settings):
    limit = first_rate("messagecheck", settings)  # the shipped default: 30 per 10 minutes
    url = "/hulpmiddelen/is-dit-echt/"
    visitor = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [visitor.post(url, {"tekst": text}).status_code for text in messages(limit)]
    assert set(statuses) <= {200, 400}, "within the limit every text gets its answer (or its Dutch input message)"
    assert_refused(visitor.post(url, {"tekst": "Is dit echt?"}))
    english = Client(REMOTE_ADDR="198.51.100.7")
    english.cookies["balie_taal"] = "en"  # a visitor who chose English (core/language.py)
    assert_refused(english.post(url, {"tekst": "x"}), "en")
    # Another address (another library, a phone) is not affected; reading the page is never limited.
    assert Client(REMOTE_ADDR="198.51.100.8").post(url, {"tekst": "Is dit echt?"}).status_code == 200
    assert visitor.get(url).status_code == 200


@pytest.mark.parametrize(("wait", "said"), [(30, "Wacht een minuut"), (74 * 60, "Wacht 74 minuten"),
                                            (91 * 60, "over 2 uur opnieuw"), (23 * 3600 + 20, "over 24 uur opnieuw")])
def test_a_wait_is_said_in_minutes_or_hours(rf, wait, said):
    from balie.core.errors import too_many_requests

    response = too_many_requests(rf.get("/", HTTP_ACCEPT_LANGUAGE="nl"), wait)
    assert response.status_code == 429 and int(response["Retry-After"]) == wait
    assert said in response.content.decode()


def test_the_limit_lifts_after_its_window_and_the_daily_limit_holds(settings, later):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "messagecheck": "3/10m,5/d"}
    url = "/hulpmiddelen/is-dit-echt/"
    to_start_of_window(later, "messagecheck", "192.0.2.44", "5/d")
    visitor = Client(REMOTE_ADDR="192.0.2.44")
    assert [visitor.post(url, {"tekst": t}).status_code < 429 for t in messages(3)] == [True] * 3
    refused = visitor.post(url, {"tekst": "nog een"})
    assert_refused(refused)
    assert 1 <= int(refused["Retry-After"]) <= 600
    later(601)
    # Two more fit in the day (5), but the refused attempt counted too: one is left, then the day is full.
    assert visitor.post(url, {"tekst": "na tien minuten"}).status_code == 200
    day_full = visitor.post(url, {"tekst": "en nog een"})
    assert_refused(day_full)
    assert int(day_full["Retry-After"]) > 23 * 3600, "the wait is until the end of the day's window, not the 10 minutes"
    assert "uur opnieuw" in day_full.content.decode(), "a long wait is said in hours, not in 1,400 minutes"
    later(24 * 3600)
    assert visitor.post(url, {"tekst": "de volgende dag"}).status_code == 200


def test_a_logged_in_staff_check_is_not_limited(settings, client_for):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "messagecheck": "2/10m"}
    staff = client_for("medewerker")
    assert all(staff.post("/hulpmiddelen/bericht/", {"tekst": t}).status_code < 429 for t in messages(5))


# --- survey (L5) ------------------------------------------------------------------------------------------------------------

@pytest.fixture
def link(network) -> SurveyLink:
    return survey_services.link_ensure(Location.objects.get(code="RDAM-CENTRAAL"))


def fresh_device_answers(code: str, address: str) -> int:
    """The review's script: a fresh session, GET the form, POST it with the form's own device token."""
    device = Client(REMOTE_ADDR=address)
    html = device.get(f"/v/{code}/").content.decode()
    token = re.search(r'name="apparaat" value="([^"]+)"', html).group(1)
    return device.post(f"/v/{code}/", {**ANSWERS, "apparaat": token}).status_code


def test_survey_stuffing_from_one_address_stops_at_the_limit(settings, link):
    limit = first_rate("survey", settings)  # 10 per hour per address and link
    statuses = [fresh_device_answers(link.code, "203.0.113.9") for _ in range(limit + 10)]
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    assert SurveyResponse.objects.count() == limit, "the review stored 20 of 20; now the limit holds"
    # Other visitors on other addresses still answer.
    assert fresh_device_answers(link.code, "203.0.113.10") == 302
    assert SurveyResponse.objects.count() == limit + 1


def test_the_survey_limit_counts_per_link_and_speaks_the_visitors_language(settings, network, link):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "survey": "2/h,3/d"}
    other = survey_services.link_ensure(Location.objects.exclude(pk=link.location_id).filter(active=True).first())
    for _ in range(2):
        assert fresh_device_answers(link.code, "203.0.113.20") == 302
    refused = Client(REMOTE_ADDR="203.0.113.20").post(f"/v/{link.code}/?lang=en", ANSWERS)
    assert_refused(refused, "en")
    assert fresh_device_answers(other.code, "203.0.113.20") == 302, "another location's survey has its own count"
    # The code in the link is case-insensitive; so is the count.
    assert Client(REMOTE_ADDR="203.0.113.20").post(f"/v/{link.code.upper()}/", ANSWERS).status_code == 429


# --- kiosk --------------------------------------------------------------------------------------------------------------------

@pytest.fixture
def queue(network) -> QueueSettings:
    return QueueSettings.objects.create(location=Location.objects.get(code="RDAM-CENTRAAL"), enabled=True)


def take_number(queue: QueueSettings, address: str, token: str | None = None):
    url = f"/wachtrij/RDAM-CENTRAAL/kiosk/{token or queue.kiosk_token}/"
    return Client(REMOTE_ADDR=address).post(url, {"sleutel": "".join(RNG.choices(string.hexdigits, k=16)), "onderwerp": "DIGID"})


def test_the_kiosk_limits_per_address_and_per_kiosk_link(settings, queue):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "kiosk": "3/10m", "kiosk_location": "5/10m"}
    # Posts with a wrong token (someone guessing) do not use up the real kiosk's numbers.
    for _ in range(8):
        assert take_number(queue, "198.51.100.99", token="geraden").status_code in (404, 429)
    library = [take_number(queue, "198.51.100.1").status_code for _ in range(4)]
    assert library[:3] != [429] * 3 and 429 not in library[:3] and library[3] == 429
    refused = take_number(queue, "198.51.100.1")
    html = refused.content.decode()
    assert refused.status_code == 429 and "Even geduld" in html and "Terug naar het begin" in html
    # A second address (a second kiosk elsewhere) may take the rest of the link's 5, then the link is full for all.
    assert [take_number(queue, "198.51.100.2").status_code == 429 for _ in range(3)] == [False, False, True]
    assert take_number(queue, "198.51.100.3").status_code == 429
    assert Ticket.objects.count() <= 5
    # A new kiosk link (the coordinator's button) has a fresh count.
    queue.kiosk_token = "nieuw-" + queue.kiosk_token
    queue.save()
    assert take_number(queue, "198.51.100.3").status_code != 429


def test_the_kiosk_defaults_leave_room_for_a_morning_rush(settings, queue):
    # 30 people at opening time through one kiosk: no one is refused.
    assert first_rate("kiosk", settings) >= 30
    assert all(take_number(queue, "198.51.100.50").status_code != 429 for _ in range(30))


# --- open-data API ------------------------------------------------------------------------------------------------------------

def test_the_public_api_answers_429_problem_json_after_its_limit(settings, network):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "public_api": "2/10m"}
    client = Client(REMOTE_ADDR="192.0.2.1")
    assert [client.get("/api/v1/public/locaties").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/public/locaties")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"
    body = refused.json()
    assert body["status"] == 429 and body["title"] == "Te veel verzoeken" and "Probeer het over" in body["detail"]
    assert "Expected" not in body["detail"], body  # DRF's English tail was appended to the Dutch text
    assert int(refused["Retry-After"]) >= 1
    # The API speaks Dutch, also to a client that asks for English (ADR 0004).
    asked_english = client.get("/api/v1/public/locaties", HTTP_ACCEPT_LANGUAGE="en")
    assert asked_english["Content-Language"] == "nl"
    assert asked_english.json()["detail"].startswith("Te veel verzoeken vanaf dit adres. Probeer het over")
    assert Client(REMOTE_ADDR="192.0.2.2").get("/api/v1/public/locaties").status_code == 200


# --- every other anonymous POST ---------------------------------------------------------------------------------------------

def test_every_anonymous_post_has_a_wide_limit_per_address(settings, network, client_for):
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "anonymous_post": "4/10m"}
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    wrong = [guesser.post("/inloggen/", {"username": "medewerker", "password": f"fout{i}"}).status_code for i in range(4)]
    assert 429 not in wrong
    assert_refused(guesser.post("/inloggen/", {"username": "medewerker", "password": "demo"}))
    assert_refused(guesser.post("/wachtrij/ticket/onzin/", {"stoppen": "zeker"}))
    # Signed-in users and the token API are not counted here; other addresses are not affected.
    staff = client_for("medewerker")
    assert all(staff.post("/hulpmiddelen/bericht/", {"tekst": "x"}, REMOTE_ADDR="203.0.113.66").status_code < 429 for _ in range(6))
    assert all(guesser.post("/api/v1/registraties", {}).status_code in (401, 403) for _ in range(6))
    assert Client(REMOTE_ADDR="203.0.113.67").post("/inloggen/", {"username": "x", "password": "y"}).status_code == 200


# --- addresses behind a proxy -------------------------------------------------------------------------------------------------

def test_behind_the_proxy_the_visitor_is_the_address_the_proxy_saw(settings, rf):
    settings.BALIE_PROXY_COUNT = 1
    forged = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    assert ratelimit.client_ip(forged) == "203.0.113.5", "the left part is the client's word, the last entry our proxy's"
    assert ratelimit.client_ip(rf.post("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    assert ratelimit.client_ip(rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="geen-adres")) == "127.0.0.1"
    settings.BALIE_PROXY_COUNT = 0
    assert ratelimit.client_ip(forged) == "127.0.0.1", "without a proxy X-Forwarded-For is ignored"
    # IPv6: one /64 is one visitor (a phone gets a whole /64 to pick addresses from).
    assert ratelimit.address(rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")) == ratelimit.address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert ratelimit.address(rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")) != ratelimit.address(rf.get("/", REMOTE_ADDR="2001:db8:1:3::1"))


def test_a_client_cannot_escape_the_limit_by_forging_x_forwarded_for(settings):
    settings.BALIE_PROXY_COUNT = 1
    settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "messagecheck": "3/10m"}
    url = "/hulpmiddelen/is-dit-echt/"

    def post(real: str):
        forged = ".".join(str(RNG.randint(1, 254)) for _ in range(4))
        return Client(REMOTE_ADDR="127.0.0.1").post(url, {"tekst": "x"}, HTTP_X_FORWARDED_FOR=f"{forged}, {real}")

    assert [post("203.0.113.80").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert post("203.0.113.81").status_code == 200, "the proxy itself (127.0.0.1) is not what is counted"


# --- the production cache ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_database_cache_of_production_is_made_by_migrate_and_counts(settings):
    from django.core.cache import caches
    from django.db import connection

    from balie.config import cache_config
    from balie.core.apps import _create_cache_tables

    original = settings.CACHES
    settings.CACHES = {**original, "ratelimit": cache_config("db://balie_cache_test", alias="rl", timeout=25 * 3600)}
    try:
        _create_cache_tables(using="default")  # what post_migrate does after every migrate
        assert "balie_cache_test" in connection.introspection.table_names()
        settings.BALIE_RATELIMITS = {**settings.BALIE_RATELIMITS, "messagecheck": "2/10m"}
        statuses = [Client(REMOTE_ADDR="192.0.2.99").post("/hulpmiddelen/is-dit-echt/", {"tekst": "x"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert caches["ratelimit"].__class__.__name__ == "DatabaseCache"
    finally:
        settings.CACHES = original  # before the table goes: the tests' cache clean-up must not reach for it
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS balie_cache_test")
