"""E-mail goes out through an outbox: the request writes one row, a task sends it after the commit (review M8).

    outbox.queue(EmailMessage(...), key=f"verwijzing:{referral.pk}:melding", audit_event=Event.X, audit_obj=referral)

Why: an e-mail sent inside the request (or in its on_commit) turns a mail outage into a 500 after the data was
committed, and a client that retries then creates a duplicate. Here the request never talks to the mail server:
- `queue` stores the message (text and attachments encrypted: the text carries a personal link) under a unique key, in
  the caller's transaction, and enqueues the task `deliver_mail` once that transaction commits. The same key twice
  (a retried request, a double click) is one e-mail.
- `deliver` claims the row (a conditional UPDATE, so two tasks for one row send once), sends, and marks it sent. A
  mail-server error puts it back with a growing wait (30 s ... 1 h) and a new deferred task; after
  BALIE_MAIL_MAX_ATTEMPTS it is `mislukt` and the page of the referral says the partner was not reached by e-mail.
- `sweep` (run by the worker's maintenance, core/worker.py) sends what a lost enqueue or a killed worker left behind.
Delivery is at-least-once only in one corner: a worker killed between the mail server's "OK" and the database update
sends that e-mail again after recovery. Everything else is exactly once.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from . import audit, crypto, worker
from .audit import Event
from .models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, ... attempt; the last one repeats. Eight attempts span about two hours.
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1200, 2400, 3600)
# A claimed row older than this was interrupted (the worker died mid-send): EMAIL_TIMEOUT bounds a real attempt.
CLAIM_EXPIRES = dt.timedelta(minutes=10)
# A due row no task picked up within this time is sent by the sweep (the enqueue after the commit was lost).
SWEEP_GRACE = dt.timedelta(seconds=60)
# Errors that a second attempt cannot fix (a header with a newline, an address the library refuses).
PERMANENT_ERRORS: tuple[type[Exception], ...] = (BadHeaderError, ValueError, UnicodeError)


def max_attempts() -> int:
    return int(getattr(settings, "BALIE_MAIL_MAX_ATTEMPTS", 8))


def queue(
    message: EmailMessage, *, key: str, audit_event: Event | None = None, audit_obj: models.Model | None = None,
    audit_user: Any = None, **audit_extra: Any,
) -> OutgoingMail:
    """Store `message` to be sent once, after the current transaction commits. The audit event is written when the
    mail server has accepted the e-mail, not before (it says the partner got an e-mail)."""
    payload = {
        "body": message.body, "from": message.from_email, "cc": list(message.cc), "bcc": list(message.bcc),
        # Where answers go: the message's own Reply-To, else the installation's (BALIE_MAIL_REPLY_TO).
        "reply_to": list(message.reply_to) or list(getattr(settings, "BALIE_MAIL_REPLY_TO", [])),
        "attachments": [_attachment(item) for item in message.attachments],
    }
    user = audit_user if getattr(audit_user, "is_authenticated", False) else None
    mail, created = OutgoingMail.objects.get_or_create(key=key[:160], defaults={
        "to": list(message.to), "subject": message.subject[:255], "sealed": crypto.seal_bytes(json.dumps(payload).encode()),
        "audit_event": audit_event.value if audit_event else "",
        "audit_object_type": audit_obj._meta.label_lower if audit_obj is not None else "",
        "audit_object_uuid": str(getattr(audit_obj, "uuid", audit_obj.pk)) if audit_obj is not None else "",
        "audit_extra": audit_extra, "audit_user": user,
    })
    if created:
        pk = mail.pk
        transaction.on_commit(lambda: enqueue(pk), robust=True)
    return mail


def _attachment(item: Any) -> list[str]:
    """(name, content, mimetype) as JSON; Balie only attaches files this way (not MIME parts)."""
    name, content, mimetype = item
    return [name, base64.b64encode(content if isinstance(content, bytes) else str(content).encode()).decode(), mimetype]


def enqueue(pk: int, run_after: dt.datetime | None = None) -> None:
    """Hand the row to the task worker. Never raises: if the queue cannot be reached now, `sweep` sends it later."""
    try:
        job = deliver_mail
        if run_after is not None and job.get_backend().supports_defer:
            job = job.using(run_after=run_after)
        job.enqueue(pk)
    except Exception:
        logger.warning("E-mail %s staat klaar maar kon niet aan de takenwachtrij worden gegeven; de veegronde verstuurt hem.", pk,
                       exc_info=True)


def message_of(mail: OutgoingMail) -> EmailMessage:
    payload: dict[str, Any] = json.loads(crypto.open_bytes(mail.sealed)) if mail.sealed else {"body": "", "attachments": []}
    message = EmailMessage(
        subject=mail.subject, body=payload["body"], from_email=payload.get("from") or settings.DEFAULT_FROM_EMAIL, to=list(mail.to),
        cc=payload.get("cc") or None, bcc=payload.get("bcc") or None, reply_to=payload.get("reply_to") or None,
    )
    for name, content, mimetype in payload.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def deliver(pk: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued e-mail if it is due and nobody else is sending it. Returns the row's status afterwards."""
    now = now or timezone.now()
    claimed = OutgoingMail.objects.filter(pk=pk, status=MailStatus.WAITING, next_attempt_at__lte=now).update(
        status=MailStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now,
    )
    mail = OutgoingMail.objects.filter(pk=pk).first()
    if mail is None or not claimed:
        return mail.status if mail else ""
    try:
        message_of(mail).send()
    except Exception as exc:
        return _failed(mail, exc, now)
    OutgoingMail.objects.filter(pk=pk, status=MailStatus.SENDING).update(
        status=MailStatus.SENT, sent_at=timezone.now(), sealed="", last_error="",
    )
    _audit(mail)
    return str(MailStatus.SENT)


def _failed(mail: OutgoingMail, exc: Exception, now: dt.datetime) -> str:
    reason = f"{type(exc).__name__}: {exc}"[:300]
    final = mail.attempts >= max_attempts() or isinstance(exc, PERMANENT_ERRORS)
    if final:
        logger.error("E-mail %s (%s) niet verstuurd na %s pogingen: %s", mail.pk, mail.key, mail.attempts, reason)
        # The text (with its personal link) is not kept for an e-mail that will not go out.
        OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, last_error=reason, sealed="")
        audit.log(Event.MAIL_FAILED, object_type=mail.audit_object_type, object_uuid=mail.audit_object_uuid, key=mail.key,
                  attempts=mail.attempts)
        return str(MailStatus.FAILED)
    wait = dt.timedelta(seconds=BACKOFF_SECONDS[min(mail.attempts, len(BACKOFF_SECONDS)) - 1])
    logger.warning("E-mail %s (%s) poging %s mislukt (%s); opnieuw over %s s", mail.pk, mail.key, mail.attempts, reason,
                   int(wait.total_seconds()))
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.WAITING, last_error=reason, next_attempt_at=now + wait)
    enqueue(mail.pk, run_after=now + wait)
    return str(MailStatus.WAITING)


def _audit(mail: OutgoingMail) -> None:
    if not mail.audit_event:
        return
    event = audit.event_for(mail.audit_event)
    audit.log(event, user=mail.audit_user, object_type=mail.audit_object_type, object_uuid=mail.audit_object_uuid,
              **mail.audit_extra)


@task()
def deliver_mail(pk: int) -> str:
    """The task behind `queue`: one e-mail, one attempt; a failed attempt enqueues the next one itself."""
    return deliver(pk)


def sweep(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Pick up what fell through: sends interrupted by a dead worker, due rows whose task was lost. Returns mails handled."""
    now = now or timezone.now()
    OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - CLAIM_EXPIRES).update(status=MailStatus.WAITING)
    due = list(OutgoingMail.objects.filter(status=MailStatus.WAITING, next_attempt_at__lte=now - SWEEP_GRACE)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for pk in due:
        deliver(pk, now=now)
    return len(due)


def latest(prefix: str) -> OutgoingMail | None:
    """The newest e-mail whose key starts with `prefix` (for example all e-mails about one referral)."""
    return OutgoingMail.objects.filter(key__startswith=prefix).defer("sealed").order_by("-created_at", "-pk").first()


RETRYING, GAVE_UP = "opnieuw", "mislukt"


def trouble(prefix: str) -> str:
    """"" when the newest e-mail under `prefix` went out (or is on its way), RETRYING after a failed attempt, GAVE_UP when it
    will not be sent. The pages of referrals and signals turn this into a sentence for staff."""
    mail = latest(prefix)
    if mail is None:
        return ""
    if mail.status == MailStatus.FAILED:
        return GAVE_UP
    if mail.status in (MailStatus.WAITING, MailStatus.SENDING) and mail.attempts and mail.last_error:
        return RETRYING
    return ""


def interrupted(task_path: str, args: list[Any], **_: Any) -> None:
    """A worker died while sending: the row goes back to the queue at once (instead of after CLAIM_EXPIRES)."""
    if task_path == deliver_mail.module_path and args:
        if OutgoingMail.objects.filter(pk=args[0], status=MailStatus.SENDING).update(status=MailStatus.WAITING):
            enqueue(args[0])


@receiver(worker.task_interrupted, dispatch_uid="balie.core.outbox.interrupted")
def _on_interrupted(sender: Any, task_path: str, args: list[Any], **kwargs: Any) -> None:
    interrupted(task_path, args)


@receiver(worker.maintenance, dispatch_uid="balie.core.outbox.sweep")
def _on_maintenance(sender: Any, now: dt.datetime, **kwargs: Any) -> None:
    sweep(now=now)
