# Balie: `make run` starts the demo, `make test` runs the whole suite.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test bench setup setup-dev openapi lint clean-db

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@echo "Eenmalig: het model dat namen in notities herkent wordt voorbereid (1-2 minuten)..."
	$(PY) manage.py prepare_pii || echo "Let op: Balie herkent namen dan alleen na aanspreekvormen."
	@touch $@

setup: $(VENV)/.installed

# Test and lint tools (pytest, Playwright, ruff, mypy, import-linter): never part of a production install.
$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup-dev: $(VENV)/.dev-installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --registrations 20000 --years 3 --seed 1 --if-empty --quiet
	@PORT=$(PORT) PY=$(PY) ./scripts/run.sh

test: setup-dev
	$(PY) -m pytest

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
	$(PY) bench/themes.py
	$(PY) bench/insight.py --registrations $${BENCH_REGISTRATIONS:-1000000}
	$(PY) bench/limits.py

openapi: setup
	$(PY) manage.py spectacular --file openapi.yaml --validate

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
