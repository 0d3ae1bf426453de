"""Visitor survey: one answer per device per day, anonymous, Dutch (and English) messages, summary and scoping."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from balie.core import privacy
from balie.core.models import AuditEvent
from balie.network.models import Location
from balie.survey import selectors, services
from balie.survey.models import DailySalt, SurveyLink, SurveyResponse

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {"helped": "JA", "confident": "BEETJE", "come_back": "JA"}


@pytest.fixture
def link(network) -> SurveyLink:
    return services.link_ensure(Location.objects.get(code="RDAM-CENTRAAL"))


def form_token(html: str) -> str:
    return re.search(r'name="apparaat" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_it_shows_three_questions_in_dutch_without_login_and_sets_a_cookie_until_midnight(link):
    response = Client().get(f"/v/{link.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Heeft u hulp gekregen?", "Durft u dit de volgende keer meer zelf te doen?", "Zou u terugkomen?", "Centrale Bibliotheek"):
        assert text in html
    assert html.count('type="radio"') == 9 and "<script" not in html
    cookie = response.cookies["balie_enquete"]
    assert 0 < int(cookie["max-age"]) <= 24 * 3600 and cookie["httponly"]


@pytest.mark.django_db
@pytest.mark.parametrize(("moment", "seconds"), [
    (dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC) - dt.timedelta(hours=1), 22 * 3600 - 1800),  # clocks go forward at 2:00
    (dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC) - dt.timedelta(hours=2), 24 * 3600 - 1800),  # clocks go back at 3:00
    (dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC) - dt.timedelta(hours=1), 1800),
], ids=["summer time starts", "summer time ends", "new year's eve"])
def test_the_cookie_ends_at_local_midnight_also_on_the_days_the_clocks_change(link, monkeypatch, moment, seconds):
    # 1:30 in Amsterdam on each day. Two times in one zone subtract as wall clock times: the cookie lived an hour too
    # long when summer time starts and ended at 23:00 when it ends, so a device could answer twice that day.
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert timezone.localtime().strftime("%H:%M") in ("01:30", "23:30")
    cookie = Client().get(f"/v/{link.code}/").cookies["balie_enquete"]
    assert int(cookie["max-age"]) == seconds


@pytest.mark.django_db
def test_it_stores_one_answer_per_device_per_day(link):
    device = Client()
    device.get(f"/v/{link.code}/")
    first = device.post(f"/v/{link.code}/", ANSWERS)
    assert first.status_code == 302 and first.url == f"/v/{link.code}/bedankt/"
    assert "Uw antwoorden zijn opgeslagen" in device.get(first.url).content.decode()
    again = device.post(f"/v/{link.code}/", {"helped": "NEE", "confident": "NEE", "come_back": "NEE"})
    assert "U heeft vandaag al meegedaan" in again.content.decode()
    assert "U heeft vandaag al meegedaan" in device.get(f"/v/{link.code}/").content.decode()
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().helped == "JA"
    other = Client()  # another phone
    other.get(f"/v/{link.code}/")
    other.post(f"/v/{link.code}/", ANSWERS)
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db
def test_it_never_counts_a_double_submit_twice_even_without_cookies(link):
    token = form_token(Client().get(f"/v/{link.code}/").content.decode())
    for _ in range(2):
        Client().post(f"/v/{link.code}/", {**ANSWERS, "apparaat": token})  # a fresh client each time: no cookie at all
    assert SurveyResponse.objects.count() == 1
    forged = Client().post(f"/v/{link.code}/", {**ANSWERS, "apparaat": "knoeiwerk"})
    assert "Het formulier was verlopen" in forged.content.decode() and SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_it_accepts_the_same_device_again_the_next_day_and_forgets_yesterdays_salt(link):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    _, created = services.response_submit(location=link.location, answers=ANSWERS, token="abc", day=yesterday)
    assert created
    _, created_again = services.response_submit(location=link.location, answers=ANSWERS, token="abc", day=yesterday)
    assert not created_again
    _, created_today = services.response_submit(location=link.location, answers=ANSWERS, token="abc", day=today)
    assert created_today
    assert list(DailySalt.objects.values_list("date", flat=True)) == [today]
    hashes = set(SurveyResponse.objects.values_list("device_hash", flat=True))
    assert len(hashes) == 2  # the two days' hashes of one device cannot be matched to each other


@pytest.mark.django_db
def test_it_stores_no_ip_address_no_user_and_no_time_of_day(link):
    before = AuditEvent.objects.count()
    device = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Telefoon-met-naam/1.0")
    device.get(f"/v/{link.code}/")
    device.post(f"/v/{link.code}/", ANSWERS, REMOTE_ADDR="203.0.113.77")
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "location", "date", "helped", "confident", "come_back", "language", "device_hash"}
    for model in (SurveyResponse, DailySalt, SurveyLink, AuditEvent):
        for row in model.objects.values():
            assert "203.0.113.77" not in str(row) and "Telefoon-met-naam" not in str(row)
    assert AuditEvent.objects.count() == before  # an anonymous answer is not an event about anyone


@pytest.mark.django_db
def test_it_explains_missing_answers_in_dutch_and_saves_nothing(link):
    device = Client()
    device.get(f"/v/{link.code}/")
    response = device.post(f"/v/{link.code}/", {"helped": "JA", "confident": "WEET_NIET"})
    html = response.content.decode()
    assert response.status_code == 400 and SurveyResponse.objects.count() == 0
    assert "Er ontbreekt nog iets" in html
    assert "Kies een antwoord bij de vraag: Durft u dit de volgende keer meer zelf te doen?" in html
    assert "Kies een antwoord bij de vraag: Zou u terugkomen?" in html
    assert "Kies een antwoord bij de vraag: Heeft u hulp gekregen?" not in html
    assert 'value="JA" checked' in html  # the answer already given is kept
    assert 'href="#confident-0"' in html and 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_it_speaks_english_when_asked(link):
    device = Client()
    html = device.get(f"/v/{link.code}/?lang=en").content.decode()
    assert 'lang="en"' in html and "Did you get help?" in html and "A little" in html
    html = device.post(f"/v/{link.code}/?lang=en", {"helped": "JA"}).content.decode()
    assert "Please choose an answer to the question: Would you come back?" in html
    device.post(f"/v/{link.code}/?lang=en", ANSWERS)
    assert SurveyResponse.objects.get().language == "en"


@pytest.mark.django_db
def test_it_shows_a_friendly_page_for_an_unknown_or_closed_link(link):
    assert "bestaat niet (meer)" in Client().get("/v/onbekend/").content.decode()
    assert Client().get("/v/onbekend/").status_code == 404
    link.active = False
    link.save()
    assert Client().get(f"/v/{link.code}/").status_code == 404
    assert Client().post(f"/v/{link.code}/", ANSWERS).status_code == 404 and not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_it_gives_every_location_one_unguessable_short_code(network):
    central = Location.objects.get(code="RDAM-CENTRAAL")
    first = services.link_ensure(central)
    assert services.link_ensure(central) == first and re.fullmatch(r"[2-9a-z]{6}", first.code)
    assert not set(first.code) & set("01ilo")


# --- summary and suppression ------------------------------------------------------------------------------------------

def _answers(location: Location, day: dt.date, n: int, **answers: str) -> None:
    for i in range(n):
        services.response_submit(location=location, answers={**ANSWERS, **answers}, token=f"{location.code}-{day}-{answers}-{i}", day=day)


@pytest.mark.django_db
def test_it_summarises_counts_and_shares_per_answer_and_suppresses_for_outside_roles(network, users):
    central = Location.objects.get(code="RDAM-CENTRAAL")
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    day = dt.date(2025, 3, 4)
    _answers(central, day, 8)
    _answers(central, day, 2, helped="NEE", come_back="MISSCHIEN")
    _answers(gouda, day, 5, helped="NEE")
    _answers(central, day - dt.timedelta(days=40), 3)  # outside the period
    summary = selectors.survey_summary([central], day - dt.timedelta(days=6), day)
    assert summary.responses == 10
    helped = {a.code: (a.count, a.share) for a in summary.questions[0].answers}
    assert helped == {"JA": (8, 0.8), "DEELS": (0, 0.0), "NEE": (2, 0.2)}
    suppressed = selectors.survey_summary([central], day - dt.timedelta(days=6), day, suppress=True)
    helped = {a.code: a.display for a in suppressed.questions[0].answers}
    # Outside the library every count goes through the one rule (ADR 0015): under 5 is "<5", the 8 "ja" and the total
    # of 10 are published with their own noise, so 10 minus 8 is not the 2 "nee" for certain.
    in_period = SurveyResponse.objects.filter(location=central, date__gte=day - dt.timedelta(days=6), date__lte=day)
    ja = privacy.published(privacy.records("survey-response", in_period.filter(helped="JA").values_list("id", flat=True)), suppressed=True)
    assert helped == {"JA": privacy.text(ja), "DEELS": "<5", "NEE": "<5"} and ja is not None and abs(ja - 8) <= privacy.MAX_NOISE
    assert suppressed.responses == privacy.published(privacy.records("survey-response", in_period.values_list("id", flat=True)), suppressed=True)
    assert suppressed.as_dict()["vragen"][0]["antwoorden"][2] == {"code": "NEE", "label": "Nee", "aantal": None, "aandeel": None}
    empty = selectors.survey_summary([gouda], day - dt.timedelta(days=60), day - dt.timedelta(days=30), suppress=True)
    assert empty.responses is None  # "fewer than 5" is true of nobody too (a shown 0 would make "<5" mean "at least 1")
    _answers(gouda, day - dt.timedelta(days=45), 3)
    tiny = selectors.survey_summary([gouda], day - dt.timedelta(days=60), day - dt.timedelta(days=30), suppress=True)
    assert tiny.responses is None
    assert selectors.must_suppress(users["gemeente"]) and selectors.must_suppress(users["landelijk"])
    assert not selectors.must_suppress(users["coordinator"])


# --- coordinator pages --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_shows_links_and_results_to_the_own_coordinator_only(network, client_for):
    central = Location.objects.get(code="RDAM-CENTRAAL")
    _answers(central, timezone.localdate() - dt.timedelta(days=1), 6)
    _answers(Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK"), timezone.localdate() - dt.timedelta(days=1), 7, helped="NEE")
    page = client_for("coordinator").get("/enquete/")
    html = page.content.decode()
    assert page.status_code == 200
    code = SurveyLink.objects.get(location=central).code
    assert f"/v/{code}/" in html and "Centrale Bibliotheek" in html and "Chocoladefabriek" not in html
    assert re.search(r'id="aantal-antwoorden"><strong>6</strong>', html)
    assert client_for("medewerker").get("/enquete/").status_code == 403
    gouda = client_for("coordinator-gouda").get("/enquete/").content.decode()
    assert "Centrale Bibliotheek" not in gouda and re.search(r'id="aantal-antwoorden"><strong>7</strong>', gouda)
    # Asking for another organisation's location shows the own figures, never theirs.
    other = client_for("coordinator-gouda").get("/enquete/?locatie=RDAM-CENTRAAL").content.decode()
    assert "hoort niet bij uw organisatie" in other and re.search(r'id="aantal-antwoorden"><strong>7</strong>', other)


@pytest.mark.django_db
def test_it_prints_a_poster_with_qr_code_and_short_link_for_the_own_coordinator_only(network, client_for, settings):
    settings.ALLOWED_HOSTS = ["balie.bibliotheek.nl", "testserver"]
    url = "/enquete/RDAM-CENTRAAL/poster/"
    page = client_for("coordinator").get(url, HTTP_HOST="balie.bibliotheek.nl")
    html = page.content.decode()
    code = SurveyLink.objects.get(location__code="RDAM-CENTRAAL").code
    assert page.status_code == 200 and html.count("<svg") == 2 and f"balie.bibliotheek.nl/v/{code}" in html
    assert "@page { size: A4" in html
    assert client_for("medewerker").get(url).status_code == 403
    assert client_for("coordinator-gouda").get(url).status_code == 404


def test_it_has_every_survey_text_in_the_english_catalogue():
    entries = set(re.findall(r'^msgid "(.+)"$', (ROOT / "balie/locale/en/LC_MESSAGES/django.po").read_text(), re.MULTILINE))
    found = []
    for name in ("form.html", "thanks.html", "not_found.html"):
        source = (ROOT / "balie/templates/survey" / name).read_text()
        found += re.findall(r"""{% translate ["'](.+?)["'] %}""", source)
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", source, re.DOTALL):
            found.append(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    found += re.findall(r"""\b_\(["'](.+?)["']\)""", (ROOT / "balie/survey/views/public.py").read_text())
    found += re.findall(r"""_\("(.+?)"\)""", (ROOT / "balie/survey/models.py").read_text())
    assert len(found) > 20
    assert sorted(set(found) - entries) == []


def test_it_gives_the_survey_models_dutch_labels():
    for model in apps.get_app_config("survey").get_models():
        assert model._meta.verbose_name and not model._meta.verbose_name.startswith(model.__name__.lower())
