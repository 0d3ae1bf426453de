"""Reading API request bodies into the arguments of the desk services.

Only JSON types, the body's shape and the visit-level values (locatie, datum, tijd) are checked
here; every code, date and length rule is balie.desk.validation's, applied by the services. When
this layer already finds errors, the shared validation still runs on the rest, so the client gets
one 400 that lists every invalid field instead of fixing them one round trip at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from balie.core.access import scope_of
from balie.core.models import CodeList
from balie.desk.forms import MAX_QUESTIONS_PER_VISIT
from balie.desk.models import Question
from balie.desk.validation import CodeContext, FieldError, RegistrationInvalid, clean_kanaal, clean_moment, clean_question
from balie.network.models import Location

CODE_FIELDS = (
    "vraagsoort", "instantie", "instantie_lokaal", "onderwerp", "onderwerp_lokaal", "digid_detail",
    "complexiteit", "uitkomst", "leeftijdsgroep", "taal",
)
MULTI_FIELDS = ("behoefteprofielen", "achterliggend")
QUESTION_FIELDS = CODE_FIELDS + MULTI_FIELDS + ("duur_minuten", "notitie")
VISIT_FIELDS = ("locatie", "datum", "tijd", "kanaal")
# Read-only fields of a GET: a client may send a fetched object back (PUT/PATCH) without stripping them. A new
# registration (POST) has none of them, so there they are unknown fields like any other (the schema says the same).
IGNORED_FIELDS = ("uuid", "bezoek", "organisatie", "codelijstversie", "aangemaakt_op", "gewijzigd_op")
LOCAL_FIELDS = {"instantie_lokaal": CodeList.INSTANTIE, "onderwerp_lokaal": CodeList.ONDERWERP}

# The same rules as DATE_INPUT_SCHEMA and TIME_INPUT_SCHEMA in the OpenAPI document (fromisoformat checks the ranges).
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_RE = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
DEFAULT_TIME = dt.time(12, 0)  # same default as the desk form when only a date is given

ContextFactory = Callable[[], CodeContext]


@dataclass
class VisitInput:
    location: Location
    started_at: dt.datetime | None
    kanaal: str
    questions: list[dict[str, Any]]


@dataclass
class UpdateInput:
    data: dict[str, Any]
    started_at: dt.datetime | None
    kanaal: str | None


def _lazy(factory: ContextFactory) -> ContextFactory:
    """Build the code context at most once, and only when a check needs it."""
    cache: list[CodeContext] = []

    def get() -> CodeContext:
        if not cache:
            cache.append(factory())
        return cache[0]

    return get


def _prefix(index: int, count: int) -> str:
    # Same naming as balie.desk.services.visit_register, so both layers' errors line up.
    return f"vragen[{index}]." if count > 1 else ""


def read_visit(user: Any, data: Any) -> VisitInput:
    """A POST body: one question with the visit fields beside it, or the visit fields plus `vragen`."""
    if not isinstance(data, dict):
        raise RegistrationInvalid([FieldError("body", "Stuur een JSON-object.")])
    errors: list[FieldError] = []
    ctx = _lazy(lambda: CodeContext.build(user.organisation))
    if "vragen" in data:
        raw_questions = _question_list(data, errors)
        _unknown(data, VISIT_FIELDS + ("vragen",), "", errors)
    else:
        raw_questions = [{k: v for k, v in data.items() if k not in VISIT_FIELDS}]
    questions = [read_question(raw, _prefix(i, len(raw_questions)), errors, ctx) for i, raw in enumerate(raw_questions, start=1)]

    location = _location(user, data.get("locatie"), errors)
    started_at = read_moment(data.get("datum"), data.get("tijd"), errors)
    kanaal = _text(data.get("kanaal"), "kanaal", errors)
    if errors or location is None:
        raise_with_shared_errors(errors, questions, ctx, started_at=started_at, kanaal=kanaal)
    return VisitInput(location=location, started_at=started_at, kanaal=kanaal, questions=questions)


def read_update(question: Question, data: Any, *, partial: bool) -> UpdateInput:
    """A PUT (all question fields) or PATCH (only the given fields) body for one question."""
    if not isinstance(data, dict):
        raise RegistrationInvalid([FieldError("body", "Stuur een JSON-object.")])
    errors: list[FieldError] = []
    version = None if question.codelist_version.is_draft else question.codelist_version
    ctx = _lazy(lambda: CodeContext.build(question.organisation, version))
    _unknown(data, QUESTION_FIELDS + VISIT_FIELDS + IGNORED_FIELDS, "", errors)
    given = {k: v for k, v in data.items() if k in QUESTION_FIELDS}
    merged = {**current_values(question, given), **given} if partial else given
    values = read_question(merged, "", errors, ctx)

    locatie = data.get("locatie")
    if locatie not in (None, "") and str(locatie).strip().upper() != question.location.code:
        errors.append(FieldError("locatie", "De locatie van een registratie is niet te wijzigen; verwijder haar en registreer opnieuw."))
    moment = read_moment(data.get("datum"), data.get("tijd"), errors, base=question.started_at)
    kanaal = _text(data.get("kanaal"), "kanaal", errors).upper() or None
    # Only real changes: a resent unchanged date must not mark the visit as registered afterwards.
    started_at = moment if moment is not None and moment != question.started_at else None
    kanaal = kanaal if kanaal != question.kanaal else None
    if errors:
        raise_with_shared_errors(errors, [values], ctx, started_at=started_at, kanaal=kanaal or "")
    return UpdateInput(data=values, started_at=started_at, kanaal=kanaal)


def current_values(question: Question, given: dict[str, Any]) -> dict[str, Any]:
    """The stored question in API form, the base a PATCH is applied to."""
    values: dict[str, Any] = {
        "vraagsoort": question.vraagsoort,
        "instantie": question.instantie,
        "instantie_lokaal": question.instantie_local,
        "onderwerp": question.onderwerp,
        "onderwerp_lokaal": question.onderwerp_local,
        "digid_detail": question.digid_detail,
        "behoefteprofielen": question.behoefteprofiel_list,
        "complexiteit": question.complexiteit,
        "achterliggend": question.achterliggend_list,
        "uitkomst": question.uitkomst,
        "duur_minuten": question.duration_minutes,
        "leeftijdsgroep": question.leeftijdsgroep,
        "taal": question.taal,
        "notitie": question.note,
    }
    for national in ("instantie", "onderwerp"):
        local = f"{national}_lokaal"
        # A new national code without a local one replaces the old local code too ...
        if national in given and local not in given:
            values[local] = ""
        # ... and a new local code brings its own national code.
        if given.get(local) and national not in given:
            values[national] = ""
    # The stored vraagsoort may have been derived from the old instantie; derive it again.
    if ("instantie" in given or "instantie_lokaal" in given) and "vraagsoort" not in given:
        values["vraagsoort"] = ""
    return values


def read_question(raw: Any, prefix: str, errors: list[FieldError], ctx: ContextFactory) -> dict[str, Any]:
    """One question's JSON into the data dict the shared validation (clean_question) expects."""
    if not isinstance(raw, dict):
        errors.append(FieldError(prefix.rstrip(".") or "body", "Een vraag moet een JSON-object zijn."))
        return {}
    _unknown(raw, QUESTION_FIELDS, prefix, errors)
    out: dict[str, Any] = {}
    for name in CODE_FIELDS:
        if name in raw:
            out[name] = _text(raw[name], prefix + name, errors)
    for name in MULTI_FIELDS:
        value = raw.get(name)
        if value is None:
            out[name] = []
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[name] = value
        else:
            errors.append(FieldError(prefix + name, "Geef een lijst met codes, bijvoorbeeld [\"A\", \"B\"]."))
    duration = raw.get("duur_minuten")
    if duration is None or (isinstance(duration, int) and not isinstance(duration, bool)):
        out["duur_minuten"] = duration
    else:
        errors.append(FieldError(prefix + "duur_minuten", f"De duur '{duration}' is geen heel aantal minuten (een getal)."))
    if "notitie" in raw:
        out["notitie"] = _text(raw["notitie"], prefix + "notitie", errors, strip=False)
    for local_field, list_name in LOCAL_FIELDS.items():
        _apply_local(out, local_field, list_name, prefix, errors, ctx)
    return out


def _apply_local(out: dict[str, Any], local_field: str, list_name: str, prefix: str, errors: list[FieldError], ctx: ContextFactory) -> None:
    """instantie_lokaal/onderwerp_lokaal go first: clean_question resolves a local code to its national one."""
    local = out.pop(local_field, "")
    if not local:
        return
    national = out.get(list_name, "")
    resolved = ctx().resolve(list_name, local)
    if resolved is None or not resolved[1]:
        errors.append(FieldError(prefix + local_field, f"'{local}' is geen lokale code van uw organisatie voor {list_name}."))
    elif national and resolved[0] != national.upper():
        errors.append(FieldError(prefix + local_field, f"De lokale code {resolved[1]} valt onder {resolved[0]}, niet onder {national}."))
    else:
        out[list_name] = resolved[1]


def read_moment(datum: Any, tijd: Any, errors: list[FieldError], *, base: dt.datetime | None = None) -> dt.datetime | None:
    """Local date and time into an aware moment; None when neither is given (the service takes 'now')."""
    if datum in (None, "") and tijd in (None, ""):
        return None
    local_base = timezone.localtime(base) if base else None
    day = local_base.date() if local_base else timezone.localdate()
    clock = local_base.time().replace(second=0, microsecond=0) if local_base else DEFAULT_TIME
    ok = True
    if datum not in (None, ""):
        try:
            if not isinstance(datum, str) or not DATE_RE.fullmatch(datum):
                raise ValueError
            day = dt.date.fromisoformat(datum)
        except ValueError:
            errors.append(FieldError("datum", f"'{datum}' is geen geldige datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2025-03-14."))
            ok = False
    if tijd not in (None, ""):
        try:
            if not isinstance(tijd, str) or not TIME_RE.fullmatch(tijd):
                raise ValueError
            clock = dt.time.fromisoformat(tijd)
        except ValueError:
            errors.append(FieldError("tijd", f"'{tijd}' is geen geldige tijd; gebruik UU:MM, bijvoorbeeld 14:30."))
            ok = False
    return timezone.make_aware(dt.datetime.combine(day, clock)) if ok else None


def raise_with_shared_errors(
    errors: list[FieldError], questions: list[dict[str, Any]], ctx: ContextFactory, *, started_at: dt.datetime | None, kanaal: str
) -> None:
    """Add the shared validation's findings for the fields this layer did not reject, then raise."""
    seen = {e.field for e in errors}
    found: list[FieldError] = []
    for index, data in enumerate(questions, start=1):
        prefix = _prefix(index, len(questions))
        _values, q_errors = clean_question(ctx(), data)
        found += [FieldError(prefix + e.field, e.message) for e in q_errors]
    if started_at is not None:
        clean_moment(started_at, found)
    if kanaal:
        clean_kanaal(ctx(), kanaal, found)
    errors += [e for e in found if e.field not in seen]
    raise RegistrationInvalid(errors)


def _location(user: Any, raw: Any, errors: list[FieldError]) -> Location | None:
    if raw in (None, ""):
        errors.append(FieldError("locatie", "Geef de code van de locatie; zie GET /api/v1/locaties."))
        return None
    code = str(raw).strip().upper() if isinstance(raw, str) else ""
    location = Location.objects.for_scope(scope_of(user)).filter(code=code).select_related("organisation").first()
    if location is None:
        errors.append(FieldError("locatie", f"Onbekende locatie '{raw}' voor uw organisatie; zie GET /api/v1/locaties."))
    elif not location.active:
        # A location closed after a visit was registered offline (issue 16): say so, so the visit can be moved.
        errors.append(FieldError("locatie", f"De locatie {location.code} ({location.naam}) is gesloten: zij is niet meer actief. "
                                            "Kies een andere locatie van uw organisatie."))
        return None
    return location


def _question_list(data: dict[str, Any], errors: list[FieldError]) -> list[Any]:
    raw = data["vragen"]
    mixed = [k for k in data if k in QUESTION_FIELDS]
    if mixed:
        errors.append(FieldError("vragen", f"Zet de velden van een vraag ({', '.join(mixed)}) in 'vragen', niet ernaast."))
    if not isinstance(raw, list) or not raw:
        errors.append(FieldError("vragen", "Geef een lijst met ten minste één vraag."))
        return []
    if len(raw) > MAX_QUESTIONS_PER_VISIT:
        errors.append(FieldError("vragen", f"Eén bezoek heeft hoogstens {MAX_QUESTIONS_PER_VISIT} vragen (niet {len(raw)})."))
        return []
    return raw


def _unknown(data: dict[str, Any], allowed: tuple[str, ...], prefix: str, errors: list[FieldError]) -> None:
    # Reject typos ("uitkomsten") instead of silently dropping them.
    for key in data:
        if key not in allowed:
            errors.append(FieldError(prefix + str(key), "Onbekend veld."))


def _text(value: Any, name: str, errors: list[FieldError], *, strip: bool = True) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(name, "Moet tekst zijn."))
        return ""
    return value.strip() if strip else value
