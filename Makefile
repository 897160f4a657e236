# The two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages migrate setup lint check pytest messages bench loadtest clean

run: setup
	@$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	@.ci/system-packages test
	@$(MANAGE) compilemessages --ignore=.venv -v 0
	$(VENV)/bin/ruff check .
	@.ci/with-postgres $(MAKE) --no-print-directory checks-on-db

# Runs inside .ci/with-postgres, which exports DATABASE_URL for the throwaway server.
.PHONY: checks-on-db
checks-on-db:
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(VENV)/bin/pytest

setup: install
	@.ci/system-packages
	@$(MANAGE) compilemessages --ignore=.venv -v 0
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_places
	$(MANAGE) load_demo

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(.ci/find-python)" -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	@touch $(STAMP)

messages: install
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var
