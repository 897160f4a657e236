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
	$(VENV)/bin/lint-imports --no-cache
	@.ci/with-postgres $(MAKE) --no-print-directory checks-on-db
	@$(MAKE) --no-print-directory checks-on-sqlite

# Runs inside .ci/with-postgres, which exports DATABASE_URL for the throwaway server.
# EXPECT_DB_VENDOR: the tests marked `sqlite` fail if they find another database (tests/conftest.py).
.PHONY: checks-on-db
checks-on-db:
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	EXPECT_DB_VENDOR=postgresql $(VENV)/bin/pytest

# The tests marked `sqlite` (search without diacritics, duplicates, place names, club import) again on SQLite, the embedded
# default, with its file in a temporary folder removed afterwards. The schema is built from the models
# (--nomigrations: seconds instead of half a minute); makemigrations --check above proves they match.
.PHONY: checks-on-sqlite
checks-on-sqlite:
	@dir=$$(mktemp -d /tmp/clb-sqlite.XXXXXX); \
	DATABASE_URL="sqlite:///$$dir/test.sqlite3" EXPECT_DB_VENDOR=sqlite $(VENV)/bin/pytest -m sqlite --nomigrations; \
	status=$$?; rm -rf "$$dir"; exit $$status

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

# Benchmarks at country scale (README "Scale"). BENCH_SCALE=province for a shorter run.
# A throwaway PostgreSQL server unless DATABASE_URL is set; production settings (DEBUG=0).
BENCH_SCALE ?= national
BENCH_ENV := DEBUG=0 SECRET_KEY=bench-only-not-secret SECURE_HTTPS=0 ALLOWED_HOSTS=localhost,127.0.0.1 \
	AXES_ENABLED=0 BENCH_SCALE=$(BENCH_SCALE)
BENCH_PG := -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c effective_cache_size=8GB \
	-c random_page_cost=1.1 -c max_wal_size=8GB -c checkpoint_timeout=30min
bench: install
	@.ci/system-packages test
	@mkdir -p var/bench
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory bench-on-db; \
	else PG_SERVER_OPTIONS="$(BENCH_PG)" .ci/with-postgres $(MAKE) --no-print-directory bench-on-db; fi

.PHONY: bench-on-db
bench-on-db:
	@$(BENCH_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(BENCH_ENV) $(MANAGE) bench

# Load test (README "Scale"): gunicorn on 127.0.0.1, locust headless, 50 users for 60 s on the province
# dataset; fails when p95 > 500 ms or on any error. LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_SCALE.
LOADTEST_SCALE ?= province
loadtest: install
	@.ci/system-packages test
	@mkdir -p var/bench
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory loadtest-on-db; \
	else PG_SERVER_OPTIONS="$(BENCH_PG)" .ci/with-postgres $(MAKE) --no-print-directory loadtest-on-db; fi

.PHONY: loadtest-on-db
loadtest-on-db:
	@$(BENCH_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(BENCH_ENV) LOADTEST_SCALE=$(LOADTEST_SCALE) $(MANAGE) loadtest

messages: install
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var
