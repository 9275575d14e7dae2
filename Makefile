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

.PHONY: venv run test lint types pytest smoke services-check migrations-check schema clean \
	fuzz client bench chromium screenshots

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP) chromium
	$(BIN)/pytest -q $(PYTEST_ARGS)

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

# The performance benchmark (README, "Performance"): builds its own database, prints one table.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) services-check
	$(BIN)/python bench/run.py

schema: $(STAMP)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/schema.yml

# Schemathesis over every operation against a live server (scripts/fuzz.py says how).
fuzz: $(STAMP) services-check
	$(BIN)/python scripts/fuzz.py

# The client generated from the schema, driving a live server (also part of `make pytest`).
client: $(STAMP) services-check
	$(BIN)/pytest -q -m client

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
