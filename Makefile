# Bluestone: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compiled modules are cached (in __pycache__, ignored by git) even where the environment says not
# to: the suite starts many Python processes (xdist workers, the command-line tests, Spark's Python
# workers), and each would otherwise compile every module it imports again, about 2 s of CPU apiece.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install assets demo serve test lint typecheck pytest pytest-sqlite pytest-postgres bench loadtest clean

help:
	@echo "make demo     install everything, build a synthetic force on SQLite and serve it on http://127.0.0.1:8000"
	@echo "make test     lint, types, import contracts, migrations check, tests on SQLite and PostgreSQL, browser tests"
	@echo "make install  install the Python and npm dependencies only"
	@echo "make bench    run the benchmarks and print the figures for BENCHMARKS.md"
	@echo "make loadtest 50 staff and 20 victims for 5 minutes (Locust) against gunicorn and PostgreSQL"

# uv comes from PyPI when the machine has none.
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.9"

$(BIN)/python: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.package-lock.json $(BIN)/python
	$(BIN)/python -m bluestone.core.assets

install: $(BIN)/python assets

demo: install
	$(BIN)/bluestone demo

serve: install
	$(BIN)/bluestone runserver 127.0.0.1:8000

lint: $(BIN)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(BIN)/python
	$(BIN)/mypy

# Both passes run in parallel with pytest-xdist, one worker per core (PYTEST_WORKERS=0: one
# process, no workers). Each worker has its own test database (pytest-django suffixes its name: _gw0, _gw1) with
# its own copy of the reference data (tests/conftest.py); worksteal hands the long tests round.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist worksteal --durations=15

pytest-sqlite: install
	DJANGO_SETTINGS_MODULE=bluestone.settings.test $(BIN)/bluestone makemigrations --check --dry-run
	$(BIN)/pytest $(XDIST)

# The second pass repeats what touches the database; the framework-free packages (synth, linkage)
# and the harness's own tests (which start clusters of their own in the first pass) gain nothing from it,
# nor do the tests marked own_database (they make a SQLite database of their own in either pass), nor
# the tests that use no database at all (tests/conftest.py deselects them in this pass).
pytest-postgres: install
	$(BIN)/python -m tests.pgcluster -- $(BIN)/pytest $(XDIST) -m "not browser and not own_database" \
		--ignore=tests/synth --ignore=tests/linkage --ignore=tests/test_harness.py

pytest: pytest-sqlite pytest-postgres

test: lint typecheck pytest

bench: install
	$(BIN)/python -m bench

# Locust, headless, on loopback, against the production settings served by gunicorn on a throwaway
# PostgreSQL server (bench/loadtest). LOADTEST_CASES=20000 for a force that loads in minutes.
LOADTEST_CASES ?= 250000
LOADTEST_SECONDS ?= 300
loadtest: install
	$(BIN)/python -m bench.loadtest --cases $(LOADTEST_CASES) --seconds $(LOADTEST_SECONDS)

clean:
	rm -rf $(VENV) .tools node_modules staticfiles var src/bluestone/static/vendor
