"""Loaded by pytest before pytest-django reads the settings (``-p pfp.pytest_plugin``).

Tests use the development settings (no HTTPS redirect); Django's test runner turns DEBUG off for
the tests themselves. Production settings are checked in their own tests, in subprocesses.
"""

import os

import pytest

os.environ.setdefault("DJANGO_DEBUG", "1")
# No role needs a second factor in tests, unless a test says so (tests/mfa: override_settings
# MFA_REQUIRED_ROLES): the suite signs users in with force_login and the password form alone.
os.environ.setdefault("DJANGO_MFA_REQUIRED_ROLES", "")
# Uploaded documents are kept in memory: no test writes files beside the code.
os.environ.setdefault("PFP_STORAGE", "memory")

# Tests whose outcome does not depend on the database engine: marked ``database_independent``,
# so that the PostgreSQL pass of CI (``.ci/run``) runs them no second time.
DATABASE_INDEPENDENT = (
    # Pages in a browser (layout, scripts, accessibility); what the pages do is tested over HTTP
    # on both engines.
    "tests/browser/",
    # The French catalogue and the language choice.
    "tests/pfp/test_translations.py",
    # `check --deploy` and the production settings, in subprocesses on their own SQLite file.
    "tests/security/test_security.py::TestProductionSettings",
    # The bench command builds databases of its own.
    "tests/devtools/test_bench.py::test_bench_runs_on_a_tiny_demo_and_writes_json",
)
# Browser journeys that run on every engine all the same: the delivery journey records and
# reads events, reviews and a report through the live server, which issue 16 asks to see pass
# on PostgreSQL too.
ON_EVERY_ENGINE = ("tests/browser/test_delivery_journey.py",)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith(DATABASE_INDEPENDENT) and not item.nodeid.startswith(
            ON_EVERY_ENGINE
        ):
            item.add_marker(pytest.mark.database_independent)


def _unsynchronised_commits(sender, connection, **kwargs):
    """The test database need not survive a power cut: a commit does not wait for the disk
    (transactional tests, the live server and the threads of the concurrency tests commit
    thousands of times). SQLite's locking and PostgreSQL's isolation are unchanged."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")


def pytest_configure(config):
    from django.db.backends.signals import connection_created

    connection_created.connect(_unsynchronised_commits)
