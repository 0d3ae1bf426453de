"""Writes for accounts: set up, check and reset the second factor; new recovery codes; password events.

Codes, secrets and passwords are never written to the audit log. Recovery codes are stored only as a hash (django-otp's
static tokens, which would otherwise keep them readable) and shown once, when they are made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import django_otp
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.core import audit
from balie.core.access import Cap, scope_of
from balie.core.audit import Event

from . import twofactor

RECOVERY_CODES = 10
# 16 characters of base32 (80 bits) in groups of four: too many to guess, few enough to type once in a while.
RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: nothing to mix up when typing from paper
RECOVERY_LENGTH = 16
APP_NAME = "app"


def normalise(code: str) -> str:
    return "".join(ch for ch in str(code).lower() if ch.isalnum())


def recovery_hash(code: str) -> str:
    """What is stored for a recovery code (StaticToken.token holds 16 characters): the start of its SHA-256."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def _replace_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="herstelcodes", confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_hash(code)) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_app(user: Any) -> TOTPDevice:
    """The app being set up: the same secret until it is confirmed (a reload must not break a code already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def confirmed_app(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


@dataclass(frozen=True)
class Check:
    """The outcome of a code someone typed."""

    device: Any = None  # the device that accepted the code (log it in with django_otp.login)
    recovery: bool = False  # it was a recovery code
    left: int = 0  # recovery codes left after this one
    locked_until: dt.datetime | None = None  # too many wrong codes: no check was made

    @property
    def ok(self) -> bool:
        return self.device is not None


def _refused(user: Any, stage: str, address: str) -> Check | None:
    until = twofactor.locked_until(user)
    if until is None:
        return None
    audit.log(Event.TWO_FACTOR_FAILED, user=user, object_type="accounts.user", object_uuid=str(user.pk), stage=stage,
              blocked=True, address=address)
    return Check(locked_until=until)


def check_code(*, user: Any, code: str, address: str = "") -> Check:
    """A code at login: six digits from the app, or a recovery code (used up by this). Throttled, audited."""
    refused = _refused(user, "login", address)
    if refused:
        return refused
    typed = normalise(code)
    app = confirmed_app(user)
    if app is not None and typed.isdigit() and len(typed) == app.digits:
        device = django_otp.verify_token(user, app.persistent_id, typed)
        if device is not None:
            audit.log(Event.TWO_FACTOR_VERIFIED, user=user, object_type="accounts.user", object_uuid=str(user.pk), address=address)
            return Check(device=device)
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and len(typed) == RECOVERY_LENGTH:
        device = django_otp.verify_token(user, recovery.persistent_id, recovery_hash(typed))
        if device is not None:
            left = recovery_codes_left(user)
            audit.log(Event.TWO_FACTOR_RECOVERY_USED, user=user, object_type="accounts.user", object_uuid=str(user.pk),
                      codes_left=left, address=address)
            return Check(device=device, recovery=True, left=left)
    audit.log(Event.TWO_FACTOR_FAILED, user=user, object_type="accounts.user", object_uuid=str(user.pk), stage="login", address=address)
    return Check()


def confirm_app(*, user: Any, device: TOTPDevice, code: str, address: str = "") -> tuple[Check, list[str]]:
    """Confirm the app being set up with its first code. On success the app replaces any earlier one and there are
    ten new recovery codes (returned once, to be shown once)."""
    refused = _refused(user, "setup", address)
    if refused:
        return refused, []
    typed = normalise(code)
    if not (typed.isdigit() and len(typed) == device.digits) or django_otp.verify_token(user, device.persistent_id, typed) is None:
        audit.log(Event.TWO_FACTOR_FAILED, user=user, object_type="accounts.user", object_uuid=str(user.pk), stage="setup", address=address)
        return Check(), []
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit.log(Event.TWO_FACTOR_SET_UP, user=user, object_type="accounts.user", object_uuid=str(user.pk), address=address)
    return Check(device=device), codes


@transaction.atomic
def renew_recovery_codes(*, user: Any) -> list[str]:
    if confirmed_app(user) is None:
        raise PermissionDenied(gettext("Stel eerst tweestapsverificatie in."))
    codes = _replace_recovery_codes(user)
    audit.log(Event.TWO_FACTOR_RECOVERY_RENEWED, user=user, object_type="accounts.user", object_uuid=str(user.pk))
    return codes


def resettable_by(by: Any) -> Any:
    """The accounts whose second factor ``by`` may wipe: an admin any other account; a coordinator only the library
    staff of the own organisation (the same rule as for their passwords: never a higher role or an admin)."""
    users = get_user_model().objects.exclude(pk=by.pk)
    scope = scope_of(by)
    if scope.can(Cap.ADMINISTER):
        return users
    return users.filter(pk__in=get_user_model().objects.for_scope(scope).values("pk"))


@transaction.atomic
def reset_second_factor(*, by: Any, target: Any, via: str) -> None:
    """Wipe the app and recovery codes of an account (lost phone). Its next login sets up a new app (or, for staff who
    were not forced, logs in without). Someone's own: only through ``switch_off`` (the account page)."""
    if not resettable_by(by).filter(pk=target.pk).exists():
        raise PermissionDenied(gettext("Dit account beheert u niet."))
    _wipe(target)
    audit.log(Event.TWO_FACTOR_RESET, user=by, object_type="accounts.user", object_uuid=str(target.pk), via=via,
              account=target.get_username())


@transaction.atomic
def switch_off(*, user: Any) -> None:
    """Someone who was not forced to use a second factor turns theirs off again."""
    if twofactor.required_for(user):
        raise PermissionDenied(gettext("Voor uw rol is tweestapsverificatie verplicht."))
    _wipe(user)
    audit.log(Event.TWO_FACTOR_RESET, user=user, object_type="accounts.user", object_uuid=str(user.pk), via="self",
              account=user.get_username())


def _wipe(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def password_changed(*, user: Any, via: str, address: str = "") -> None:
    """After a new password the user chose (change form or e-mail link): no longer one somebody else picked."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    event = Event.PASSWORD_RESET_DONE if via == "email" else Event.PASSWORD_CHANGED
    audit.log(event, user=user, object_type="accounts.user", object_uuid=str(user.pk), address=address)


def user_language_set(*, user: Any, language: str) -> None:
    """The language of the user's own screens, e-mails and PDFs (core/language.py reads it on every request)."""
    if language not in ("nl", "en"):
        raise ValueError(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
