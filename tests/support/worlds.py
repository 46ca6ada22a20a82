"""Test data built once for a module of tests instead of once per test, as Django's
``TestCase.setUpTestData`` does for a class (for a class, ``tests/conftest.py``'s
``class_transaction`` does the same, and checks that every test of the class uses the data).

``built_once(django_db_blocker)`` opens a transaction for the data built inside it and rolls it
back when the fixture ends. Each test asks for the ``db`` fixture too: it runs in a savepoint of
that transaction, rolled back at its end, so what one test writes is gone for the next::

    @pytest.fixture(scope="module")
    def built_world(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            yield build_world()


    @pytest.fixture
    def world(built_world, db):
        return built_world.reloaded()  # fresh instances for each test

A test gets the objects read again from the database (``tests.support.urlwalk.World.reloaded``),
so that no cache an earlier test left on an instance (a user's roles, ``pfp.permissions``) and no
change it made in memory reaches it.

Not for a module that also has tests needing real commits (``transaction=True``, the threads of
``tests/security/test_double_submit.py``): they would run inside the open transaction. Build the
data for the class that uses it instead.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def built_once(django_db_blocker):
    """A transaction for data shared by the tests of a module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
