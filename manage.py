#!/usr/bin/env python
"""Django's command-line utility for Balie."""
import os
import sys

# Commands that only read the code (models and migration files), never data, keys or the network: they may run on a
# developer's checkout without production keys. Everything else runs as production unless BALIE_DEBUG=1 (README).
CODE_ONLY_COMMANDS = {"makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("BALIE_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
