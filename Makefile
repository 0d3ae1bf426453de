# Balie: `make run` starts the demo, `make test` runs the whole suite.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test bench bench-faults setup setup-dev openapi lint clean-db

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@echo "Eenmalig: het model dat namen in notities herkent wordt voorbereid (1-2 minuten)..."
	BALIE_DEBUG=1 $(PY) manage.py prepare_pii || echo "Let op: Balie herkent namen dan alleen na aanspreekvormen."
	@touch $@

setup: $(VENV)/.installed

# Test and lint tools (pytest, Playwright, ruff, mypy, import-linter): never part of a production install.
$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup-dev: $(VENV)/.dev-installed

# The demo is the only place DEBUG is on (with its public demo keys); without BALIE_DEBUG=1 Balie runs as production
# and refuses to start without its own keys (README, Productie).
run: export BALIE_DEBUG = 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --registrations 20000 --years 3 --seed 1 --if-empty --quiet
	@PORT=$(PORT) PY=$(PY) ./scripts/run.sh

# pytest uses balie/settings_test.py (pyproject.toml): production settings with test-only keys, over plain http.
# Two processes by default (TEST_PROCS=1 for one). Tests are handed out in collection order ("load", not "loadfile"):
# pytest-django puts the transactional tests, which empty the tables the data migrations filled, after all others, and
# each process then runs them last too; a file with both kinds would otherwise empty them for the next file.
# Each process has its own test database; a module fixture may be built once per process.
TEST_PROCS ?= 2
test: setup-dev
	$(PY) -m pytest -n $(TEST_PROCS) --dist load

# Style (ruff), types of the bottom layer (mypy on core) and the one-way layer contract (import-linter).
lint: setup-dev
	$(VENV)/bin/ruff check balie tests bench scripts
	$(VENV)/bin/mypy
	PYTHONPATH=. $(VENV)/bin/lint-imports

# Each benchmark prints one JSON line; set DATABASE_URL=postgres://... for the PostgreSQL numbers (see bench/README.md).
bench: setup-dev
	$(PY) bench/desk.py --registrations $${BENCH_REGISTRATIONS:-1000000}
	$(PY) bench/public.py
	$(PY) bench/toolkit.py
	$(PY) bench/signals.py
	$(PY) bench/seasons.py
	$(PY) bench/themes.py
	$(PY) bench/insight.py --registrations $${BENCH_REGISTRATIONS:-1000000}
	$(PY) bench/limits.py
	$(PY) bench/federation.py
	$(PY) bench/letters.py
	$(PY) bench/offline.py
	$(PY) bench/imports.py
	$(PY) bench/pii.py
	$(PY) bench/registrations.py --registrations $${BENCH_REGISTRATIONS:-1000000}

# Faults lose nothing (issue 12): writers, a database restart, a killed worker, imports. RESTARTS THE POSTGRESQL SERVER
# OF DATABASE_URL (default: the CI cluster on 5432); point it at a server of your own, see bench/README.md.
bench-faults: setup-dev
	$(PY) bench/faults.py

openapi: setup
	BALIE_DEBUG=1 $(PY) manage.py spectacular --file openapi.yaml --validate

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
