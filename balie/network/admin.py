from django.contrib import admin

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


@admin.register(LocalCode)
class LocalCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "list", "national_code", "organisation", "active")
    list_filter = ("organisation", "list")
