"""Admin for outside organisations and the one link from a partner account to its organisation.

Granting a partner account access to an organisation's referrals and signals is audited like any other write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from balie.core import audit
from balie.core.audit import Event

from .models import Partner, PartnerUser


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "receives_referrals", "receives_signals", "signal_codes", "active"]
    list_filter = ["receives_referrals", "receives_signals", "organisation"]
    search_fields = ["name"]
    fields = ["name", "organisation", "description", "email", "phone", "website", "receives_referrals", "receives_signals",
              "signal_email", "signal_codes", "active", "last_verified"]

    def save_model(self, request: Any, obj: Partner, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.log(Event.PARTNER_CHANGED if change else Event.PARTNER_CREATED, user=request.user, obj=obj, via="admin",
                  fields=sorted(form.changed_data))


@admin.register(PartnerUser)
class PartnerUserAdmin(admin.ModelAdmin):
    list_display = ["user", "partner"]
    autocomplete_fields = ["partner"]

    def save_model(self, request: Any, obj: PartnerUser, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.log(Event.PARTNER_USER_LINKED, user=request.user, obj=obj.partner, via="admin", account=obj.user.get_username())

    def delete_model(self, request: Any, obj: PartnerUser) -> None:
        audit.log(Event.PARTNER_USER_UNLINKED, user=request.user, obj=obj.partner, via="admin", account=obj.user.get_username())
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for link in queryset.select_related("user", "partner"):
            audit.log(Event.PARTNER_USER_UNLINKED, user=request.user, obj=link.partner, via="admin", account=link.user.get_username())
        super().delete_queryset(request, queryset)
