"""Reading the desk form. The form posts one block of fields per question: q-<n>-<field>."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Question
from .validation import FieldError

QUESTION_FIELDS = (
    "vraagsoort", "instantie", "onderwerp", "digid_detail", "complexiteit", "uitkomst",
    "duur_minuten", "leeftijdsgroep", "taal", "notitie",
)
MULTI_FIELDS = ("behoefteprofielen", "achterliggend")
MAX_QUESTIONS_PER_VISIT = 10
DURATION_PICKS = (5, 10, 15, 30, 45, 60)


def question_count(post: QueryDict) -> int:
    indexes = {int(m.group(1)) for key in post for m in [re.match(r"q-(\d+)-", key)] if m}
    try:
        declared = int(post.get("question_count", "1"))
    except ValueError:
        declared = 1
    found = max(indexes) + 1 if indexes else 1
    return max(1, min(MAX_QUESTIONS_PER_VISIT, max(found, declared)))


def parse_questions(post: QueryDict) -> list[dict[str, Any]]:
    result = []
    for i in range(question_count(post)):
        data: dict[str, Any] = {name: post.get(f"q-{i}-{name}", "") for name in QUESTION_FIELDS}
        for name in MULTI_FIELDS:
            data[name] = post.getlist(f"q-{i}-{name}")
        result.append(data)
    return result


def question_to_data(question: Question, *, with_outcome: bool = True) -> dict[str, Any]:
    """The form values of a stored question (for 'same as previous' and for corrections)."""
    data = {
        "vraagsoort": question.vraagsoort,
        "instantie": question.instantie_local or question.instantie,
        "onderwerp": question.onderwerp_local or question.onderwerp,
        "digid_detail": question.digid_detail,
        "complexiteit": question.complexiteit,
        "uitkomst": question.uitkomst if with_outcome else "",
        "duur_minuten": str(question.duration_minutes or ""),
        "leeftijdsgroep": question.leeftijdsgroep,
        "taal": question.taal,
        "notitie": question.note,
        "behoefteprofielen": question.behoefteprofiel_list,
        "achterliggend": question.achterliggend_list,
    }
    return data


def parse_moment(post: QueryDict, errors: list[FieldError]) -> dt.datetime | None:
    """'Achteraf' registration: a date and optional time; empty means now."""
    date_raw = (post.get("datum") or "").strip()
    time_raw = (post.get("tijd") or "").strip()
    if not date_raw and not time_raw:
        return None
    try:
        day = dt.date.fromisoformat(date_raw) if date_raw else timezone.localdate()
    except ValueError:
        errors.append(FieldError("datum", _("'%(raw)s' is geen geldige datum; gebruik de datumkiezer of JJJJ-MM-DD.") % {"raw": date_raw[:20]}))
        return None
    try:
        clock = dt.time.fromisoformat(time_raw) if time_raw else dt.time(12, 0)
    except ValueError:
        clock = None
    if clock is None or clock.tzinfo is not None:
        # fromisoformat also reads "10:00Z" and "12:00+05:00"; the desk works in local time only (review L1).
        errors.append(FieldError("tijd", _("'%(raw)s' is geen geldige tijd; gebruik UU:MM, bijvoorbeeld 14:30.") % {"raw": time_raw[:20]}))
        return None
    return timezone.make_aware(dt.datetime.combine(day, clock))
