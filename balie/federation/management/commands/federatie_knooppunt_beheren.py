from django.core.management.base import BaseCommand, CommandError

from balie.federation import services
from balie.federation.models import Node


class Command(BaseCommand):
    help = "Op de hub: schors een knooppunt, laat het weer toe of geef het een nieuwe sleutel."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Code van het knooppunt.")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--schorsen", action="store_true", help="Weiger voortaan elke aanroep van dit knooppunt.")
        action.add_argument("--toelaten", action="store_true", help="Hef een schorsing op.")
        action.add_argument("--nieuwe-sleutel", action="store_true", help="Maak een nieuwe sleutel; de oude werkt meteen niet meer.")

    def handle(self, *args, **options):
        node = Node.objects.filter(code=options["code"].strip().upper()).first()
        if node is None:
            raise CommandError(f"Er is geen knooppunt met code {options['code']}.")
        if options["nieuwe_sleutel"]:
            token = services.token_rotate(node=node)
            self.stdout.write(f"Nieuwe sleutel voor {node.code} (alleen nu zichtbaar; de oude werkt niet meer):")
            self.stdout.write(token)
            return
        services.node_set_suspended(node=node, suspended=options["schorsen"])
        self.stdout.write(f"Knooppunt {node.code} is {'geschorst' if options['schorsen'] else 'weer toegelaten'}.")
