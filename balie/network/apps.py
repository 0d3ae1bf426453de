from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "balie.network"
    verbose_name = "Netwerk: gemeenten, organisaties en locaties"
