"""Admin for the network. Organisation and location edits go through the services and the audit log, like the
coordinator's own pages: a location saved here gets coordinates for the public search and a `location_saved` event."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from balie.core import audit
from balie.core.audit import Event

from . import services
from .models import Gemeente, LocalCode, Location, Organisation, WeeklyHours


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ("cbs_code", "naam", "provincie", "active")
    search_fields = ("cbs_code", "naam")
    list_filter = ("active", "provincie")


class LocationInline(admin.TabularInline):
    model = Location
    fields = ("code", "naam", "kind", "gemeente", "active")
    autocomplete_fields = ("gemeente",)
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "active")
    search_fields = ("code", "naam")
    inlines = [LocationInline]

    def save_model(self, request: Any, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.log(Event.ORGANISATION_SAVED, user=request.user, obj=obj, via="admin", created=not change, fields=sorted(form.changed_data))

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Location:
            super().save_formset(request, form, formset, change)
            return
        locations = formset.save(commit=False)
        for location in formset.deleted_objects:
            audit.log(Event.LOCATION_DELETED, user=request.user, obj=location, code=location.code, via="admin")
            location.delete()
        # formset.save(commit=False) hands back each form's own instance, so the form's changed fields are found by identity.
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for location in locations:
            services.location_admin_save(user=request.user, location=location, changed=changed.get(id(location), []))
        formset.save_m2m()


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "organisation", "kind", "gemeente", "active")
    list_filter = ("organisation", "kind", "active")
    search_fields = ("code", "naam")
    autocomplete_fields = ("gemeente",)
    inlines = [WeeklyHoursInline]

    def save_model(self, request: Any, obj: Location, form: Any, change: bool) -> None:
        services.location_admin_save(user=request.user, location=obj, changed=form.changed_data)

    def delete_model(self, request: Any, obj: Location) -> None:
        audit.log(Event.LOCATION_DELETED, user=request.user, obj=obj, code=obj.code, via="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for location in queryset:
            audit.log(Event.LOCATION_DELETED, user=request.user, obj=location, code=location.code, via="admin")
        super().delete_queryset(request, queryset)


@admin.register(LocalCode)
class LocalCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "list", "national_code", "organisation", "active")
    list_filter = ("organisation", "list")
