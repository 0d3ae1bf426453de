"""Writes for the walk-in queue. Every status change is audit-logged; nothing here stores personal data."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from balie.core import audit, pii
from balie.core.access import scope_of
from balie.core.audit import Event
from balie.core.idempotency import Claim, stored_key
from balie.network.models import Location

from .models import Channel, DailyCounter, QueueSettings, Status, Ticket, Topic, new_kiosk_token

ISSUE_ATTEMPTS = 3
CALL_ATTEMPTS = 10
MAX_STAFF_ON_DUTY = 20


class QueueError(Exception):
    """A friendly Dutch message for the person at the screen; never a server error."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


STATUS_MESSAGES = {
    Status.WACHTEND: gettext_lazy("Nummer %(n)s wacht nog en is niet opgeroepen."),
    Status.OPGEROEPEN: gettext_lazy("Nummer %(n)s is al opgeroepen."),
    Status.GEHOLPEN: gettext_lazy("Nummer %(n)s is al geholpen."),
    Status.NIET_VERSCHENEN: gettext_lazy("Nummer %(n)s staat al op niet verschenen."),
    Status.GEANNULEERD: gettext_lazy("Nummer %(n)s is geannuleerd."),
}


def _check_staff(user: Any, location: Location) -> None:
    if not scope_of(user).owns(location.organisation_id):
        raise PermissionDenied(gettext("Alleen medewerkers van deze bibliotheek beheren de wachtrij."))


def _require_today(ticket: Ticket) -> None:
    if ticket.service_date != timezone.localdate():
        raise QueueError(
            gettext("Nummer %(number)s is van een andere dag (%(date)s). Geef de bezoeker een nieuw nummer.")
            % {"number": ticket.number, "date": f"{ticket.service_date:%d-%m-%Y}"}
        )


def _log_status(event: Event, ticket: Ticket, *, user: Any, before: str, **extra: Any) -> None:
    audit.log(
        event, user=user, obj=ticket, location=ticket.location.code, number=ticket.number,
        service_date=ticket.service_date.isoformat(), from_status=before, to_status=ticket.status, **extra,
    )


# ---------------------------------------------------------------- settings


def queue_settings_ensure(location: Location) -> QueueSettings:
    """Settings exist from the first visit to the staff page, so the kiosk link is stable."""
    settings, _ = QueueSettings.objects.get_or_create(location=location)
    return settings


def queue_settings_update(
    *, user: Any, location: Location, enabled: bool | None = None, staff_on_duty: int | None = None,
    opening_note: str | None = None,
) -> QueueSettings:
    _check_staff(user, location)
    settings = queue_settings_ensure(location)
    changes: dict[str, Any] = {}
    if enabled is not None and enabled != settings.enabled:
        settings.enabled = enabled
        changes["enabled"] = enabled
    if staff_on_duty is not None:
        if not 1 <= staff_on_duty <= MAX_STAFF_ON_DUTY:
            raise QueueError(gettext("Vul een aantal medewerkers in van 1 tot %(max)s.") % {"max": MAX_STAFF_ON_DUTY})
        settings.staff_on_duty = staff_on_duty
        settings.staff_on_duty_date = timezone.localdate()
        changes["staff_on_duty"] = staff_on_duty
    if opening_note is not None and opening_note.strip() != settings.opening_note:
        note = opening_note.strip()
        if len(note) > 200:
            raise QueueError(gettext("De mededeling is te lang; houd het bij 200 tekens."))
        # Shown on the kiosk, the screen and the public page: refused rather than redacted; the location's own
        # public number may be in it.
        if problem := pii.refusal(note, what=gettext("De mededeling"), allowed_phones=[location.phone]):
            raise QueueError(problem)
        settings.opening_note = note
        changes["opening_note"] = True  # the text itself is shown publicly, not worth copying into the log
    if changes:
        settings.save()
        audit.log(Event.WALKIN_SETTINGS_CHANGED, user=user, obj=location, **changes)
    return settings


def kiosk_token_renew(*, user: Any, location: Location) -> QueueSettings:
    """A lost or leaked kiosk link stops working at once."""
    _check_staff(user, location)
    if not scope_of(user).is_coordinator:
        raise PermissionDenied(gettext("Alleen een coördinator maakt een nieuwe kiosklink."))
    settings = queue_settings_ensure(location)
    settings.kiosk_token = new_kiosk_token()
    settings.save(update_fields=["kiosk_token", "updated_at"])
    audit.log(Event.WALKIN_KIOSK_TOKEN_RENEWED, user=user, obj=location)
    return settings


# ---------------------------------------------------------------- issuing numbers


def _next_number(location: Location, day: dt.date) -> int:
    # The row lock serialises two kiosks on PostgreSQL; SQLite's IMMEDIATE transactions do the same.
    counter, _ = DailyCounter.objects.get_or_create(location=location, service_date=day)
    counter = DailyCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _resync_counter(location: Location, day: dt.date) -> None:
    """After a collision the counter was behind the tickets (restored backup, manual edit): catch up."""
    highest = Ticket.objects.filter(location=location, service_date=day).aggregate(n=Max("number"))["n"] or 0
    DailyCounter.objects.filter(location=location, service_date=day, last_number__lt=highest).update(last_number=highest)


def ticket_issue(
    *, location: Location, topic: str = "", channel: str = Channel.KIOSK, idempotency_key: str | None = None,
    user: Any = None, now: dt.datetime | None = None,
) -> tuple[Ticket, bool]:
    """Hand out the next number of the day. Returns (ticket, created); a repeated key returns the first ticket."""
    if topic and topic not in Topic.values:
        raise QueueError(gettext("Kies een van de onderwerpen, of 'Zonder onderwerp'."))
    if channel == Channel.BALIE:
        _check_staff(user, location)
    claim = Claim(Ticket, key=idempotency_key, key_field="idempotency_key", owner={"location_id": location.pk},
                  body={"location": location.pk, "topic": topic, "channel": channel})
    if (existing := claim.existing()) is not None:
        return existing, False
    settings = QueueSettings.objects.filter(location=location).first()
    if settings is None or not settings.enabled or not location.active:
        raise QueueError(gettext("Er worden nu geen nummers uitgegeven. Meld u bij de balie."))
    now = now or timezone.now()
    day = timezone.localdate(now)
    for _ in range(ISSUE_ATTEMPTS):
        try:
            # A double tap that raced us and won comes back as (its ticket, False); a taken number raises.
            ticket, created = claim.insert(lambda: Ticket.objects.create(
                location=location, service_date=day, number=_next_number(location, day), topic=topic,
                channel=channel, issued_at=now, **claim.fields(),
            ))
        except IntegrityError:
            _resync_counter(location, day)
            continue
        if not created:
            return ticket, False
        audit.log(
            Event.WALKIN_TICKET_ISSUED, user=user, obj=ticket, location=location.code, number=ticket.number,
            service_date=day.isoformat(), topic=topic, channel=channel, to_status=ticket.status,
        )
        return ticket, True
    raise QueueError(gettext("Het lukte niet om een nummer te maken. Probeer het nog een keer."))


# ---------------------------------------------------------------- calling and closing


def _call(ticket: Ticket, *, user: Any, desk_label: str, call_key: str | None, now: dt.datetime) -> bool:
    """Conditional update: only a ticket that is still waiting can be called, so two desks never get the same visitor."""
    with transaction.atomic():
        updated = Ticket.objects.filter(pk=ticket.pk, status=Status.WACHTEND).update(
            status=Status.OPGEROEPEN, called_at=now, announced_at=now, called_by=user, desk_label=desk_label,
            call_key=call_key or None,
        )
    if updated:
        ticket.refresh_from_db()
        # Not the desk label itself: it is free text (review L8), and the ticket row keeps it anyway.
        _log_status(Event.WALKIN_TICKET_CALLED, ticket, user=user, before=Status.WACHTEND)
    return bool(updated)


def clean_desk_label(desk_label: str) -> str:
    """Where the visitor must go ("balie 2"), shown on the public screen: personal data in it is refused (M4)."""
    label = (desk_label or "").strip()[:30]
    if problem := pii.refusal(label, what=gettext("De naam van de balie")):
        raise QueueError(problem)
    return label or "de balie"



def _previous_call(call_key: str | None) -> Ticket | None:
    return Ticket.objects.filter(call_key=call_key).first() if call_key else None


def _hashed(call_key: str | None) -> str | None:
    # Like every client key (core.idempotency.stored_key): matched, never stored as sent.
    return stored_key(call_key) if call_key else None


def ticket_call_next(
    *, user: Any, location: Location, desk_label: str, call_key: str | None = None, now: dt.datetime | None = None,
) -> Ticket | None:
    """Call the lowest waiting number of today. None when nobody is waiting."""
    _check_staff(user, location)
    call_key = _hashed(call_key)
    if (previous := _previous_call(call_key)) is not None:
        return previous  # the same click arrived twice
    now = now or timezone.now()
    desk = clean_desk_label(desk_label)
    for _ in range(CALL_ATTEMPTS):
        candidate = Ticket.objects.filter(
            location=location, service_date=timezone.localdate(now), status=Status.WACHTEND
        ).select_related("location").order_by("number").first()
        if candidate is None:
            return None
        try:
            if _call(candidate, user=user, desk_label=desk, call_key=call_key, now=now):
                return candidate
        except IntegrityError:
            return _previous_call(call_key)
    raise QueueError(gettext("Het is nu erg druk aan de balies. Probeer het nog een keer."))


def ticket_call(*, user: Any, ticket: Ticket, desk_label: str, call_key: str | None = None, now: dt.datetime | None = None) -> Ticket:
    """Call one particular waiting number, for example when a visitor shows their number at the desk."""
    _check_staff(user, ticket.location)
    call_key = _hashed(call_key)
    if (previous := _previous_call(call_key)) is not None:
        return previous
    _require_today(ticket)
    try:
        ok = _call(ticket, user=user, desk_label=clean_desk_label(desk_label), call_key=call_key, now=now or timezone.now())
    except IntegrityError:
        previous = _previous_call(call_key)
        if previous is None:
            raise
        return previous
    if not ok:
        ticket.refresh_from_db()
        raise QueueError(str(STATUS_MESSAGES[Status(ticket.status)]) % {"n": ticket.number})
    return ticket


def ticket_recall(*, user: Any, ticket: Ticket, desk_label: str = "", now: dt.datetime | None = None) -> Ticket:
    """Announce a called number again. called_at stays the first call, so the measured wait stays honest."""
    _check_staff(user, ticket.location)
    _require_today(ticket)
    if ticket.status != Status.OPGEROEPEN:
        raise QueueError(str(STATUS_MESSAGES[Status(ticket.status)]) % {"n": ticket.number} + " " + gettext("Alleen een opgeroepen nummer roept u opnieuw op."))
    ticket.announced_at = now or timezone.now()
    if desk_label.strip():
        ticket.desk_label = clean_desk_label(desk_label)
    ticket.save(update_fields=["announced_at", "desk_label"])
    _log_status(Event.WALKIN_TICKET_RECALLED, ticket, user=user, before=Status.OPGEROEPEN)
    return ticket


def _close(ticket: Ticket, *, to: Status, allowed: set[Status], event: Event, user: Any, now: dt.datetime | None) -> Ticket:
    before = ticket.status
    now = now or timezone.now()
    updated = Ticket.objects.filter(pk=ticket.pk, status__in=allowed).update(status=to, closed_at=now)
    ticket.refresh_from_db()
    if not updated:
        raise QueueError(str(STATUS_MESSAGES[Status(ticket.status)]) % {"n": ticket.number})
    _log_status(event, ticket, user=user, before=before)
    return ticket


def ticket_no_show(*, user: Any, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    _check_staff(user, ticket.location)
    _require_today(ticket)
    if ticket.status == Status.WACHTEND:
        raise QueueError(gettext("Nummer %(number)s is nog niet opgeroepen. Roep het eerst op; annuleer het als de bezoeker weg is.")
                         % {"number": ticket.number})
    return _close(ticket, to=Status.NIET_VERSCHENEN, allowed={Status.OPGEROEPEN}, event=Event.WALKIN_TICKET_NO_SHOW, user=user, now=now)


def ticket_cancel(*, ticket: Ticket, user: Any = None, now: dt.datetime | None = None) -> Ticket:
    """Staff, or the visitor on their phone ('Ik wacht niet meer'): the number leaves the queue."""
    if user is not None:
        _check_staff(user, ticket.location)
    _require_today(ticket)
    return _close(
        ticket, to=Status.GEANNULEERD, allowed={Status.WACHTEND, Status.OPGEROEPEN}, event=Event.WALKIN_TICKET_CANCELLED,
        user=user, now=now,
    )


def ticket_mark_registered(ticket_uuid: str | uuidlib.UUID | None, visit: Any, *, now: dt.datetime | None = None) -> Ticket | None:
    """Called by the desk after a registration: the visitor with this number was helped.

    Never raises: a stale, foreign or malformed ticket id must not spoil a registration that succeeded.
    A ticket that was never called keeps called_at empty, so it does not distort waits or service times.
    """
    try:
        key = uuidlib.UUID(str(ticket_uuid))
    except (TypeError, ValueError, AttributeError):
        return None
    ticket = Ticket.objects.filter(uuid=key, location__organisation_id=visit.organisation_id).select_related("location").first()
    if ticket is None or ticket.status == Status.GEHOLPEN:
        return ticket
    before = ticket.status
    ticket.status = Status.GEHOLPEN
    ticket.served_at = now or timezone.now()
    ticket.visit = visit
    ticket.save(update_fields=["status", "served_at", "visit"])
    _log_status(Event.WALKIN_TICKET_SERVED, ticket, user=visit.created_by, before=before, visit=str(visit.uuid))
    return ticket
