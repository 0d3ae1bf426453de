from django.core.management.base import BaseCommand

from balie.demo.network import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Toont de demo-inloggegevens en het adres van Balie."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port: str, **options):
        self.stdout.write(f"\nBalie draait op http://127.0.0.1:{port}/  (stoppen: Ctrl+C)")
        self.stdout.write(f"Demo-inloggegevens (alleen demodata), wachtwoord voor iedereen: '{DEMO_PASSWORD}'")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<18} {login.description}")
        self.stdout.write("")
