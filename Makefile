# carenet: `make run` serves the demo, `make test` runs lint and the whole suite.
# Only python3 is needed: everything else is installed into .venv by these targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help install run serve init demo test test-postgres lint format bench assets translations clean compile-translations

help:
	@echo "make run            set up everything and serve on http://$(HOST):$(PORT)"
	@echo "make test           lint, type-check and run the test suite on SQLite"
	@echo "make test-postgres  the suite on PostgreSQL (CARENET_TEST_DATABASE_URL)"
	@echo "make lint           ruff check, ruff format --check, mypy"
	@echo "make bench          benchmarks; results in docs/benchmarks.md"
	@echo "make assets         re-vendor front-end assets from npm (needs node)"
	@echo "make translations   extract and update the message catalogues"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed compile-translations

compile-translations: $(VENV)/.installed
	@if ls carenet/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d carenet/translations >/dev/null; fi

init: install
	$(BIN)/carenet init
	$(BIN)/carenet demo load --if-empty

run: init serve

serve: install
	@echo "carenet on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'wsgi:app'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict matching
	$(BIN)/mypy carenet

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	CARENET_TEST_DATABASE_URL=$${CARENET_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m benchmarks

assets:
	cd frontend && npm ci --no-audit --no-fund && node copy-assets.mjs

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o carenet/translations/messages.pot .
	$(BIN)/pybabel update -i carenet/translations/messages.pot -d carenet/translations
	$(BIN)/pybabel compile -d carenet/translations

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
