"""Every endpoint of the API, every method, every role, with a token: the access matrix.

A GET answers what the session walk's table says (``tests/support/security_matrix.py``: the
same rules and visibility functions, whichever way the caller signed in); every other method is
refused, with nothing changed, except ``PUT`` of an event by its reference, which the partner's
officer and administrators may take. Without a token (or with a bad one) nothing answers but
401.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.api.conftest import TOKEN_ROLES, api_client, event_body
from tests.support.security_matrix import PAGES, outcomes
from tests.support.snapshots import changed_tables, database_state
from tests.support.urlwalk import ROLES, every_url, world_values

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")


# A token's use is recorded on it (its last use): the only write a refused request leaves.
LAST_USE = "tokens.ApiToken"


def changed_but_last_use(before) -> list[str]:
    return [table for table in changed_tables(before, database_state()) if table != LAST_USE]


def api_urls(world) -> list:
    return [entry for entry in every_url(world_values(world)) if entry.name.startswith("api:")]


def send(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, content_type="application/json")


def test_every_api_url_is_walked(world):
    names = {entry.name for entry in api_urls(world)}
    assert len(names) == 19
    assert names <= set(PAGES)


def test_get_with_a_token_answers_as_the_session_does(world):
    wrong = []
    for entry in api_urls(world):
        expected = outcomes(PAGES[entry.name][0])
        for role in ROLES:
            response = api_client(world.tokens.get(role)).get(entry.url)
            if str(response.status_code) != expected[role]:
                wrong.append((entry.name, role, expected[role], response.status_code))
    assert not wrong, "\n".join(map(str, wrong))


def test_no_other_method_is_taken_anywhere(world):
    """POST, PUT, PATCH and DELETE on every endpoint but the event by reference: 401 without a
    token, 403 without the rule, 405 with it; nothing changed."""
    before = database_state()
    wrong = []
    for entry in api_urls(world):
        if entry.name == "api:partner-event":
            continue
        reads = outcomes(PAGES[entry.name][0])
        for role in ROLES:
            client = api_client(world.tokens.get(role))
            expected = {"401": 401, "403": 403}.get(reads[role], 405)
            for method in WRITE_METHODS:
                status = send(client, method, entry.url, {"name": "x"}).status_code
                if status != expected:
                    wrong.append((entry.name, role, method, expected, status))
    assert not wrong, "\n".join(map(str, wrong))
    assert changed_but_last_use(before) == []


# PUT of a new event of the partner (MX), by role: recorded (201) by its officer and
# administrators; refused with the rule's reason (403) to the others; the other partner's
# representative does not see the partner (404).
PUT = {
    "anonymous": 401,
    "no_role": 403,
    "viewer": 403,
    "officer": 201,
    "other_officer": 403,
    "approver": 403,
    "menu_manager": 403,
    "administrator": 201,
    "representative": 403,
    "other_representative": 404,
}


def test_every_method_on_an_event_by_reference(world):
    programme = world.programmes["agreed"]
    url = reverse("api:partner-event", kwargs={"code": world.partner.code, "ref": "MATRIX-1"})
    assert set(PUT) == set(ROLES)
    before = database_state()
    wrong = []
    for role in ROLES:
        client = api_client(world.tokens.get(role))
        with transaction.atomic():
            response = send(client, "put", url, event_body(programme))
            changed = changed_but_last_use(before)
            transaction.set_rollback(True)
        if response.status_code != PUT[role] or bool(changed) != (PUT[role] == 201):
            wrong.append(("put", role, PUT[role], response.status_code, changed))
        for method in ("post", "patch", "delete"):
            # The rule of the path (reading programmes) first, then the method.
            expected = {"anonymous": 401, "no_role": 403}.get(role, 405)
            status = send(client, method, url, event_body(programme)).status_code
            if status != expected:
                wrong.append((method, role, expected, status))
    assert not wrong, "\n".join(map(str, wrong))
    assert changed_but_last_use(before) == []


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer pfp_not-a-token",
        "Bearer a b",
        "Token pfp_x",
        "Basic d2Fsay12aWV3ZXI6eA==",
        "Bearer " + "x" * 500,
    ],
)
def test_nothing_answers_without_a_valid_token(world, header):
    headers = {"Authorization": header} if header else {}
    for entry in api_urls(world):
        response = Client(raise_request_exception=False, headers=headers).get(entry.url)
        assert response.status_code == 401, (entry.name, header, response.status_code)
        assert response["WWW-Authenticate"].startswith("Bearer"), entry.name
        if entry.name not in ("api:schema", "api:docs"):  # their bodies: OpenAPI, HTML
            assert set(response.json()) == {"detail"}


def test_every_token_role_is_walked():
    assert [role for role in ROLES if role != "anonymous"] == TOKEN_ROLES
