# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local commands run in development mode unless the caller says otherwise.
export DEBUG ?= 1

.PHONY: run test setup messages migrate services services-stop lint format lock makemessages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Locked installs; a stamp per lock file so a changed lock reinstalls.
$(VENV)/.installed-app: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

messages: $(VENV)/.installed-app
	$(VENV)/bin/pybabel -q compile --domain django --directory locale

migrate: $(VENV)/.installed-app
	$(PY) manage.py migrate --noinput

setup: $(VENV)/.installed-app messages migrate

run: setup
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Serving the marketplace at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py run_embedded $(HOST):$(PORT)

test: $(VENV)/.installed-dev messages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

services:
	platform/local-services.sh start

services-stop:
	platform/local-services.sh stop

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the lock files from pyproject.toml (needs the registry).
lock: $(VENV)/bin/python
	$(PY) -m pip install --quiet "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

# Extract translatable strings into locale/*/LC_MESSAGES/django.po (needs GNU gettext).
makemessages: $(VENV)/.installed-app
	$(PY) manage.py makemessages --locale zh_Hans --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete

# Benchmarks (issue 9), not part of `make test`: the local PostgreSQL and Redis,
# production-like settings (DEBUG off), at SCALE: tiny, county, platform or national.
# Results in bench/results/latest.{json,md}; see bench/README.md.
# PEER=1 (or BENCH_ARGS=--peer): django-oscar side by side, figure 7.
SCALE ?= county
PEER ?=
bench: $(VENV)/.installed-app messages
	@command -v wrk >/dev/null || echo "bench: wrk not found (apt-get install wrk): load from Python threads instead" >&2
	eval "$$(platform/local-services.sh start)" && DEBUG=0 $(PY) -m bench --scale $(SCALE) $(if $(PEER),--peer) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 tests/e2e/artifacts
