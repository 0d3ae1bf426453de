from django.core.management.base import BaseCommand, CommandError

from balie.federation import services


class Command(BaseCommand):
    help = "Op de hub: voeg een knooppunt toe en toon eenmalig zijn sleutel (BALIE_HUB_TOKEN op het knooppunt)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Korte code in hoofdletters, bijvoorbeeld BIB-AMSTERDAM.")
        parser.add_argument("--naam", required=True, help="Naam van de organisatie die het knooppunt beheert.")
        parser.add_argument("--oin", default="", help="OIN (20 cijfers), de PeerID in FSC.")

    def handle(self, *args, **options):
        try:
            node, token = services.node_add(code=options["code"], naam=options["naam"], oin=options["oin"])
        except services.NodeInvalid as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Knooppunt {node.code} ({node.naam}) is toegevoegd.")
        self.stdout.write("Sleutel (alleen nu zichtbaar; zet hem op het knooppunt in BALIE_HUB_TOKEN):")
        self.stdout.write(token)
