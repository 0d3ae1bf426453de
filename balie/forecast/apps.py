from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "balie.forecast"
    label = "forecast"
    verbose_name = "Prognose en bezetting"
    default_auto_field = "django.db.models.BigAutoField"
