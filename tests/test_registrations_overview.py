"""Issue 14 items 2 and 3 over HTTP: find and correct any registration; refer from it and hand over a slip.

Real stack: the desk services, the overview page, the correction page, the rollup journal and the referral pages.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.utils import timezone
from test_insight_rollup import assert_consistent  # tests/ is on sys.path
from test_no_raw_codes import findings_in, raw_codes, visible_text

from balie.core.models import AuditEvent
from balie.demo.partners import build_social_map
from balie.desk import services
from balie.desk.models import Question, QuestionCorrection
from balie.insight import rollup
from balie.network.models import Location
from balie.referrals.models import Referral

pytestmark = pytest.mark.django_db
URL = "/balie/registraties/"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def _register(user, *, days_ago: int = 0, location: str = "RDAM-CENTRAAL", **question):
    question = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", **question}
    moment = timezone.now() - dt.timedelta(days=days_ago, hours=1) if days_ago else None
    visit, _ = services.visit_register(user=user, location=Location.objects.get(code=location), questions=[question], started_at=moment)
    return visit.questions.get()


def _uuids(html: str) -> set[str]:
    return set(re.findall(r'href="/balie/vraag/([0-9a-f-]{36})/', html))


def test_it_lets_staff_find_their_own_back_dated_registration_and_nobody_elses(client_for, users):
    mine = _register(users["medewerker"], days_ago=5, instantie="TOESLAGEN", onderwerp="AANVRAGEN")
    theirs = _register(users["collega"], days_ago=5)
    html = client_for("medewerker").get(URL).content.decode()
    assert str(mine.uuid) in _uuids(html) and str(theirs.uuid) not in _uuids(html)
    assert "Dienst Toeslagen" in html and "achteraf" in html
    # Vandaag lists it too, under "Vandaag achteraf geregistreerd" (review B10).
    today = client_for("medewerker").get("/balie/vandaag/").content.decode()
    assert "Vandaag achteraf geregistreerd" in today and str(mine.uuid) in today
    # The coordinator sees both and can narrow to one staff member and to back-dated ones.
    co = client_for("coordinator").get(URL, {"medewerker": "collega", "achteraf": "on"}).content.decode()
    assert _uuids(co) == {str(theirs.uuid)}
    # Another organisation sees none of them, and their question page is 404 for it.
    assert not _uuids(client_for("medewerker-gouda").get(URL).content.decode()) & {str(mine.uuid), str(theirs.uuid)}
    assert client_for("medewerker-gouda").get(f"/balie/vraag/{mine.uuid}/").status_code == 404


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_its_filters_agree_with_a_count_of_the_rows(client_for, users, seed):
    rng = random.Random(seed)
    staff = [users["medewerker"], users["collega"], users["coordinator"]]
    locations = ["RDAM-CENTRAAL", *Location.objects.filter(organisation__code="BIB-RDAM", active=True).exclude(
        code="RDAM-CENTRAAL").values_list("code", flat=True)[:2]]
    pairs = [("DIGID", "INLOGGEN"), ("TOESLAGEN", "WIJZIGEN"), ("BELASTINGDIENST", "AANGIFTE"), ("GEEN", "APPARAAT"), ("UWV", "BERICHT")]
    for _ in range(40):
        inst, ond = rng.choice(pairs)
        _register(rng.choice(staff), days_ago=rng.randint(0, 25), location=rng.choice(locations), instantie=inst, onderwerp=ond,
                  uitkomst=rng.choice(["OPGELOST", "DEELS", "DOORVERWEZEN"]))
    inst, ond = rng.choice(pairs)
    filters = {"instantie": inst, "uitkomst": rng.choice(["OPGELOST", "DEELS"]), "locatie": rng.choice(locations)}
    chosen = dict(rng.sample(sorted(filters.items()), rng.randint(1, 3)))
    html = client_for("coordinator").get(URL, chosen).content.decode()
    lookup = {{"locatie": "location__code"}.get(k, k): v for k, v in chosen.items()}
    expected = Question.objects.filter(organisation__code="BIB-RDAM", date__gte=timezone.localdate() - dt.timedelta(days=29), **lookup)
    assert _uuids(html) == {str(u) for u in expected.values_list("uuid", flat=True)}, chosen
    assert f"{expected.count()} vra" in html


@pytest.mark.parametrize("query", [
    {"van": "abc"}, {"van": "2026-12-01", "tot": "2026-11-01"}, {"van": "1900-01-01"}, {"instantie": "BESTAAT_NIET"},
    {"medewerker": "'; DROP TABLE--"}, {"pagina": "999999"}, {"pagina": "-1"}, {"van": "2019-01-01", "tot": "2026-12-01"},
    {"locatie": "GOUDA-CHOCOLADEFABRIEK"}, {"tot": "9" * 300},
])
def test_it_answers_hostile_filters_with_a_message_never_a_500(client_for, users, query):
    _register(users["medewerker"], days_ago=2)
    response = client_for("coordinator").get(URL, query)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert "Controleer de zoekvelden" in response.content.decode()


def test_it_pages_fifty_at_a_time_and_keeps_the_filters(client_for, users):
    for n in range(120):
        _register(users["medewerker"], days_ago=n % 20, uitkomst="OPGELOST")
    client = client_for("coordinator")
    first = client.get(URL, {"uitkomst": "OPGELOST"}).content.decode()
    assert len(_uuids(first)) == 50 and "pagina 1 van 3" in first
    assert "uitkomst=OPGELOST&amp;pagina=2" in first
    last = client.get(URL, {"uitkomst": "OPGELOST", "pagina": "3"}).content.decode()
    assert len(_uuids(last)) == 20 and not _uuids(first) & _uuids(last)


def test_a_correction_from_the_overview_keeps_history_audit_and_rollups(client_for, users):
    rollup.rebuild()
    question = _register(users["medewerker"], days_ago=3, instantie="TOESLAGEN", onderwerp="AANVRAGEN", uitkomst="DEELS")
    client = client_for("coordinator")
    back = f"{URL}?achteraf=on"
    page = client.get(f"/balie/vraag/{question.uuid}/", {"next": back}).content.decode()
    assert 'name="next"' in page
    moved = (timezone.localdate() - dt.timedelta(days=45)).isoformat()
    response = client.post(f"/balie/vraag/{question.uuid}/", {
        "question_count": "1", "q-0-instantie": "Dienst Toeslagen", "q-0-onderwerp": "Wijziging doorgeven",
        "q-0-uitkomst": "OPGELOST", "datum": moved, "tijd": "10:15", "kanaal": "TELEFOON", "next": back,
    })
    assert response.status_code == 302 and response["Location"] == back
    question.refresh_from_db()
    assert (question.onderwerp, question.uitkomst, question.kanaal, question.date.isoformat()) == ("WIJZIGEN", "OPGELOST", "TELEFOON", moved)
    correction = QuestionCorrection.objects.get(question=question)
    assert correction.by == users["coordinator"]
    assert correction.changes["uitkomst"] == ["DEELS", "OPGELOST"] and correction.changes["onderwerp"] == ["AANVRAGEN", "WIJZIGEN"]
    event = AuditEvent.objects.filter(event="question_updated", object_uuid=str(question.uuid)).latest("pk")
    assert {"uitkomst", "started_at", "kanaal", "onderwerp"} <= set(event.extra["fields"])
    # The history reads in words, on the question page.
    html = client.get(f"/balie/vraag/{question.uuid}/").content.decode()
    assert "Uitkomst: Deels, komt terug → Opgelost" in html
    # The correction went through the journal like a save: the dashboards equal a recount of the rows.
    assert_consistent()
    # History is append-only.
    with pytest.raises(ValueError):
        correction.save()


def test_staff_cannot_correct_a_colleagues_registration(client_for, users):
    question = _register(users["collega"], days_ago=1)
    response = client_for("medewerker").post(f"/balie/vraag/{question.uuid}/", {
        "question_count": "1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "DEELS"})
    assert response.status_code == 403
    assert not QuestionCorrection.objects.exists()


def test_a_future_date_is_explained_on_the_date_field_not_under_the_question(client_for):
    """Review B9."""
    future = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    response = client_for("medewerker").post("/balie/", {
        "submission_key": "k", "save": "1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST",
        "datum": future, "tijd": "12:00"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "nog niet compleet" not in html
    assert 'id="datum-err"' in html and 'aria-invalid="true"' in html and "toekomst" in html
    assert not Question.objects.exists()


@pytest.fixture
def social(network):
    build_social_map()


def test_saving_a_referred_question_opens_the_partners_and_the_slip_has_no_codes(client_for, users, social):
    client = client_for("medewerker")
    response = client.post("/balie/", {"submission_key": "k1", "save": "1", "q-0-instantie": "Belastingdienst",
                                       "q-0-onderwerp": "BETALEN", "q-0-uitkomst": "DOORVERWEZEN"})
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/verwijzingen/nieuw/{question.uuid}/"
    partners = client.get(response["Location"]).content.decode()
    service = re.search(r'href="\?dienst=([0-9a-f-]{36})"', partners).group(1)
    form = client.get(response["Location"], {"dienst": service}).content.decode()
    assert 'name="soort"' in form
    done = client.post(response["Location"], {"dienst": service, "soort": "informatie", "toestemming": "nee", "submission_key": "r1"})
    referral = Referral.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/verwijzingen/{referral.uuid}/"
    detail = client.get(done["Location"]).content.decode()
    assert f"/verwijzingen/{referral.uuid}/briefje/" in detail
    codes = raw_codes()
    for language, words in (("nl", ["Neem mee", "U kunt verder bij", "Bellen"]), ("en", ["Bring with you", "can help you further", "Call"])):
        slip = client.get(f"/verwijzingen/{referral.uuid}/briefje/", {"taal": language})
        assert slip.status_code == 200
        article = re.search(r"<article.*?</article>", slip.content.decode(), re.DOTALL).group(0)
        text = visible_text(article)
        assert all(w in text for w in words), (language, text)
        assert referral.partner.name in text
        phone = (referral.service.warm_phone or referral.partner.phone) if referral.service else referral.partner.phone
        assert not phone or phone in text
        assert findings_in(text, codes) == [], text
        assert f'lang="{language}"' in article
    assert client_for("medewerker-gouda").get(f"/verwijzingen/{referral.uuid}/briefje/").status_code == 404
    assert client_for("partner").get(f"/verwijzingen/{referral.uuid}/briefje/").status_code == 403


def test_the_slip_says_the_partner_calls_only_when_there_is_consent(client_for, users, social):
    from balie.partners.models import Partner
    from balie.referrals import services as referral_services

    question = _register(users["medewerker"], instantie="BELASTINGDIENST", onderwerp="BETALEN", uitkomst="DOORVERWEZEN")
    partner = Partner.objects.get(name="SchuldHulpMaatje Rotterdam")
    referral, _ = referral_services.referral_create(
        user=users["medewerker"], question=question, partner=partner, service=partner.services.first(), kind="samen_gebeld",
        consent=True, contact={"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"}, notify=False)
    text = visible_text(client_for("medewerker").get(f"/verwijzingen/{referral.uuid}/briefje/").content.decode())
    assert "neemt contact met u op" in text
    assert "Jantine" not in text and "41234567" not in text, "the slip never carries the visitor's contact data"
