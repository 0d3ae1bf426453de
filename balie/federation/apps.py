from django.apps import AppConfig


def node_register() -> dict[str, str]:
    from .models import Node

    return dict(Node.objects.values_list("code", "naam"))


class FederationConfig(AppConfig):
    name = "balie.federation"
    verbose_name = "Federatie (hub en knooppunten)"

    def ready(self) -> None:
        from balie.insight import delivered

        from . import receivers  # noqa: F401  (the nightly sync hangs on the worker's maintenance signal)

        # The national views name the nodes that did not deliver; insight (a layer below) asks through this hook.
        delivered.register_sources(node_register)
