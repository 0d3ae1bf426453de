"""One idempotency rule for every keyed create (balie.core.idempotency): repeat, race, other owner, other body."""

from __future__ import annotations

import pytest
from django.test import Client

from balie.core.idempotency import Claim, IdempotencyConflict
from balie.courses import services as course_services
from balie.courses.models import Course, Enrolment
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.desk.models import Visit
from balie.network.models import Location
from balie.referrals import services as referral_services
from balie.referrals.models import Kind, Referral
from balie.walkin.models import QueueSettings, Ticket
from balie.walkin.services import ticket_issue

QUESTION = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}


def register(user, key, question=QUESTION, code="RDAM-CENTRAAL"):
    return desk_services.visit_register(user=user, location=Location.objects.get(code=code), questions=[dict(question)], submission_key=key)


def test_a_repeat_returns_the_first_visit_and_other_input_is_a_conflict(users):
    first, created = register(users["medewerker"], "desk:k1")
    again, created_again = register(users["medewerker"], "desk:k1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(IdempotencyConflict, match="andere gegevens"):
        register(users["medewerker"], "desk:k1", {**QUESTION, "uitkomst": "DEELS"})
    assert Visit.objects.count() == 1


def test_a_key_of_another_organisation_is_a_conflict_and_never_returns_its_visit(users):
    register(users["medewerker"], "desk:shared")
    with pytest.raises(IdempotencyConflict) as exc:
        register(users["medewerker-gouda"], "desk:shared", code="GOUDA-CHOCOLADEFABRIEK")
    assert "al gebruikt" in exc.value.message
    assert Visit.objects.count() == 1


def test_a_racing_twin_that_won_is_returned_instead_of_an_error(users):
    first, _ = register(users["medewerker"], "desk:race")
    # The twin passed existing() before the winner committed: its insert hits the unique key and re-reads.
    claim = Claim(Visit, key="desk:race", owner={"organisation_id": first.organisation_id},
                  body={"location": first.location_id, "questions": [QUESTION], "started_at": None, "kanaal": "", "source": "balie",
                        "tally": False})
    twin = Visit(organisation_id=first.organisation_id, location_id=first.location_id, started_at=first.started_at, kanaal=first.kanaal,
                 codelist_version=first.codelist_version, created_by=first.created_by)
    winner, created = claim.insert(twin)
    assert (winner.pk, created) == (first.pk, False)
    other = Claim(Visit, key="desk:race", owner={"organisation_id": first.organisation_id}, body={"something": "else"})
    with pytest.raises(IdempotencyConflict):
        other.insert(Visit(organisation_id=first.organisation_id, location_id=first.location_id, started_at=first.started_at,
                           kanaal=first.kanaal, codelist_version=first.codelist_version))


def test_a_row_from_before_fingerprints_is_still_found_by_its_key(users):
    first, _ = register(users["medewerker"], "desk:old")
    Visit.objects.filter(pk=first.pk).update(request_fingerprint="")
    again, created = register(users["medewerker"], "desk:old", {**QUESTION, "uitkomst": "DEELS"})
    assert (again.pk, created) == (first.pk, False)


def test_the_desk_form_explains_a_conflict_and_hands_out_a_fresh_key(client_for):
    client = client_for("medewerker")
    data = {"submission_key": "form-1", "save": "1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"}
    assert client.post("/balie/", data).status_code == 302
    response = client.post("/balie/", {**data, "q-0-uitkomst": "DEELS"})
    html = response.content.decode()
    assert response.status_code == 422 and "Dit formulier is al eerder verstuurd" in html
    assert 'value="form-1"' not in html
    assert Visit.objects.count() == 1


def test_the_api_answers_a_conflict_with_422_problem_json(users):
    from rest_framework.authtoken.models import Token

    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['medewerker']).key}")

    def post(uitkomst):
        return client.post("/api/v1/registraties", {"locatie": "RDAM-CENTRAAL", **QUESTION, "uitkomst": uitkomst},
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1")

    assert post("OPGELOST").status_code == 201
    assert post("OPGELOST").status_code == 200
    conflict = post("DEELS")
    assert conflict.status_code == 422 and conflict["Content-Type"] == "application/problem+json"
    assert conflict.json()["status"] == 422 and "Idempotency-Key" in conflict.json()["detail"]
    assert Visit.objects.count() == 1


@pytest.fixture
def social(users):
    partners = build_social_map()
    build_courses()
    return partners


def test_referrals_use_the_same_rule(users, social):
    partner = social["SchuldHulpMaatje Rotterdam"]
    first_q = register(users["medewerker"], None)[0].questions.get()

    def refer(user, question, kind=Kind.INFORMATIE):
        return referral_services.referral_create(user=user, question=question, partner=partner, service=partner.services.first(), kind=kind,
                                                 submission_key="desk:r1", notify=False)

    first, created = refer(users["medewerker"], first_q)
    again, created_again = refer(users["collega"], first_q)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(IdempotencyConflict):
        refer(users["medewerker"], first_q, kind=Kind.BEGELEID)
    gouda_q = register(users["medewerker-gouda"], None, code="GOUDA-CHOCOLADEFABRIEK")[0].questions.get()
    with pytest.raises(IdempotencyConflict):  # before: the Rotterdam referral came back to a Gouda user
        refer(users["medewerker-gouda"], gouda_q)
    assert Referral.objects.count() == 1


def test_course_enrolment_handles_the_race_and_other_organisations(users, social):
    course = Course.objects.filter(organisation__code="BIB-RDAM").first()

    def enrol(user, name="Piet Proef", course=course):
        return course_services.enrol(user=user, course=course, question=None, consent=True, name=name, phone="06 41234567",
                                     submission_key="desk:e1")

    first, created = enrol(users["medewerker"])
    assert (created, enrol(users["medewerker"])[0].pk) == (True, first.pk)
    with pytest.raises(IdempotencyConflict):
        enrol(users["medewerker"], name="Kees Proef")
    gouda_course = Course.objects.get(organisation__code="BIB-GOUDA")
    with pytest.raises(IdempotencyConflict):
        enrol(users["medewerker-gouda"], course=gouda_course)
    # The race: a twin that passed the first look-up gets the winner back from the unique key.
    claim = Claim(Enrolment, key="desk:e1", owner={"organisation_id": first.organisation_id}, body={
        "course": course.pk, "question": None, "consent": True, "name": "Piet Proef", "phone": "06 41234567"})
    winner, created = claim.insert(Enrolment(course=course, organisation_id=first.organisation_id, status=first.status,
                                             consent_text="x", consent_at=first.consent_at))
    assert (winner.pk, created) == (first.pk, False)
    assert Enrolment.objects.count() == 1


def test_walkin_tickets_use_the_same_rule(network):
    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.update_or_create(location=location, defaults={"enabled": True})
    first, created = ticket_issue(location=location, topic="DIGID", idempotency_key="kiosk:t1")
    again, created_again = ticket_issue(location=location, topic="DIGID", idempotency_key="kiosk:t1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(IdempotencyConflict):
        ticket_issue(location=location, topic="BRIEF", idempotency_key="kiosk:t1")
    other = Location.objects.get(code="RDAM-ZUIDPLEIN")
    QueueSettings.objects.update_or_create(location=other, defaults={"enabled": True})
    with pytest.raises(IdempotencyConflict):
        ticket_issue(location=other, topic="DIGID", idempotency_key="kiosk:t1")
    assert Ticket.objects.count() == 1
