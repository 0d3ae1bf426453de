from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "balie.federation"
    verbose_name = "Federatie (hub en knooppunten)"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the nightly sync hangs on the worker's maintenance signal)
