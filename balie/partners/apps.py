from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "balie.partners"
    label = "partners"
    verbose_name = "Sociale kaart"
