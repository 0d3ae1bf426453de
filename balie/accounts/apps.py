from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "balie.accounts"
    verbose_name = "Gebruikers en rollen"
    default = True


class BalieAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Balie's admin site, which also asks for the second factor (``adminsite.BalieAdminSite``).
    Named in INSTALLED_APPS instead of django.contrib.admin."""

    default = False
    default_site = "balie.accounts.adminsite.BalieAdminSite"
