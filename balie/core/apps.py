from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "balie.core"
    verbose_name = "Kern: codelijsten, audit en privacy"
