#!/usr/bin/env bash
# Serves Balie for the demo: the background-task worker and the web server together.
set -euo pipefail
PORT="${PORT:-8000}"
PY="${PY:-.venv/bin/python}"
# The demo: DEBUG on with the public demo keys. Without it Balie runs as production and wants its own keys.
export BALIE_DEBUG="${BALIE_DEBUG:-1}"
export BALIE_REQUIRE_2FA="${BALIE_REQUIRE_2FA:-0}"  # the demo logs in without a second factor (the login page says so)
# The worker reconnects after database errors, recovers interrupted tasks, and --respawn starts it again if it dies
# (balie/core/worker.py). The trap stops it (TERM goes on to the worker process).
"$PY" manage.py run_worker --respawn --interval 1 >>var-worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py demo_logins --port "$PORT"
exec_status=0
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload || exec_status=$?
exit $exec_status
