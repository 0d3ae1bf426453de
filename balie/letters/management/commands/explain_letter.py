"""python manage.py explain_letter FILE [--json] — the letter explainer on the command line (text, image or PDF)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from balie.letters.explain import LetterInputError, explain_letter
from balie.letters.ocr import MAX_UPLOAD_BYTES, OcrError, read_upload
from balie.messagecheck.domains import trusted_register


class Command(BaseCommand):
    help = "Legt een brief uit: afzender, datum, termijnen, bedragen, wat de brief vraagt en moeilijke woorden. Bewaart niets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Tekstbestand, foto (JPG/PNG) of PDF van de brief; '-' leest van stdin.")
        parser.add_argument("--json", action="store_true",
                            help='Uitvoer als JSON: {"afzender", "datum", "termijnen", "bedragen", "actie", "begrippen"}.')

    def _fail(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
            raise SystemExit(1)
        raise CommandError(message)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        if options["file"] == "-":
            data = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
        else:
            path = Path(options["file"])
            if not path.is_file():
                self._fail(f"Bestand niet gevonden: {path}", as_json)
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                self._fail("Dit bestand is groter dan 10 MB. Maak een kleinere foto of kies een andere scan.", as_json)
            data = path.read_bytes()
        try:
            read = read_upload(data)
            result = explain_letter(read.text, trusted_register(), read.picture_confidence)
        except (OcrError, LetterInputError) as exc:
            self._fail(str(exc), as_json)
            return
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Afzender: {result.sender or 'onbekend'}")
        self.stdout.write(f"Datum: {result.date.isoformat() if result.date else 'onbekend'}")
        self.stdout.write(f"Wat moet u doen: {result.action_text}")
        for deadline in result.deadlines:
            self.stdout.write(f"Uiterlijk {deadline.date.isoformat()}: {deadline.label} — {deadline.sentence}")
        if result.amounts:
            self.stdout.write("Bedragen: " + ", ".join(result.amounts_shown))
        for term in result.terms:
            self.stdout.write(f"{term.term}: {term.uitleg}")
        for note in result.notes:
            self.stdout.write(f"Let op: {note}")
