"""Shared fixtures: one per role, a client logged in as each, the partner and its drafter, the
real partner register, and a transaction around a class for data built once for its tests."""

import pytest
from django.db import transaction
from django.test import override_settings

from partners.loading import load_partners
from tests.support.factories import drafter_of, drafting_approver_of, partnerland, role_user
from tests.support.transactional import delete_instead_of_truncate, restore_in_bulk


@pytest.fixture
def viewer(db):
    return role_user("viewer")


@pytest.fixture
def officer(db):
    return role_user("officer")


@pytest.fixture
def approver(db):
    return role_user("approver")


@pytest.fixture
def menu_manager(db):
    return role_user("menu_manager")


@pytest.fixture
def administrator(db):
    return role_user("administrator")


@pytest.fixture
def no_role_user(db):
    return role_user("no_role_user")


ROLE_NAMES = ["viewer", "officer", "approver", "menu_manager", "administrator"]


@pytest.fixture(params=ROLE_NAMES)
def any_role_user(request):
    """Each role in turn."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the test client, logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def partner(db):
    return partnerland()


@pytest.fixture
def drafter(partner):
    """The programme officer assigned to ``partner``, who drafts its programmes."""
    return drafter_of(partner)


@pytest.fixture
def drafting_approver(partner):
    """An approver who is also the partner's programme officer."""
    return drafting_approver_of(partner)


@pytest.fixture
def register(db):
    """The real partner register from the project's data file."""
    load_partners()
    from partners.models import Partner

    return Partner.objects.all()


@pytest.fixture(scope="class")
def register_loaded_for_the_class(class_transaction):
    """The real partner register, loaded once for a class (see ``class_transaction``): a module
    or class whose tests all read it overrides ``register`` to request this one."""
    load_partners()


def _class_data(item) -> frozenset[str]:
    """The class-scoped fixtures a test uses."""
    return frozenset(
        name
        for name, definitions in item._fixtureinfo.name2fixturedefs.items()
        if definitions[-1].scope == "class"
    )


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


def pytest_collection_modifyitems(items):
    """A test that commits (``transaction=True``, ``live_server``) must restore what the
    migrations wrote (``serialized_rollback=True``): its closing flush would otherwise make
    ``post_migrate`` create the content types and permissions again under new ids, and the next
    test that restores them would fail on their unique names."""
    unrestored = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if _transactional(item) and not (marker and marker.kwargs.get("serialized_rollback")):
            unrestored.append(item.nodeid)
    if unrestored:
        raise pytest.UsageError(
            "Transactional tests without serialized_rollback=True: " + ", ".join(unrestored)
        )


@pytest.fixture(scope="class")
def class_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around a class of tests, rolled back after its last one: what Django's
    ``TestCase.setUpTestData`` gives. A class-scoped fixture that requests it builds its rows
    once for the class; each test runs in a savepoint inside it (pytest-django's ``db``), so
    what a test writes is undone before the next. Tests take deep copies of the objects built,
    as ``setUpTestData`` gives them: the same state in memory as when they were built (pinned
    query counts stay the same), and no change an earlier test made to them.

    Every test of the class must use the same class data, so that none finds rows it did not
    ask for, and none may be transactional (``transaction=True``, ``live_server``): those
    commit and flush, which a transaction around them would undo. Both are checked here. A
    test outside a class gets the data built for itself alone.
    """
    tests = [item for item in request.session.items if request.node in item.listchain()]
    data = {item.name: sorted(_class_data(item)) for item in tests}
    assert len({tuple(names) for names in data.values()}) == 1, (
        f"{request.node.name}: its tests use different class data: {data}"
    )
    transactional = [item.name for item in tests if _transactional(item)]
    assert not transactional, f"{request.node.name}: {transactional} are transactional"
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests create many users: a fast hasher instead of PBKDF2's deliberate slowness (the
    production hashers are Django's defaults, untouched), for the whole run, so for data built
    once for a class or a module too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def quick_reset_between_transactional_tests():
    """The database emptied and the migrations' rows put back around each transactional test,
    in bulk (``tests/support/transactional.py``)."""
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", restore_in_bulk)
        patch.setattr(
            DatabaseOperations,
            "sql_flush",
            delete_instead_of_truncate(DatabaseOperations.sql_flush),
        )
        yield


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request leaves its language active in the thread: each test starts in English."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_at_once():
    """The suite runs each task as it is enqueued (e-mails after the commit, as before the
    outbox); tests/outbox switch to the database queue and drive the worker themselves."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield
