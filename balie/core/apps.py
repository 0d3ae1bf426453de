from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "balie.core"
    verbose_name = "Kern: codelijsten, audit en privacy"

    def ready(self) -> None:
        from . import logins  # noqa: F401  (connects the login audit receivers)
