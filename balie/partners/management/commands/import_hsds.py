"""python manage.py import_hsds DIR [--organisation CODE]: the social map from an HSDS 3.0 CSV package, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.partners import hsds


class Command(BaseCommand):
    help = "Importeer een sociale kaart uit een Open Referral HSDS 3.0 CSV-pakket (map met CSV-bestanden). Alles of niets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="ZIP-bestand, of map met organizations.csv, services.csv, locations.csv, service_at_location.csv, phones.csv, schedules.csv, service_areas.csv.")
        parser.add_argument("--organisation", help="Code van de bibliotheekorganisatie die de kaart beheert (weglaten: landelijke partners).")

    def handle(self, *args, **options) -> None:
        organisation = hsds.organisation_option(options["organisation"])
        try:
            result = hsds.import_package(hsds.read_dir(options["dir"]), organisation=organisation)
        except hsds.HsdsRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        # What the page lists as warnings (references left out, fields not used), so a command-line import is no quieter.
        for warning in result.warnings:
            self.stderr.write(f"Let op: {warning}")
        if result.warning_total > len(result.warnings):
            self.stderr.write(f"Let op: en nog {result.warning_total - len(result.warnings)} waarschuwingen.")
        self.stdout.write(f"Geïmporteerd: {result.partners} organisaties, {result.services} diensten, {result.locations} locaties.")
