"""CSRF and safe methods: no POST without a token changes anything; no GET changes anything.

Every URL pattern of the site is POSTed to without a CSRF token, by a client that enforces the
checks, logged in as a role that may take the step (``tests.support.security_matrix.PAGES``
says which) and with valid input: the answer is the CSRF refusal (403, the ``403_csrf.html`` page) and
the database is exactly as before. For the URLs that change state, the same request with the
token then goes through, which shows that the token alone made the difference.

Then every GET page is crawled as an administrator and as a programme officer, comparing every
table (history and many-to-many tables included) before and after each request.

The world is built once for the module; each test runs in a savepoint rolled back at its end
(``tests.support.worlds``).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.support.factories import TEST_PASSWORD
from tests.support.security_matrix import (
    PAGES,
    Observed,
    expected_get,
    is_admin_pattern,
    matches,
    outcomes,
    post_and_roll_back,
    post_data,
    request,
)
from tests.support.snapshots import changed_tables, database_state, state_after, tables_written
from tests.support.urlwalk import every_url, world_values

pytestmark = pytest.mark.django_db

# Who posts to each page: the first of these roles the table lets take the step.
ACTORS = ("officer", "approver", "menu_manager", "administrator", "no_role")


def actor_for(name: str) -> str:
    if is_admin_pattern(name):
        return "administrator"
    if name in ("login", "set_language"):
        return "anonymous"
    post = outcomes(PAGES[name][1])
    return next((role for role in ACTORS if post[role].endswith("+")), "administrator")


def changes_state(name: str) -> bool:
    """Whether a POST to this (non-admin) page takes a step for some role."""
    return any(cell.endswith("+") for cell in outcomes(PAGES[name][1]).values())


def csrf_client(world, role: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def token_of(client: Client) -> str:
    """The CSRF token a page just gave the browser (its cookie)."""
    client.get(reverse("login") if "sessionid" not in client.cookies else reverse("home"))
    return client.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.fixture
def walked(world):
    return every_url(world_values(world))


def form_for(name: str, url: str, world) -> dict:
    if name == "login":  # real credentials: with the token, this logs in
        return {"username": world.users["viewer"].username, "password": TEST_PASSWORD}
    return post_data(name, url, world)


class TestCsrf:
    def test_every_post_without_a_token_is_refused_and_changes_nothing(self, world, walked):
        roles = {actor_for(entry.name) for entry in walked}
        clients = {role: csrf_client(world, role) for role in roles}
        before = database_state()  # what every POST finds: each one is rolled back
        wrong, refused = [], 0
        for entry in walked:
            role = actor_for(entry.name)
            data = form_for(entry.name, entry.url, world)
            seen = post_and_roll_back(clients[role], entry.url, entry.name, data, before=before)
            # The API refuses a session's POST without the token itself (Django REST
            # framework's SessionAuthentication: a JSON 403); a token needs no CSRF token.
            page = "403_csrf.html" in seen.templates or entry.name.startswith("api:")
            if seen.status != 403 or not page or seen.changed:
                wrong.append((entry.name, role, seen.status, seen.changed))
            refused += 1
        assert not wrong, "\n".join(map(str, wrong))
        assert refused == len(walked) >= 120

    def test_with_the_token_the_same_posts_go_through(self, world, walked):
        """The state-changing pages of the site (not the admin's): with the token, the step the
        table expects is taken, so the refusal above was the token's doing."""
        clients, tokens = {}, {}
        wrong, checked = [], 0
        for entry in walked:
            if is_admin_pattern(entry.name) or not (
                changes_state(entry.name) or entry.name in ("login", "set_language")
            ):
                continue
            role = actor_for(entry.name)
            if role not in clients:
                clients[role] = csrf_client(world, role)
                tokens[role] = token_of(clients[role])
            data = {**form_for(entry.name, entry.url, world), "csrfmiddlewaretoken": tokens[role]}
            seen = post_and_roll_back(clients[role], entry.url, entry.name, data)
            expected = outcomes(PAGES[entry.name][1])[role]
            if entry.name == "login":
                expected = "302+"  # signed in: a session and the login records
            if not matches(expected, seen, entry.name):
                wrong.append((entry.name, role, expected, seen.status, seen.changed))
            checked += 1
        assert not wrong, "\n".join(map(str, wrong))
        # The pages whose POST takes a step, login and the language.
        posted = {name for name in PAGES if changes_state(name)} | {"login", "set_language"}
        assert checked == len(posted) == 52

    def test_the_language_cookie_needs_the_token_too(self, world):
        client = csrf_client(world, "anonymous")
        url = reverse("set_language")
        refused = client.post(url, {"language": "fr", "next": "/"})
        assert refused.status_code == 403
        assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies
        token = token_of(client)
        taken = client.post(url, {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
        assert taken.status_code == 302
        assert taken.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


class TestSafeMethods:
    @pytest.mark.parametrize("role", ["administrator", "officer"])
    def test_a_crawl_of_every_get_page_changes_nothing(self, world, walked, role):
        client = Client(raise_request_exception=False)
        client.force_login(world.users[role])
        start = before = database_state()
        changed_by, served = [], 0
        for entry in walked:
            with tables_written() as written:
                response = request(client, "get", entry.url, entry.name)
            assert response.status_code < 500, (entry.name, response.status_code)
            # The crawl reads what this role may read (the walk's table says what that is).
            seen = Observed(response.status_code, response.get("Location", ""), [])
            assert matches(expected_get(entry.name, role), seen, entry.name), entry
            served += response.status_code == 200
            after = state_after(before, written)
            changed = changed_tables(before, after)
            if changed:
                changed_by.append((entry.name, changed))
            before = after
        assert not changed_by, changed_by
        assert changed_tables(start, database_state()) == []
        assert served >= (90 if role == "administrator" else 30), served
