"""Consent and the encrypted contact data that comes with it (ADR 0009), one set of rules for referrals and courses.

A model that keeps contact data has two columns: ``contact_ciphertext`` (Fernet, core.crypto) and
``personal_data_deleted_at``. Contact data is only stored with consent, only decrypted here, every read is an
audit event tagged as personal data, and it is erased when consent is withdrawn or the retention period ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _l

from . import audit, crypto


@dataclass(frozen=True)
class ContactError:
    """One problem with a write that may carry contact data (a referral, an enrolment): the field and why, in the active language."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.field, "reason": self.message}


class ContactInvalid(Exception):
    """Nothing was saved: every problem is listed, so the form can show them all at once."""

    def __init__(self, errors: list[ContactError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


# The longest contact field we keep. Longer is refused, never cut off: a shortened e-mail address or phone number
# would send the partner to someone else (review L10).
CONTACT_MAX_LENGTH = {"naam": 100, "telefoon": 30, "email": 150, "voorkeur": 100}
CONTACT_LABELS = {"naam": _l("De naam"), "telefoon": _l("Het telefoonnummer"), "email": _l("Het e-mailadres"), "voorkeur": _l("De voorkeur")}


def too_long(name: str, value: str, *, field: str | None = None) -> ContactError | None:
    """A Dutch error when ``value`` (contact field ``name``) is longer than we keep, else None."""
    limit = CONTACT_MAX_LENGTH[name]
    if len(value) <= limit:
        return None
    return ContactError(field or name, gettext(
        "%(field)s is %(length)s tekens lang; het maximum is %(limit)s. Kort het in; we knippen niets af."
    ) % {"field": CONTACT_LABELS[name], "length": len(value), "limit": limit})


def retention_days() -> int:
    """How long contact data stays after the referral is closed or the course has ended."""
    return settings.BALIE_REFERRAL_RETENTION_DAYS


def consent_text(*, allow: str, use: str, visible_to: str, erased_after: str, withdraw_at: str = "") -> str:
    """Plain Dutch (B1): what data, to whom, for what, who sees it, how long. Stored exactly as shown."""
    return (
        f"U geeft de bibliotheek toestemming om {allow}. {use} {visible_to} "
        f"Wij wissen ze vanzelf {retention_days()} dagen {erased_after}. "
        f"U kunt uw toestemming altijd intrekken{withdraw_at}; dan wissen wij ze meteen."
    )


def seal(contact: dict[str, str]) -> str:
    """Encrypt contact data for storage; the only way contact data goes into the database."""
    return crypto.encrypt_json(contact)


def _require_tag(event: audit.Event) -> None:
    if not event.personal_data:
        raise ValueError(f"{event} is niet gemarkeerd als verwerking van persoonsgegevens.")


def contact_read(obj: models.Model, *, event: audit.Event, user: Any, **extra: Any) -> dict[str, str]:
    """Decrypt the contact data (the caller has checked the permission) and write the audit event."""
    _require_tag(event)
    if not obj.contact_ciphertext:
        return {}
    data = crypto.decrypt_json(obj.contact_ciphertext)
    audit.log(event, user=user, obj=obj, **extra)
    return data


def contact_erase(obj: models.Model, *, event: audit.Event, reason: str, by: Any = None, now: dt.datetime | None = None) -> None:
    """Erase the contact data now (withdrawn consent, end of retention); the row and its figures stay."""
    _require_tag(event)
    now = now or timezone.now()
    type(obj)._default_manager.filter(pk=obj.pk).update(contact_ciphertext="", personal_data_deleted_at=now)
    obj.contact_ciphertext, obj.personal_data_deleted_at = "", now
    audit.log(event, user=by, obj=obj, reason=reason)


def contact_purge(due: models.QuerySet, *, event: audit.Event, reason: str, now: dt.datetime | None = None) -> int:
    """Erase the contact data of every row in ``due`` that still has some. Returns how many were erased."""
    count = 0
    for obj in due.exclude(contact_ciphertext=""):
        contact_erase(obj, event=event, reason=reason, now=now)
        count += 1
    return count
