"""Writes for the desk. Views, the API and the import call these; they hold the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core import audit, pii
from balie.core.access import scope_of
from balie.core.audit import Event
from balie.core.idempotency import Claim
from balie.core.text import strip_invisible
from balie.network.models import HoursKind, Location

from . import journal
from .models import Question, QuestionCorrection, Visit
from .validation import CodeContext, FieldError, RegistrationInvalid, clean_kanaal, clean_moment, clean_question


def default_kanaal(location: Location, moment: dt.datetime) -> str:
    """Outreach locations register as LOCATIE; inside a consultation-hour slot it is SPREEKUUR, else INLOOP."""
    if location.is_outreach:
        return "LOCATIE"
    local = timezone.localtime(moment)
    for slot in location.weekly_hours.all():
        if slot.weekday == local.weekday() and slot.start <= local.time() < slot.end and slot.kind == HoursKind.SPREEKUUR:
            return "SPREEKUUR"
    return "INLOOP"


def scrub_note(note: str) -> tuple[str, list[pii.Finding]]:
    """Redact personal data; the last check guarantees no BSN or IBAN reaches the database."""
    # Invisible characters first (review L11): a bidi override or zero-width space must not spoof a list or an
    # export, nor split a BSN so that detection misses it.
    note = strip_invisible(note).strip() if note else ""
    if not note:
        return "", []
    result = pii.scrub(note)
    redacted = result.redacted
    if pii.must_never_store(redacted):
        # A detector miss must never end up stored: drop the note rather than keep a BSN/IBAN.
        return "[NOTITIE VERWIJDERD: BEVAT PERSOONSGEGEVENS]", result.findings
    return redacted, result.findings


def _check_location(user: Any, location: Location) -> None:
    if not scope_of(user).is_desk_staff:
        raise PermissionDenied(_("Alleen medewerkers van een bibliotheek registreren vragen."))
    if location.organisation_id != user.organisation_id or not location.active:
        raise RegistrationInvalid([FieldError("locatie", _("Deze locatie hoort niet bij uw organisatie of is niet actief."))])


@transaction.atomic
def visit_register(
    *,
    user: Any,
    location: Location,
    questions: list[dict[str, Any]],
    started_at: dt.datetime | None = None,
    kanaal: str = "",
    submission_key: str | None = None,
    source: str = "balie",
    tally: bool = False,
) -> tuple[Visit, bool]:
    """Register one visit with one or more questions. Returns (visit, created).

    A repeated submission_key returns the first visit unchanged, so a double click or a
    retried API call never creates a duplicate. The same key with other input, or from another
    organisation, raises IdempotencyConflict.
    """
    _check_location(user, location)
    claim = Claim(Visit, key=submission_key, owner={"organisation_id": user.organisation_id}, body={
        "location": location.pk, "questions": questions, "started_at": started_at, "kanaal": kanaal, "source": source, "tally": tally,
    })
    if (existing := claim.existing()) is not None:
        return existing, False
    if not questions:
        raise RegistrationInvalid([FieldError("vragen", _("Registreer ten minste één vraag."))])

    ctx = CodeContext.build(location.organisation)
    errors: list[FieldError] = []
    now = timezone.now()
    moment = clean_moment(started_at, errors, now=now)
    kanaal_code = clean_kanaal(ctx, kanaal, errors) or default_kanaal(location, moment)
    cleaned: list[dict[str, Any]] = []
    for index, data in enumerate(questions, start=1):
        values, q_errors = clean_question(ctx, data)
        prefix = f"vragen[{index}]." if len(questions) > 1 else ""
        errors += [FieldError(prefix + e.field, e.message) for e in q_errors]
        cleaned.append(values)
    if errors:
        raise RegistrationInvalid(errors)

    visit = Visit(
        organisation_id=location.organisation_id,
        location=location,
        started_at=moment,
        kanaal=kanaal_code,
        codelist_version=ctx.version,
        created_by=user,
        afterwards=started_at is not None and (now - moment) > dt.timedelta(minutes=30),
        source=source,
    )
    visit, created = claim.insert(visit)
    if not created:  # two identical submissions raced; the other one won
        return visit, False

    local_date = timezone.localtime(moment).date()
    redactions = 0
    created: list[Question] = []
    for position, values in enumerate(cleaned, start=1):
        note, findings = scrub_note(values.pop("note", ""))
        redactions += len(findings)
        created.append(Question.objects.create(
            visit=visit,
            organisation_id=visit.organisation_id,
            location=location,
            started_at=moment,
            date=local_date,
            kanaal=kanaal_code,
            codelist_version=ctx.version,
            position=position,
            note=note,
            tally=tally,
            created_by=user,
            **values,
        ))
    # Same transaction: the dashboards' counts commit (or roll back) with the registration.
    journal.append(added=journal.facts_of(created))
    audit.log(Event.VISIT_REGISTERED, user=user, obj=visit, questions=len(cleaned), source=source, redactions=redactions)
    return visit, True


def can_edit(user: Any, question: Question, *, now: dt.datetime | None = None) -> bool:
    if not scope_of(user).owns(question.organisation_id):
        return False
    if scope_of(user).is_coordinator:
        return True
    window = dt.timedelta(hours=settings.BALIE_EDIT_WINDOW_HOURS)
    return question.created_by_id == user.pk and (now or timezone.now()) - question.created_at <= window


def require_edit(user: Any, question: Question) -> None:
    if not can_edit(user, question):
        raise PermissionDenied(
            _("U kunt alleen uw eigen registraties binnen %(hours)s uur corrigeren; "
              "een coördinator kan alle registraties van de organisatie corrigeren.") % {"hours": settings.BALIE_EDIT_WINDOW_HOURS}
        )


@transaction.atomic
def question_update(*, user: Any, question: Question, data: dict[str, Any], started_at: dt.datetime | None = None, kanaal: str | None = None) -> Question:
    require_edit(user, question)
    ctx = CodeContext.build(question.organisation, question.codelist_version if not question.codelist_version.is_draft else None)
    values, errors = clean_question(ctx, data)
    visit = question.visit
    if started_at is not None:
        moment = clean_moment(started_at, errors)
    if kanaal is not None:
        kanaal_code = clean_kanaal(ctx, kanaal, errors)
    if errors:
        raise RegistrationInvalid(errors)
    note, findings = scrub_note(values.pop("note", ""))
    # A visit-level change (time, kanaal) moves every question of the visit in the rollups.
    touched = visit.questions.all() if (started_at is not None or kanaal) else Question.objects.filter(pk=question.pk)
    before = journal.facts_of(touched)
    was = correction_snapshot(question)
    for name, value in values.items():
        setattr(question, name, value)
    question.note = note
    question.tally = False
    if started_at is not None or kanaal:
        if started_at is not None:
            visit.started_at = moment
            visit.afterwards = True
        if kanaal:
            visit.kanaal = kanaal_code
        visit.save(update_fields=["started_at", "afterwards", "kanaal"])
        # Visit-level facts are copied onto every question of the visit.
        visit.questions.update(
            started_at=visit.started_at, date=timezone.localtime(visit.started_at).date(), kanaal=visit.kanaal
        )
        question.started_at = visit.started_at
        question.date = timezone.localtime(visit.started_at).date()
        question.kanaal = visit.kanaal
    question.save()
    # The same journal path as a save: the dashboards fold the difference, so they stay exact after a correction.
    journal.append(added=journal.facts_of(touched.all()), removed=before)
    changes = correction_changes(was, correction_snapshot(question))
    if changes:
        QuestionCorrection.objects.create(question=question, by=user, at=timezone.now(), changes=changes)
    audit.log(Event.QUESTION_UPDATED, user=user, obj=question, redactions=len(findings), fields=sorted(changes))
    return question


# What a correction records (codes, numbers and the moment; never the note's text, QuestionCorrection).
CORRECTION_FIELDS = (
    "vraagsoort", "instantie", "instantie_local", "onderwerp", "onderwerp_local", "digid_detail", "behoefteprofielen",
    "complexiteit", "achterliggend", "uitkomst", "duration_minutes", "leeftijdsgroep", "taal", "kanaal", "tally",
)


def correction_snapshot(question: Question) -> dict[str, Any]:
    snap: dict[str, Any] = {name: getattr(question, name) for name in CORRECTION_FIELDS}
    snap["started_at"] = timezone.localtime(question.started_at).strftime("%d-%m-%Y %H:%M")
    snap["note"] = question.note
    return snap


def correction_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [before, after] for what changed; the note only as changed (its text stays out of the history)."""
    changes: dict[str, list[Any]] = {}
    for name, old in before.items():
        new = after.get(name)
        if old == new:
            continue
        changes[name] = ["", ""] if name == "note" else [old, new]
    return changes


@transaction.atomic
def question_delete(*, user: Any, question: Question) -> None:
    """Undo: remove a wrong registration. An emptied visit goes with it."""
    require_edit(user, question)
    visit = question.visit
    audit.log(Event.QUESTION_DELETED, user=user, obj=question, instantie=question.instantie, onderwerp=question.onderwerp)
    journal.append(removed=journal.facts_of(Question.objects.filter(pk=question.pk)))
    question.delete()
    if not visit.questions.exists():
        visit.delete()


@transaction.atomic
def visit_delete(*, user: Any, visit: Visit) -> None:
    """Undo a whole visit at once: one transaction, one visit_deleted event, every question under the edit rules."""
    if not scope_of(user).owns(visit.organisation_id):
        raise PermissionDenied(_("Dit bezoek hoort niet bij uw organisatie."))
    questions = list(visit.questions.all())
    for question in questions:
        require_edit(user, question)
    audit.log(
        Event.VISIT_DELETED, user=user, obj=visit, questions=len(questions),
        registrations=[str(q.uuid) for q in questions],
    )
    journal.append(removed=journal.facts_of(questions))
    visit.delete()


def tally_add(*, user: Any, location: Location, instantie: str, onderwerp: str, submission_key: str | None = None) -> Question:
    """Tally mode: one click counts one question. Outcome defaults to OPGELOST, to be completed later if needed."""
    visit, _created = visit_register(
        user=user,
        location=location,
        questions=[{"instantie": instantie, "onderwerp": onderwerp, "uitkomst": "OPGELOST"}],
        submission_key=submission_key,
        source="turven",
        tally=True,
    )
    return visit.questions.first()
