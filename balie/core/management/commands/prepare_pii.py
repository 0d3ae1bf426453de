"""Build deduce's name lookup cache once (1-2 minutes), inside Django so the cache stays valid.

Why a command: deduce compares its source files' mtimes with a naive local timestamp in the cache.
Django sets TZ=Europe/Amsterdam, so a cache built by plain `python` (TZ=UTC) looks stale to every
Django process and would be rebuilt at the first note check.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Bereidt het model voor dat namen in notities herkent (eenmalig, 1-2 minuten)."
    requires_system_checks: list = []

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            import deduce

            deduce.Deduce()
        except Exception as exc:  # noqa: BLE001 - any failure means names fall back to the salutation rule
            raise CommandError(f"Het namenmodel (deduce) kon niet laden: {exc}. Balie herkent namen dan alleen na aanspreekvormen.") from exc
        self.stdout.write(f"Namenmodel klaar in {time.monotonic() - started:.0f} s.")
