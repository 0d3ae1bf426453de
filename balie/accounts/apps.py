from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "balie.accounts"
    verbose_name = "Gebruikers en rollen"
