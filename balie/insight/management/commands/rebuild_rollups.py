"""python manage.py rebuild_rollups [--from JJJJ-MM-DD] [--to JJJJ-MM-DD] | --pending"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from balie.insight import rollup


class Command(BaseCommand):
    help = "Telt de overzichten (rollups) opnieuw uit de registraties; zonder periode alles, anders hele maanden."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="Eerste dag (de hele maand wordt opnieuw geteld).")
        parser.add_argument("--to", dest="date_to", help="Laatste dag (de hele maand wordt opnieuw geteld).")
        parser.add_argument("--pending", action="store_true",
                            help="Alleen de wachtende wijzigingen van de balies verwerken (snel; elke paar minuten via cron).")

    def handle(self, *args, date_from: str | None, date_to: str | None, pending: bool = False, **options):
        if pending:
            if date_from or date_to:
                raise CommandError("--pending verwerkt alle wachtende wijzigingen; laat --from en --to weg.")
            self.stdout.write(f"{rollup.fold()} wachtende wijzigingen verwerkt.")
            return
        try:
            start = dt.date.fromisoformat(date_from) if date_from else None
            end = dt.date.fromisoformat(date_to) if date_to else None
        except ValueError as exc:
            raise CommandError("Schrijf een datum als JJJJ-MM-DD, bijvoorbeeld 2025-01-01.") from exc
        if start and end and start > end:
            raise CommandError("--from ligt na --to.")
        result = rollup.rebuild(start, end, log=lambda m: self.stderr.write(m) if options.get("verbosity", 1) > 1 else None)
        self.stdout.write(f"{result['cells']} cellen opnieuw geteld in {result['seconds']:.1f} s.")
