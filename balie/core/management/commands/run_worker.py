"""`manage.py run_worker`: the background worker that survives database restarts and recovers interrupted tasks.

Use it instead of django-tasks' `db_worker` (see balie/core/worker.py for how). In production run it under systemd with
`Restart=always` (README, Productie); `--respawn` makes it restart itself where there is no service manager (the demo).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks import DEFAULT_TASK_QUEUE_NAME

from balie.core import worker


class Command(BaseCommand):
    help = "Start de achtergrondverwerker: herstelt na databasestoringen en onderbroken taken (vervangt db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME, help="Wachtrijen, met komma's gescheiden (standaard: default).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconden wachten als er geen taak klaarstaat (standaard 1).")
        parser.add_argument("--maintenance-every", type=float, default=60.0,
                            help="Seconden tussen twee onderhoudsrondes: onderbroken taken herstellen, e-mails nasturen (standaard 60).")
        parser.add_argument("--max-backoff", type=float, default=30.0, help="Langste wachttijd tussen twee verbindingspogingen (standaard 30 s).")
        parser.add_argument("--respawn", action="store_true",
                            help="Draai de verwerker als kindproces en start hem opnieuw als hij stopt (voor de demo; productie: systemd).")
        parser.add_argument("--once", action="store_true", help="Alleen onderhoud en de taken die nu klaarstaan, dan stoppen.")

    def handle(self, *args: Any, queue_name: str, interval: float, maintenance_every: float, max_backoff: float, respawn: bool,
               once: bool, verbosity: int, **options: Any) -> None:
        self._logging(verbosity)
        if respawn:
            argv = [arg for arg in sys.argv if arg != "--respawn"]
            if not argv[0].endswith("manage.py"):
                argv = ["-m", "django", *argv[1:]]
            sys.exit(worker.respawn([sys.executable, *argv], max_backoff=max_backoff))
        supervisor = worker.Supervisor(queue_names=queue_name.split(","), interval=interval, maintenance_every=maintenance_every,
                                       max_backoff=max_backoff)
        supervisor.run(cycles=1 if once else None, handle_signals=not once)

    def _logging(self, verbosity: int) -> None:
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        ours = logging.getLogger("balie.worker")
        ours.addHandler(handler)
        ours.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO if verbosity else logging.WARNING)
        for name in ("balie.core.outbox", "balie.desk.exchange.tasks", "django_tasks", "django_tasks_db"):
            other = logging.getLogger(name)
            if not other.handlers:
                other.addHandler(handler)
            # The batch loop starts the django-tasks worker every second; its "starting"/"no more tasks" lines are noise.
            other.setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING if name == "django_tasks_db" else logging.INFO)
