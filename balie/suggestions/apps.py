from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "balie.suggestions"
    verbose_name = "Suggesties bij het registreren"
