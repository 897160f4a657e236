# The two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages migrate setup lint check pytest messages bench loadtest clean vendor

run: setup
	@$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	@.ci/system-packages test
	@$(MANAGE) compilemessages --ignore=.venv -v 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	@status=0; \
	.ci/with-postgres $(MAKE) --no-print-directory checks-on-postgresql || status=1; \
	$(MAKE) --no-print-directory checks-on-sqlite || status=1; \
	exit $$status

# The whole suite runs twice, on PostgreSQL (production) and on SQLite (the embedded default of
# `make run`); only tests marked `postgresql(reason=…)` are skipped on SQLite, and those marked
# `sqlite(reason=…)` (they make an SQLite file of their own) on PostgreSQL (pyproject.toml). Both
# runs go on even when the first fails, so one `make test` tells about both databases.
# pytest-xdist spreads each run over the cores (PYTEST_WORKERS=auto: one worker per core; 0 runs in
# this process, for debugging). Each worker has its own test database: test_clb_gw0, _gw1… on
# PostgreSQL, test_db.sqlite3_gw0, _gw1… on SQLite. --dist loadgroup keeps tests marked
# xdist_group(name) on one worker (tests/scale: data generated once per module).
# EXPECT_DB_VENDOR: a run that finds another database than the one asked for stops (tests/conftest.py).
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

# Runs inside .ci/with-postgres, which exports DATABASE_URL for the throwaway server.
.PHONY: checks-on-postgresql
checks-on-postgresql:
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	EXPECT_DB_VENDOR=postgresql $(PYTEST)

# On SQLite the test databases are built by the migrations too, as `make run` builds var/db.sqlite3:
# their SQLite branches (indexes and triggers made on PostgreSQL only) and the forward migration of an
# older database (tests/test_migrations.py) are checked on the database people start with. Each
# worker's test database is a file in a temporary folder, removed afterwards (tests/conftest.py puts
# it beside the file DATABASE_URL names: a file, as under `make run`, not Django's in-memory default).
.PHONY: checks-on-sqlite
checks-on-sqlite:
	@dir=$$(mktemp -d /tmp/clb-sqlite.XXXXXX); \
	DATABASE_URL="sqlite:///$$dir/db.sqlite3" EXPECT_DB_VENDOR=sqlite $(PYTEST); \
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
# Durable writes, as production (the throwaway server of the tests turns fsync off; issue 19's figures are
# taken with it on).
BENCH_PG := -c fsync=on -c synchronous_commit=on -c full_page_writes=on \
	-c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c effective_cache_size=8GB \
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

# The offline meeting day's browser libraries (Workbox, Dexie) at pinned versions from the npm registry,
# into static/vendor/ with their sha256 in static/vendor/VERSIONS. Committed: run/test need no npm.
vendor:
	.ci/vendor
