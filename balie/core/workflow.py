"""The one status-machine pattern for referrals and signals: lock, check the table, append history, update, audit.

Each workflow declares a Machine (its model, its append-only history model and its table of allowed moves) next to
its services; transition() is then the only place a status changes. History models derive from
core.models.AppendOnlyModel, so a history row can be added but never rewritten or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext

from . import audit


class TransitionNotAllowed(Exception):
    """This move is not in the table (or not for this actor); nothing was changed."""


@dataclass(frozen=True)
class Machine:
    model: type[models.Model]
    history: type[models.Model]
    parent_field: str  # the history row's foreign key to the model ("referral", "signal")
    allowed: Mapping[str, set[str]]
    event: audit.Event
    labels: type[models.TextChoices]

    def label(self, status: str) -> str:
        return self.labels(status).label if status in self.labels.values else status

    def targets(self, status: str) -> set[str]:
        return set(self.allowed.get(status, set()))


def _person(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def start(machine: Machine, obj: models.Model, status: str, **history: Any) -> models.Model:
    """The first history row of a new object (from nothing to its first status)."""
    return machine.history.objects.create(**{machine.parent_field: obj}, from_status="", to_status=status, **history)


@transaction.atomic
def transition(
    machine: Machine, obj: models.Model, to: str, *, by: Any = None,
    check: Callable[[models.Model], None] | None = None,
    fields: Callable[[models.Model], dict[str, Any]] | None = None,
    history: Mapping[str, Any] | None = None,
    audit_extra: Mapping[str, Any] | None = None,
) -> models.Model:
    """Move ``obj`` to ``to``. ``check(current)`` may refuse with TransitionNotAllowed; ``fields(current)`` adds columns
    that change with the status (closed_at, ...). Returns the new history row; ``obj`` is updated in place."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = current.status
    if to not in machine.targets(before):
        raise TransitionNotAllowed(gettext("Van '%(from)s' naar '%(to)s' kan niet.") % {
            "from": machine.label(before), "to": machine.label(to)})
    if check is not None:
        check(current)
    change = machine.history.objects.create(
        **{machine.parent_field: current}, from_status=before, to_status=to, by=_person(by), **(history or {}),
    )
    values = {"status": to, **(fields(current) if fields else {})}
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    for name, value in values.items():
        setattr(obj, name, value)
    audit.log(machine.event, user=by, obj=obj, from_status=before, to_status=to, **(audit_extra or {}))
    return change
