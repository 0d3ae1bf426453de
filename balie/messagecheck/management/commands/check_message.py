"""python manage.py check_message [--json] < bericht.txt — the message check on the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from balie.messagecheck.check import MessageInputError, check_message
from balie.messagecheck.domains import trusted_register


class Command(BaseCommand):
    help = "Controleert een bericht of link (van stdin): betrouwbaar, twijfel of nep, met alle redenen. Bewaart niets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help='Uitvoer als JSON: {"verdict", "reasons", "domains"}.')

    def handle(self, *args: Any, **options: Any) -> None:
        text = sys.stdin.read()
        try:
            result = check_message(text, trusted_register())
        except MessageInputError as exc:
            if options["json"]:
                self.stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False))
                raise SystemExit(1) from exc
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Oordeel: {result.verdict}")
        for reason in result.reasons:
            self.stdout.write(f"- {reason.text} [{reason.code}]")
        self.stdout.write("Wat te doen:")
        for line in result.advice:
            self.stdout.write(f"- {line}")
