# The README's two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
PORT ?= 5000
SMTP_PORT ?= 8025
export BAEREKRAFT_ENV ?= development
export FLASK_APP := wsgi.py
export MAIL_PORT ?= $(SMTP_PORT)
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgresql setup lint bench load-generator translations assets browser clean

## make run: set everything up, then serve on http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed reference
	$(BIN)/flask seed demo --once
	$(BIN)/flask search reindex --if-missing
	$(BIN)/python -m baerekraft_hub.devserver --port $(PORT) --smtp-port $(SMTP_PORT)

## make test: the same setup, lint, then the whole suite on SQLite and on PostgreSQL
test: setup browser lint
	@# On both databases, what gains nothing from the second (marked one_database, or using no
	@# database at all) runs once; with SQLite alone, everything runs on SQLite. The two runs go
	@# side by side (much of a run is waiting on the database, the browser or a socket), each
	@# printing its report when it ends.
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_TEST_URL)"; then \
		$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable, and CI requires it." >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): the suite on SQLite only."; \
		$(PYTEST); \
	fi

test-sqlite:
	@echo "== the suite on SQLite"
	@DATABASE_URL= $(PYTEST) --both-databases

test-postgresql:
	@echo "== the suite on PostgreSQL ($(PG_TEST_URL))"
	@DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) --both-databases

setup: $(VENV)/.installed node_modules/.installed static/vendor/.copied translations

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Third-party assets are served from static/vendor, copied from node_modules (never committed).
static/vendor/.copied: node_modules/.installed
	rm -rf static/vendor
	mkdir -p static/vendor/designsystemet static/vendor/htmx static/vendor/axe
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/index.css
	cp node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css static/vendor/designsystemet/theme.css
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	cp node_modules/axe-core/axe.min.js static/vendor/axe/axe.min.js
	touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -f -d baerekraft_hub/translations >/dev/null

## Refresh the catalogs after changing user-visible strings (then translate the new entries).
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -w 100 -o baerekraft_hub/translations/messages.pot .
	$(BIN)/pybabel -q update -N -w 100 -i baerekraft_hub/translations/messages.pot -d baerekraft_hub/translations

# Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing: install Debian's chromium package for the browser tests."; fi; \
	fi

## make lint: style, formatting, and the layer contract (pyproject.toml [tool.importlinter])
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## make bench: issue 12's figures (BENCH_SCALE=0.05 for a quick run; DATABASE_URL for PostgreSQL)
bench: setup load-generator
	$(BIN)/python -m benchmarks

# Debian's wrk for the HTTP bench; installed when missing and we may (root), as for chromium.
load-generator:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "wrk is missing: install Debian's wrk package for the HTTP bench."; fi; \
	fi

clean:
	rm -rf $(VENV) node_modules static/vendor instance
