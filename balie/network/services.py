"""Writes for the coordinator's organisation pages; each write is audit-logged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from balie.core import audit
from balie.core.access import Cap, scope_of
from balie.core.audit import Event

from .forms import LocalCodeForm, LocationForm, StaffForm
from .geo import fill_coordinates
from .models import LocalCode, Location


@transaction.atomic
def location_save(*, user: Any, form: LocationForm) -> Location:
    scope_of(user).require(Cap.COORDINATE)
    location = form.save(commit=False)
    location.organisation_id = user.organisation_id
    location.gemeente = form.cleaned_data["gemeente_code"]
    moved = "postcode" in form.changed_data or "gemeente_code" in form.changed_data
    return _location_store(user=user, location=location, moved=moved)


@transaction.atomic
def location_admin_save(*, user: Any, location: Location, changed: Iterable[str]) -> Location:
    """A location saved in the Django admin: the same coordinates rule and audit event as the coordinator's form.

    The admin's own permissions decide who may get here. Coordinates typed in the admin are kept; a location
    without them gets the PC4 centroid, so it shows up in the public search.
    """
    changed = set(changed)
    moved = bool(changed & {"postcode", "gemeente"}) and not changed & {"lat", "lon"}
    return _location_store(user=user, location=location, moved=moved or location.lat is None or location.lon is None, via="admin")


def _location_store(*, user: Any, location: Location, moved: bool, via: str = "balie") -> Location:
    if moved:
        # The public search needs coordinates; a new postcode means a new position.
        location.lat = location.lon = None
        fill_coordinates(location, save=False)
    location.save()
    extra = {"via": via} if via != "balie" else {}
    audit.log(Event.LOCATION_SAVED, user=user, obj=location, code=location.code, **extra)
    return location


@transaction.atomic
def staff_save(*, user: Any, form: StaffForm) -> Any:
    scope = scope_of(user)
    scope.require(Cap.COORDINATE)
    if form.instance.pk and not get_user_model().objects.for_scope(scope).filter(pk=form.instance.pk).exists():
        raise PermissionDenied(gettext("Dit account beheert u niet: alleen medewerkers en coördinatoren van uw eigen organisatie."))
    staff = form.save(commit=False)
    staff.organisation_id = scope.organisation_id
    if form.cleaned_data.get("password"):
        staff.set_password(form.cleaned_data["password"])
        # A password the coordinator chose is for the first login only: the owner then picks their own (accounts).
        staff.must_change_password = staff.pk != getattr(user, "pk", None)
    staff.save()
    audit.log(Event.STAFF_SAVED, user=user, object_type="accounts.user", object_uuid=str(staff.pk), role=staff.role)
    return staff


@transaction.atomic
def local_code_save(*, user: Any, form: LocalCodeForm) -> LocalCode:
    scope_of(user).require(Cap.COORDINATE)
    local = form.save(commit=False)
    local.organisation_id = user.organisation_id
    local.save()
    audit.log(Event.LOCAL_CODE_SAVED, user=user, object_type="network.localcode", object_uuid=str(local.pk), code=local.code)
    return local


def api_token_create(*, user: Any, for_user: Any) -> str:
    """A new token replaces the old one, so a leaked token can be revoked by creating another."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=for_user).delete()
    token = Token.objects.create(user=for_user)
    audit.log(Event.API_TOKEN_CREATED, user=user, object_type="accounts.user", object_uuid=str(for_user.pk))
    return token.key
