from django.apps import AppConfig


class MessagecheckConfig(AppConfig):
    name = "balie.messagecheck"
    verbose_name = "Berichtcheck: is dit bericht echt?"
