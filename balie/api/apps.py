from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "balie.api"
    verbose_name = "API v1"
