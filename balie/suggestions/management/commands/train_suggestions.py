"""Retrain the suggestion models now (for a nightly cron job, or after an import)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from balie.network.models import Organisation
from balie.suggestions.services import suggestion_model_train


class Command(BaseCommand):
    help = "Traint de suggestiemodellen opnieuw op de eigen notities van elke organisatie (of van één met --organisation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="CODE", help="alleen deze organisatie, bijvoorbeeld BIB-RDAM")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.filter(active=True).order_by("code")
        if options["organisation"]:
            organisations = organisations.filter(code=options["organisation"].strip().upper())
            if not organisations:
                raise CommandError(f"Onbekende of inactieve organisatie '{options['organisation']}'.")
        for organisation in organisations:
            n = suggestion_model_train(organisation_id=organisation.pk)
            message = f"{n} notities" if n else "te weinig notities; alleen de woordenlijst"
            self.stdout.write(f"{organisation.code}: {message}")
