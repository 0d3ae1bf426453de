"""python manage.py create_api_token USERNAME: print a new API token for that user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.network.services import api_token_create


class Command(BaseCommand):
    help = (
        "Maakt een API-token voor een gebruiker en toont het. Een bestaand token van die gebruiker "
        "wordt vervangen en werkt daarna niet meer (zo trekt u een uitgelekt token in)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Gebruikersnaam van de gebruiker voor wie het token is.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet.")
        if not user.is_active:
            raise CommandError(f"Gebruiker '{username}' is niet actief; een token zou toch niet werken.")
        # user=None: the audit log records a command-line action, not a logged-in user.
        key = api_token_create(user=None, for_user=user)
        # Only the token on stdout, so scripts can capture it; the explanation goes to stderr.
        self.stdout.write(key)
        self.stderr.write(f"Nieuw API-token voor {username}; een eerder token van deze gebruiker werkt niet meer.")
