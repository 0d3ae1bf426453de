#!/usr/bin/env python
"""Fault benchmark (issue 12, "faults lose nothing"): writers, a database restart, a killed worker, imports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres .venv/bin/python bench/faults.py
    .venv/bin/python bench/faults.py --database-url postgres://postgres@127.0.0.1:5433/postgres \\
        --restart-cmd "pg_ctlcluster 15 faults restart"

THIS RESTARTS THE POSTGRESQL SERVER IT IS GIVEN (once, in the middle). Point it at a server nobody else is using. Without
--restart-cmd (or BENCH_PG_RESTART) it restarts the Debian cluster that listens on the URL's port, found with
`pg_lsclusters` (in CI: the `main` cluster on 5432, which is what .ci/run starts).

What happens, in a database of its own (`balie_bench_faults`, dropped at the end unless --keep):
1. migrate, the demo network, an API token; then gunicorn (--gunicorn-workers, the README's production command) and
   `manage.py run_worker --respawn` (the supervisor) as subprocesses, production settings (DEBUG off).
2. --writers threads POST /api/v1/registraties for --seconds, each request with its own Idempotency-Key; a 5xx or a
   broken connection is retried with the same key every 0.5 s (what a careful client does).
3. An import of --import-rows rows is queued; as soon as the worker is checking it, PostgreSQL is restarted.
4. A second import is queued; as soon as the worker runs it, the worker process is killed (SIGKILL, like the OOM killer).
   The supervisor must start a new one, which must recover the interrupted import.
5. After the writers stop: every acknowledged key must be stored exactly once, every import must end (klaar, or failed
   with a clear message) and be stored at most once, no task may be left RUNNING.
Prints ONE JSON line on stdout; progress goes to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import csv
import http.client
import io
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "balie_bench_faults"
TARGETS = {"duplicates": 0, "lost": 0, "client_errors": 0, "stuck_jobs": 0, "stuck_tasks": 0, "import_duplicates": 0}
BODY = {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}


BENCH_START = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - BENCH_START:6.1f}s] {message}", file=sys.stderr, flush=True)


# --- the server and its database --------------------------------------------------------------
def pg_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    conninfo = pg_url(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql)


def default_restart_command(url: str) -> list[str]:
    """The Debian cluster that serves the URL's port (pg_lsclusters: version, name, port, ...)."""
    port = str(urlsplit(url).port or 5432)
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == port:
            return ["pg_ctlcluster", "--skip-systemctl-redirect", fields[0], fields[1], "restart"]
    raise SystemExit(f"Geen PostgreSQL-cluster op poort {port} gevonden; geef --restart-cmd.")


def pg_ready(url: str) -> bool:
    parts = urlsplit(url)
    return subprocess.run(["pg_isready", "-q", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]).returncode == 0


# --- the bench process's own view of the database (Django, reconnecting after the restart) ----
def db_retry(fn: Any, attempts: int = 120) -> Any:
    from django.db import close_old_connections, connection

    for attempt in range(attempts):
        try:
            return fn()
        except Exception:
            if attempt == attempts - 1:
                raise
            close_old_connections()
            try:
                connection.close()
            except Exception:
                connection.connection = None
            time.sleep(0.5)
    return None


def csv_text(rows: int, seed: int) -> str:
    from balie.desk.exchange.csvformat import HEADER

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(rows):
        values = {name: "" for name in HEADER}
        values.update(organisatie="BIB-RDAM", locatie="RDAM-CENTRAAL", bezoek=str(i + 1),
                      datum=f"2025-{1 + (i + seed) % 12:02d}-{1 + i % 28:02d}", tijd=f"{9 + i % 8:02d}:{i % 60:02d}",
                      kanaal="INLOOP", instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST",
                      notitie="BSN 111222333 genoemd, niet opgeslagen" if i % 50 == 0 else "")
        writer.writerow([values[name] for name in HEADER])
    return out.getvalue()


# --- writers ----------------------------------------------------------------------------------
class Writers:
    def __init__(self, *, port: int, token: str, count: int, seconds: float, started: float):
        self.port, self.token, self.count, self.seconds, self.started = port, token, count, seconds, started
        self.lock = threading.Lock()
        self.acked: dict[str, str] = {}  # key -> visit uuid
        self.attempted: set[str] = set()
        self.unfinished: set[str] = set()
        self.status_counts: dict[str, int] = {}
        self.errors_5xx: list[float] = []
        self.connection_errors = 0
        self.client_errors = 0
        self.max_latency = 0.0
        self.acks_at: list[float] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()

    def _post(self, conn: http.client.HTTPConnection | None, key: str) -> tuple[http.client.HTTPConnection | None, int, dict]:
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("POST", "/api/v1/registraties", body=json.dumps(BODY), headers={
            "Content-Type": "application/json", "Authorization": f"Token {self.token}", "Idempotency-Key": key,
            # As behind the README's HTTPS proxy: production settings may redirect plain HTTP.
            "Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        data = response.read()
        body = json.loads(data) if data and response.getheader("Content-Type", "").endswith("json") else {}
        return conn, response.status, body

    def _run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        give_up = self.started + self.seconds + 90  # a key that is still failing 90 s after the end is reported, not hidden
        while time.monotonic() - self.started < self.seconds:
            key = str(uuid.uuid4())
            with self.lock:
                self.attempted.add(key)
            first = time.monotonic()
            while True:
                try:
                    conn, status, body = self._post(conn, key)
                except (OSError, http.client.HTTPException):
                    with self.lock:
                        self.connection_errors += 1
                    if conn is not None:
                        conn.close()
                    conn = None
                    status, body = 0, {}
                with self.lock:
                    self.status_counts[str(status)] = self.status_counts.get(str(status), 0) + 1
                    if status >= 500:
                        self.errors_5xx.append(time.monotonic() - self.started)
                if status in (200, 201):
                    now = time.monotonic()
                    with self.lock:
                        self.acked[key] = body.get("uuid", "")
                        self.acks_at.append(now - self.started)
                        self.max_latency = max(self.max_latency, now - first)
                    break
                if 300 <= status < 500:
                    # A redirect or a client error is a bench (or settings) bug, not a fault to ride out: stop this key.
                    with self.lock:
                        self.client_errors += 1
                    if self.client_errors <= 3:
                        log(f"schrijver: {status} {body}")
                    break
                if time.monotonic() > give_up:
                    with self.lock:
                        self.unfinished.add(key)
                    break
                time.sleep(0.5)
        if conn is not None:
            conn.close()


# --- processes --------------------------------------------------------------------------------
def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(predicate: Any, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def stop(process: subprocess.Popen[bytes] | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        log(f"{name} stopt niet na SIGTERM; SIGKILL")
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="PostgreSQL server to use (its own database balie_bench_faults is created there) and to RESTART.")
    parser.add_argument("--restart-cmd", default=os.environ.get("BENCH_PG_RESTART", ""),
                        help="Command that restarts that server (default: pg_ctlcluster for the cluster on the URL's port).")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=25000)
    parser.add_argument("--port", type=int, default=8871)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the bench database afterwards.")
    args = parser.parse_args()

    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/faults.py draait alleen op PostgreSQL (een herstart van de server hoort bij de test).")
    restart = shlex.split(args.restart_cmd) if args.restart_cmd else default_restart_command(url)
    bench_url = pg_url(url, BENCH_DB)
    log(f"database {bench_url}; herstartcommando: {' '.join(restart)}")
    pg_admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    pg_admin(url, f"CREATE DATABASE {BENCH_DB}")

    from cryptography.fernet import Fernet

    env = {
        **os.environ, "DATABASE_URL": bench_url, "DJANGO_SETTINGS_MODULE": "balie.settings", "BALIE_DEBUG": "0",
        "BALIE_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(), "BALIE_PII_KEY": Fernet.generate_key().decode(),
        "BALIE_ALLOWED_HOSTS": "127.0.0.1,localhost", "BALIE_SECURE_COOKIES": "0", "BALIE_SSL_REDIRECT": "0",
        "BALIE_PII_NAMES": "0", "BALIE_PII_WARMUP": "0", "BALIE_REQUIRE_2FA": "0",
        "BALIE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.getLogger("balie.audit").handlers = [logging.NullHandler()]
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from balie.desk.exchange import services as exchange_services
    from balie.desk.models import ImportJob, Question, Visit

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--registrations", "0", "--quiet")
    token_out = io.StringIO()
    call_command("create_api_token", "medewerker", stdout=token_out, stderr=io.StringIO())
    token = token_out.getvalue().strip()
    medewerker = get_user_model().objects.get(username="medewerker")
    coordinator = get_user_model().objects.get(username="coordinator")
    from django.db import connections

    connections.close_all()

    python = sys.executable
    logs = Path(os.environ.get("BENCH_LOG_DIR", "/tmp"))
    web_log = open(logs / "balie-faults-web.log", "wb")  # noqa: SIM115  (closed at the end)
    worker_log = open(logs / "balie-faults-worker.log", "wb")  # noqa: SIM115
    web = worker = None
    result: dict[str, Any] = {}
    try:
        web = subprocess.Popen([str(Path(python).parent / "gunicorn"), "balie.wsgi", "--workers", str(args.gunicorn_workers),
                                "--bind", f"127.0.0.1:{args.port}", "--timeout", "60"], cwd=ROOT, env=env,
                               stdout=web_log, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([python, "manage.py", "run_worker", "--respawn", "--interval", "0.5"], cwd=ROOT, env=env,
                                  stdout=worker_log, stderr=subprocess.STDOUT)

        def up() -> bool:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                conn.request("GET", "/api/v1/codelijsten", headers={"Authorization": f"Token {token}"})
                ok = conn.getresponse().status == 200
                conn.close()
                return ok
            except OSError:
                return False

        def worker_ready() -> bool:
            return b"gestart (wachtrijen" in (logs / "balie-faults-worker.log").read_bytes()

        if not wait_for(up, 180, 0.5) or not wait_for(worker_ready, 180, 0.5):
            raise SystemExit("gunicorn of de worker start niet; zie /tmp/balie-faults-*.log")
        log(f"gunicorn (pid {web.pid}) en worker (pid {worker.pid} → {children_of(worker.pid)}) draaien")

        started = time.monotonic()
        writers = Writers(port=args.port, token=token, count=args.writers, seconds=args.seconds, started=started)
        writers.start()
        jobs: list[dict[str, Any]] = []

        def queue_import(seed: int) -> int:
            job = db_retry(lambda: exchange_services.import_job_create(user=coordinator, file_name=f"bench-{seed}.csv",
                                                                      text=csv_text(args.import_rows, seed)))
            jobs.append({"id": job.pk, "queued_at_s": round(time.monotonic() - started, 1)})
            return int(job.pk)

        def running(job_id: int) -> bool:
            return db_retry(lambda: ImportJob.objects.filter(pk=job_id, status__in=["controleren", "opslaan"]).exists())

        # 3. the database restart, while the first import runs
        time.sleep(min(8.0, args.seconds / 6))
        first = queue_import(1)
        first_running = wait_for(lambda: running(first), 60, 0.2)
        restart_at = time.monotonic() - started
        log(f"t={restart_at:.1f}s: import {first} loopt; PostgreSQL herstarten: {' '.join(restart)}")
        subprocess.run(restart, check=True)
        restarted_at = time.monotonic() - started
        wait_for(lambda: pg_ready(url), 60, 0.1)
        ready_at = time.monotonic() - started
        log(f"t={ready_at:.1f}s: PostgreSQL neemt weer verbindingen aan")

        # 4. the worker kill, while the second import runs
        time.sleep(max(0.0, args.seconds * 0.45 - (time.monotonic() - started)))
        second = queue_import(2)
        second_running = wait_for(lambda: running(second), 90, 0.2)
        victims = children_of(worker.pid)
        kill_at = time.monotonic() - started
        log(f"t={kill_at:.1f}s: import {second} loopt; worker {victims} krijgt SIGKILL")
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: bool(set(children_of(worker.pid)) - set(victims)), 60, 0.05)
        back_at = time.monotonic() - started
        log(f"t={back_at:.1f}s: nieuwe worker {children_of(worker.pid)}")

        def orphaned() -> int:
            # Tasks still RUNNING under an id of the killed process: the new worker must recover them at start-up.
            return sum(1 for ids in db_retry(lambda: list(DBTaskResult.objects.filter(status="RUNNING").values_list(
                "worker_ids", flat=True))) if ids and any(f":{pid}:" in ids[-1] for pid in victims))

        wait_for(lambda: orphaned() == 0, 300, 0.2)
        recovered_at = time.monotonic() - started
        log(f"t={recovered_at:.1f}s: de taak van de gedode worker is hersteld")

        writers.join()
        end = time.monotonic() - started
        log(f"t={end:.1f}s: schrijvers klaar; wachten tot de imports klaar zijn")
        finished = ("klaar", "afgekeurd", "mislukt")

        def imports_done() -> bool:
            return db_retry(lambda: not ImportJob.objects.exclude(status__in=finished).exists())

        wait_for(imports_done, 600, 1.0)
        done_at = time.monotonic() - started

        # 5. the verdict, from the database
        prefix = f"api:{medewerker.pk}:"
        stored_counts: dict[str, int] = {}
        stored_uuid: dict[str, str] = {}
        for key, visit_uuid in db_retry(lambda: list(Visit.objects.filter(submission_key__startswith=prefix).values_list(
                "submission_key", "uuid"))):
            stored_counts[key[len(prefix):]] = stored_counts.get(key[len(prefix):], 0) + 1
            stored_uuid[key[len(prefix):]] = str(visit_uuid)
        acked = writers.acked
        lost = [k for k in acked if stored_counts.get(k, 0) == 0]
        duplicates = [k for k, n in stored_counts.items() if n > 1]
        # The answer named the visit that is stored under its key (a retry got the first one back, not another).
        wrong_answer = sum(1 for k, v in acked.items() if k in stored_uuid and v != stored_uuid[k])
        job_rows = db_retry(lambda: list(ImportJob.objects.filter(pk__in=[j["id"] for j in jobs]).values(
            "pk", "status", "attempt", "created_count", "content", "errors")))
        imported = db_retry(lambda: Question.objects.filter(visit__source="import").count())
        expected_imported = sum(j["created_count"] for j in job_rows if j["status"] == "klaar")
        for job in jobs:
            row = next(r for r in job_rows if r["pk"] == job["id"])
            job.update(status=row["status"], attempts=row["attempt"], created=row["created_count"],
                       file_kept=bool(row["content"]), message=(row["errors"] or [{}])[0].get("reden", ""))
        after_restart = [t for t in writers.acks_at if t > ready_at]
        result = {
            "db": "postgresql", "writers": args.writers, "seconds": args.seconds, "gunicorn_workers": args.gunicorn_workers,
            "acknowledged": len(acked), "stored": sum(1 for k in acked if stored_counts.get(k, 0) >= 1),
            "duplicates": len(duplicates), "lost": len(lost), "wrong_answer": wrong_answer,
            "stored_unacknowledged": sum(1 for k in writers.attempted if k not in acked and stored_counts.get(k, 0)),
            "unfinished_keys": len(writers.unfinished),
            "responses": dict(sorted(writers.status_counts.items())), "responses_5xx": len(writers.errors_5xx),
            "connection_errors": writers.connection_errors, "client_errors": writers.client_errors, "max_ack_latency_s": round(writers.max_latency, 2),
            "db_restart": {"at_s": round(restart_at, 1), "during_import": first_running, "command_s": round(restarted_at - restart_at, 1),
                           "ready_at_s": round(ready_at, 1),
                           "api_recovery_s": round(after_restart[0] - ready_at, 2) if after_restart else None,
                           "5xx_window_s": [round(min(writers.errors_5xx), 1), round(max(writers.errors_5xx), 1)] if writers.errors_5xx else []},
            "worker_kill": {"at_s": round(kill_at, 1), "during_import": second_running, "new_process_s": round(back_at - kill_at, 2),
                            "task_recovered_s": round(recovered_at - kill_at, 2)},
            "imports": jobs, "imports_settled_s": round(done_at - end, 1),
            "import_rows_stored": imported, "import_duplicates": imported - expected_imported,
            "stuck_jobs": sum(1 for j in job_rows if j["status"] not in finished),
            "stuck_tasks": db_retry(lambda: DBTaskResult.objects.filter(status="RUNNING").count()),
            "files_kept": sum(1 for j in job_rows if j["content"]),
        }
        result["targets"] = {"acknowledged_equals_stored": True, **TARGETS}
        result["met"] = {"acknowledged_equals_stored": result["acknowledged"] == result["stored"],
                         **{k: result[k] <= v for k, v in TARGETS.items()}}
    finally:
        stop(web, "gunicorn")
        stop(worker, "worker")
        web_log.close()
        worker_log.close()
        from django.db import connections as conns

        conns.close_all()
        if not args.keep:
            try:
                pg_admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            except Exception as exc:  # the verdict matters more than the clean-up
                log(f"opruimen mislukt: {exc}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
