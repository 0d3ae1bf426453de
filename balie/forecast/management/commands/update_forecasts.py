"""python manage.py update_forecasts [--organisation CODE] [--today JJJJ-MM-DD] [--json]"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from balie.forecast.services import update_forecasts
from balie.network.models import Organisation


class Command(BaseCommand):
    help = "Berekent per locatie de prognose (12 maanden), de terugtoets op het afgelopen jaar en het bezettingsadvies."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", default="", help="Alleen de locaties van deze organisatie (code, bijv. BIB-RDAM).")
        parser.add_argument("--today", default="", help="Rekenen alsof het vandaag deze datum is (JJJJ-MM-DD).")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Uitkomst als één JSON-regel.")

    def handle(self, *args, organisation: str, today: str, as_json: bool, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(code=organisation).first()
            if org is None:
                raise CommandError(f"Organisatie '{organisation}' bestaat niet.")
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"'{today}' is geen datum; gebruik JJJJ-MM-DD.") from exc
        run = update_forecasts(today=day, organisation=org)
        result = {
            "run": str(run.uuid), "locations": run.locations, "seconds": round(run.duration_seconds, 2),
            "backtest_mae": run.backtest_mae, "backtest_mape": run.backtest_mape, "backtest_coverage": run.backtest_coverage,
        }
        if as_json:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"Prognose berekend voor {run.locations} locaties in {run.duration_seconds:.1f} s.")

