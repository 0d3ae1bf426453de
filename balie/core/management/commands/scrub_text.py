"""Run the PII detector on stdin: handy for checking a note, and for scripts (``--json``)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from balie.core import pii


class Command(BaseCommand):
    # Pure text utility: no database or URL config needed, so skip system checks (fast, robust).
    requires_system_checks: list[str] = []
    help = "Controleert tekst van stdin op persoonsgegevens (BSN, IBAN, e-mail, telefoon, adres, geboortedatum, naam)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Uitvoer als JSON: findings en redacted.")
        parser.add_argument("--no-names", action="store_true", help="Sla naamherkenning met deduce over (sneller).")

    def handle(self, *args: Any, **options: Any) -> None:
        # Read at call time (not import time) so tests can swap sys.stdin; _stdin allows injection.
        stdin = getattr(self, "_stdin", None) or sys.stdin
        text = stdin.read()
        result = pii.scrub(text, names=False if options["no_names"] else None)
        if options["json"]:
            payload = {
                "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in result.findings],
                "redacted": result.redacted,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if not result.findings:
            self.stdout.write("Geen persoonsgegevens gevonden.")
        for f in result.findings:
            self.stdout.write(f"{pii.PLACEHOLDERS[f.kind]} teken {f.start}-{f.end}: {f.text!r} — {f.reason}")
        self.stdout.write("")
        self.stdout.write("Opgeschoonde tekst:")
        self.stdout.write(result.redacted)
