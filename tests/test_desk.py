"""The desk: registering, correcting and undoing, through HTTP and the real database."""

from __future__ import annotations

import datetime as dt
import html as htmllib

import pytest
from django.utils import timezone

from balie.desk import services
from balie.desk.models import Question, Visit
from balie.network.models import Location

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_name_model(settings):
    # The name model takes seconds to load; name detection has its own tests in test_pii.py.
    settings.BALIE_PII_NAMES = False


def post_register(client, **fields):
    data = {"submission_key": fields.pop("submission_key", "key-1"), "save": "1"}
    data.update({f"q-0-{k}" if not k.startswith(("q-", "datum", "tijd", "kanaal", "question_count", "chip", "add_", "same_")) else k: v for k, v in fields.items()})
    return client.post("/balie/", data)


def register(user, location_code="RDAM-CENTRAAL", started_at=None, **fields):
    question = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", **fields}
    visit, _ = services.visit_register(user=user, location=Location.objects.get(code=location_code), questions=[question], started_at=started_at)
    return visit.questions.get()


def test_it_saves_the_common_case_with_three_fields(client_for):
    client = client_for("medewerker")
    response = post_register(client, instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST")
    assert response.status_code == 302
    confirmation = client.get(response.url).content.decode()
    assert "Opgeslagen: DigiD · inloggen (opgelost)." in confirmation and "Ongedaan maken" in confirmation
    q = Question.objects.get()
    assert q.location.code == "RDAM-CENTRAAL"
    assert q.codelist_version.number == 1
    assert q.created_by.username == "medewerker"


def test_it_shows_the_favourite_chips_of_this_location(client_for, users):
    for _ in range(3):
        register(users["medewerker"], instantie="UWV", onderwerp="AANVRAGEN")
    register(users["medewerker"], location_code="RDAM-ZUIDPLEIN", instantie="CJIB", onderwerp="BETALEN")
    html = client_for("medewerker").get("/balie/").content.decode()
    chips = html[html.index('class="chips"'):html.index("</ul>", html.index('class="chips"'))]
    assert 'value="UWV:AANVRAGEN"' in chips.split("<li>")[1], "the most used pair comes first"
    assert "CJIB:BETALEN" not in chips, "another location's questions are not this location's favourites"
    assert chips.count('class="chip"') == 9  # 8 favourites + "same as previous"


def test_it_prefills_a_chip_without_javascript(client_for):
    response = client_for("medewerker").post("/balie/", {"submission_key": "k", "chip": "BELASTINGDIENST:AANGIFTE"})
    html = response.content.decode()
    # The field shows the label people read (issue 14); saving reads the label back to its code.
    assert 'name="q-0-instantie" list="lijst-instantie" autocomplete="off"\n        value="Belastingdienst"' in html
    assert 'value="Belastingaangifte"' in html
    assert Question.objects.count() == 0


def test_it_refuses_missing_required_fields_and_saves_nothing(client_for):
    response = post_register(client_for("medewerker"), instantie="DIGID")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies een onderwerp; dit veld is verplicht." in html
    assert "Kies een uitkomst; dit veld is verplicht." in html
    assert 'value="DigiD (Logius)"' in html, "what was typed is kept (shown as its label, issue 14)"
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"instantie": "NASA"}, "Onbekende instantie 'NASA'"),
        ({"uitkomst": "MISSCHIEN"}, "Onbekende code 'MISSCHIEN' voor uitkomst"),
        ({"duur_minuten": "-5"}, "De duur moet tussen 1 en 480 minuten liggen (niet -5)."),
        ({"duur_minuten": "5000"}, "De duur moet tussen 1 en 480 minuten liggen (niet 5000)."),
        ({"duur_minuten": "lang"}, "De duur 'lang' is geen heel aantal minuten."),
        ({"notitie": "x" * 100_000}, "De notitie is 100000 tekens; het maximum is 2000."),
        ({"datum": "2031-01-01"}, "ligt in de toekomst"),
        ({"datum": "2018-12-31"}, "ligt voor 01-01-2019"),
        ({"datum": "31-12-2024"}, "is geen geldige datum"),
        ({"instantie": "BELASTINGDIENST", "onderwerp": "AANGIFTE", "digid_detail": "APP"}, "Een DigiD-detail hoort alleen bij een vraag over DigiD of inloggen."),
        ({"behoefteprofielen": "ONGEDULD"}, "Onbekende code 'ONGEDULD' voor behoefteprofielen"),
    ],
)
def test_it_rejects_bad_input_with_a_precise_dutch_message(client_for, fields, message):
    base = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
    response = post_register(client_for("medewerker"), **{**base, **fields})
    assert response.status_code == 422
    assert message in htmllib.unescape(response.content.decode())
    assert Question.objects.count() == 0


def test_it_never_creates_a_duplicate_on_double_submit(client_for):
    client = client_for("medewerker")
    for _ in range(3):
        assert post_register(client, submission_key="same", instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST").status_code == 302
    assert Visit.objects.count() == 1 and Question.objects.count() == 1


def test_it_registers_several_questions_in_one_visit(client_for):
    response = client_for("medewerker").post("/balie/", {
        "submission_key": "multi", "save": "1", "question_count": "2",
        "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST", "q-0-digid_detail": "APP",
        "q-1-instantie": "toeslagen", "q-1-onderwerp": "WIJZIGEN", "q-1-uitkomst": "DOORVERWEZEN",
        "q-1-behoefteprofielen": ["OVERHEIDSTAAL", "STEUN"], "q-1-achterliggend": ["FINANCIEEL"], "q-1-complexiteit": "3",
        "q-1-leeftijdsgroep": "75_PLUS", "q-1-taal": "TR", "q-1-duur_minuten": "30",
    })
    assert response.status_code == 302
    visit = Visit.objects.get()
    first, second = visit.questions.order_by("position")
    assert first.digid_detail == "APP"
    assert second.instantie == "TOESLAGEN" and second.behoefteprofiel_list == ["OVERHEIDSTAAL", "STEUN"]
    assert (second.complexiteit, second.leeftijdsgroep, second.taal, second.duration_minutes) == ("3", "75_PLUS", "TR", 30)


def test_it_adds_a_question_block_without_saving(client_for):
    response = client_for("medewerker").post("/balie/", {"submission_key": "k", "add_question": "1", "q-0-instantie": "DIGID"})
    html = response.content.decode()
    assert 'id="vraag-1"' in html and 'value="DigiD (Logius)"' in html
    assert Question.objects.count() == 0


def test_it_fills_in_the_same_as_previous(client_for, users):
    register(users["medewerker"], instantie="SVB", onderwerp="WIJZIGEN", complexiteit="2")
    html = client_for("medewerker").post("/balie/", {"submission_key": "k", "same_as_previous": "1"}).content.decode()
    assert 'value="SVB"' in html and 'value="Wijziging doorgeven"' in html
    assert 'name="q-0-complexiteit" value="2" checked' in html


def test_it_registers_afterwards_with_date_and_time(client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = post_register(client_for("medewerker"), instantie="DIGID", onderwerp="INLOGGEN", uitkomst="DEELS",
                             datum=yesterday.isoformat(), tijd="14:30")
    assert response.status_code == 302
    q = Question.objects.get()
    assert q.date == yesterday and timezone.localtime(q.started_at).strftime("%H:%M") == "14:30"
    assert q.visit.afterwards is True


def test_it_derives_kanaal_from_location_and_consultation_hours(users):
    tuesday_11 = timezone.make_aware(dt.datetime(2025, 3, 4, 11, 0))
    sunday_11 = timezone.make_aware(dt.datetime(2025, 3, 9, 11, 0))
    assert register(users["medewerker"], location_code="RDAM-ZUIDPLEIN", started_at=tuesday_11).kanaal == "SPREEKUUR"
    assert register(users["medewerker"], location_code="RDAM-ZUIDPLEIN", started_at=sunday_11).kanaal == "INLOOP"
    assert register(users["medewerker"], location_code="RDAM-VOEDSELBANK-ZUID", started_at=tuesday_11).kanaal == "LOCATIE"


def test_it_accepts_a_local_code_and_keeps_the_national_one(users):
    q = register(users["medewerker"], instantie="WONEN_WOONSTAD", onderwerp="CONTACT")
    assert (q.instantie, q.instantie_local) == ("WONEN", "WONEN_WOONSTAD")
    with pytest.raises(services.RegistrationInvalid):
        register(users["medewerker-gouda"], location_code="GOUDA-CHOCOLADEFABRIEK", instantie="WONEN_WOONSTAD", onderwerp="CONTACT")


def test_it_refuses_a_location_of_another_organisation(users):
    with pytest.raises(services.RegistrationInvalid, match="locatie"):
        register(users["medewerker-gouda"], location_code="RDAM-CENTRAAL")


def test_it_redacts_bsn_and_iban_whatever_the_client_sends(client_for):
    note = "BSN 111222333 en rekening NL91ABNA0417164300, mail jan@example.nl"
    post_register(client_for("medewerker"), instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST", notitie=note)
    stored = Question.objects.get().note
    assert "111222333" not in stored and "NL91ABNA0417164300" not in stored and "jan@example.nl" not in stored
    assert "[BSN]" in stored and "[IBAN]" in stored and "[E-MAIL]" in stored


def test_it_highlights_personal_data_while_typing(client_for):
    response = client_for("medewerker").post("/balie/pii/", {"q-0-notitie": "bel haar op 06-12345678"})
    html = response.content.decode()
    assert "<mark" in html and "06-12345678" in html and "telefoonnummer" in html
    assert client_for("medewerker").post("/balie/pii/", {"q-0-notitie": "DigiD app geactiveerd"}).content.decode().strip() == ""


# --- today, corrections and undo: owner, colleague, coordinator, outsider, lower role ---


def test_it_lists_today_for_the_owner_only_and_the_whole_org_for_the_coordinator(client_for, users):
    mine = register(users["medewerker"], instantie="UWV", onderwerp="AANVRAGEN")
    theirs = register(users["collega"], location_code="RDAM-ZUIDPLEIN", instantie="CJIB", onderwerp="BETALEN")
    own_page = client_for("medewerker").get("/balie/vandaag/").content.decode()
    assert str(mine.uuid) in own_page and str(theirs.uuid) not in own_page
    coord_page = client_for("coordinator").get("/balie/vandaag/").content.decode()
    assert str(mine.uuid) in coord_page and str(theirs.uuid) in coord_page
    assert str(mine.uuid) not in client_for("medewerker-gouda").get("/balie/vandaag/").content.decode()


@pytest.mark.parametrize(
    "username, view_status, edit_status",
    [("medewerker", 200, 302), ("collega", 200, 403), ("coordinator", 200, 302), ("medewerker-gouda", 404, 404), ("gemeente", 403, 403), ("partner", 403, 403)],
)
def test_it_scopes_the_correction_page(client_for, users, username, view_status, edit_status):
    q = register(users["medewerker"])
    client = client_for(username)
    assert client.get(f"/balie/vraag/{q.uuid}/").status_code == view_status
    response = client.post(f"/balie/vraag/{q.uuid}/", {"q-0-instantie": "DIGID", "q-0-onderwerp": "MACHTIGEN", "q-0-uitkomst": "DEELS"})
    assert response.status_code == edit_status
    q.refresh_from_db()
    assert q.onderwerp == ("MACHTIGEN" if edit_status == 302 else "INLOGGEN")


@pytest.mark.parametrize("username, status", [("medewerker", 302), ("collega", 403), ("coordinator", 302), ("medewerker-gouda", 404), ("gemeente", 403)])
def test_it_scopes_undo(client_for, users, username, status):
    q = register(users["medewerker"])
    assert client_for(username).post(f"/balie/vraag/{q.uuid}/verwijderen/").status_code == status
    assert Question.objects.filter(pk=q.pk).exists() == (status != 302)


def test_it_closes_the_edit_window_after_24_hours_for_staff_but_not_for_the_coordinator(client_for, users):
    q = register(users["medewerker"])
    Question.objects.filter(pk=q.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    change = {"q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "DEELS"}
    assert client_for("medewerker").post(f"/balie/vraag/{q.uuid}/", change).status_code == 403
    assert client_for("coordinator").post(f"/balie/vraag/{q.uuid}/", change).status_code == 302
    q.refresh_from_db()
    assert q.uitkomst == "DEELS"


def test_it_undoes_a_whole_visit_from_the_confirmation(client_for, users):
    client = client_for("medewerker")
    post_register(client, instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST")
    visit = Visit.objects.get()
    assert client_for("medewerker-gouda").post(f"/balie/bezoek/{visit.uuid}/verwijderen/").status_code == 404
    assert client.post(f"/balie/bezoek/{visit.uuid}/verwijderen/").status_code == 302
    assert Visit.objects.count() == 0 and Question.objects.count() == 0


def test_it_counts_in_tally_mode_and_completes_later(client_for, users):
    client = client_for("medewerker")
    for n in range(3):
        client.post("/balie/turven/", {"pair": "DIGID:INLOGGEN", "click_id": f"c{n}"})
    client.post("/balie/turven/", {"pair": "DIGID:INLOGGEN", "click_id": "c2"})  # a double click counts once
    assert Question.objects.filter(tally=True).count() == 3
    page = client.get("/balie/turven/").content.decode()
    assert "<strong>3</strong>" in page and "Nog aan te vullen (3)" in page
    q = Question.objects.filter(tally=True).first()
    client.post(f"/balie/vraag/{q.uuid}/", {"q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "DEELS", "q-0-duur_minuten": "15"})
    q.refresh_from_db()
    assert (q.tally, q.uitkomst, q.duration_minutes) == (False, "DEELS", 15)


@pytest.mark.parametrize("username, status", [("medewerker", 200), ("coordinator", 200), ("gemeente", 403), ("landelijk", 403), ("partner", 403), ("beheerder", 403)])
def test_it_opens_the_desk_only_for_library_staff(client_for, username, status):
    for url in ("/balie/", "/balie/turven/", "/balie/vandaag/"):
        assert client_for(username).get(url).status_code == status


def test_it_sends_anonymous_users_to_the_login(client):
    assert client.get("/balie/").status_code == 302


def test_it_keeps_the_code_list_version_a_registration_was_made_with(users):
    from balie.core import services as core_services

    old = register(users["medewerker"])
    draft = core_services.draft_create(user=users["landelijk"], description="Nieuwe app")
    core_services.code_save(user=users["landelijk"], version=draft, list_name="onderwerp", code="NIEUWE_APP", label="Nieuwe app van de overheid")
    core_services.draft_publish(user=users["landelijk"], version=draft)
    new = register(users["medewerker"], onderwerp="NIEUWE_APP")
    old.refresh_from_db()
    assert (old.codelist_version.number, new.codelist_version.number) == (1, 2)


def test_it_writes_every_registration_change_to_the_audit_log(users):
    from balie.core.models import AuditEvent

    q = register(users["medewerker"])
    services.question_update(user=users["medewerker"], question=q, data={"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "DEELS"})
    services.question_delete(user=users["medewerker"], question=q)
    events = list(AuditEvent.objects.order_by("timestamp", "id").values_list("event", "user__username"))
    assert events == [("visit_registered", "medewerker"), ("question_updated", "medewerker"), ("question_deleted", "medewerker")]
    assert AuditEvent.objects.filter(object_uuid=str(q.uuid)).count() == 2


def test_it_shows_the_stored_values_on_the_correction_page(client_for, users):
    q = register(users["medewerker"], instantie="TOESLAGEN", onderwerp="WIJZIGEN", uitkomst="DEELS", notitie="Huurtoeslag gewijzigd")
    html = client_for("medewerker").get(f"/balie/vraag/{q.uuid}/").content.decode()
    assert 'value="Dienst Toeslagen"' in html and 'value="Wijziging doorgeven"' in html
    assert 'name="q-0-uitkomst" value="DEELS" data-role="uitkomst" checked' in html
    assert "Huurtoeslag gewijzigd" in html


def test_it_undoes_a_whole_visit_in_one_step_with_one_audit_event(client_for, users):
    from balie.core.models import AuditEvent

    visit, _ = services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"), questions=[
        {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"},
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DEELS"},
    ])
    # A colleague may not undo someone else's visit (the edit rules hold for every question), and nothing is half-deleted.
    assert client_for("collega").post(f"/balie/bezoek/{visit.uuid}/verwijderen/").status_code == 403
    assert Question.objects.filter(visit=visit).count() == 2
    response = client_for("medewerker").post(f"/balie/bezoek/{visit.uuid}/verwijderen/")
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists() and not Question.objects.exists()
    deleted = AuditEvent.objects.filter(event="visit_deleted")
    assert [(e.object_uuid, e.extra["questions"]) for e in deleted] == [(str(visit.uuid), 2)]
    assert not AuditEvent.objects.filter(event="question_deleted").exists()
