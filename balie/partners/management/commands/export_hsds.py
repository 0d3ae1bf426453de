"""python manage.py export_hsds DIR [--organisation CODE]: the social map as an HSDS 3.0 CSV package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from balie.partners import hsds


class Command(BaseCommand):
    help = "Exporteer de sociale kaart als Open Referral HSDS 3.0 CSV-pakket (zeven CSV-bestanden in de map)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="Map waarin de CSV-bestanden komen (wordt aangemaakt).")
        parser.add_argument("--organisation", help="Code van de bibliotheekorganisatie (weglaten: landelijke partners).")

    def handle(self, *args, **options) -> None:
        organisation = hsds.organisation_option(options["organisation"])
        folder = Path(options["dir"])
        folder.mkdir(parents=True, exist_ok=True)
        texts = hsds.export_package(organisation)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        rows = sum(t.count("\n") - 1 for t in texts.values())
        self.stdout.write(f"{len(texts)} bestanden met {rows} regels geschreven naar {folder}.")
