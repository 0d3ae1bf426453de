"""python manage.py load_demo --registrations N --years Y --seed S"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from balie.desk.models import Question
from balie.network.demo import DEMO_LOGINS, DEMO_PASSWORD, build_network


class Command(BaseCommand):
    help = "Bouwt het demonetwerk (stad, middelgrote plaats, dorp) en N realistische anonieme registraties."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=20000, help="Aantal vragen (0: alleen het netwerk).")
        parser.add_argument("--years", type=int, default=3, help="Over hoeveel jaar terug de registraties verdeeld worden.")
        parser.add_argument("--seed", type=int, default=1, help="Startwaarde: dezelfde seed geeft dezelfde data.")
        parser.add_argument("--if-empty", action="store_true", help="Niets doen als er al registraties zijn.")
        parser.add_argument("--quiet", action="store_true", help="Geen inloggegevens tonen.")

    def handle(self, *args, registrations: int, years: int, seed: int, if_empty: bool, quiet: bool, **options):
        if registrations < 0 or years < 1:
            raise CommandError("--registrations moet 0 of meer zijn en --years minstens 1.")
        build_network()
        if if_empty and Question.objects.exists():
            self.stdout.write("Er zijn al registraties; de demodata is niet opnieuw geladen.")
        elif registrations:
            from balie.desk.demo import generate

            started = time.monotonic()
            created = generate(registrations=registrations, years=years, seed=seed)
            self.stdout.write(f"{created} registraties aangemaakt in {time.monotonic() - started:.1f} s.")
        if not quiet:
            self.stdout.write(f"\nDemo-inloggegevens (alleen demodata), wachtwoord '{DEMO_PASSWORD}':")
            for login in DEMO_LOGINS:
                self.stdout.write(f"  {login.username:<18} {login.description}")
