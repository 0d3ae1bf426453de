from __future__ import annotations

from django.core.management.base import BaseCommand

from balie.network.models import Location


class Command(BaseCommand):
    help = "Toont alle locaties; met --json als [{code, naam, organisatie, gemeente}]."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
        parser.add_argument("--inactive", action="store_true", help="Ook niet-actieve locaties.")

    def handle(self, *args, json: bool = False, inactive: bool = False, **options):
        qs = Location.objects.select_related("organisation", "gemeente").order_by("organisation__code", "code")
        if not inactive:
            qs = qs.filter(active=True)
        rows = [{"code": loc.code, "naam": loc.naam, "organisatie": loc.organisation.code, "gemeente": loc.gemeente.cbs_code} for loc in qs]
        if json:
            import json as jsonlib

            self.stdout.write(jsonlib.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                self.stdout.write(f"{r['code']:<28} {r['naam']:<45} {r['organisatie']:<15} {r['gemeente']}")
