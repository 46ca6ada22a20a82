"""The API's personal tokens: created only from a session verified with a second factor when the
role requires one (pfp.tokens.permissions.can_create_token)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from pfp.tokens import actions as tokens
from pfp.tokens.models import ApiToken
from pfp.tokens.permissions import can_create_token
from tests.mfa.conftest import sign_in_with_password
from tests.support.second_factor import code_of

pytestmark = pytest.mark.django_db


def in_a_month():
    return timezone.now() + datetime.timedelta(days=30)


@pytest.mark.usefixtures("required")
class TestRequired:
    def test_an_unverified_approver_creates_no_token(self, approver):
        decision = can_create_token(approver)
        assert not decision
        assert "second factor" in decision.reason
        with pytest.raises(PermissionDenied):
            tokens.create_token(actor=approver, name="Script", expires_at=in_a_month())
        assert not ApiToken.objects.exists()

    def test_a_verified_approver_does(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        client.post(reverse("mfa:verify"), {"code": code_of(enrolled_approver.key)})
        response = client.post(reverse("tokens:list"), {"name": "Script", "lifetime": 30})
        assert response.status_code == 200
        assert ApiToken.objects.filter(user=enrolled_approver).count() == 1

    def test_a_role_without_the_requirement_needs_no_second_factor(self, officer):
        assert can_create_token(officer)


def test_with_the_requirement_empty_an_approver_creates_tokens(approver, settings):
    settings.MFA_REQUIRED_ROLES = []
    assert can_create_token(approver)
