"""The 'Wachtwoord vergeten?' e-mail, sent by the background worker.

Why a task: the page then answers in the same time whether or not the address belongs to an account (sending by SMTP
inside the request would give that away), and a mail server that is down never touches the page. The task gets only
account ids; the one-time link is made when the mail is sent, with BALIE_BASE_URL as the address (never the Host
header of whoever asked).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from balie.core import outbox


def reset_minutes() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 60)


@task()
def send_password_reset_task(user_ids: list[int]) -> int:
    """Mail each account its link (in the account's language). Returns the number of mails sent; a failing mail
    server fails the task (and shows in the worker's log), it does not fail the page."""
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        if not user.has_usable_password():
            continue
        context = {
            "user": user, "base_url": settings.BALIE_BASE_URL, "minutes": reset_minutes(),
            "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
        }
        # In the language the person chose for Balie (account page), Dutch unless they chose English.
        with translation.override(user.language if user.language in ("nl", "en") else "nl"):
            subject = "".join(loader.render_to_string("registration/password_reset_subject.txt", context).splitlines())
            body = loader.render_to_string("registration/password_reset_email.txt", context)
        # Through the outbox like every other e-mail: the text (with the one-time link) is stored encrypted, a mail
        # server that is down gets retried. One key per request (each asked-for e-mail is sent); never the token itself.
        outbox.queue(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]),
                     key=f"wachtwoord:{user.pk}:{uuid.uuid4().hex}")
        sent += 1
    return sent
