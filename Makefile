# Stride: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: venv run test lint types pytest smoke bench services-check migrations-check schema clean

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

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

smoke: $(STAMP)
	$(BIN)/python scripts/smoke.py

bench: $(STAMP) services-check
	$(BIN)/python bench/run.py

schema: $(STAMP)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/schema.yml

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
