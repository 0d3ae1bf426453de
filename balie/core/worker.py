"""The background worker that survives faults (review H2): `manage.py run_worker`.

django-tasks' `db_worker` stops on the first database error it does not expect (a PostgreSQL restart, SQLite's
"database is locked" outside the claim) and leaves the task it was running `RUNNING` for ever. Three layers fix that:

1. `Supervisor` runs the django-tasks worker loop and catches what kills it: it closes the broken connections, waits
   (1, 2, 4 ... 30 s) and goes on with a new worker id. So a database restart costs a few seconds, not the worker.
2. `recover_stale_tasks` (at start-up, after every reconnect and once a minute) finds tasks that are `RUNNING` while the
   worker that claimed them is gone: a worker id is "host:pid:random", so on the same host a dead pid (or our own pid
   with an older id) is certain; a worker on another host, or a plain `db_worker`, counts as gone after
   BALIE_TASK_STALE_MINUTES. Such a task is marked failed and `task_interrupted` is sent; the app that owns the task
   decides what that means (desk resumes or fails the import, core/outbox sends the e-mail again).
3. The process itself is restarted when it dies anyway (killed, out of memory): by systemd `Restart=always` in
   production (README, Productie), by `run_worker --respawn` in the demo (scripts/run.sh).

`maintenance` is sent with the recovery; apps hang their periodic clean-up on it (expired imports, the mail sweep).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_QUEUE_NAME, TaskResultStatus

from . import audit
from .audit import Event

logger = logging.getLogger("balie.worker")

# Sent (inside the transaction that marks the task failed) with task_path, args, kwargs and result_id.
task_interrupted = Signal()
# Sent once a minute by the worker with `now`: periodic clean-up that must not wait for a cron job.
maintenance = Signal()

INTERRUPTED_PATH = "balie.core.worker.WorkerInterrupted"
HOST = socket.gethostname()[:30]


class WorkerInterrupted(Exception):
    """Stored as the error of a task whose worker stopped while running it."""


def new_worker_id() -> str:
    return f"{HOST}:{os.getpid()}:{get_random_string(8)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_gone(worker_id: str, *, current: str = "") -> bool | None:
    """True when the worker that claimed a task is certainly gone, False when it runs, None when this host cannot tell."""
    host, _, rest = worker_id.partition(":")
    pid, _, _random = rest.partition(":")
    if host != HOST or not pid.isdigit() or not _random:
        return None
    if int(pid) == os.getpid():
        return worker_id != current  # this process, but a loop that crashed and started again under a new id
    return not _pid_alive(int(pid))


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "BALIE_TASK_STALE_MINUTES", 60)))


def recover_stale_tasks(*, current: str = "", now: dt.datetime | None = None) -> int:
    """Mark tasks whose worker is gone as failed and tell their owners (task_interrupted). Returns how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    recovered = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path", "args_kwargs"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        gone = worker_gone(last, current=current)
        if gone is None:
            gone = result.started_at is None or result.started_at < now - stale_after()
        if not gone:
            continue
        with transaction.atomic():
            marked = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=INTERRUPTED_PATH,
                traceback=f"De verwerker ({last or 'onbekend'}) stopte terwijl deze taak liep; hersteld door {current or 'onderhoud'}.",
            )
            if not marked:
                continue  # another worker recovered it first
            audit.log(Event.TASK_INTERRUPTED, object_type="django_tasks_db.dbtaskresult", object_uuid=str(result.pk),
                      task=result.task_path, worker=last)
            task_interrupted.send(sender=DBTaskResult, task_path=result.task_path, args=result.args_kwargs.get("args", []),
                                  kwargs=result.args_kwargs.get("kwargs", {}), result_id=str(result.pk))
        logger.warning("Taak %s (%s) was onderbroken: verwerker %s is weg; hersteld.", result.pk, result.task_path, last)
        recovered += 1
    return recovered


def run_maintenance(*, current: str = "", now: dt.datetime | None = None) -> int:
    """Recovery plus every app's periodic clean-up. A failing clean-up is logged and tried again next round."""
    now = now or timezone.now()
    recovered = recover_stale_tasks(current=current, now=now)
    for receiver, outcome in maintenance.send_robust(sender=None, now=now):
        if isinstance(outcome, Exception):
            logger.error("Onderhoud %r mislukt: %s", receiver, outcome, exc_info=outcome)
    return recovered


def close_connections() -> None:
    """Drop every database connection of this thread; a broken one may fail even to close, which is fine.

    A connection inside a transaction is left alone: it is not ours to end (the worker never runs inside one; a test that
    runs it in-process does)."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        try:
            conn.close()
        except Exception:
            conn.connection = None


class Supervisor:
    """Runs django-tasks' database worker loop and keeps it running through database faults."""

    def __init__(
        self, *, queue_names: Sequence[str] = (DEFAULT_TASK_QUEUE_NAME,), interval: float = 1.0, backend_name: str = "default",
        maintenance_every: float = 60.0, max_backoff: float = 30.0, sleep: Callable[[float], None] = time.sleep,
    ):
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=list(queue_names), interval=interval, batch=True, backend_name=backend_name, startup_delay=False,
            max_tasks=None, worker_id=new_worker_id(), excluded_queue_names=[],
        )
        self.interval = interval
        self.maintenance_every = maintenance_every
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.restarts = 0

    @property
    def worker_id(self) -> str:
        return str(self.worker.worker_id)

    def run(self, *, cycles: int | None = None, handle_signals: bool = True) -> None:
        """Loop until SIGTERM/SIGINT (or `cycles` rounds, for tests). One round: maintenance when due, then every ready task."""
        if handle_signals:
            self.worker.configure_signals()
        logger.info("Verwerker %s gestart (wachtrijen %s).", self.worker_id, ",".join(self.worker.queue_names))
        backoff, next_maintenance = 1.0, 0.0
        while self.worker.running and (cycles is None or cycles > 0):
            cycles = None if cycles is None else cycles - 1
            try:
                if time.monotonic() >= next_maintenance:
                    run_maintenance(current=self.worker_id)
                    next_maintenance = time.monotonic() + self.maintenance_every
                self.worker.run()  # batch mode: returns when no task is ready
                backoff = 1.0
            except Exception as exc:
                self.restarts += 1
                old = self.worker_id
                # The task this loop was running (if any) stays RUNNING under the old id: the next maintenance, due
                # right after the reconnect, sees that id is not ours any more and recovers it.
                self.worker.worker_id = new_worker_id()
                next_maintenance = 0.0
                logger.warning("Verwerker %s: %s: %s. Opnieuw verbinden over %.0f s als %s.", old, type(exc).__name__,
                               str(exc).strip().splitlines()[0] if str(exc).strip() else "", backoff, self.worker_id)
                close_connections()
                self.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            if self.worker.running and (cycles is None or cycles > 0):
                self.sleep(self.interval)


def respawn(argv: list[str], *, max_backoff: float = 30.0, healthy_after: float = 60.0) -> int:
    """Run `argv` as a child process and start it again whenever it stops (killed, crashed), until SIGTERM/SIGINT.

    For the demo and for hosts without systemd; production uses systemd `Restart=always` (README, Productie).
    """
    child: subprocess.Popen[bytes] | None = None
    stopping = False

    def forward(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    backoff = 1.0
    code = 0
    while not stopping:
        started = time.monotonic()
        child = subprocess.Popen(argv)
        logger.info("Verwerker gestart als proces %s.", child.pid)
        code = child.wait()
        if stopping:
            break
        if time.monotonic() - started > healthy_after:
            backoff = 1.0
        print(f"Verwerker (proces {child.pid}) stopte met code {code}; opnieuw starten over {backoff:.0f} s.", file=sys.stderr, flush=True)
        time.sleep(backoff)
        backoff = min(backoff * 2, max_backoff)
    return code
