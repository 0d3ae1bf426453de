from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "balie.survey"
    label = "survey"
    verbose_name = "Bezoekersenquête"
    default_auto_field = "django.db.models.BigAutoField"
