import json

from django.core.management.base import BaseCommand, CommandError

from balie.federation.client import SyncFailed, sync, withdraw


class Command(BaseCommand):
    help = "Op een knooppunt: haal de landelijke codelijsten op bij de hub en lever de cijfers (alleen aantallen)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Druk af wat is opgehaald en geleverd, als JSON.")
        parser.add_argument("--maanden", type=int, default=None, help="Hoeveel maanden terug opnieuw leveren (standaard 13).")
        parser.add_argument("--intrekken", action="store_true", help="Trek de leveringen bij de hub in in plaats van te leveren.")
        parser.add_argument("--periode", default=None, help="Bij --intrekken: alleen deze periode (2026, 2026-K3 of 2026-07).")

    def handle(self, *args, **options):
        try:
            if options["intrekken"]:
                result = withdraw(period=options["periode"])
            else:
                months = options["maanden"]
                if months is not None and not 0 <= months <= 120:
                    raise CommandError("Kies --maanden van 0 tot 120.")
                result = sync(months_back=months)
        except SyncFailed as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif "ingetrokken" in result:
            self.stdout.write(f"{result['ingetrokken']} perioden en {result['signalen_ingetrokken']} signalen ingetrokken bij {result['hub']}.")
        else:
            self.stdout.write(
                f"Codelijsten opgehaald: {result['codelijsten_opgehaald'] or 'geen nieuwe'}; "
                f"{len(result['verzonden'])} perioden en {len(result['signalen'])} signalen geleverd, {result['gewijzigd']} gewijzigd."
            )
