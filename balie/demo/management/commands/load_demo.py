"""python manage.py load_demo --registrations N --years Y --seed S"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from balie.demo.announcements import build_announcements
from balie.demo.courses import build_courses
from balie.demo.network import DEMO_LOGINS, DEMO_PASSWORD, build_network
from balie.demo.partners import build_social_map
from balie.demo.referrals import build_referrals
from balie.demo.registrations import generate
from balie.demo.signals import add_recent_problem, detect_once, problem_size
from balie.demo.survey import generate as generate_survey
from balie.desk.models import Question
from balie.forecast.models import ForecastRun
from balie.forecast.services import update_forecasts
from balie.insight import rollup
from balie.survey.models import SurveyResponse


class Command(BaseCommand):
    help = "Bouwt het demonetwerk (stad, middelgrote plaats, dorp) en N realistische anonieme registraties."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=20000, help="Aantal vragen (0: alleen het netwerk).")
        parser.add_argument("--years", type=int, default=3, help="Over hoeveel jaar terug de registraties verdeeld worden.")
        parser.add_argument("--seed", type=int, default=1, help="Startwaarde: dezelfde seed geeft dezelfde data.")
        parser.add_argument("--if-empty", action="store_true", help="Niets doen als er al registraties zijn.")
        parser.add_argument("--quiet", action="store_true", help="Geen inloggegevens tonen.")

    def handle(self, *args, registrations: int, years: int, seed: int, if_empty: bool, quiet: bool, **options):
        # Building the demo writes hundreds of audit events (survey links, referrals, forecasts); they are all stored
        # in the audit table as usual, but their console copy would bury the demo logins that `make run` prints.
        audit_console = logging.getLogger("balie.audit")
        level = audit_console.level
        audit_console.setLevel(logging.WARNING)
        try:
            self._load(registrations=registrations, years=years, seed=seed, if_empty=if_empty, quiet=quiet)
        finally:
            audit_console.setLevel(level)

    def _load(self, *, registrations: int, years: int, seed: int, if_empty: bool, quiet: bool) -> None:
        if registrations < 0 or years < 1:
            raise CommandError("--registrations moet 0 of meer zijn en --years minstens 1.")
        build_network()
        if if_empty and Question.objects.exists():
            self.stdout.write("Er zijn al registraties; de demodata is niet opnieuw geladen.")
        elif registrations:
            started = time.monotonic()
            # A recent problem for the signal function takes its share of the registrations asked for (balie/demo/signals.py).
            extra = problem_size(registrations)
            created = generate(registrations=registrations - extra, years=years, seed=seed)
            if extra:
                created += add_recent_problem(seed=seed)
            self.stdout.write(f"{created} registraties aangemaakt in {time.monotonic() - started:.1f} s.")
            # The bulk load bypasses the services, so the dashboards' rollups are recomputed once at the end.
            result = rollup.rebuild()
            self.stdout.write(f"Overzichten bijgewerkt ({result['cells']} cellen) in {result['seconds']:.1f} s.")
        # Social map, courses and a few months of referrals on the registrations (idempotent, so also for an older demo database).
        started = time.monotonic()
        build_social_map()
        build_courses()
        build_referrals(seed)
        build_announcements()
        self.stdout.write(f"Sociale kaart, cursussen, verwijzingen en aanmeldingen klaargezet in {time.monotonic() - started:.1f} s.")
        if registrations:
            self._survey_and_forecast(seed)
            # The nightly signal detection once, so the Signalen page is not empty (review 2026-12, item 6).
            started = time.monotonic()
            found = detect_once()
            self.stdout.write(f"Signaaldetectie: {found} signalen in {time.monotonic() - started:.1f} s.")
        if not quiet:
            self.stdout.write(f"\nDemo-inloggegevens (alleen demodata), wachtwoord '{DEMO_PASSWORD}':")
            for login in DEMO_LOGINS:
                self.stdout.write(f"  {login.username:<18} {login.description}")

    def _survey_and_forecast(self, seed: int) -> None:
        """Survey answers and a forecast run, so the survey and forecast pages show something (also after an upgrade)."""
        if not SurveyResponse.objects.exists():
            started = time.monotonic()
            self.stdout.write(f"{generate_survey(seed=seed)} enquêteantwoorden aangemaakt in {time.monotonic() - started:.1f} s.")
        if not ForecastRun.objects.exists():
            run = update_forecasts()
            self.stdout.write(f"Prognose berekend voor {run.locations} locaties in {run.duration_seconds:.1f} s.")
