from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "balie.courses"
    label = "courses"
    verbose_name = "Cursussen en groepen"
