from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "balie.desk"
    verbose_name = "Balie: bezoeken en vragen"
