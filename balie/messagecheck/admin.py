from django.contrib import admin

from .models import TrustedDomain


@admin.register(TrustedDomain)
class TrustedDomainAdmin(admin.ModelAdmin):
    """The beheerder adds domains the shipped register misses (a local housing corporation, a new government site)."""

    list_display = ("domain", "organisation", "category", "added_by", "created_at")
    list_filter = ("category",)
    search_fields = ("domain", "organisation")
    readonly_fields = ("added_by", "created_at")
    fields = ("domain", "organisation", "category", "note", "added_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
