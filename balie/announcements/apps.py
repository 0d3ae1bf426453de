from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "balie.announcements"
    verbose_name = "Aanmeldingen"

    def ready(self) -> None:
        # The desk does not know announcements exist: it sends visit_registered, we listen (like the walk-in queue).
        from balie.desk.signals import visit_registered

        from . import receivers

        visit_registered.connect(receivers.announcement_came, dispatch_uid="announcements.came")
