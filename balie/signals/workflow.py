"""The only place a signal's status changes: every change appends a SignalStatusChange row and an audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from balie.core import audit

from .models import Signal, SignalStatusChange, Status

ALLOWED: dict[str, set[str]] = {
    Status.NIEUW: {Status.BEVESTIGD, Status.NIET_OPGEPAKT},
    Status.BEVESTIGD: {Status.GEMELD, Status.NIET_OPGEPAKT},
    Status.GEMELD: {Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT},
    Status.REACTIE: {Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT},
    # A solved or dropped problem that comes back starts again as new (detection reopens it).
    Status.OPGELOST: {Status.NIEUW},
    Status.NIET_OPGEPAKT: {Status.NIEUW},
}


class TransitionNotAllowed(Exception):
    pass


@transaction.atomic
def transition(signal: Signal, to: str, *, by: Any = None, note: str = "") -> SignalStatusChange:
    current = Signal.objects.select_for_update().get(pk=signal.pk).status
    if to not in ALLOWED.get(current, set()):
        raise TransitionNotAllowed(f"Van {current} naar {to} kan niet.")
    change = SignalStatusChange.objects.create(signal=signal, from_status=current, to_status=to, by=by, note=note)
    Signal.objects.filter(pk=signal.pk).update(status=to)
    signal.status = to
    audit.log("signal_status_changed", user=by, obj=signal, from_status=current, to_status=to)
    return change


def record_creation(signal: Signal) -> None:
    SignalStatusChange.objects.create(signal=signal, from_status="", to_status=Status.NIEUW, note="Gevonden door de detectie.")
    audit.log("signal_detected", obj=signal, scope=signal.scope_key, instantie=signal.instantie, onderwerp=signal.onderwerp)
