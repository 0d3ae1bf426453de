"""A mail outage never fails a request nor duplicates a referral (review M8a): e-mail goes through core/outbox.py.

The mail server is this module's `FlakyBackend` (settings.EMAIL_BACKEND points here): down until a test brings it
back, then it delivers into django.core.mail.outbox like Django's locmem backend.
"""

from __future__ import annotations

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from balie.core import outbox
from balie.core.models import AuditEvent, MailStatus, OutgoingMail
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location
from balie.referrals import services as referral_services
from balie.referrals.models import Referral

NAME, PHONE = "Jantine Voorbeeldig", "06 41234567"


class FlakyBackend(BaseEmailBackend):
    """A mail server that can be down in several ways (the review: no SMTP server at all) and can come back."""

    failure: BaseException | None = None
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.failure is not None:
            raise FlakyBackend.failure
        for message in messages:
            message.message()  # builds the MIME message like every real backend: a bad header raises here
        mail.outbox.extend(messages)
        return len(messages)


OUTAGES = {
    "refused": ConnectionRefusedError(111, "Connection refused"),
    "disconnected": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    "timeout": TimeoutError("timed out"),
    "rejected": smtplib.SMTPDataError(451, b"4.3.0 Mail server temporarily rejected message"),
}


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "test_mail_outbox.FlakyBackend"
    FlakyBackend.failure, FlakyBackend.attempts = None, 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failure = None


@pytest.fixture
def social(network, users):
    return build_social_map()


@pytest.fixture
def api(users):
    def make(username: str) -> APIClient:
        out = io.StringIO()
        call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
        return client

    return make


def question(user):
    visit, _ = desk_services.visit_register(user=user, location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "CJIB", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


def post_referral(client, q, service, key=None):
    body = {"registratie": str(q.uuid), "dienst": str(service.uuid), "soort": "per_email", "toestemming": True,
            "contact": {"naam": NAME, "telefoon": PHONE}}
    return client.post("/api/v1/verwijzingen", body, format="json", **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))


def run_worker() -> None:
    call_command("run_worker", "--once", verbosity=0)


def time_passes() -> None:
    """Every deferred retry is due now (instead of waiting 30 s, 1 min, ...)."""
    past = timezone.now() - dt.timedelta(seconds=1)
    OutgoingMail.objects.filter(status=MailStatus.WAITING).update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


@pytest.mark.parametrize("outage", sorted(OUTAGES))
def test_a_referral_during_a_mail_outage_is_created_once_and_the_partner_mailed_once_after(
        api, users, social, smtp, django_capture_on_commit_callbacks, outage):
    smtp.failure = OUTAGES[outage]
    client = api("medewerker")
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    q = question(users["medewerker"])
    with django_capture_on_commit_callbacks(execute=True):
        first = post_referral(client, q, service, key="verwijzing-1")
        # A client that did not trust the answer sends the same request again.
        again = post_referral(client, q, service, key="verwijzing-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Referral.objects.count() == 1 and OutgoingMail.objects.count() == 1
    assert smtp.attempts == 0  # the request never talked to the mail server
    run_worker()
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts, smtp.attempts) == (MailStatus.WAITING, 1, 1)
    assert queued.next_attempt_at > timezone.now() and queued.last_error  # retried later, with back-off
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 1  # the deferred retry
    referral = Referral.objects.get()
    page = client_for_library(users).get(f"/verwijzingen/{referral.uuid}/").content.decode()
    assert "Partner nog niet bereikt per e-mail" in page
    assert not AuditEvent.objects.filter(event="referral_partner_notified").exists()  # not claimed before it is true

    run_worker()  # not due yet: no second attempt
    assert smtp.attempts == 1
    smtp.failure = None  # the mail server is back
    time_passes()
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [service.referral_email]
    assert f"/verwijzingen/{referral.uuid}/partner/" in mail.outbox[0].body and NAME not in mail.outbox[0].body
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts, sent.sealed) == (MailStatus.SENT, 2, "")  # the link is not kept after sending
    assert AuditEvent.objects.filter(event="referral_partner_notified").count() == 1
    assert "Partner nog niet bereikt" not in client_for_library(users).get(f"/verwijzingen/{referral.uuid}/").content.decode()


def client_for_library(users):
    from django.test import Client

    client = Client()
    client.force_login(users["medewerker"])
    return client


def test_without_an_idempotency_key_a_mail_outage_still_answers_201_and_never_500(api, users, social, smtp, settings,
                                                                                 django_capture_on_commit_callbacks):
    # The review's reproduction: SMTP backend, no server. Before, both POSTs answered 500 after committing the referral.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # port 9: nothing listens
    client = api("medewerker")
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_referral(client, question(users["medewerker"]), service).status_code for _ in range(2)]
    assert answers == [201, 201] and Referral.objects.count() == 2  # two requests, two referrals: nothing doubled
    run_worker()
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.WAITING, 1)}


def test_the_web_form_redirects_during_a_mail_outage(client_for, users, social, smtp, django_capture_on_commit_callbacks):
    smtp.failure = OUTAGES["refused"]
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    q = question(users["medewerker"])
    data = {"dienst": str(service.uuid), "soort": "samen_gebeld", "toestemming": "ja", "naam": NAME, "telefoon": PHONE,
            "submission_key": "form-1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("medewerker").post(f"/verwijzingen/nieuw/{q.uuid}/", data)
    assert response.status_code == 302 and Referral.objects.count() == 1


def test_the_partner_is_shown_as_not_reached_when_every_attempt_fails(users, social, smtp, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.BALIE_MAIL_MAX_ATTEMPTS = 3
    smtp.failure = OUTAGES["disconnected"]
    partner = social["SchuldHulpMaatje Rotterdam"]
    with django_capture_on_commit_callbacks(execute=True):
        referral, _ = referral_services.referral_create(
            user=users["medewerker"], question=question(users["medewerker"]), partner=partner, service=partner.services.first(),
            kind="samen_gebeld")
    for _ in range(3):
        run_worker()
        time_passes()
    failed = OutgoingMail.objects.get()
    assert (failed.status, failed.attempts, failed.sealed) == (MailStatus.FAILED, 3, "")
    assert "steeds mislukt" in referral_services.mail_problem(referral)
    assert AuditEvent.objects.filter(event="mail_failed").count() == 1
    run_worker()
    assert smtp.attempts == 3  # given up: no fourth attempt
    page = client_for_library(users).get(f"/verwijzingen/{referral.uuid}/").content.decode()
    assert "Partner nog niet bereikt per e-mail: het versturen is steeds mislukt." in page


def test_a_header_with_a_newline_fails_at_once_instead_of_retrying(users, social, smtp, django_capture_on_commit_callbacks):
    # An address with a newline (the review's HSDS case) cannot become right by waiting.
    partner = social["SchuldHulpMaatje Rotterdam"]
    service = partner.services.first()
    type(service).objects.filter(pk=service.pk).update(email="partner@example.org\nBcc: victim@example.net")
    service.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        referral_services.referral_create(user=users["medewerker"], question=question(users["medewerker"]), partner=partner,
                                          service=service, kind="samen_gebeld")
    run_worker()
    assert OutgoingMail.objects.get().status == MailStatus.FAILED and mail.outbox == []


def test_two_tasks_for_one_e_mail_send_it_once_and_a_lost_enqueue_is_swept_up(users, social, smtp, django_capture_on_commit_callbacks):
    partner = social["SchuldHulpMaatje Rotterdam"]
    with django_capture_on_commit_callbacks(execute=True):
        referral_services.referral_create(user=users["medewerker"], question=question(users["medewerker"]), partner=partner,
                                          service=partner.services.first(), kind="samen_gebeld")
    first = OutgoingMail.objects.get()
    outbox.deliver_mail.enqueue(first.pk)  # a second task for the same row (a sweep and a retry crossing)
    run_worker()
    assert len(mail.outbox) == 1

    # The queue was unreachable just after the commit (the on_commit enqueue never ran): the row waits without a task, and
    # the worker's sweep sends it once it is a minute overdue.
    with django_capture_on_commit_callbacks(execute=False):
        referral_services.referral_create(user=users["medewerker"], question=question(users["medewerker"]), partner=partner,
                                          service=partner.services.first(), kind="per_email")
    lost = OutgoingMail.objects.exclude(pk=first.pk).get()
    run_worker()
    assert OutgoingMail.objects.get(pk=lost.pk).status == MailStatus.WAITING  # within the grace minute: left for its task
    OutgoingMail.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=2))
    run_worker()
    assert OutgoingMail.objects.get(pk=lost.pk).status == MailStatus.SENT and len(mail.outbox) == 2


def test_the_stored_e_mail_is_encrypted_because_it_carries_the_partner_link(users, social, smtp):
    partner = social["SchuldHulpMaatje Rotterdam"]
    referral, _ = referral_services.referral_create(user=users["medewerker"], question=question(users["medewerker"]),
                                                    partner=partner, service=partner.services.first(), kind="samen_gebeld")
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, sealed FROM core_outgoingmail")
        subject, sealed = cursor.fetchone()
    assert sealed and str(referral.uuid) not in sealed and "partner" not in sealed and "Beste" not in sealed
    assert f"/verwijzingen/{referral.uuid}/partner/" in outbox.message_of(OutgoingMail.objects.get()).body
    assert subject.startswith("Doorverwijzing van")


def test_a_reminder_during_a_mail_outage_is_queued_once_a_day_and_sent_when_the_server_is_back(client_for, users, social, smtp,
                                                                                    django_capture_on_commit_callbacks):
    smtp.failure = OUTAGES["refused"]
    partner = social["SchuldHulpMaatje Rotterdam"]
    referral, _ = referral_services.referral_create(user=users["medewerker"], question=question(users["medewerker"]), partner=partner,
                                                    service=partner.services.first(), kind="samen_gebeld", notify=False)
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(f"/verwijzingen/{referral.uuid}/herinneren/").status_code for _ in range(2)]
    assert answers == [302, 302] and OutgoingMail.objects.filter(key__contains="herinnering").count() == 1
    smtp.failure = None
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Herinnering")
    assert AuditEvent.objects.filter(event="referral_partner_reminded").count() == 1


def test_a_task_queue_that_fails_right_after_the_commit_does_not_fail_the_request(api, users, social, smtp, monkeypatch,
                                                                                  django_capture_on_commit_callbacks):
    from django.db import OperationalError

    class Unreachable:
        def enqueue(self, *args):
            raise OperationalError("the database went away just after the commit")

    monkeypatch.setattr(outbox, "deliver_mail", Unreachable())
    service = social["SchuldHulpMaatje Rotterdam"].services.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_referral(api("medewerker"), question(users["medewerker"]), service, key="na-commit")
    assert response.status_code == 201 and OutgoingMail.objects.get().status == MailStatus.WAITING  # the sweep sends it
