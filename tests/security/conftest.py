"""The world the access matrix and the CSRF tests walk: built once per module (a transaction
rolled back at the module's end), each test reading it afresh in its own savepoint."""

import pytest

from tests.support.urlwalk import build_world
from tests.support.worlds import built_once


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(built_world, db):
    return built_world.reloaded()
