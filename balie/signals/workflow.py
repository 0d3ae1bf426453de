"""The only place a signal's status changes: every change appends a SignalStatusChange row and an audit event.

The pattern (lock, table, history row, update, audit) is core.workflow's; this module holds the signal's table.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from balie.core import audit, workflow
from balie.core.audit import Event
from balie.core.workflow import TransitionNotAllowed  # noqa: F401  (the views catch workflow.TransitionNotAllowed)

from .models import Signal, SignalStatusChange, Status

ALLOWED: dict[str, set[str]] = {
    Status.NIEUW: {Status.BEVESTIGD, Status.NIET_OPGEPAKT, Status.GEEN_SIGNAAL},
    Status.BEVESTIGD: {Status.GEMELD, Status.NIET_OPGEPAKT, Status.GEEN_SIGNAAL},
    Status.GEMELD: {Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT},
    Status.REACTIE: {Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT},
    # A solved or dropped problem that comes back starts again as new (detection reopens it).
    Status.OPGELOST: {Status.NIEUW},
    Status.NIET_OPGEPAKT: {Status.NIEUW},
    # "Geen signaal" is final for its episode; a later, separate rise becomes a new signal (services.store).
    Status.GEEN_SIGNAAL: set(),
}
MACHINE = workflow.Machine(
    model=Signal, history=SignalStatusChange, parent_field="signal", allowed=ALLOWED, event=Event.SIGNAL_STATUS_CHANGED, labels=Status,
)


def transition(signal: Signal, to: str, *, by: Any = None, note: str = "", reason: str = "") -> SignalStatusChange:
    extra = {"reason": reason} if reason else None
    return workflow.transition(MACHINE, signal, to, by=by, history={"note": note, "reason": reason}, audit_extra=extra)


def record_creation(signal: Signal) -> None:
    workflow.start(MACHINE, signal, Status.NIEUW, note=gettext_noop("Gevonden door de detectie."))
    audit.log(Event.SIGNAL_DETECTED, obj=signal, scope=signal.scope_key, instantie=signal.instantie, onderwerp=signal.onderwerp)
