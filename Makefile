# IDO Logboek: `make run` to try it, `make test` to check it. Both set up what they need.
# Python 3.11 or newer. The newest of 3.13 and 3.12 that runs is taken where the machine has one
# (on the PATH or installed by pyenv): from 3.12 the tests' line coverage is cheaper
# (sys.monitoring, below), and the whole of `make test` took 295 CPU-seconds on 3.13 where it
# took 370 on 3.11. Else python3. `make PYTHON=python3.11 ...` chooses; a venv made is kept.
PYTHON_CANDIDATES = python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[23].*/bin/python3 2>/dev/null | sort -rV)
PYTHON ?= $(firstword $(shell for p in $(PYTHON_CANDIDATES); do \
	"$$p" -c 'import sys' 2>/dev/null && { command -v "$$p"; break; }; done) python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app ido
# Let Python keep compiled modules: a machine that sets PYTHONDONTWRITEBYTECODE makes every
# process (the tests start gunicorn workers and subprocesses) compile the app again.
unexport PYTHONDONTWRITEBYTECODE
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test test-quick test-browser test-js bench bench-peer bench-desk bench-load install install-test translations extract-messages lint test-sqlite test-postgres clean

# The virtualenv, and uv (PyPI's `uv`) in it to install the rest: it resolves and installs the
# app's and the tests' packages in about 5 CPU-seconds where pip took 17 (from their caches).
# uv does not compile modules at install time: Python compiles (and keeps) a module when it is
# first imported.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet 'uv>=0.5'

UV_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations
	bash tests/system-packages.sh
	$(MAKE) --no-print-directory tests/oidc/node_modules/.installed

# The OpenID Connect provider the work-account tests sign in with (npm's oidc-provider, in
# tests/oidc/), installed from its lock file when missing or when the lock changed; from npm's
# cache (offline) when it holds the packages.
tests/oidc/node_modules/.installed: tests/oidc/package-lock.json
	cd tests/oidc && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues are build output (not in git); pybabel refuses incomplete or broken ones.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d ido/translations

extract-messages: | $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -o ido/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i ido/translations/messages.pot -d ido/translations --no-fuzzy-matching

instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('SECRET_KEY = %r' % secrets.token_hex(32))" > $@
	@echo "Wrote a new random SECRET_KEY to $@"

run: install instance/config.py
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo "IDO Logboek runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production: gunicorn (settings in ido/gunicorn_config.py; IDO_BIND, IDO_WORKERS, ...), on the
# database of instance/config.py or FLASK_SQLALCHEMY_DATABASE_URI, migrated first. No demo data.
serve: install instance/config.py
	$(FLASK) init-db
	$(BIN)/gunicorn --config python:ido.gunicorn_config 'ido:create_app()'

# Style, format, the layer contracts (import-linter) and types (mypy, strict on ido/core).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Line coverage of the two database passes together; it may not fall below what it was (98 %).
# The SQLite pass measures every test; the PostgreSQL pass only the tests that reach what differs
# by database (marked `dialect`) and those only it runs (`--cov-dialect`, tests/conftest.py):
# the tracer made it 40 % slower to measure again what the SQLite pass measured. The browser
# pass runs without it: its tests reached a single line the others did not (now tested
# directly), and the tracer cost it a tenth of its time.
COVERAGE := --cov=ido --cov-report=
# From Python 3.12, coverage through sys.monitoring: a line costs once, where the tracer of
# earlier Pythons costs it at every run (the SQLite pass took 224 CPU-seconds with the tracer on
# 3.11, 175 through sys.monitoring on 3.12: `make test PYTHON=python3.12` in a fresh clone).
COVERAGE_CORE = $(shell $(BIN)/python -c "import sys; print('sysmon' if sys.version_info >= (3, 12) else 'ctrace')")

# Python compiles a module when it is first imported (uv does not at install, above): once
# here, before the passes start, rather than in each of the three passes at the same time (on a
# fresh clone, some 8 s of processor time each). Collecting the tests imports most of it; the
# libraries it does not import are compiled beside it (17 s on the clock one after the other,
# 11 s side by side, on the 2-core machine); a failure of either fails the step.
$(VENV)/.compiled: $(VENV)/.installed-test
	$(BIN)/python -c "import weasyprint, openpyxl, pypdf, alembic.command, schemathesis.engine" & \
	$(BIN)/pytest --collect-only -q -p no:cacheprovider > /dev/null && wait $$!
	touch $@

# The tests run in three passes side by side: on SQLite, on PostgreSQL (the tests that do not
# depend on the database run in only one of the two: `once` in tests/conftest.py), and the
# browser tests (tests/browser/, on SQLite). The browser pass mostly waits for Chromium, the
# other two keep the processor busy: they run at a lower priority (nice), so that Chromium gets
# a core the moment it needs one and they take the rest. Each pass's output is printed whole
# when it ends.
test-sqlite: install-test $(VENV)/.compiled
	COVERAGE_CORE=$(COVERAGE_CORE) COVERAGE_FILE=.coverage.sqlite nice $(BIN)/pytest -m "not browser" $(COVERAGE)

test-postgres: install-test $(VENV)/.compiled
	COVERAGE_CORE=$(COVERAGE_CORE) COVERAGE_FILE=.coverage.postgres IDO_TEST_DB=postgresql nice $(BIN)/pytest -m "not browser" --cov-dialect

test-browser: install-test $(VENV)/.compiled
	$(BIN)/pytest tests/browser

test: install-test
	$(MAKE) --no-print-directory -j4 --output-sync=target lint test-js test-sqlite test-postgres test-browser
	$(BIN)/coverage combine --quiet .coverage.sqlite .coverage.postgres
	$(BIN)/coverage report --skip-covered --fail-under=98

# The edit loop: SQLite only, no coverage, without the tests marked browser (Chromium) or slow
# (servers, subprocesses, fuzzing). `make test-quick ARGS="-x tests/test_desk.py"` narrows it.
test-quick: install-test test-js
	$(BIN)/pytest -q -m "not browser and not slow" $(ARGS)

# The desk script's unit tests (static/js/desk/), with Node's own test runner: no packages,
# under a second (docs/development.md says why).
test-js:
	node --test tests/js/

# The desk against its peer (a Django 4.2 app of LibStats' shape, both under gunicorn: the
# ratios), what a desk save costs (CPU and SQL statements), then reports and exports on
# 1,000,000 questions (each on SQLite, then a throwaway PostgreSQL).
bench: install-test bench-peer
	$(BIN)/python benchmarks/bench_desk.py --postgres
	$(BIN)/python benchmarks/bench_reports.py --postgres

bench-peer: install-test
	$(BIN)/python benchmarks/bench_peer.py

# The desk at national scale: gunicorn (2 sync workers) on the million questions of `make
# bench` (generated once into benchmarks/data/), browser-like desks at 1 and 10 at once.
bench-desk: install-test
	$(BIN)/python benchmarks/bench_desk_http.py --postgres

# 50 desks for 60 s against the settings of `make serve`: saves, retried API saves, dashboards
# and two year exports at once; then every acknowledged question is looked up.
bench-load: install-test
	$(BIN)/python benchmarks/bench_load.py --postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.* .import_linter_cache ido/translations/*/LC_MESSAGES/*.mo
