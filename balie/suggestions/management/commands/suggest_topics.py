"""Suggest instantie and onderwerp for notes on stdin, one per line: the desk's suggestions without the desk."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from balie.network.models import Organisation
from balie.suggestions import selectors


class Command(BaseCommand):
    help = (
        "Leest één notitie per regel van stdin en geeft per notitie de top-3 instanties en onderwerpen. "
        "Met --organisation leert Balie van de eigen registraties van die organisatie; zonder alleen van de ingebouwde woordenlijst."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help='één JSON-regel per notitie: {"instantie": [...], "onderwerp": [...]}')
        parser.add_argument("--organisation", metavar="CODE", help="code van de bibliotheekorganisatie, bijvoorbeeld BIB-RDAM")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"].strip().upper()).first()
            if organisation is None:
                known = ", ".join(Organisation.objects.order_by("code").values_list("code", flat=True)) or "(nog geen)"
                raise CommandError(f"Onbekende organisatie '{options['organisation']}'. Bekende codes: {known}.")
            organisation_id = organisation.pk
        # Bytes, decoded leniently: one badly encoded line must not stop a whole batch.
        stream = getattr(sys.stdin, "buffer", None)
        lines = (raw.decode("utf-8", errors="replace") for raw in stream) if stream is not None else iter(sys.stdin)
        for line in lines:
            note = line.strip()
            if not note:
                result: dict[str, Any] = {"instantie": [], "onderwerp": [], "fout": "Lege regel: geen notitie om te beoordelen."}
            else:
                suggestion = selectors.suggest(note, organisation_id=organisation_id)
                result = {**suggestion.codes(), "bron": suggestion.source}
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            elif "fout" in result:
                self.stdout.write(result["fout"])
            else:
                self.stdout.write(f"instantie: {', '.join(result['instantie'])}  |  onderwerp: {', '.join(result['onderwerp'])}")
