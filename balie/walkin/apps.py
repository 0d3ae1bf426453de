from django.apps import AppConfig


class WalkinConfig(AppConfig):
    name = "balie.walkin"
    verbose_name = "Inloopwachtrij"
