# The two commands: `make run` (set up everything and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOTSE := $(BIN)/lotse
HOST ?= 127.0.0.1
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run install messages migrate demo serve test test-unit test-browser lint format bench clean system

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed messages

# Compiles the translations (.po -> .mo) with Babel, so no system gettext is needed.
messages: $(VENV)/.installed
	$(BIN)/pybabel compile -d src/lotse/locale -D django --statistics
	$(BIN)/pybabel compile -d src/lotse/locale_overrides -D django --statistics

migrate: install
	$(LOTSE) migrate --noinput

demo: migrate
	$(LOTSE) demo --logins

run: demo
	$(LOTSE) collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Lotse läuft auf http://$(HOST):$(PORT)/  (Strg+C beendet)"
	$(BIN)/python -m lotse.serve --host $(HOST) --port $(PORT)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Chromium, fonts and Pango from Debian: installed when run as root, else the command is shown.
system:
	.ci/setup-system

# On PostgreSQL (DATABASE_URL) the browser run walks every flow but leaves the checks that
# only open and read pages (marked render_only: axe sweeps, keyboard, layout) to the SQLite
# run, where they see the same pages; ALL=1 runs them anyway.
BROWSER_SELECT := $(if $(and $(findstring postgres,$(DATABASE_URL)),$(if $(ALL),,1)),-m "not render_only",)

test: system install node_modules/.installed
	$(BIN)/pytest -q -n 2 --dist loadscope tests --ignore=tests/browser
	$(BIN)/pytest -q -n 2 --dist loadfile tests/browser $(BROWSER_SELECT)

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python -W ignore bench/pages.py
	$(BIN)/python -W ignore bench/measures.py
	$(BIN)/python -W ignore bench/participation.py
	$(BIN)/python -W ignore bench/council.py
	$(BIN)/python -W ignore bench/lists.py
	$(BIN)/python -W ignore bench/voting.py
	$(BIN)/python -W ignore bench/reporting.py
	$(BIN)/python -W ignore bench/opendata.py
	$(BIN)/python -W ignore bench/paperimport.py

clean:
	rm -rf $(VENV) node_modules var
