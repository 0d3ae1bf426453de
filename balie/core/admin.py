from django.contrib import admin

from .models import AuditEvent, CodeListVersion


@admin.register(CodeListVersion)
class CodeListVersionAdmin(admin.ModelAdmin):
    """Read-only here: only the landelijk role edits code lists, through its own pages."""

    list_display = ("number", "description", "published_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: viewable, never editable."""

    list_display = ("timestamp", "event", "user", "object_type", "object_uuid", "personal_data")
    list_filter = ("event", "personal_data")
    search_fields = ("object_uuid", "event")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
