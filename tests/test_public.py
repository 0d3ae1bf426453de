"""The public pages (find an IDO, location, calendar, poster, open data) and the coordinator's schedule pages."""

from __future__ import annotations

import datetime as dt
import gettext
import random
import re
from pathlib import Path

import icalendar
import pytest
from django.test import Client

from balie.core.models import AuditEvent
from balie.demo.public import add_demo_schedule
from balie.network.geo import fill_coordinates
from balie.network.models import Closure, HoursKind, Location, Session, WeeklyHours
from balie.network.schedule import hours
from balie.network.schedule.hours import ClosurePeriod, OneOffSession, Schedule, WeeklySlot
from balie.public import search
from balie.public.cards import build_cards
from balie.public.geo import normalise
from balie.public.pageweight import PAGE_BUDGET, page_weight

ROOT = Path(__file__).resolve().parents[1]
TZ = hours.TZ


def at(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def public(network):
    add_demo_schedule()
    return network


@pytest.fixture
def pin_now(monkeypatch):
    """Pin the moment the public views see."""
    def pin(moment: dt.datetime) -> None:
        monkeypatch.setattr("balie.public.views.now", lambda: moment)
    return pin


def result_codes(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="/locaties/([^/]+)/">', html)


# --- search -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("query", ["3011", "3011 AB", "3011AB", "3011ab", " 3011  ab ", "3011 Rotterdam"])
def test_it_finds_the_nearest_ido_by_postcode(public, client, query):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    codes = result_codes(response.content.decode())
    assert codes[0] == "RDAM-CENTRAAL"
    assert 1 < len(codes) <= 10


@pytest.mark.django_db
@pytest.mark.parametrize("query, first", [
    ("Gouda", "GOUDA-CHOCOLADEFABRIEK"), ("gouda", "GOUDA-CHOCOLADEFABRIEK"), ("OUDEWATER", "OUDEWATER"),
    ("nieuwerkerk aan den ijssel", "GOUDA-NIEUWERKERK"),
])
def test_it_finds_the_nearest_ido_by_place(public, client, query, first):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    assert result_codes(response.content.decode())[0] == first


@pytest.mark.django_db
def test_it_finds_the_nearest_ido_by_municipality(public, client):
    html = client.get("/", {"q": "gemeente Zuidplas"}).content.decode()
    assert result_codes(html)[0] == "GOUDA-NIEUWERKERK"
    assert "Informatiepunten bij Zuidplas" in html


@pytest.mark.django_db
def test_it_ignores_case_accents_and_punctuation_in_names():
    assert normalise("'s-Gravenhage") == normalise("s gravenhage") == normalise("Den Haag")
    assert normalise("Súdwest-Fryslân") == "sudwest fryslan"
    outcome = search.resolve("súdwest fryslan")
    assert outcome.origin is not None and outcome.origin.label == "Súdwest-Fryslân"


@pytest.mark.django_db
def test_it_explains_an_unknown_postcode_without_an_error_page(public, client):
    response = client.get("/", {"q": "1000"})
    assert response.status_code == 200
    assert "Wij kennen postcode „1000” niet" in response.content.decode()


@pytest.mark.django_db
def test_it_says_so_when_the_nearest_ido_is_far_away(public, client):
    # 9999 is Stitswerd (Groningen): a real postcode, but the demo network is in Zuid-Holland and Utrecht.
    html = client.get("/", {"q": "9999"}).content.decode()
    assert "Er is geen informatiepunt dicht bij 9999 (Stitswerd)" in html
    assert result_codes(html)  # still the nearest ones, with the honest distance


@pytest.mark.django_db
@pytest.mark.parametrize("query, text", [
    ("xyzzy", "Wij vinden geen plaats of gemeente met de naam „xyzzy”"),
    ("30111", "is geen postcode"),
    ("", "U heeft nog niets ingevuld"),
    ("<script>alert(1)</script>", "Wij vinden geen plaats"),
    ("x" * 500, "Wij vinden geen plaats"),
])
def test_it_answers_bad_input_with_a_helpful_message(public, client, query, text):
    response = client.get("/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert text in html
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_it_suggests_a_place_for_a_near_miss(public, client):
    html = client.get("/", {"q": "Roterdam"}).content.decode()
    assert "Bedoelde u:" in html
    assert 'href="/?q=Rotterdam"' in html


@pytest.mark.django_db
def test_it_shows_outreach_locations_with_a_session_and_hides_them_without(public, client):
    html = client.get("/", {"q": "3074"}).content.decode()
    assert "RDAM-SCHOOL-REGENBOOG" in result_codes(html)
    assert "Ouderspreekuur op basisschool De Regenboog" in html
    Session.objects.filter(location__code="RDAM-SCHOOL-REGENBOOG").delete()
    assert "RDAM-SCHOOL-REGENBOOG" not in result_codes(client.get("/", {"q": "3074"}).content.decode())


@pytest.mark.django_db
def test_it_sorts_by_distance_using_coordinates_or_the_postcode_centroid(public):
    origin = search.resolve("3011").origin
    near = search.nearest(origin.point, [(1, 51.92, 4.486), (2, 52.0, 4.7), (3, 51.919, 4.4861)], limit=2)
    assert [pk for pk, _ in near] == [3, 1]
    loc = Location.objects.get(code="RDAM-KRALINGEN")
    loc.lat = loc.lon = None
    assert fill_coordinates(loc) and loc.lat == pytest.approx(51.92, abs=0.05)


# --- hours logic --------------------------------------------------------------------------------------------------

WEEK = Schedule(
    weekly=tuple(WeeklySlot(d, dt.time(10), dt.time(17), "INLOOP") for d in range(5))
    + (WeeklySlot(1, dt.time(10), dt.time(12), "SPREEKUUR"), WeeklySlot(3, dt.time(14), dt.time(16), "SPREEKUUR")),
    sessions=(
        OneOffSession(dt.date(2026, 12, 26), dt.time(10), dt.time(12), "SPREEKUUR", "Kerstspreekuur"),  # Tweede kerstdag
        OneOffSession(dt.date(2026, 12, 30), dt.time(9), dt.time(11), "SPREEKUUR", "Valt in de sluiting"),
        OneOffSession(dt.date(2027, 1, 6), dt.time(8, 30), dt.time(10), "SPREEKUUR", "Ouderspreekuur op basisschool De Regenboog"),
    ),
    closures=(ClosurePeriod(dt.date(2026, 12, 28), dt.date(2026, 12, 31), "Verbouwing"),),
)


def test_it_knows_when_a_location_is_open_now():
    assert hours.is_open(WEEK, at(2026, 12, 1, 11))  # Tuesday
    assert hours.open_until(WEEK, at(2026, 12, 1, 11)) == dt.time(17)
    assert not hours.is_open(WEEK, at(2026, 12, 1, 17))  # the end is exclusive
    assert not hours.is_open(WEEK, at(2026, 12, 6, 11))  # Sunday
    # A UTC moment is read as Amsterdam time: 09:30 UTC is 10:30 in winter.
    assert hours.is_open(WEEK, dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC))


def test_it_closes_the_weekly_hours_on_a_public_holiday_but_keeps_a_session():
    christmas = hours.day_plan(WEEK, dt.date(2026, 12, 25))
    assert christmas.slots == () and christmas.holiday == "Eerste kerstdag" and christmas.cancelled
    assert hours.day_plan(WEEK, dt.date(2026, 12, 25), language="en").holiday == "Christmas Day"
    assert not hours.is_open(WEEK, at(2026, 12, 25, 11))
    boxing_day = hours.day_plan(WEEK, dt.date(2026, 12, 26))
    assert [s.title for s in boxing_day.slots] == ["Kerstspreekuur"]


def test_it_closes_everything_during_a_closure_including_sessions():
    day = hours.day_plan(WEEK, dt.date(2026, 12, 30))
    assert day.slots == () and day.closure == "Verbouwing"
    assert {s.title for s in day.cancelled} >= {"Valt in de sluiting"}


def test_it_lists_the_next_consultation_hours_across_holidays_closures_and_sessions():
    slots = hours.next_consultations(WEEK, at(2026, 12, 24, 15), days=15)  # through 7 January
    listed = [(s.date.isoformat(), s.start.strftime("%H:%M"), s.title) for s in slots]
    assert listed == [
        ("2026-12-24", "14:00", ""),  # still going on at 15:00
        ("2026-12-26", "10:00", "Kerstspreekuur"),  # a session on a public holiday
        # 28-31 December: closed (Tuesday and Thursday consultation hours and the session fall away)
        ("2027-01-05", "10:00", ""),
        ("2027-01-06", "08:30", "Ouderspreekuur op basisschool De Regenboog"),
        ("2027-01-07", "14:00", ""),
    ]
    assert all(s.kind == "SPREEKUUR" for s in slots)


def test_it_merges_consecutive_exception_days():
    runs = hours.exceptions(WEEK, dt.date(2026, 12, 21), days=14)
    assert [(r.first.isoformat(), r.last.isoformat(), r.kind, r.reason) for r in runs] == [
        ("2026-12-25", "2026-12-25", "feestdag", "Eerste kerstdag"),
        ("2026-12-28", "2026-12-31", "sluiting", "Verbouwing"),
        ("2027-01-01", "2027-01-01", "feestdag", "Nieuwjaarsdag"),
    ]


def test_it_follows_touching_slots_for_open_until():
    schedule = Schedule(weekly=(WeeklySlot(0, dt.time(9), dt.time(12), "INLOOP"), WeeklySlot(0, dt.time(12), dt.time(16), "SPREEKUUR")))
    assert hours.open_until(schedule, at(2026, 11, 30, 10)) == dt.time(16)


# --- location page, calendar, poster --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_shows_open_now_in_words_not_only_colour(public, client, pin_now):
    pin_now(at(2026, 12, 1, 11))  # Tuesday 11:00
    html = client.get("/", {"q": "3011"}).content.decode()
    first_card = html.split('<li class="card')[1]
    assert "Nu open" in first_card and "tot 17:00" in first_card
    pin_now(at(2026, 12, 6, 11))  # Sunday
    assert "Nu gesloten" in client.get("/", {"q": "3011"}).content.decode()


@pytest.mark.django_db
def test_it_shows_a_location_with_its_week_holidays_and_closures(public, client, pin_now):
    pin_now(at(2026, 12, 21, 9))
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    Closure.objects.create(organisation=gouda.organisation, location=None, start_date=dt.date(2027, 1, 5), end_date=dt.date(2027, 1, 7), reason="Studiedag")
    response = client.get("/locaties/gouda-chocoladefabriek/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vaste tijden per week" in html and "14:00–16:00" in html
    assert "Eerste kerstdag" in html and "Studiedag" in html
    assert "Toegankelijk met een rolstoel" in html
    assert 'href="/locaties/GOUDA-CHOCOLADEFABRIEK/agenda.ics"' in html


@pytest.mark.django_db
def test_it_shows_a_friendly_404_for_an_unknown_location(public, client):
    response = client.get("/locaties/BESTAAT-NIET/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode() and 'role="search"' in response.content.decode()


def _expand(cal: icalendar.Calendar) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Every occurrence in the feed, the way a calendar app reads it: RRULE expanded (dateutil), EXDATEs removed."""
    from dateutil.rrule import rrulestr
    found = []
    for event in cal.walk("VEVENT"):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        if "RRULE" not in event:
            found.append((start, end, str(event["uid"])))
            continue
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        exdates = event.get("EXDATE", [])
        excluded = {d.dt for x in (exdates if isinstance(exdates, list) else [exdates]) for d in x.dts}
        found += [(o, o + (end - start), str(event["uid"])) for o in rule if o not in excluded]
    return sorted(found)


@pytest.mark.django_db
def test_it_serves_one_recurring_event_per_weekly_consultation_hour(public, client, pin_now):
    pin_now(at(2026, 12, 21, 9))  # Monday
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    Closure.objects.create(organisation=gouda.organisation, location=gouda, start_date=dt.date(2027, 1, 5), end_date=dt.date(2027, 1, 7), reason="Verbouwing")
    Session.objects.create(location=gouda, date=dt.date(2026, 12, 26), start=dt.time(10), end=dt.time(12), title="Kerstspreekuur")
    response = client.get("/locaties/GOUDA-CHOCOLADEFABRIEK/agenda.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    # Tuesday 10-12 and Thursday 14-16 as two series, plus the one-off session: not dozens of blocks.
    assert len(events) == 3 and sum("RRULE" in e for e in events) == 2
    tuesday = next(e for e in events if "RRULE" in e and e.decoded("dtstart").weekday() == 1)
    assert tuesday.decoded("dtstart") == at(2026, 12, 22, 10)
    assert tuesday["RRULE"]["FREQ"] == ["WEEKLY"] and tuesday["RRULE"]["BYDAY"] == ["TU"]
    excluded = {d.dt for x in (tuesday["EXDATE"] if isinstance(tuesday["EXDATE"], list) else [tuesday["EXDATE"]]) for d in x.dts}
    assert at(2027, 1, 5, 10) in excluded  # the closure
    thursday = next(e for e in events if "RRULE" in e and e.decoded("dtstart").weekday() == 3)
    excluded = {d.dt for x in (thursday["EXDATE"] if isinstance(thursday["EXDATE"], list) else [thursday["EXDATE"]]) for d in x.dts}
    assert {at(2027, 1, 7, 14), at(2027, 5, 6, 14)} <= excluded  # the closure and Hemelvaartsdag 2027
    assert all(str(e["dtstart"].params["TZID"]) == "Europe/Amsterdam" for e in events)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    assert len({str(e["uid"]) for e in events}) == 3
    assert "http://testserver/locaties/GOUDA-CHOCOLADEFABRIEK/" in str(events[0]["url"])
    # Round trip: what icalendar writes back parses to the same calendar, and a second fetch keeps every UID.
    assert icalendar.Calendar.from_ical(cal.to_ical()) == cal
    pin_now(at(2026, 12, 28, 9))
    again = icalendar.Calendar.from_ical(client.get("/locaties/GOUDA-CHOCOLADEFABRIEK/agenda.ics").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT") if "RRULE" in e} == {str(e["uid"]) for e in events if "RRULE" in e}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_it_expands_the_feed_to_exactly_the_consultation_hours_of_the_location_page(public, client, pin_now, seed):
    """Random weekly hours, closures and sessions: the expanded RRULEs equal the day plan, day by day, for 26 weeks."""
    rng = random.Random(seed)
    moment = at(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 18))
    pin_now(moment)
    location = Location.objects.get(code="RDAM-CENTRAAL")
    WeeklyHours.objects.filter(location=location).delete()
    for weekday in rng.sample(range(7), rng.randint(1, 4)):
        begin = rng.randint(8, 14)
        WeeklyHours.objects.create(location=location, weekday=weekday, start=dt.time(begin), end=dt.time(begin + rng.randint(1, 4)),
                                   kind=rng.choice(["SPREEKUUR", "SPREEKUUR", "INLOOP"]))
    for _ in range(rng.randint(0, 3)):
        first = moment.date() + dt.timedelta(days=rng.randint(-5, 170))
        Closure.objects.create(organisation=location.organisation, location=location, start_date=first,
                               end_date=first + dt.timedelta(days=rng.randint(0, 9)), reason="Dicht")
    for _ in range(rng.randint(0, 3)):
        Session.objects.create(location=location, date=moment.date() + dt.timedelta(days=rng.randint(0, 170)), start=dt.time(19), end=dt.time(20))
    cal = icalendar.Calendar.from_ical(client.get("/locaties/RDAM-CENTRAAL/agenda.ics").content)
    schedule = build_cards([location], moment, load_days=26 * 7)[0].schedule
    expected = sorted((s.starts_at(), s.ends_at()) for day in range(26 * 7)
                      for s in hours.day_plan(schedule, moment.date() + dt.timedelta(days=day)).slots
                      if s.is_consultation and (s.one_off and s.ends_at() > moment or not s.one_off))
    got = [(start, end) for start, end, _uid in _expand(cal)]
    assert got == expected
    assert len(cal.walk("VEVENT")) <= 7 + 3  # at most one series per weekly hour, plus the sessions


@pytest.mark.django_db
def test_it_prints_a_poster_with_a_qr_code_to_the_location_page(public, client):
    html = client.get("/locaties/RDAM-CENTRAAL/poster/").content.decode()
    assert "@page { size: A4" in html
    assert "Hulp bij digitale zaken van de overheid" in html
    assert '<svg role="img" aria-label="QR-code' in html
    assert "http://testserver/locaties/RDAM-CENTRAAL/" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/", "/?q=3011", "/?q=Gouda", "/?q=xyzzy", "/?q=1000", "/locaties/RDAM-CENTRAAL/", "/locaties/RDAM-SCHOOL-REGENBOOG/",
    "/locaties/RDAM-CENTRAAL/poster/", "/locaties/BESTAAT-NIET/", "/?q=3011&lang=en",
])
def test_it_keeps_every_public_page_under_60_kb_with_its_assets(public, client, path):
    status, weight = page_weight(client, path)
    assert status in (200, 404)
    assert weight <= PAGE_BUDGET, f"{path}: {weight} bytes"


@pytest.mark.django_db
def test_it_needs_no_javascript_and_loads_nothing_from_outside(public, client):
    for path in ["/", "/?q=3011", "/locaties/RDAM-CENTRAAL/", "/locaties/RDAM-CENTRAAL/poster/"]:
        html = client.get(path).content.decode()
        assert "<script" not in html
        assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.django_db
def test_it_lets_caches_keep_public_pages_briefly(public, client):
    response = client.get("/", {"q": "3011"})
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


# --- language -----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_speaks_dutch_by_default_even_to_an_english_browser(public):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert '<html lang="nl">' in html and "Hulp bij digitale zaken van de overheid" in html


@pytest.mark.django_db
def test_it_switches_to_english_and_remembers_it(public, client):
    response = client.get("/", {"q": "3011", "lang": "en"})
    html = response.content.decode()
    assert '<html lang="en">' in html and "Help with digital government services" in html and "Information points near" in html
    assert response.cookies["balie_taal"].value == "en" and response["Content-Language"] == "en"
    assert '<html lang="en">' in client.get("/locaties/RDAM-CENTRAAL/").content.decode()
    assert 'lang="nl" hreflang="nl">Nederlands</a>' in html
    # The library's own Dutch text keeps its language for screen readers (WCAG 3.1.2).
    assert 'Public transport: <span lang="nl">Metro en tram, halte Blaak.' in html
    assert '<html lang="nl">' in client.get("/", {"lang": "nl"}).content.decode()


@pytest.mark.django_db
def test_it_keeps_the_staff_pages_dutch_after_a_visitor_chose_english(public, client_for):
    client = client_for("coordinator")
    client.get("/", {"lang": "en"})
    html = client.get("/organisatie/locaties/RDAM-CENTRAAL/rooster/").content.decode()
    assert "Openingstijden en spreekuren" in html and "Vaste tijden per week" in html


def _po_entries() -> dict[str, str]:
    text = (ROOT / "balie/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n")[1:]:
        ids = re.findall(r'^msgid "(.*)"$', block, re.MULTILINE)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"$', block, re.MULTILINE)
        context = re.findall(r'^msgctxt "(.*)"$', block, re.MULTILINE)
        if ids:
            # A message with a context (pgettext, e.g. the referral slip's "slip") is keyed "context\x04id", as in the .mo.
            key = ids[0].replace('\\"', '"')
            entries[f"{context[0]}\x04{key}" if context else key] = strs[0] if strs else ""
    return entries


def test_it_has_a_complete_compiled_english_catalogue():
    entries = _po_entries()
    assert entries and all(entries.values()), [k for k, v in entries.items() if not v]
    with open(ROOT / "balie/locale/en/LC_MESSAGES/django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    missing_in_mo = [k for k in entries if compiled.gettext(k) == k and entries[k] != k and "%(counter)" not in k]
    assert missing_in_mo == [], "django.mo is ouder dan django.po: draai manage.py compilemessages -l en -i .venv"


def test_it_has_every_public_text_in_the_catalogue():
    entries = _po_entries()
    found = []
    for path in (ROOT / "balie/templates/public").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        found += re.findall(r"""{% translate ["'](.+?)["'] %}""", source)
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", source, re.DOTALL):
            found.append(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for path in (ROOT / "balie/public").glob("*.py"):
        found += re.findall(r"""\b_\(["'](.+?)["']\)""", path.read_text(encoding="utf-8"))
    missing = sorted({text for text in found if text not in entries})
    assert missing == [], f"niet in django.po (draai makemessages en vertaal): {missing}"
    assert "Toegankelijk met een rolstoel" in found and "IDO-spreekuur" in found  # both kinds of source were read


# --- open data ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_publishes_all_locations_and_hours_as_open_data_without_login(public):
    # Host localhost: "testserver" has no domain, so the URL fields would not validate against the documented shape.
    response = Client(HTTP_HOST="localhost").get("/api/v1/public/locaties", HTTP_AUTHORIZATION="Token ongeldig")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = response.json()
    assert len(data) == Location.objects.filter(active=True).count()
    central = next(loc for loc in data if loc["code"] == "RDAM-CENTRAAL")
    assert set(central) >= {"naam", "soort", "organisatie", "gemeente", "postcode", "ligging", "toegankelijkheid", "vaste_tijden",
                            "bijeenkomsten", "uitzonderingen", "url", "agenda", "openbaar_vervoer"}
    assert central["gemeente"] == {"code": "GM0599", "naam": "Rotterdam"}
    assert {"weekdag": 1, "dag": "maandag", "begin": "10:00", "eind": "17:00", "soort": "SPREEKUUR"} in central["vaste_tijden"]
    assert central["toegankelijkheid"] == {"rolstoel": True, "ringleiding": True}
    assert central["url"] == "http://localhost/locaties/RDAM-CENTRAAL/"
    school = next(loc for loc in data if loc["code"] == "RDAM-SCHOOL-REGENBOOG")
    assert school["soort"] == "OUTREACH" and school["bijeenkomsten"][0]["titel"].startswith("Ouderspreekuur")
    assert "bezetting" not in str(data) and "staff" not in str(data)
    # The output is exactly what the OpenAPI document promises.
    from balie.api.publiek import PubliekeLocatieSerializer

    checked = PubliekeLocatieSerializer(data=data, many=True)
    assert checked.is_valid(), checked.errors
    assert PubliekeLocatieSerializer(checked.validated_data, many=True).data == data


# --- the coordinator's schedule pages -----------------------------------------------------------------------------

SCHEDULE_PAGES = [
    "/organisatie/locaties/RDAM-CENTRAAL/rooster/",
    "/organisatie/locaties/RDAM-CENTRAAL/rooster/tijdvakken/nieuw/",
    "/organisatie/locaties/RDAM-CENTRAAL/rooster/bijeenkomsten/nieuw/",
    "/organisatie/locaties/RDAM-CENTRAAL/rooster/sluitingen/nieuw/",
    "/organisatie/locaties/RDAM-CENTRAAL/rooster/bezoekers/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SCHEDULE_PAGES)
@pytest.mark.parametrize("username, status", [("coordinator", 200), ("coordinator-gouda", 404), ("medewerker", 403), ("gemeente", 403)])
def test_it_scopes_the_schedule_pages(public, client_for, path, username, status):
    assert client_for(username).get(path).status_code == status


@pytest.mark.django_db
def test_it_links_each_location_to_its_schedule_from_the_organisation_page(public, client_for):
    html = client_for("coordinator").get("/organisatie/").content.decode()
    assert 'href="/organisatie/locaties/RDAM-CENTRAAL/rooster/">Openingstijden en spreekuren' in html


@pytest.mark.django_db
def test_it_adds_a_weekly_slot_with_staffing(public, client_for):
    location = Location.objects.get(code="RDAM-KRALINGEN")
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-KRALINGEN/rooster/tijdvakken/nieuw/", {
        "weekday": "2", "kind": "SPREEKUUR", "start": "13:00", "end": "15:30", "staff": "2",
    })
    assert response.status_code == 302
    slot = WeeklyHours.objects.get(location=location, kind="SPREEKUUR")
    assert (slot.weekday, slot.start, slot.end, slot.staff) == (2, dt.time(13), dt.time(15, 30), 2)
    assert AuditEvent.objects.filter(event="weekly_hours_saved", object_uuid=str(slot.pk)).exists()


@pytest.mark.django_db
def test_it_refuses_a_slot_that_ends_before_it_starts(public, client_for):
    before = WeeklyHours.objects.count()
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-KRALINGEN/rooster/tijdvakken/nieuw/", {
        "weekday": "2", "kind": "SPREEKUUR", "start": "15:00", "end": "13:00", "staff": "1",
    })
    assert response.status_code == 422
    assert "De eindtijd moet later zijn dan de begintijd." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert WeeklyHours.objects.count() == before


@pytest.mark.django_db
def test_it_plans_an_outreach_session_and_shows_it_to_visitors(public, client_for, client):
    day = dt.date.today() + dt.timedelta(days=3)
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-VOEDSELBANK-ZUID/rooster/bijeenkomsten/nieuw/", {
        "date": day.isoformat(), "start": "09:00", "end": "10:00", "kind": "SPREEKUUR", "title": "Hulp bij toeslagen", "staff": "1",
    })
    assert response.status_code == 302
    assert "Hulp bij toeslagen" in client.get("/locaties/RDAM-VOEDSELBANK-ZUID/").content.decode()


@pytest.mark.django_db
def test_it_refuses_a_session_in_the_past(public, client_for):
    before = Session.objects.count()
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-CENTRAAL/rooster/bijeenkomsten/nieuw/", {
        "date": "2020-01-01", "start": "09:00", "end": "10:00", "kind": "SPREEKUUR", "title": "", "staff": "1",
    })
    assert response.status_code == 422
    assert "Deze datum is al voorbij." in response.content.decode()
    assert Session.objects.count() == before


@pytest.mark.django_db
def test_it_refuses_a_closure_that_ends_before_it_starts(public, client_for):
    before = Closure.objects.count()
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-CENTRAAL/rooster/sluitingen/nieuw/", {
        "start_date": "2030-05-10", "end_date": "2030-05-01", "reason": "Verbouwing",
    })
    assert response.status_code == 422
    assert "De laatste dag kan niet voor de eerste dag liggen." in response.content.decode()
    assert Closure.objects.count() == before


@pytest.mark.django_db
def test_it_closes_all_locations_of_the_organisation_at_once(public, client_for, client):
    today = dt.date.today()
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-CENTRAAL/rooster/sluitingen/nieuw/", {
        "start_date": today.isoformat(), "end_date": today.isoformat(), "reason": "Studiedag van het team", "all_locations": "on",
    })
    assert response.status_code == 302
    closure = Closure.objects.get(reason="Studiedag van het team")
    assert closure.location is None and closure.organisation.code == "BIB-RDAM"
    assert "Studiedag van het team" in client.get("/locaties/RDAM-ZUIDPLEIN/").content.decode()
    assert "Studiedag van het team" not in client.get("/locaties/GOUDA-CHOCOLADEFABRIEK/").content.decode()


@pytest.mark.django_db
def test_it_deletes_only_within_the_own_organisation(public, client_for):
    slot = WeeklyHours.objects.filter(location__code="RDAM-CENTRAAL").first()
    url = f"/organisatie/locaties/RDAM-CENTRAAL/rooster/tijdvakken/{slot.pk}/verwijderen/"
    assert client_for("coordinator-gouda").post(url).status_code == 404
    assert client_for("medewerker").post(url).status_code == 403
    assert client_for("coordinator").get(url).status_code == 405
    assert client_for("coordinator").post(url).status_code == 302
    assert not WeeklyHours.objects.filter(pk=slot.pk).exists()


@pytest.mark.django_db
def test_it_saves_visitor_information_shown_on_the_public_page(public, client_for, client):
    response = client_for("coordinator").post("/organisatie/locaties/RDAM-KRALINGEN/rooster/bezoekers/", {
        "public_description": "De balie is op de eerste verdieping.", "wheelchair_accessible": "False", "hearing_loop": "",
        "transit_note": "Tram 21, halte Oostzeedijk.", "phone": "",
    })
    assert response.status_code == 302
    loc = Location.objects.get(code="RDAM-KRALINGEN")
    assert (loc.wheelchair_accessible, loc.hearing_loop) == (False, None)
    html = client.get("/locaties/RDAM-KRALINGEN/").content.decode()
    assert "Niet toegankelijk met een rolstoel" in html and "Tram 21, halte Oostzeedijk." in html and "ringleiding" not in html.lower().split("bereikbaarheid")[1].split("</section>")[0]


def test_it_uses_the_hours_kinds_of_the_network():
    assert {hours.INLOOP, hours.SPREEKUUR} == set(HoursKind.values)


def test_it_orders_results_exactly_like_the_great_circle_distance():
    import heapq
    import random

    from balie.network.geo import pc4_table
    from balie.public.geo import distance_km

    rows = [(i, point.lat, point.lon) for i, (_, point) in enumerate(pc4_table().values())]
    rng = random.Random(7)
    sample = rng.sample(rows, 1000)
    for _ in range(100):
        _, lat, lon = rng.choice(rows)
        expected = heapq.nsmallest(10, ((pk, distance_km(lat, lon, a, b)) for pk, a, b in sample), key=lambda r: r[1])
        assert [pk for pk, _ in search.nearest(search.Point(lat, lon), sample, 10)] == [pk for pk, _ in expected]
