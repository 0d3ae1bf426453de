from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "balie.network"
    verbose_name = "Netwerk: gemeenten, organisaties en locaties"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Gemeente
        from .selectors import clear_gemeente_codes

        post_save.connect(clear_gemeente_codes, sender=Gemeente, dispatch_uid="gemeente-codes-save")
        post_delete.connect(clear_gemeente_codes, sender=Gemeente, dispatch_uid="gemeente-codes-delete")
