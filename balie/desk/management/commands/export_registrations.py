"""python manage.py export_registrations [--format csv|xlsx] [--organisation CODE] [--output FILE]"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.desk.exchange import exporting
from balie.network.models import Organisation


class Command(BaseCommand):
    help = "Exporteert registraties (één regel per vraag) als CSV of Excel, ook bij miljoenen regels met weinig geheugen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="csv (standaard) of xlsx.")
        parser.add_argument("--organisation", help="Alleen deze organisatie (code, bijvoorbeeld BIB-RDAM).")
        parser.add_argument("--output", help="Bestand om naar te schrijven; zonder deze optie gaat CSV naar het scherm (stdout).")

    def handle(self, *args: Any, format: str, organisation: str | None, output: str | None, **options: Any) -> None:
        org = None
        if organisation:
            org = Organisation.objects.filter(code=organisation.strip().upper()).first()
            if org is None:
                known = ", ".join(Organisation.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(f"Onbekende organisatie '{organisation}'. Bekende codes: {known}.")
        started = time.monotonic()
        if format == "xlsx":
            if not output:
                raise CommandError("Een Excel-bestand kan niet naar het scherm; geef een bestand op met --output.")
            count = exporting.write_xlsx(output, org)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = exporting.write_csv(fh, org)
        else:
            # The wrapped stream itself: OutputWrapper would add line endings of its own.
            count = exporting.write_csv(getattr(self.stdout, "_out", sys.stdout), org)
        if output:
            seconds = time.monotonic() - started
            self.stderr.write(f"{count} regels geschreven naar {output} in {seconds:.1f} s.")
