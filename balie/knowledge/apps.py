from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "balie.knowledge"
    verbose_name = "Kennisbank: handleidingen stap voor stap"
