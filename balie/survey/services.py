"""Writes for the visitor survey: links per location and one anonymous answer per device per day."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction

from balie.core import audit
from balie.core.audit import Event
from balie.network.models import Location

from .models import ComeBack, Confident, DailySalt, Helped, SurveyLink, SurveyResponse

# No 0/o, 1/l/i: the short link is typed over from a printed poster.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 6

QUESTIONS = {"helped": Helped, "confident": Confident, "come_back": ComeBack}


class SurveyError(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def link_ensure(location: Location) -> SurveyLink:
    """The location's link, created on first use (idempotent, also when two requests race)."""
    link = SurveyLink.objects.filter(location=location).first()
    if link is not None:
        return link
    for _ in range(5):
        try:
            with transaction.atomic():
                link = SurveyLink.objects.create(location=location, code=new_code())
        except IntegrityError:
            link = SurveyLink.objects.filter(location=location).first()
            if link is not None:
                return link
            continue  # code collision: draw again
        audit.log(Event.SURVEY_LINK_CREATED, obj=location, code=link.code)
        return link
    raise RuntimeError("Geen vrije enquêtecode gevonden.")


def daily_salt(day: dt.date) -> str:
    """Today's salt, created on first use. Older salts are deleted on the way: their hashes become unlinkable."""
    salt = DailySalt.objects.filter(date=day).values_list("salt", flat=True).first()
    if salt is not None:
        return salt
    DailySalt.objects.filter(date__lt=day).delete()
    try:
        with transaction.atomic():
            return DailySalt.objects.create(date=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:
        return DailySalt.objects.get(date=day).salt


def device_hash(token: str, day: dt.date) -> str:
    return hashlib.sha256(f"{daily_salt(day)}:{token}".encode()).hexdigest()


def already_answered(token: str | None, day: dt.date) -> bool:
    return bool(token) and SurveyResponse.objects.filter(date=day, device_hash=device_hash(token, day)).exists()


def validate(answers: dict[str, str]) -> dict[str, str]:
    """The chosen codes, or SurveyError with one Dutch message per question (the view translates for English)."""
    errors = {}
    clean = {}
    for field, choices in QUESTIONS.items():
        value = (answers.get(field) or "").strip()
        if value not in choices.values:
            errors[field] = field
        else:
            clean[field] = value
    if errors:
        raise SurveyError(errors)
    return clean


def response_submit(*, location: Location, answers: dict[str, str], token: str, day: dt.date, language: str = "nl") -> tuple[SurveyResponse | None, bool]:
    """Store one answer. Returns (response, created); a second answer from the same device that day is not stored.

    The unique (date, device_hash) constraint decides, so a double click or two tabs never give two rows.
    """
    clean = validate(answers)
    digest = device_hash(token, day)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                location=location, date=day, device_hash=digest, language=language if language in ("nl", "en") else "nl", **clean,
            )
    except IntegrityError:
        return SurveyResponse.objects.filter(date=day, device_hash=digest).first(), False
    return response, True
