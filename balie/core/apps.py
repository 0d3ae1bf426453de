from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "balie.core"
    verbose_name = "Kern: codelijsten, audit en privacy"

    def ready(self) -> None:
        # logins: the login audit receivers; outbox: the mail sweep and recovery, hung on the worker (core/worker.py).
        from . import logins, outbox  # noqa: F401
