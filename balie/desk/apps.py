from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "balie.desk"
    verbose_name = "Balie: bezoeken en vragen"

    def ready(self) -> None:
        from .exchange import recovery  # noqa: F401  (resumes or ends imports the worker's recovery hands over)
