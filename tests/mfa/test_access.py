"""The access matrix of the second factor: an approver or an administrator signed in with a
password only reaches nothing but enrolment (every URL of the site walked, GET and POST, the
admin site's too); with a device but a session not verified, nothing but the code page. Other
roles are not held up; with ``MFA_REQUIRED_ROLES`` empty, nobody is."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.second_factor import enrol
from tests.support.snapshots import changed_tables, database_state
from tests.support.urlwalk import (
    build_world,
    every_url,
    url_keywords,
    url_patterns,
    world_values,
)
from tests.support.worlds import built_once

pytestmark = pytest.mark.django_db

SECURITY = reverse("mfa:security")
VERIFY = reverse("mfa:verify")
# Open whatever the second factor: signing out, the language, the favicon, the login page (which
# sends a signed-in user home, where the middleware stops them again), the code page.
ALWAYS_OPEN = {
    "logout",
    "set_language",
    "favicon",
    "login",
    "mfa:verify",
    # A security key answering on the code page (a JSON answer), and its scripts' messages.
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}
# A URL the walk filled with a value its pattern's view does not take (404 before any view).
NOWHERE = (404, "")
ENROLMENT = {
    "mfa:security",
    "mfa:authenticator_add",
    "mfa:recovery_codes",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
}


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(built_world, db):
    return built_world.reloaded()


@pytest.fixture
def walked(world):
    values = world_values(world)
    # The middleware answers before any view: a keyword the walk's world does not fill yet
    # (a page added since) gets any value that resolves.
    for _name, pattern in url_patterns():
        for key in url_keywords(pattern):
            values.setdefault(key, "1")
    return [entry for entry in every_url(values) if entry.name not in ALWAYS_OPEN]


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def walk(client, walked, method):
    """(name, status, location) of every URL that did not send the user to the second factor."""
    answers = []
    for entry in walked:
        response = getattr(client, method)(entry.url)
        answers.append((entry.name, response.status_code, response.get("Location", "")))
    return answers


@pytest.mark.usefixtures("required")
class TestRequiredRoles:
    @pytest.mark.parametrize("role", ["approver", "administrator"])
    def test_with_a_password_only_nothing_but_enrolment(self, world, walked, role):
        client = client_of(world.users[role])
        before = database_state()
        held = [entry for entry in walked if entry.name not in ENROLMENT]
        assert len(held) > 100
        for method in ("get", "post"):
            wrong = [
                (name, status, location)
                for name, status, location in walk(client, held, method)
                if (status, location) not in {(302, SECURITY), NOWHERE}
            ]
            assert not wrong, "\n".join(map(str, wrong))
        assert changed_tables(before, database_state()) == []
        assert client.get(SECURITY).status_code == 200
        assert client.get(reverse("mfa:authenticator_add")).status_code == 200

    @pytest.mark.parametrize("role", ["approver", "administrator"])
    def test_with_a_device_but_no_code_nothing_but_the_code_page(self, world, walked, role):
        user = world.users[role]
        enrol(user)
        client = client_of(user)
        wrong = [
            (name, status, location)
            for name, status, location in walk(client, walked, "get")
            if not (status == 302 and location.startswith(f"{VERIFY}?next="))
            and (status, location) != NOWHERE
        ]
        assert not wrong, "\n".join(map(str, wrong))
        assert client.get(VERIFY).status_code == 200

    def test_other_roles_are_not_held_up_but_the_admin_site_is(self, world):
        client = client_of(world.users["officer"])
        assert client.get("/").status_code == 200
        assert client.get(reverse("account")).status_code == 200

    def test_the_admin_site_needs_a_verified_session_whatever_the_role_list(self, world, settings):
        settings.MFA_REQUIRED_ROLES = ["approver"]
        client = client_of(world.users["administrator"])
        assert client.get("/").status_code == 200
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"] == SECURITY


class TestNothingRequired:
    def test_with_the_requirement_empty_nobody_is_held_up(self, world, settings):
        settings.MFA_REQUIRED_ROLES = []
        client = client_of(world.users["administrator"])
        assert client.get("/").status_code == 200
        assert client.get(reverse("admin:index")).status_code == 200

    def test_the_list_of_roles_is_checked(self, settings):
        from pfp.mfa.checks import required_roles_are_known

        settings.MFA_REQUIRED_ROLES = ["approvers", "administrator"]
        errors = required_roles_are_known(None)
        assert [error.id for error in errors] == ["mfa.E001"]
        assert "approvers" in errors[0].msg
        settings.MFA_REQUIRED_ROLES = ["approver", "administrator"]
        assert required_roles_are_known(None) == []
