"""Writes for a location's schedule. The caller has already scoped the location to the coordinator's organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext

from balie.core import audit
from balie.core.access import Cap, scope_of
from balie.core.audit import Event

from ..models import Closure, Location


def _require_own(user: Any, location: Location) -> None:
    scope_of(user).require(Cap.COORDINATE)
    if location.organisation_id != user.organisation_id:
        # Defence in depth: views scope first; a service must not trust that.
        raise PermissionDenied(gettext("Locatie van een andere organisatie."))


@transaction.atomic
def schedule_item_save(*, user: Any, location: Location, form: Any, event: Event) -> models.Model:
    """A weekly slot or a one-off session of this location."""
    _require_own(user, location)
    item = form.save(commit=False)
    item.location = location
    item.save()
    audit.log(event, user=user, object_type=item._meta.label_lower, object_uuid=str(item.pk), location=location.code)
    return item


@transaction.atomic
def closure_save(*, user: Any, location: Location, form: Any) -> Closure:
    _require_own(user, location)
    closure = form.save(commit=False)
    closure.organisation_id = location.organisation_id
    closure.location = None if form.cleaned_data.get("all_locations") else location
    closure.save()
    audit.log(Event.CLOSURE_SAVED, user=user, object_type="network.closure", object_uuid=str(closure.pk),
              location=closure.location.code if closure.location else None)
    return closure


@transaction.atomic
def visitor_info_save(*, user: Any, location: Location, form: Any) -> Location:
    _require_own(user, location)
    saved = form.save()
    audit.log(Event.LOCATION_VISITOR_INFO_SAVED, user=user, obj=saved, code=saved.code)
    return saved


@transaction.atomic
def schedule_item_delete(*, user: Any, location: Location, item: models.Model) -> None:
    _require_own(user, location)
    label, pk = item._meta.label_lower, item.pk
    item.delete()
    audit.log(Event.SCHEDULE_ITEM_DELETED, user=user, object_type=label, object_uuid=str(pk), location=location.code)
