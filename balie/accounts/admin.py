from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class BalieUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Rol en bereik", {"fields": ("role", "organisation", "gemeenten", "default_location")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Rol en bereik", {"fields": ("role", "organisation")}),)
    filter_horizontal = ("gemeenten", "groups", "user_permissions")
