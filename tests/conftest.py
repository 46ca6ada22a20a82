"""Shared fixtures: one per role, a client logged in as each, the partner and its drafter, and
the real partner register."""

import pytest

from partners.loading import load_partners
from tests.support.factories import drafter_of, partnerland, role_user


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
def register(db):
    """The real partner register from the project's data file."""
    load_partners()
    from partners.models import Partner

    return Partner.objects.all()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users: a fast hasher instead of PBKDF2's deliberate slowness (the
    production hashers are Django's defaults, untouched)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request leaves its language active in the thread: each test starts in English."""
    from django.utils import translation

    yield
    translation.activate("en")
