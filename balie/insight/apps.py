from django.apps import AppConfig


class InsightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "balie.insight"
    verbose_name = "Inzicht"

    def ready(self) -> None:
        from balie.desk.signals import registrations_imported

        from .rollup import fold_after_import

        registrations_imported.connect(fold_after_import, dispatch_uid="insight_fold_after_import")
