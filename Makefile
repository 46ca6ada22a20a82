# make run   — set everything up and serve the app with demo data on http://127.0.0.1:8000
# make worker — the background worker and its scheduler, without the web server
# make test  — set everything up and run the whole suite (browser tests included)
# make lint  — ruff check and format check, and the layers (import-linter)
# make screenshots — the browser tests, keeping screenshots of the pages they visit (test-results/,
#              and the pictures in docs/)
# make fuzz  — the deep property-based run: 1,000 examples per target (docs/testing.md)
# make bench — time the main pages at two data sizes (docs/performance.md)
# make loadtest — gunicorn on PostgreSQL under a load of logged-in page views

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian 12 ships Python 3.11: look for 3.12+ on PATH, then in pyenv's versions.
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3 \
	$(shell ls -d $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV)

export DJANGO_DEBUG ?= 1
# Python keeps the compiled form of each module it imports (__pycache__/, ignored by git), and
# pytest the assertion-rewritten form of each test module. Where PYTHONDONTWRITEBYTECODE is set
# (as on our CI machines), every process would compile all of our code again: half of each test
# worker's start (collecting the suite: 12 s, against 6 with the compiled files kept), and a
# second or two of each command the tests run in a subprocess.
unexport PYTHONDONTWRITEBYTECODE

# Translations: each catalogue (locale/<lang>/LC_MESSAGES/*.po, in git) is compiled to its .mo
# (not in git) by GNU gettext's msgfmt, which fails on a malformed catalogue.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process. The default
# distribution keeps pytest-django's order on each worker (transactional tests, which flush the
# database, last); --dist loadscope does not, and the tests after a flush lose the data
# migrations' rows (roles, areas).
TEST_WORKERS ?= auto

.PHONY: help run worker test screenshots fuzz lint format migrate bootstrap clean messages bench loadtest

help:
	@echo "make run    set up and serve the app with demo data on http://127.0.0.1:8000"
	@echo "make worker the background worker and the scheduler alone"
	@echo "make test   set up and run the whole suite"
	@echo "make lint   ruff check and format check, and the layers (lint-imports)"
	@echo "make screenshots  the browser tests, keeping screenshots of every page they visit"
	@echo "make fuzz   the deep property-based run (1,000 examples per target)"
	@echo "make bench  time the main pages at two data sizes"
	@echo "make loadtest  gunicorn on PostgreSQL under load"

$(STAMP): pyproject.toml
	@python=""; \
	for candidate in $(PYTHON_CANDIDATES); do \
		if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
			python="$$candidate"; break; \
		fi; \
	done; \
	if [ -z "$$python" ]; then \
		echo "error: Python 3.12 or newer is required and none was found" >&2; \
		echo "       (looked for: $(PYTHON_CANDIDATES))." >&2; \
		echo "       Install python3.12+ (for example with pyenv) and run make again." >&2; \
		exit 1; \
	fi; \
	echo "Using $$python ($$("$$python" --version))"; \
	[ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=70,<81" wheel
	@# xstatic-bootstrap is published as an sdist whose setup needs pkg_resources (setuptools<81).
	$(PY) -m pip install --quiet --no-build-isolation "xstatic-bootstrap==5.3.8.0"
	$(PY) -m pip install --quiet --no-build-isolation -e ".[dev]"
	touch $(STAMP)

bootstrap: $(STAMP) messages

%.mo: %.po
	msgfmt --check --output-file=$@ $<

messages: $(MO_FILES)

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

# The web server in front, the worker (db_worker: e-mails and other background tasks) and the
# scheduler (run_schedule) behind it, each in a process group of its own (set -m): Ctrl-C stops
# the server, and leaving the recipe, however it ends, stops the other two.
run: migrate messages
	$(PY) manage.py load_partners
	$(PY) manage.py seed_demo --if-empty
	@set -m; \
	$(PY) manage.py db_worker --queue-name='*' & worker=$$!; \
	$(PY) manage.py run_schedule & schedule=$$!; \
	trap 'kill -TERM -- -$$worker -$$schedule 2>/dev/null; wait' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The worker and the scheduler alone (the web server elsewhere); Ctrl-C stops both.
worker: migrate
	@set -m; \
	$(PY) manage.py run_schedule & schedule=$$!; \
	trap 'kill -TERM -- -$$schedule 2>/dev/null; wait' EXIT; \
	$(PY) manage.py db_worker --queue-name='*'

test: $(STAMP) messages
	$(PY) manage.py check --fail-level WARNING
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# In English and French, 1,280 and 390 px wide: test-results/ (ignored by git), and the pictures
# docs/ and the README show.
screenshots: $(STAMP) messages
	PFP_SCREENSHOT=1 $(VENV)/bin/pytest -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS)

fuzz: $(STAMP) messages
	HYPOTHESIS_PROFILE=deep $(VENV)/bin/pytest tests/security/test_fuzz.py -m deep \
		--hypothesis-show-statistics $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP) messages
	$(PY) manage.py bench $(BENCH_ARGS)

loadtest: $(STAMP) messages
	$(PY) manage.py loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) data/*.sqlite3 $(MO_FILES)
