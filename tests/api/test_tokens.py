"""Personal API tokens: created on the account's tokens page (shown once, stored hashed),
listed with their expiry and last use, revoked; refused when revoked or expired; throttled per
token."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pfp.tokens import actions
from pfp.tokens.authentication import TokenRateThrottle
from pfp.tokens.models import ApiToken, digest_of
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def page(world, role="officer"):
    from django.test import Client

    client = Client()
    client.force_login(world.users[role])
    return client


def test_created_on_the_page_shown_once_and_stored_hashed(world):
    client = page(world)
    assert reverse("tokens:list") in client.get(reverse("account")).content.decode()
    response = client.post(reverse("tokens:list"), {"name": "BI reports", "lifetime": 90})
    secret = response.context["secret"]
    assert secret.startswith("pfp_")
    assert secret in response.content.decode()
    token = ApiToken.objects.get(name="BI reports")
    assert token.digest == digest_of(secret)
    assert secret not in (token.digest, token.shown)
    assert token.history.get().history_user == world.users["officer"]
    listed = client.get(reverse("tokens:list")).content.decode()
    assert "BI reports" in listed
    assert token.shown in listed
    assert secret not in listed
    assert api_client(secret).get(reverse("api:partner-list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_on_the_page_then_refused(world):
    secret = world.tokens["officer"]
    token = ApiToken.objects.get(digest=digest_of(secret))
    response = page(world).post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    answer = api_client(secret).get(reverse("api:partner-list"))
    assert answer.status_code == 401
    assert answer.json()["detail"] == "This token is not valid."
    # Someone else's token: 404, still usable.
    theirs = ApiToken.objects.get(digest=digest_of(world.tokens["viewer"]))
    assert page(world).post(reverse("tokens:revoke", args=[theirs.pk])).status_code == 404
    assert api_client(world.tokens["viewer"]).get(reverse("api:partner-list")).status_code == 200


def test_expired_and_deactivated_are_refused(world):
    secret = world.tokens["viewer"]
    ApiToken.objects.filter(digest=digest_of(secret)).update(
        created_at=timezone.now() - datetime.timedelta(days=2),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert api_client(secret).get(reverse("api:partner-list")).json()["detail"] == (
        "This token has expired."
    )
    world.users["approver"].is_active = False
    world.users["approver"].save()
    assert api_client(world.tokens["approver"]).get(reverse("api:partner-list")).status_code == 401


def test_the_rule_and_the_checks_of_create_token(world):
    user = world.users["no_role"]
    later = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(PermissionDenied):
        actions.create_token(actor=user, name="x", expires_at=later)
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as refused:
        actions.create_token(
            actor=officer, name=" ", expires_at=timezone.now() + datetime.timedelta(days=400)
        )
    assert set(refused.value.message_dict) == {"name", "expires_at"}
    assert (
        page(world, "no_role")
        .post(reverse("tokens:list"), {"name": "x", "lifetime": 30})
        .status_code
        == 403
    )


def test_at_most_twenty_usable_tokens(world):
    officer = world.users["officer"]
    later = timezone.now() + datetime.timedelta(days=30)
    for n in range(actions.MAX_USABLE_TOKENS - 1):  # the world gave the officer one
        actions.create_token(actor=officer, name=f"t{n}", expires_at=later)
    with pytest.raises(ValidationError):
        actions.create_token(actor=officer, name="one too many", expires_at=later)


def test_throttled_per_token(world, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    viewer, officer = api_client(world.tokens["viewer"]), api_client(world.tokens["officer"])
    url = reverse("api:area-list")
    assert [viewer.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = viewer.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert officer.get(url).status_code == 200  # another token counts its own


def test_the_count_per_token_is_kept_in_the_database_for_every_app_server(world):
    """The throttle counts in the database cache (``CACHES``), not in one process's memory: a
    request by token leaves its count in the shared table."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["default"], DatabaseCache)
    token = world.tokens["viewer"]
    assert api_client(token).get(reverse("api:partner-list")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM pfp_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_token" in key for key in keys), keys
