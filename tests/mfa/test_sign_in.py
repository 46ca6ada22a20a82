"""Signing in with a second factor: the password, then a code; codes good once; failed codes
counted by django-axes toward the lockout."""

import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from pfp.mfa import actions
from pfp.mfa.views import PENDING_KEY, PENDING_SECONDS
from tests.mfa.conftest import sign_in_with_password
from tests.support.second_factor import code_of

pytestmark = pytest.mark.django_db
VERIFY = reverse("mfa:verify")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


class TestTwoSteps:
    def test_a_user_without_device_signs_in_with_the_password(self, client, officer):
        response = sign_in_with_password(client, officer)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert signed_in(client)

    def test_the_password_alone_does_not_sign_in_a_user_with_a_device(
        self, client, enrolled_approver
    ):
        response = sign_in_with_password(client, enrolled_approver, next_url="/partners/")
        assert response.status_code == 302
        assert response["Location"] == f"{VERIFY}?next=%2Fpartners%2F"
        assert not signed_in(client)
        assert client.get("/").status_code == 302  # still the login page

    def test_the_code_signs_in_verified_and_goes_on_to_next(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        page = client.get(VERIFY)
        assert page.status_code == 200
        response = client.post(
            VERIFY, {"code": code_of(enrolled_approver.key), "next": "/partners/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/partners/"
        assert signed_in(client)
        assert client.session[DEVICE_ID_SESSION_KEY].startswith("otp_totp.totpdevice/")

    def test_a_next_elsewhere_is_not_followed(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        response = client.post(
            VERIFY, {"code": code_of(enrolled_approver.key), "next": "https://evil.example/"}
        )
        assert response["Location"] == "/"

    def test_the_code_page_without_a_password_first_goes_back_to_sign_in(self, client):
        response = client.get(VERIFY)
        assert response.status_code == 302
        assert response["Location"] == reverse("login")

    def test_the_password_is_asked_again_after_a_few_minutes(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        session = client.session
        session[PENDING_KEY] = {**session[PENDING_KEY], "since": time.time() - PENDING_SECONDS - 1}
        session.save()
        response = client.post(VERIFY, {"code": code_of(enrolled_approver.key)})
        assert response["Location"] == reverse("login")
        assert not signed_in(client)


class TestCodesAreGoodOnce:
    def test_a_code_cannot_be_replayed(self, client, enrolled_approver):
        code = code_of(enrolled_approver.key)
        sign_in_with_password(client, enrolled_approver)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        client.post(reverse("logout"))
        sign_in_with_password(client, enrolled_approver)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "This code is not valid, or was already used." in response.content.decode()
        assert not signed_in(client)

    def test_the_code_used_to_add_the_app_cannot_sign_in(self, client, approver):
        from pfp.mfa import devices

        key = devices.new_key()
        code = code_of(key)
        actions.add_authenticator(actor=approver, name="Phone", key=key, code=code)
        sign_in_with_password(client, approver)
        assert client.post(VERIFY, {"code": code}).status_code == 200
        assert not signed_in(client)

    def test_a_recovery_code_signs_in_once(self, client, enrolled_approver):
        codes = actions.generate_recovery_codes(actor=enrolled_approver)
        sign_in_with_password(client, enrolled_approver)
        response = client.post(VERIFY, {"code": codes[0].upper()})
        assert response.status_code == 302
        assert signed_in(client)
        assert StaticToken.objects.filter(token=codes[0]).exists() is False
        client.post(reverse("logout"))
        sign_in_with_password(client, enrolled_approver)
        assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
        assert not signed_in(client)


class TestBruteForce:
    def test_failed_codes_count_toward_the_lockout(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        for attempt in range(4):
            response = client.post(VERIFY, {"code": f"{attempt:06d}"})
            assert response.status_code == 200
        assert AccessFailureLog.objects.filter(username=enrolled_approver.username).count() == 4
        # The fifth failure locks the name out, and then even the right code is refused.
        assert client.post(VERIFY, {"code": "999999"}).status_code == 429
        assert client.post(VERIFY, {"code": code_of(enrolled_approver.key)}).status_code == 429
        assert (
            AccessAttempt.objects.get(username=enrolled_approver.username).failures_since_start >= 5
        )
        assert not signed_in(client)

    def test_a_wrong_password_then_wrong_codes_share_one_count(self, client, enrolled_approver):
        client.post(
            "/accounts/login/", {"username": enrolled_approver.username, "password": "wrong"}
        )
        sign_in_with_password(client, enrolled_approver)
        for _attempt in range(3):
            client.post(VERIFY, {"code": "123456"})
        assert client.post(VERIFY, {"code": "123456"}).status_code == 429

    def test_junk_codes_are_refused_with_a_message(self, client, enrolled_approver):
        sign_in_with_password(client, enrolled_approver)
        for junk in ["", "x" * 100, "12 34 56 78 90 12 34", "\x00"]:
            response = client.post(VERIFY, {"code": junk})
            assert response.status_code in {200, 429}
            assert not signed_in(client)
