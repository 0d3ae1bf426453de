"""Admin for users. Who may do what is decided by role, organisation and gemeenten, so every change to them made
here is written to the audit log (`user_role_changed`), like the coordinator's staff page does (`staff_saved`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.core import audit
from balie.core.audit import Event

from . import services
from .models import User

# django-otp's device pages would show every app's secret (and its QR code) to an admin, and delete without an audit
# trace. The admin wipes someone's second factor with the action on the user list instead (audited).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# The fields that grant access; a change to any of them is one audit event with the old and new values.
AUDITED_FIELDS = ("role", "organisation_id", "is_active", "is_staff", "is_superuser")


def _access_of(user: User) -> dict[str, Any]:
    values = dict(User.objects.filter(pk=user.pk).values(*AUDITED_FIELDS).first() or {})
    values["gemeenten"] = sorted(user.gemeenten.values_list("cbs_code", flat=True)) if user.pk else []
    return values


@admin.register(User)
class BalieUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Rol en bereik", {"fields": ("role", "organisation", "gemeenten", "default_location")}),
                                       ("Wachtwoord", {"fields": ("must_change_password",)}))
    add_fieldsets = UserAdmin.add_fieldsets + (("Rol en bereik", {"fields": ("role", "organisation")}),)
    filter_horizontal = ("gemeenten", "groups", "user_permissions")
    actions = ["reset_second_factor"]

    @admin.action(description="Tweestapsverificatie wissen (app en herstelcodes; bij verlies van de telefoon)")
    def reset_second_factor(self, request: Any, queryset: Any) -> None:
        done = 0
        for user in queryset:
            try:
                services.reset_second_factor(by=request.user, target=user, via="admin")
            except PermissionDenied:
                continue  # the own account: through the account page, after its code
            done += 1
        self.message_user(request, f"Tweestapsverificatie gewist voor {done} account(s).", messages.SUCCESS)

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        # Read the stored values before the save; the gemeenten (M2M) are only written in save_related.
        request._balie_access_before = _access_of(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(request, "_balie_access_before", {}), _access_of(user)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v and (change or v not in (None, False, []))}
        if changes:
            audit.log(Event.USER_ROLE_CHANGED if change else Event.USER_CREATED, user=request.user, object_type="accounts.user",
                      object_uuid=str(user.pk), via="admin", account=user.get_username(), changes=changes)

    def delete_model(self, request: Any, obj: User) -> None:
        audit.log(Event.USER_DELETED, user=request.user, object_type="accounts.user", object_uuid=str(obj.pk), via="admin",
                  account=obj.get_username(), role=obj.role)
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for user in queryset:
            audit.log(Event.USER_DELETED, user=request.user, object_type="accounts.user", object_uuid=str(user.pk), via="admin",
                      account=user.get_username(), role=user.role)
        super().delete_queryset(request, queryset)
