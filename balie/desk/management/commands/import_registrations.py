"""python manage.py import_registrations FILE [--dry-run]: all rows or none (see balie/desk/exchange/)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.desk.exchange import checking, importing


class Command(BaseCommand):
    help = "Importeert registraties uit een CSV-bestand (UTF-8). Eerst wordt elke regel gecontroleerd; bij één fout wordt niets opgeslagen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Pad naar het CSV-bestand.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        parser.add_argument("--dubbel", choices=["overslaan", "vervangen"], default="",
                            help="Regels die al in Balie staan (zelfde locatie, moment en codes): overslaan, of de periode van het "
                                 "bestand op die locaties vervangen. Zonder deze optie stopt de import als er zulke regels zijn.")

    def handle(self, *args: Any, file: str, dry_run: bool, dubbel: str = "", **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Het bestand '{file}' bestaat niet.")
        started = time.monotonic()
        try:
            text = checking.decode(path.read_bytes())
            result = importing.import_text(text, dry_run=dry_run, duplicates=dubbel)
        except importing.DuplicatesFound as exc:
            found = exc.duplicates
            raise CommandError(
                f"{found.count} regels staan al in Balie (zelfde locatie, moment en codes; {found.first} tot en met {found.last}). "
                f"Er is niets opgeslagen. Kies --dubbel overslaan (alleen de nieuwe regels) of --dubbel vervangen (de "
                f"{found.existing} registraties van die periode op die locaties vervangen).") from exc
        except importing.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        rate = f"{result.rows / seconds:,.0f}".replace(",", ".") if seconds else "-"
        if dry_run:
            self.stdout.write(f"Controle geslaagd: {result.rows} vragen in {result.visits} bezoeken. Niets opgeslagen (--dry-run).")
        else:
            self.stdout.write(
                f"{result.created} vragen in {result.visits} bezoeken geïmporteerd "
                f"({', '.join(result.organisations)}; {result.redactions} persoonsgegevens weggelakt; "
                f"{seconds:.1f} s, {rate} regels/s)."
                + (f" {result.skipped} regels stonden er al en zijn overgeslagen." if result.skipped else "")
                + (f" {result.replaced} registraties van de periode zijn vervangen." if result.replaced else "")
            )
