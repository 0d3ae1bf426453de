"""Warm referrals that close the loop: scoping, consent and encryption, audit, retention, the partner link, follow-up, figures."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from balie.core import dates
from balie.core.models import AuditEvent
from balie.courses.models import Course
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location
from balie.partners.models import Partner, PartnerUser
from balie.referrals import links, selectors, services
from balie.referrals.models import Kind, Referral, Status

NAME, PHONE = "Jantine Voorbeeldig", "06 41234567"


@pytest.fixture
def social(network, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    partners = build_social_map()
    build_courses()
    return partners


def register(user, location_code="RDAM-CENTRAAL", **fields):
    question = {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN", **fields}
    visit, _ = desk_services.visit_register(user=user, location=Location.objects.get(code=location_code), questions=[question])
    return visit.questions.get()


def refer(users, social, *, kind=Kind.SAMEN_GEBELD, consent=True, partner="SchuldHulpMaatje Rotterdam", question=None, **kw):
    question = question or register(users["medewerker"])
    p = social[partner]
    referral, _ = services.referral_create(
        user=users["medewerker"], question=question, partner=p, service=p.services.first(), kind=kind, consent=consent,
        contact={"naam": NAME, "telefoon": PHONE, "voorkeur": "ochtend"} if consent else None, **kw,
    )
    return referral


def link_path(referral):
    return f"/verwijzingen/{referral.uuid}/partner/{links.link_token(referral)}/"


# --- matching and the refer page -------------------------------------------------------------------
def test_it_lists_best_matching_partners_with_the_municipality_first(users, social):
    question = register(users["medewerker"])
    monday_10 = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))
    matches = selectors_matching(users["medewerker"], question, monday_10)
    names = [m.partner.name for m in matches]
    assert "SchuldHulpMaatje Rotterdam" in names
    assert "SchuldHulpMaatje Gouda" not in names  # another library's map
    assert all(m.in_gemeente for m in matches[:3])
    top = matches[0]
    assert top.warm_line_now


def selectors_matching(user, question, now):
    from balie.partners.selectors import matching_services

    return matching_services(user, instantie=question.instantie, onderwerp=question.onderwerp, gemeente_id=question.location.gemeente_id, now=now)


def test_it_puts_a_staffed_warm_line_before_one_that_is_closed_now(users, social):
    question = register(users["medewerker"], instantie="GEMEENTE", onderwerp="BERICHT")
    tuesday_11 = timezone.make_aware(dt.datetime(2026, 11, 24, 11, 0))
    friday_11 = timezone.make_aware(dt.datetime(2026, 11, 27, 11, 0))
    # Humanitas's line is staffed on Tuesday and Thursday mornings only.
    on_tuesday = selectors_matching(users["medewerker"], question, tuesday_11)
    on_friday = selectors_matching(users["medewerker"], question, friday_11)
    assert next(m for m in on_tuesday if m.partner.name.startswith("Humanitas")).warm_line_now
    assert not next(m for m in on_friday if m.partner.name.startswith("Humanitas")).warm_line_now
    for matches in (on_tuesday, on_friday):
        keys = [(not m.in_gemeente, not m.warm_line_now) for m in matches]
        assert keys == sorted(keys)
    names_tuesday = [m.partner.name for m in on_tuesday]
    names_friday = [m.partner.name for m in on_friday]
    assert names_tuesday.index("Humanitas Thuisadministratie Rotterdam") < names_friday.index("Humanitas Thuisadministratie Rotterdam")


def test_it_shows_doorverwijzen_on_the_today_page_and_the_big_phone_number(client_for, users, social):
    question = register(users["medewerker"])
    client = client_for("medewerker")
    today = client.get("/balie/vandaag/").content.decode()
    assert f"/verwijzingen/nieuw/{question.uuid}/" in today
    page = client.get(f"/verwijzingen/nieuw/{question.uuid}/").content.decode()
    assert "SchuldHulpMaatje Rotterdam" in page and 'class="big-phone"' in page and "010 789 4560" in page


def test_it_refers_warmly_with_consent_through_the_form_once_even_when_submitted_twice(client_for, users, social, django_capture_on_commit_callbacks):
    question = register(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    client = client_for("medewerker")
    data = {"dienst": str(service.uuid), "soort": "samen_gebeld", "toestemming": "ja", "naam": NAME, "telefoon": PHONE, "submission_key": "k1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/verwijzingen/nieuw/{question.uuid}/", data)
        second = client.post(f"/verwijzingen/nieuw/{question.uuid}/", data)
    assert first.status_code == second.status_code == 302
    referral = Referral.objects.get()
    assert first.url == second.url == f"/verwijzingen/{referral.uuid}/"
    assert referral.status == Status.VERSTUURD and referral.consent and referral.consent_text.startswith("U geeft de bibliotheek toestemming")
    # Encrypted at rest: the database row holds neither the name nor the phone number.
    assert NAME not in referral.contact_ciphertext and "41234567" not in referral.contact_ciphertext
    assert mail.outbox == []  # the request only queues the e-mail; the worker sends it (core/outbox.py)
    call_command("run_worker", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [service.referral_email]
    assert NAME not in body and "41234567" not in body  # e-mail is not encrypted: no personal data in it
    assert f"/verwijzingen/{referral.uuid}/partner/" in body


def test_it_refuses_contact_data_without_consent_and_stores_nothing(client_for, users, social):
    question = register(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    with pytest.raises(services.ReferralInvalid) as exc:
        services.referral_create(user=users["medewerker"], question=question, partner=service.partner, service=service,
                                 kind=Kind.PER_EMAIL, consent=False, contact={"naam": NAME, "telefoon": PHONE})
    assert "toestemming" in str(exc.value)
    assert Referral.objects.count() == 0
    # Through the form, "no consent" simply ignores what was typed: the referral is stored anonymously.
    response = client_for("medewerker").post(f"/verwijzingen/nieuw/{question.uuid}/", {
        "dienst": str(service.uuid), "soort": "per_email", "toestemming": "nee", "naam": NAME, "telefoon": PHONE})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert not referral.consent and referral.contact_ciphertext == "" and referral.consent_text == ""


def test_it_names_every_wrong_contact_field(client_for, users, social):
    question = register(users["medewerker"])
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    response = client_for("medewerker").post(f"/verwijzingen/nieuw/{question.uuid}/", {
        "dienst": str(service.uuid), "soort": "samen_gebeld", "toestemming": "ja", "naam": "", "telefoon": "12", "email": "geen-adres"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vul de naam in" in html and "12 is geen geldig telefoonnummer" in html and "geen-adres is geen geldig e-mailadres" in html
    assert Referral.objects.count() == 0


def test_it_registers_a_plain_referral_closed_and_without_partner_mail(users, social, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(users, social, kind=Kind.INFORMATIE, consent=False)
    assert referral.status == Status.INFORMATIE and referral.closed_at is not None
    assert mail.outbox == []


# --- scoping: three users for every view -------------------------------------------------------------
@pytest.mark.parametrize("path", ["detail", "list"])
def test_it_shows_a_referral_to_the_owner_and_colleague_but_not_to_an_outsider(client_for, users, social, path):
    referral = refer(users, social)
    url = f"/verwijzingen/{referral.uuid}/" if path == "detail" else "/verwijzingen/"
    for username in ("medewerker", "collega", "coordinator"):
        response = client_for(username).get(url)
        assert response.status_code == 200, username
        assert "SchuldHulpMaatje Rotterdam" in response.content.decode()
    outsider = client_for("medewerker-gouda").get(url)
    if path == "detail":
        assert outsider.status_code == 404
    else:
        assert outsider.status_code == 200 and str(referral.uuid) not in outsider.content.decode()


def test_it_lets_a_partner_see_only_its_own_referrals(client_for, users, social):
    mine = refer(users, social)
    other = refer(users, social, partner="Het Juridisch Loket")
    client = client_for("partner")
    listing = client.get("/verwijzingen/").content.decode()
    assert str(mine.uuid) in listing and str(other.uuid) not in listing
    # In words, not Balie's codes: a partner does not know "BELASTINGDIENST · BETALEN".
    assert "Belastingdienst · " in listing and "BELASTINGDIENST" not in listing
    assert client.get(f"/verwijzingen/{mine.uuid}/").status_code == 200
    assert client.get(f"/verwijzingen/{other.uuid}/").status_code == 404
    # A partner account without a partner organisation has no rights at all (core.access: half set up sees nothing).
    PartnerUser.objects.all().delete()
    assert client.get(f"/verwijzingen/{mine.uuid}/").status_code == 403
    assert client.get("/verwijzingen/").status_code == 403


@pytest.mark.parametrize("username,status", [("gemeente", 403), ("landelijk", 403)])
def test_it_refuses_referral_pages_to_aggregate_roles(client_for, users, social, username, status):
    referral = refer(users, social)
    assert client_for(username).get(f"/verwijzingen/{referral.uuid}/").status_code == status
    assert client_for(username).get("/verwijzingen/").status_code == status


def test_it_refuses_the_refer_page_for_another_organisations_question(client_for, users, social):
    question = register(users["medewerker"])
    assert client_for("collega").get(f"/verwijzingen/nieuw/{question.uuid}/").status_code == 200
    assert client_for("medewerker-gouda").get(f"/verwijzingen/nieuw/{question.uuid}/").status_code == 404
    assert client_for("partner").get(f"/verwijzingen/nieuw/{question.uuid}/").status_code == 403


def test_it_cannot_refer_to_a_partner_on_another_librarys_map(users, social):
    question = register(users["medewerker"])
    gouda = social["SchuldHulpMaatje Gouda"]
    with pytest.raises(services.ReferralInvalid):
        services.referral_create(user=users["medewerker"], question=question, partner=gouda, service=gouda.services.first(), kind=Kind.SAMEN_GEBELD)
    client = Client()
    client.force_login(users["medewerker"])
    assert client.get(f"/verwijzingen/nieuw/{question.uuid}/?dienst={gouda.services.first().uuid}").status_code == 404


# --- personal data: audit, encryption, visibility ------------------------------------------------------
def test_it_audit_logs_every_read_of_contact_data(client_for, users, social):
    referral = refer(users, social)
    before = AuditEvent.objects.filter(event="referral_contact_read").count()
    staff = client_for("collega").get(f"/verwijzingen/{referral.uuid}/?contact=1").content.decode()
    assert NAME in staff and PHONE in staff
    partner = client_for("partner").get(f"/verwijzingen/{referral.uuid}/?contact=1").content.decode()
    assert NAME in partner
    link = Client().get(link_path(referral) + "?contact=1").content.decode()
    assert NAME in link
    reads = list(AuditEvent.objects.filter(event="referral_contact_read").order_by("id")[before:])
    assert [(e.user.username if e.user else None, e.extra["via"], e.personal_data) for e in reads] == [
        ("collega", "balie", True), ("partner", "partneraccount", True), (None, "link", True)]
    assert all(e.object_uuid == str(referral.uuid) for e in reads)
    # Without asking for it, no contact data is decrypted (and nothing is logged).
    page = client_for("medewerker").get(f"/verwijzingen/{referral.uuid}/").content.decode()
    assert NAME not in page
    assert AuditEvent.objects.filter(event="referral_contact_read").count() == before + 3


def test_it_refuses_to_decrypt_for_someone_outside_the_loop(users, social):
    referral = refer(users, social)
    with pytest.raises(PermissionError):
        services.contact_for(referral, user=users["medewerker-gouda"], via="balie")


def test_it_keeps_personal_data_out_of_the_registration_export_and_the_figures(client_for, users, social):
    refer(users, social)
    export = client_for("coordinator").get("/balie/exporteren/")
    body = b"".join(export.streaming_content).decode()
    assert NAME not in body and "41234567" not in body
    figures = client_for("coordinator").get("/verwijzingen/cijfers/").content.decode()
    assert "SchuldHulpMaatje Rotterdam" in figures and NAME not in figures and "41234567" not in figures
    assert NAME not in str(selectors.referral_figures(users["coordinator"].organisation))


def test_it_wipes_contact_data_when_consent_is_withdrawn(client_for, users, social):
    referral = refer(users, social)
    client_for("medewerker").post(f"/verwijzingen/{referral.uuid}/", {"action": "withdraw_consent"})
    referral.refresh_from_db()
    assert referral.contact_ciphertext == "" and referral.personal_data_deleted_at is not None


def test_it_needs_the_key_to_read_contact_data(users, social, settings):
    referral = refer(users, social)
    from balie.core import crypto

    old_key = settings.BALIE_PII_KEY
    settings.BALIE_PII_KEY = "HkBVJkFh1nRvq5sWgIOpqLLTVuN7MkB7i-VbW6uSDuw="
    with pytest.raises(crypto.DecryptionFailed):
        services.contact_for(referral, user=users["medewerker"], via="balie")
    # Rotation: the new key first, the old one still decrypts.
    settings.BALIE_PII_KEY = f"HkBVJkFh1nRvq5sWgIOpqLLTVuN7MkB7i-VbW6uSDuw=,{old_key}"
    assert services.contact_for(referral, user=users["medewerker"], via="balie")["naam"] == NAME


# --- retention (time travel) ------------------------------------------------------------------------------
def test_it_deletes_personal_data_90_days_after_closing_and_not_before(users, social, settings):
    settings.BALIE_REFERRAL_RETENTION_DAYS = 90
    start = timezone.now() - dt.timedelta(days=200)
    referral = refer(users, social, now=start)
    still_open = refer(users, social, now=start)
    closed = start + dt.timedelta(days=3)
    services.transition(referral, Status.GEHOLPEN, actor=services.PARTNER, via="link", now=closed)
    assert services.purge_personal_data(now=closed + dt.timedelta(days=89)) == 0
    referral.refresh_from_db()
    assert referral.contact_ciphertext
    assert services.purge_personal_data(now=closed + dt.timedelta(days=90, minutes=1)) == 1
    referral.refresh_from_db()
    still_open.refresh_from_db()
    assert referral.contact_ciphertext == "" and referral.personal_data_deleted_at == closed + dt.timedelta(days=90, minutes=1)
    assert still_open.contact_ciphertext  # open referrals keep their contact data
    assert AuditEvent.objects.filter(event="referral_contact_deleted", object_uuid=str(referral.uuid), personal_data=True).exists()
    # The referral itself stays for the figures, anonymous.
    assert Referral.objects.filter(pk=referral.pk, status=Status.GEHOLPEN).exists()


def test_it_runs_retention_from_the_command_and_the_task(users, social, settings):
    settings.BALIE_REFERRAL_RETENTION_DAYS = 10
    referral = refer(users, social, now=timezone.now() - dt.timedelta(days=30))
    services.transition(referral, Status.NIET_BEREIKT, actor=services.PARTNER, via="link", now=timezone.now() - dt.timedelta(days=20))
    call_command("purge_personal_data")
    referral.refresh_from_db()
    assert referral.contact_ciphertext == ""
    from balie.referrals.tasks import purge_personal_data_task

    assert purge_personal_data_task.call() == 0


# --- the status loop --------------------------------------------------------------------------------------
def test_it_appends_every_transition_and_refuses_illegal_ones(users, social):
    referral = refer(users, social)
    services.transition(referral, Status.ONTVANGEN, actor=services.PARTNER, via="link")
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(referral, Status.VERSTUURD, actor=services.PARTNER, via="link")  # backwards
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(referral, Status.TERUGGETROKKEN, actor=services.PARTNER, via="link")  # only the library withdraws
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(referral, Status.GEHOLPEN, actor=services.LIBRARY, via="balie")  # only the partner reports outcomes
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(referral, Status.AFGEWEZEN, actor=services.PARTNER, via="link")  # needs a reason
    services.transition(referral, Status.AFGEWEZEN, actor=services.PARTNER, via="link", reason="geen_capaciteit")
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(referral, Status.GEHOLPEN, actor=services.PARTNER, via="link")  # closed is closed
    history = list(referral.history.values_list("from_status", "to_status", "reason"))
    assert history == [("", "verstuurd", ""), ("verstuurd", "ontvangen", ""), ("ontvangen", "afgewezen", "geen_capaciteit")]
    referral.refresh_from_db()
    assert referral.status == Status.AFGEWEZEN and referral.closed_at and referral.first_response_at
    row = referral.history.last()
    row.to_status = Status.GEHOLPEN
    with pytest.raises(ValueError):
        row.save()


def test_it_lets_the_library_withdraw_and_refuses_an_illegal_move_over_http(client_for, users, social):
    referral = refer(users, social)
    client = client_for("collega")
    bad = client.post(f"/verwijzingen/{referral.uuid}/", {"status": "geholpen"}, follow=True)
    assert "kan de bibliotheek niet kiezen" in bad.content.decode()
    client.post(f"/verwijzingen/{referral.uuid}/", {"status": "teruggetrokken"})
    referral.refresh_from_db()
    assert referral.status == Status.TERUGGETROKKEN
    assert client_for("medewerker-gouda").post(f"/verwijzingen/{referral.uuid}/", {"status": "teruggetrokken"}).status_code == 404


def test_it_lets_a_partner_account_update_the_status(client_for, users, social):
    referral = refer(users, social)
    client = client_for("partner")
    client.post(f"/verwijzingen/{referral.uuid}/", {"status": "in_behandeling"})
    client.post(f"/verwijzingen/{referral.uuid}/", {"status": "geholpen", "toelichting": "Afspraak gemaakt"})
    assert list(referral.history.values_list("to_status", "via", "by__username")) == [
        ("verstuurd", "balie", "medewerker"), ("in_behandeling", "partneraccount", "partner"), ("geholpen", "partneraccount", "partner")]


# --- the personal link ----------------------------------------------------------------------------------
def test_it_lets_the_partner_update_through_the_link_without_an_account(users, social):
    referral = refer(users, social)
    client = Client()
    page = client.get(link_path(referral))
    assert page.status_code == 200 and "SchuldHulpMaatje" in page.content.decode() and NAME not in page.content.decode()
    client.post(link_path(referral), {"status": "geholpen"})
    referral.refresh_from_db()
    assert referral.status == Status.GEHOLPEN
    assert referral.history.last().via == "link" and referral.history.last().by is None


def test_it_refuses_an_expired_link(users, social, settings):
    referral = refer(users, social)
    path = link_path(referral)
    settings.BALIE_PARTNER_LINK_DAYS = 0
    assert Client().get(path).status_code == 404
    settings.BALIE_PARTNER_LINK_DAYS = 30
    assert Client().get(path).status_code == 200


def test_it_refuses_a_link_for_another_referral_or_another_purpose(users, social):
    first, second = refer(users, social), refer(users, social)
    token = links.link_token(first)
    assert Client().get(f"/verwijzingen/{second.uuid}/partner/{token}/").status_code == 404
    assert Client().post(f"/verwijzingen/{second.uuid}/partner/{token}/", {"status": "geholpen"}).status_code == 404
    second.refresh_from_db()
    assert second.status == Status.VERSTUURD
    # Same signing key, different purpose (a signal response link): refused.
    other_purpose = signing.TimestampSigner(salt="balie.signals.response").sign_object({"r": str(first.uuid), "p": "status"})
    assert Client().get(f"/verwijzingen/{first.uuid}/partner/{other_purpose}/").status_code == 404
    wrong_purpose = signing.TimestampSigner(salt=links.LINK_SALT).sign_object({"r": str(first.uuid), "p": "iets-anders"})
    assert Client().get(f"/verwijzingen/{first.uuid}/partner/{wrong_purpose}/").status_code == 404
    assert Client().get(f"/verwijzingen/{first.uuid}/partner/{token[:-2]}xx/").status_code == 404


# --- follow-up and reminders -------------------------------------------------------------------------------
def test_it_counts_dutch_working_days_without_holidays():
    # Christmas 2026: Friday 25 and Saturday 26 December; Boxing Day is Saturday.
    assert dates.add_working_days(dt.date(2026, 12, 21), 10) == dt.date(2027, 1, 6)  # skips 25 Dec and 1 Jan
    assert dates.working_days_between(dt.date(2026, 4, 24), dt.date(2026, 4, 28)) == 1  # 27 April is Koningsdag


def test_it_puts_referrals_without_update_for_10_working_days_on_the_follow_up_list(client_for, users, social, settings,
                                                                                   django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = refer(users, social, now=timezone.now() - dt.timedelta(days=20), notify=False)
    fresh = refer(users, social, notify=False)
    answered = refer(users, social, now=timezone.now() - dt.timedelta(days=20), notify=False)
    services.transition(answered, Status.ONTVANGEN, actor=services.PARTNER, via="link", now=timezone.now() - dt.timedelta(days=1))
    listed = selectors.followup(users["coordinator"])
    assert [r.pk for r in listed] == [old.pk]
    page = client_for("coordinator").get("/verwijzingen/opvolgen/").content.decode()
    assert f"/verwijzingen/{old.uuid}/" in page and f"/verwijzingen/{fresh.uuid}/" not in page
    assert client_for("medewerker").get("/verwijzingen/opvolgen/").status_code == 403
    assert client_for("coordinator-gouda").get("/verwijzingen/opvolgen/").content.decode().count("/verwijzingen/") < 5
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0  # not again within 10 working days
    call_command("run_worker", "--once", verbosity=0)
    assert mail.outbox[0].subject.startswith("Herinnering") and f"/verwijzingen/{old.uuid}/partner/" in mail.outbox[0].body
    call_command("send_referral_reminders")


def test_it_lets_the_coordinator_send_a_reminder_by_hand(client_for, users, social, django_capture_on_commit_callbacks):
    referral = refer(users, social, notify=False)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(f"/verwijzingen/{referral.uuid}/herinneren/")
    call_command("run_worker", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    assert client_for("coordinator-gouda").post(f"/verwijzingen/{referral.uuid}/herinneren/").status_code == 404
    assert client_for("medewerker").post(f"/verwijzingen/{referral.uuid}/herinneren/").status_code == 403


# --- figures ---------------------------------------------------------------------------------------------
def test_it_computes_outcome_shares_and_median_time_to_first_response(users, social):
    start = timezone.now() - dt.timedelta(days=10)
    for n, outcome in enumerate([Status.GEHOLPEN, Status.GEHOLPEN, Status.GEHOLPEN, Status.NIET_BEREIKT]):
        r = refer(users, social, now=start, notify=False)
        services.transition(r, Status.ONTVANGEN, actor=services.PARTNER, via="link", now=start + dt.timedelta(days=n + 1))
        services.transition(r, outcome, actor=services.PARTNER, via="link", now=start + dt.timedelta(days=5))
    refer(users, social, notify=False)  # still open
    refer(users, social, kind=Kind.INFORMATIE, consent=False)
    rows = selectors.referral_figures(users["coordinator"].organisation, timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    row = next(r for r in rows if r["partner"] == "SchuldHulpMaatje Rotterdam")
    assert (row["warm"], row["plain"], row["open"], row["closed"]) == (5, 1, 1, 4)
    assert row["shares"]["geholpen"] == 0.75 and row["shares"]["niet_bereikt"] == 0.25
    assert row["median_days_to_first_response"] == 2.5
    suppressed = selectors.referral_figures(users["coordinator"].organisation, suppress=True)[0]
    assert suppressed["closed"] is None and suppressed["plain"] is None and suppressed["shares"]["geholpen"] is None
    # Another library's figures do not include these.
    assert selectors.referral_figures(users["coordinator-gouda"].organisation) == []


def test_it_computes_the_share_of_visits_with_structural_contact(users, social):
    staff = users["medewerker"]
    referred = register(staff)
    register(staff)
    register(staff)
    course_question = register(staff, instantie="GEEN", onderwerp="APPARAAT", uitkomst="OPGELOST")
    refer(users, social, question=referred, notify=False)
    refer(users, social, kind=Kind.INFORMATIE, consent=False, question=register(staff))  # plain: not structural
    from balie.courses import services as course_services

    course_services.course_refer(user=staff, course=Course.objects.filter(organisation=staff.organisation).first(), question=course_question)
    figures = selectors.structural_contact(staff.organisation)
    assert figures == {"visits": 5, "structural": 2, "partner": 1, "course": 1, "share": 0.4}


def test_it_shows_the_figures_page_only_to_coordinators(client_for, users, social):
    refer(users, social)
    assert client_for("coordinator").get("/verwijzingen/cijfers/").status_code == 200
    assert client_for("medewerker").get("/verwijzingen/cijfers/").status_code == 403
    assert "SchuldHulpMaatje" not in client_for("coordinator-gouda").get("/verwijzingen/cijfers/").content.decode()
    assert client_for("partner").get("/verwijzingen/cijfers/").status_code == 403


def test_it_links_the_demo_partner_account_to_one_organisation_for_referrals_and_signals(users, social):
    shm = PartnerUser.objects.get(user=users["partner"]).partner
    assert shm.name == "SchuldHulpMaatje Rotterdam" and shm.receives_referrals and shm.receives_signals
    cak = Partner.objects.get(name="CAK")
    assert cak.receives_signals and cak.national and cak.codes == ["CAK"]


def test_it_keeps_the_consent_text_plain_and_complete(users, social):
    text = services.consent_text("Het Juridisch Loket")
    for part in ("naam", "telefoonnummer of e-mailadres", "Het Juridisch Loket", "90 dagen", "intrekken"):
        assert part in text
    assert re.search(r"\b(verwerkingsverantwoordelijke|grondslag|AVG)\b", text) is None
