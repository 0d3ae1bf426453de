from django.apps import AppConfig


class WalkinConfig(AppConfig):
    name = "balie.walkin"
    verbose_name = "Inloopwachtrij"

    def ready(self) -> None:
        from balie.desk.signals import visit_registered

        from .receivers import ticket_served_on_registration

        visit_registered.connect(ticket_served_on_registration, dispatch_uid="walkin_ticket_served_on_registration")
