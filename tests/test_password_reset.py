"""'Wachtwoord vergeten?' (issue 12 item 1): Django's reset flow in Dutch, one-time expiring links, rate limited, audited,
and no way around the second factor. Mails go to the locmem outbox of the test runner."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.accounts import services
from balie.core.models import AuditEvent

NEW = "Nieuw-en-lang-genoeg-7"
LINK = re.compile(r"http://testserver(/wachtwoord-vergeten/nieuw/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _mail_task_runs_at_once(settings):
    # The mail is a background task; here it runs inside the request so the outbox can be read straight away.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.BALIE_BASE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _commits_happen(monkeypatch):
    # The reset mail goes through core/outbox.py, which sends after the transaction commits; the test's transaction
    # never commits, so here "after the commit" is "now" (what a real request's autocommit does).
    from django.db import transaction
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def with_email(users):
    for username in ("medewerker", "coordinator"):
        users[username].email = f"{username}@bibliotheek-rotterdam.nl"
        users[username].save(update_fields=["email"])
    return users


def _ask(email: str, address: str = "127.0.0.1", **headers) -> object:
    return Client(REMOTE_ADDR=address, **headers).post("/wachtwoord-vergeten/", {"email": email})


def _link() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    found = LINK.search(mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(1)


def _set(client: Client, link: str, password: str = NEW) -> object:
    step = client.get(link)
    assert step.status_code == 302  # Django moves the token out of the address bar into the session
    return client.post(step["Location"], {"new_password1": password, "new_password2": password})


def test_the_login_page_links_to_the_reset_form(db):
    html = Client().get("/inloggen/").content.decode()
    assert 'href="/wachtwoord-vergeten/"' in html and "Wachtwoord vergeten?" in html


def test_a_reset_by_e_mail_works_end_to_end_and_the_link_only_once(with_email):
    response = _ask("MEDEWERKER@Bibliotheek-Rotterdam.nl ")
    assert response.status_code == 302 and response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    message = mail.outbox[0]
    assert message.to == ["medewerker@bibliotheek-rotterdam.nl"] and message.subject == "Nieuw wachtwoord voor Balie"
    assert "Kies een nieuw wachtwoord met deze link" in message.body and "60 minuten" in message.body
    link = _link()
    client = Client()
    done = _set(client, link)
    assert done.status_code == 302 and done["Location"] == "/wachtwoord-vergeten/klaar/"
    assert "U kunt nu inloggen" in client.get(done["Location"]).content.decode()
    assert not client.get("/balie/").status_code == 200  # a reset signs nobody in
    user = get_user_model().objects.get(username="medewerker")
    assert user.check_password(NEW) and not user.check_password("demo")
    # The same link again: used up (the password it was made for has changed).
    again = Client().get(link)
    assert again.status_code == 400 and "Deze link werkt niet meer" in again.content.decode()
    assert Client().post("/inloggen/", {"username": "medewerker", "password": NEW}).status_code == 302
    requested = AuditEvent.objects.get(event="password_reset_requested")
    assert requested.extra["account_found"] is True and requested.object_uuid == str(user.pk)
    assert "bibliotheek-rotterdam" not in str(requested.extra)  # the typed address is not kept
    assert AuditEvent.objects.filter(event="password_reset_done", user=user).count() == 1


@pytest.mark.parametrize("email", ["niemand@bibliotheek-rotterdam.nl", "collega@example.org"])
def test_an_unknown_address_gets_the_same_answer_and_no_mail(with_email, email):
    known, unknown = _ask("coordinator@bibliotheek-rotterdam.nl", "10.0.0.1"), _ask(email, "10.0.0.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(unknown["Location"]).content.decode()
    assert "Hoort er een account bij dit e-mailadres?" in page
    assert AuditEvent.objects.filter(event="password_reset_requested", extra__account_found=False).count() == 1


def test_the_page_itself_sends_no_mail_and_queues_alike_for_known_and_unknown_addresses(with_email, settings):
    from django_tasks_db.models import DBTaskResult

    from balie.accounts.tasks import send_password_reset_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # A mail server that is down cannot reach the page: it only queues.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    known, unknown = _ask("coordinator@bibliotheek-rotterdam.nl", "10.0.0.1"), _ask("niemand@example.org", "10.0.0.2")
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    queued = [task.args_kwargs["kwargs"]["user_ids"] for task in DBTaskResult.objects.order_by("enqueued_at")]
    assert queued == [[with_email["coordinator"].pk], []]  # ids only: no token or link waits in the queue
    # The worker puts it in the outbox (core/outbox.py); a failing server is retried there, it fails neither page nor task.
    from balie.core import outbox
    from balie.core.models import OutgoingMail
    assert send_password_reset_task.call(user_ids=queued[0]) == 1 and send_password_reset_task.call(user_ids=queued[1]) == 0
    stored = OutgoingMail.objects.get()
    assert outbox.deliver(stored.pk) != "verstuurd" and mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    stored.refresh_from_db()
    outbox.deliver(stored.pk, now=stored.next_attempt_at)
    assert LINK.search(mail.outbox[0].body)


def test_an_expired_link_is_refused(with_email, monkeypatch, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    _ask("coordinator@bibliotheek-rotterdam.nl")
    link = _link()
    later = PasswordResetTokenGenerator()._now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = Client().get(link)
    assert response.status_code == 400 and "Deze link werkt niet meer" in response.content.decode()
    assert get_user_model().objects.get(username="coordinator").check_password("demo")


@pytest.mark.parametrize("weak", ["1234567890", "kort", "medewerker1", "password123"])
def test_the_new_password_goes_through_the_validators(with_email, weak):
    _ask("medewerker@bibliotheek-rotterdam.nl")
    client = Client()
    response = _set(client, _link(), weak)
    assert response.status_code == 422 and "error-text" in response.content.decode()
    assert get_user_model().objects.get(username="medewerker").check_password("demo")


@pytest.mark.usefixtures("still_clock")
def test_the_form_is_rate_limited_per_address_and_per_e_mail(with_email):
    for n in range(5):
        assert _ask(f"iemand{n}@example.org", "10.1.1.1").status_code == 302
    throttled = _ask("medewerker@bibliotheek-rotterdam.nl", "10.1.1.1")
    assert throttled.status_code == 429 and "te vaak een nieuw wachtwoord aangevraagd" in throttled.content.decode()
    assert mail.outbox == []
    # One e-mail address from many machines: held back after five as well (spelling does not matter).
    for n in range(5):
        assert _ask("Coordinator@bibliotheek-rotterdam.nl" if n % 2 else "coordinator@bibliotheek-rotterdam.nl", f"10.2.0.{n}").status_code == 302
    assert _ask("coordinator@bibliotheek-rotterdam.nl", "10.2.0.99").status_code == 429
    assert len(mail.outbox) == 5


@pytest.mark.usefixtures("still_clock")
@pytest.mark.parametrize("address", ["", "niet-een-adres", "2001:db8::1"])
def test_the_rate_limit_copes_with_any_remote_address(with_email, address):
    # Behind a Unix socket REMOTE_ADDR can be empty; IPv6 addresses count per /64 network.
    for n in range(5):
        assert _ask(f"x{n}@example.org", address).status_code == 302
    other = "2001:db8::ffff" if ":" in address else address
    assert _ask("y@example.org", other).status_code == 429


@pytest.mark.parametrize("bad", ["", "geen-adres", "a@b", "x" * 300 + "@example.org"])
def test_a_bad_address_is_a_clear_dutch_message(db, bad):
    response = _ask(bad)
    assert response.status_code == 422 and "error-text" in response.content.decode()
    assert mail.outbox == []


def test_a_reset_does_not_get_past_the_second_factor(with_email, settings):
    settings.BALIE_REQUIRE_2FA = True
    user = with_email["coordinator"]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _ask("coordinator@bibliotheek-rotterdam.nl")
    assert _set(Client(), _link()).status_code == 302
    client = Client()
    assert client.post("/inloggen/", {"username": "coordinator", "password": NEW}).status_code == 302
    assert client.get("/organisatie/")["Location"].startswith("/inloggen/code/")
    code = f"{totp(device.bin_key, digits=device.digits):06d}"
    assert client.post("/inloggen/code/", {"code": code}).status_code == 302
    assert client.get("/organisatie/").status_code == 200


def test_the_mail_is_dutch_and_the_pages_english_for_an_english_browser(with_email):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    html = client.get("/wachtwoord-vergeten/").content.decode()
    assert "Forgot your password" in html and '<html lang="en"' in html
    assert client.post("/wachtwoord-vergeten/", {"email": "medewerker@bibliotheek-rotterdam.nl"}).status_code == 302
    assert "Kies een nieuw wachtwoord" in mail.outbox[0].body
    assert "Check your e-mail" in client.get("/wachtwoord-vergeten/verstuurd/").content.decode()


def test_the_mail_goes_through_the_outbox_from_the_configured_sender_in_the_users_language(with_email, settings):
    from balie.core.models import OutgoingMail
    settings.DEFAULT_FROM_EMAIL = "Bibliotheek Rotterdam IDO <ido@bibliotheek-rotterdam.nl>"
    settings.BALIE_MAIL_REPLY_TO = ["balie@bibliotheek-rotterdam.nl"]
    with_email["coordinator"].language = "en"
    with_email["coordinator"].save(update_fields=["language"])
    _ask("coordinator@bibliotheek-rotterdam.nl")
    message = mail.outbox[0]
    assert message.from_email == "Bibliotheek Rotterdam IDO <ido@bibliotheek-rotterdam.nl>"
    assert message.reply_to == ["balie@bibliotheek-rotterdam.nl"]
    assert message.subject == "New password for Balie" and "Choose a new password with this link:" in message.body
    assert "Kies" not in message.body and LINK.search(message.body)
    stored = OutgoingMail.objects.get(to=["coordinator@bibliotheek-rotterdam.nl"])
    token = LINK.search(message.body).group(1).rstrip("/").rsplit("/", 1)[1]
    assert stored.key.startswith("wachtwoord:") and token not in stored.key  # the one-time token is not stored readable


def test_a_reset_also_ends_a_password_chosen_by_the_coordinator(with_email):
    user = with_email["medewerker"]
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    _ask("medewerker@bibliotheek-rotterdam.nl")
    _set(Client(), _link())
    user.refresh_from_db()
    assert not user.must_change_password
    services.password_changed(user=user, via="form")  # the other way in, for completeness: still off, audited
    assert AuditEvent.objects.filter(event="password_changed", user=user).count() == 1


def test_every_text_of_the_login_and_account_pages_is_in_the_english_catalogue():
    """The pages of accounts follow the browser's language: each text needs its English line (balie/locale/en)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    po = (root / "balie/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = dict(re.findall(r'^msgid "(.*)"\nmsgstr(?:\[0\])? "(.*)"$', po, re.MULTILINE))
    entries.update(re.findall(r'^msgid "(.*)"\nmsgid_plural ".*"\nmsgstr\[0\] "(.*)"$', po, re.MULTILINE))
    found = []
    templates = [*(root / "balie/templates/accounts").glob("*.html"), *(root / "balie/templates/registration").glob("*.html")]
    for path in templates:
        source = path.read_text(encoding="utf-8")
        found += re.findall(r"""{% translate ["'](.+?)["'](?: as \w+)? %}""", source)
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", source, re.DOTALL):
            found.append(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for path in (root / "balie/accounts").rglob("*.py"):
        found += re.findall(r"""\b_\(["'](.+?)["']\)""", path.read_text(encoding="utf-8"))
    missing = sorted({text for text in found if not entries.get(text)})
    assert len(found) > 80 and missing == [], missing
