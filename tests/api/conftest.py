"""The world the API's tests read (``tests.support.urlwalk.build_world``: a partner with a
programme in every status, its delivery, users of every role), built once per module, and a
token for each role."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from pfp.tokens import actions
from pfp.tokens.models import PREFIX, ApiToken, digest_of
from tests.support.urlwalk import ROLES, build_world
from tests.support.worlds import built_once

# The roles that hold a token: every one but the anonymous caller.
TOKEN_ROLES = [role for role in ROLES if role != "anonymous"]


def token_for(user) -> str:
    """A token of ``user`` (made directly for a user without a role, whom the rule refuses one:
    a token kept after the role was taken away)."""
    expires = timezone.now() + datetime.timedelta(days=30)
    try:
        return actions.create_token(actor=user, name="tests", expires_at=expires).secret
    except PermissionDenied:  # the rule refuses: the row made by hand
        secret = f"{PREFIX}made-for-{user.username}"
        ApiToken.objects.create(
            user=user, name="tests", digest=digest_of(secret), shown=secret[:12], expires_at=expires
        )
        return secret


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        world = build_world()
        world.tokens = {role: token_for(world.users[role]) for role in TOKEN_ROLES}
        yield world


@pytest.fixture
def world(built_world, db):
    fresh = built_world.reloaded()
    fresh.tokens = built_world.tokens
    return fresh


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


def api_client(token: str | None) -> Client:
    """A client that sends ``token`` (none: anonymous) and raises nothing (a 500 is an answer)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(raise_request_exception=False, headers=headers)


def event_body(programme, **changes) -> dict:
    """A valid body for ``PUT /api/v1/partners/<code>/events/<ref>/``: the first activity planned
    in year 1 of ``programme`` (in force), scheduled in June of that year."""
    planned = programme.planned_activities.filter(year=1).order_by("pk").first()
    return {
        "programme_year": 1,
        "activity_code": planned.activity.code,
        "first_day": f"{programme.start_year}-06-01",
        "last_day": f"{programme.start_year}-06-02",
        "place": "Skopje",
        "status": "scheduled",
        **changes,
    }


@pytest.fixture
def as_role(world):
    def client(role: str) -> Client:
        return api_client(world.tokens.get(role))

    return client
