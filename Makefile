# MEİS task runner. `make run` and `make test` are all a newcomer needs (README.md).
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help
.PHONY: help setup run serve test check lint layers format typecheck migrations-check bench browser-deps messages assets

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "MEİS needs Python 3.11 or newer"'
	$(PYTHON) -m venv .tools || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	# --compile-bytecode: write every package's .pyc at install time. Where the environment sets
	# PYTHONDONTWRITEBYTECODE (this machine and CI do), Python would otherwise compile every
	# module again in each new process: seconds per worker, test process and command.
	$(UV) sync --frozen --inexact --compile-bytecode  # inexact: keep the bench group
	@touch $@

setup: $(VENV)/.synced  ## Create the environment and install the locked dependencies
	@$(BIN)/python -m compileall -q -x '/(tests|node_modules)/' meis bench

# The demo setting, not DEBUG: visitors see the product's 404 and 500 pages (docs/configuration.md).
run: export MEIS_DEMO := 1
# honcho gives each process its own PORT (web $(PORT), worker +100, scheduler +200): the links in
# messages the worker and scheduler write must still point at the web process.
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: setup  ## Migrate, load the demo data and serve the site with a task worker (Ctrl-C stops all)
	$(BIN)/meis migrate --no-input
	$(BIN)/meis demo load
	$(BIN)/meis certificates demo-ca
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --procfile Procfile.dev start

# The production set-up on this machine (docs/deployment.md, ADR 0026): production settings,
# granian, the task worker, the scheduler, Redis. Set here, each overridable, only what a machine
# without a TLS proxy, mail relay or SMS gateway lacks: plain-HTTP cookies and no HTTPS redirect,
# console e-mail and SMS, local host names; metrics readable from this machine.
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/meis
serve: export CACHE_URL ?= rediscache://127.0.0.1:6379/1
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
serve: export SECURE_SSL_REDIRECT ?= 0
serve: export SESSION_COOKIE_SECURE ?= 0
serve: export CSRF_COOKIE_SECURE ?= 0
serve: export EMAIL_URL ?= consolemail://
serve: export SMS_GATEWAY_URL ?= console:
serve: export METRICS_ALLOWED_NETWORKS ?= 127.0.0.1,::1
serve: setup  ## Run the production set-up here: granian, task worker, scheduler (Ctrl-C stops all)
	scripts/serve --demo-signing-key

test: setup  ## Run the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n auto

lint: setup layers  ## ruff format check and lint, and the app layers
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/ruff check --no-cache .

layers: setup  ## Fail on an import between apps that runs upward or loops (import-linter)
	$(BIN)/lint-imports --no-cache

format: setup  ## Reformat the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup  ## mypy --strict
	$(BIN)/mypy meis bench conftest.py

migrations-check: setup  ## Fail when a model change has no migration
	$(BIN)/meis makemigrations --check --dry-run --settings=meis.test_settings

check: lint typecheck migrations-check test  ## Everything CI checks (lint includes the layers)

bench: setup  ## Run the benchmarks under bench/
	$(UV) sync --frozen --group bench
	@# bench/centres.py runs the two centres_* halves itself; api_urls.py is bench/api.py's URLconf
	@for script in bench/*.py; do \
		case $$script in bench/centres_*|bench/api_urls.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

browser-deps:  ## Install axe-core for the browser tests (tests/browser; Chromium comes from apt)
	cd frontend && npm ci

assets:  ## Rebuild the compiled CSS/JS from frontend/ (needs npm)
	cd frontend && npm ci && npm run build

messages: setup  ## Refresh the az/en/ru message catalogues and compile them
	cd meis && DEBUG=1 ../$(BIN)/meis makemessages -l az -l en -l ru --no-obsolete --ignore 'static/*'
	cd meis && DEBUG=1 ../$(BIN)/meis compilemessages
