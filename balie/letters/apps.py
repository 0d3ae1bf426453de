from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "balie.letters"
    verbose_name = "Briefuitleg: wat staat er in deze brief?"
