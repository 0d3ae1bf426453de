from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "balie.public"
    verbose_name = "Publieke pagina's: vind een IDO"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from balie.network.models import Location, Organisation

        from .selectors import forget_coordinates

        # The search keeps all coordinates in memory for a minute; a change made in this process shows at once.
        for model in (Location, Organisation):
            post_save.connect(forget_coordinates, sender=model, dispatch_uid=f"public_forget_{model.__name__}_save")
            post_delete.connect(forget_coordinates, sender=model, dispatch_uid=f"public_forget_{model.__name__}_delete")
