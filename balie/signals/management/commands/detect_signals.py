"""python manage.py detect_signals [--json] [--until YYYY-MM-DD] [--dry-run]: the nightly signal detection."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandParser

from balie.signals import services


class Command(BaseCommand):
    help = "Zoek terugkerende problemen (signalen) in de registraties en sla ze op."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Schrijf de gevonden signalen als JSON-array.")
        parser.add_argument("--until", type=dt.date.fromisoformat, help="Tot en met de week van deze datum (standaard: vorige week).")
        parser.add_argument("--dry-run", action="store_true", help="Alleen zoeken, niets opslaan.")

    def handle(self, *args, **options) -> None:
        findings = services.run(options["until"], save=not options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps([f.as_json() for f in findings], ensure_ascii=False))
        else:
            for f in findings:
                self.stdout.write(f"{f.scope} {f.instantie} {f.onderwerp or ''} {f.phrase} {f.start_week}–{f.end_week}: "
                                  f"{f.observed} geteld, {f.expected:.1f} verwacht (q={f.q_value:.3g})")
            self.stdout.write(f"{len(findings)} signalen gevonden.")
