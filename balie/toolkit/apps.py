from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "balie.toolkit"
    verbose_name = "Gereedschap: berichtcheck, briefuitleg, suggesties en kennisbank"
