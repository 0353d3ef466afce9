# carenet: `make run` serves the demo, `make test` runs lint and the whole suite.
# Only python3 is needed: everything else is installed into .venv by these targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 2
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each test has its own app and transaction, each process its
# own database.
TEST_WORKERS ?= 2

.PHONY: help install run serve worker init demo test test-postgres lint format bench assets translations clean compile-translations

help:
	@echo "make run            set up everything and serve on http://$(HOST):$(PORT)"
	@echo "make worker         only the background job worker (make run starts it too)"
	@echo "make test           lint, type-check and run the test suite on SQLite"
	@echo "make test-postgres  the suite on PostgreSQL (CARENET_TEST_DATABASE_URL)"
	@echo "make lint           ruff check, ruff format --check, mypy, import-linter"
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

# The job worker (e-mails, reminders, long jobs) runs beside gunicorn and is stopped
# (gracefully, SIGINT) whenever gunicorn ends: Ctrl+C, a crash or a failed start.
serve: install
	@echo "carenet on http://$(HOST):$(PORT), profile $${CARENET_PROFILE:-development}  (Ctrl+C to stop)"
	@if [ "$${CARENET_PROFILE:-development}" = development ]; then \
		echo "  development profile: cookies without Secure, no HSTS, no session timeouts;"; \
		echo "  behind HTTPS set CARENET_PROFILE=production and CARENET_SECRET_KEY (docs/security.md)"; fi
	@$(BIN)/carenet worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'wsgi:app'

worker: install
	$(BIN)/carenet worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict matching
	$(BIN)/mypy carenet
	$(BIN)/lint-imports
	$(BIN)/pylint --disable=all --enable=duplicate-code --min-similarity-lines=6 --score=n carenet matching

# Coverage of carenet/ and matching/, failing under the floor in pyproject.toml.
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --cov --cov-report=term $(PYTEST_ARGS)

test-postgres: install
	CARENET_TEST_DATABASE_URL=$${CARENET_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m benchmarks

assets:
	cd frontend && npm ci --no-audit --no-fund && node copy-assets.mjs

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o carenet/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i carenet/translations/messages.pot -d carenet/translations
	$(BIN)/pybabel compile -d carenet/translations

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
