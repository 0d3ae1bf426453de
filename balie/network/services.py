"""Writes for the coordinator's organisation pages; each write is audit-logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from balie.core import audit
from balie.core.scoping import require_coordinator

from .forms import LocalCodeForm, LocationForm, StaffForm
from .geo import fill_coordinates
from .models import LocalCode, Location


@transaction.atomic
def location_save(*, user: Any, form: LocationForm) -> Location:
    require_coordinator(user)
    location = form.save(commit=False)
    location.organisation_id = user.organisation_id
    location.gemeente = form.cleaned_data["gemeente_code"]
    if "postcode" in form.changed_data or "gemeente_code" in form.changed_data:
        # The public search needs coordinates; a new postcode means a new position.
        location.lat = location.lon = None
        fill_coordinates(location, save=False)
    location.save()
    audit.log("location_saved", user=user, obj=location, code=location.code)
    return location


@transaction.atomic
def staff_save(*, user: Any, form: StaffForm) -> Any:
    require_coordinator(user)
    staff = form.save(commit=False)
    staff.organisation_id = user.organisation_id
    if form.cleaned_data.get("password"):
        staff.set_password(form.cleaned_data["password"])
    staff.save()
    audit.log("staff_saved", user=user, object_type="accounts.user", object_uuid=str(staff.pk), role=staff.role)
    return staff


@transaction.atomic
def local_code_save(*, user: Any, form: LocalCodeForm) -> LocalCode:
    require_coordinator(user)
    local = form.save(commit=False)
    local.organisation_id = user.organisation_id
    local.save()
    audit.log("local_code_saved", user=user, object_type="network.localcode", object_uuid=str(local.pk), code=local.code)
    return local


def api_token_create(*, user: Any, for_user: Any) -> str:
    """A new token replaces the old one, so a leaked token can be revoked by creating another."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=for_user).delete()
    token = Token.objects.create(user=for_user)
    audit.log("api_token_created", user=user, object_type="accounts.user", object_uuid=str(for_user.pk))
    return token.key
