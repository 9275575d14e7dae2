# Stride: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
CHROMIUM ?= /usr/bin/chromium
export STRIDE_CHROMIUM := $(CHROMIUM)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

BENCH_STAMP := $(VENV)/.bench-installed
# The suite runs in this many processes (pytest-xdist); each has its own test database and Redis
# databases (config/test_settings.py). 1 runs it in one process.
PYTEST_WORKERS ?= 2

.PHONY: venv run test lint types pytest smoke services-check migrations-check schema clean \
	fuzz client bench schema-lint ts-client chromium screenshots mutation

# pip speaks only on errors: the machine's extra indexes and setuptools' editable-install
# notice are warnings nobody acts on.
PIP := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check
# Redocly CLI, pinned, run through npx (no install scripts, nothing but the npm package).
REDOCLY := npx --yes @redocly/cli@2.77.0
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing Stride's Python packages into $(VENV) ..."
	@$(PIP) install --upgrade pip
	@$(PIP) install -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@PORT=$(PORT) bash scripts/run.sh

test: $(STAMP) services-check lint types migrations-check pytest

services-check: $(STAMP)
	@$(BIN)/python scripts/check_services.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy .

# Models against migrations only: no database is needed, so an empty in-memory one stands in
# (the configured one may not exist yet, and makemigrations would warn about it).
migrations-check: $(STAMP)
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.test_settings \
		$(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP) chromium
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Debian's chromium package, installed where it is missing (tests/browser/ needs it).
chromium:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq >/dev/null && \
		apt-get install -y -qq chromium >/dev/null; }

# A PNG of each console page with the demo data, in var/screenshots/.
screenshots: $(STAMP) chromium
	STRIDE_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_screenshots.py

smoke: $(STAMP)
	$(BIN)/python scripts/smoke.py

# Mutation testing of the pure decision code (docs/testing.md); not part of `make test`.
# MUTATION_ARGS: e.g. `programs/rules`, `--report`, `--fresh`; MUTATION_JOBS: mutants at once.
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

# The performance benchmark (README, "Performance"): builds its own database, prints one table.
$(BENCH_STAMP): $(STAMP)
	@$(PIP) install -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) services-check
	$(BIN)/python bench/run.py

schema: $(STAMP)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/schema.yml

# Redocly CLI's recommended rules over the schema (exceptions, with reasons, in redocly.yaml).
schema-lint: schema
	$(REDOCLY) lint var/schema.yml --config redocly.yaml

# TypeScript: types from the schema (openapi-typescript), src/main.ts compiled with
# tsc --strict and run with node against a live server (scripts/ts_client.py says how).
ts-client: schema services-check
	$(BIN)/python scripts/ts_client.py

# Schemathesis over every operation against a live server (scripts/fuzz.py says how).
fuzz: $(STAMP) services-check
	$(BIN)/python scripts/fuzz.py

# The client generated from the schema, driving a live server (also part of `make pytest`).
client: $(STAMP) services-check
	$(BIN)/pytest -q -m client

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache clients/typescript/node_modules \
		clients/typescript/dist
