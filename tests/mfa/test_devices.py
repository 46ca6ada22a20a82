"""The security page: adding an authenticator app, recovery codes shown once, removal with the
password and a code, sessions of a removed device ending, an administrator's reset."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pfp.mfa import actions
from pfp.models import User
from tests.mfa.conftest import sign_in_with_password
from tests.support.factories import TEST_PASSWORD
from tests.support.second_factor import code_of, enrol

pytestmark = pytest.mark.django_db
SECURITY = reverse("mfa:security")
ADD = reverse("mfa:authenticator_add")
CODES = reverse("mfa:recovery_codes")


def verified_client(user) -> Client:
    client = Client()
    sign_in_with_password(client, user)
    response = client.post(reverse("mfa:verify"), {"code": code_of(user.key)})
    assert response.status_code == 302
    return client


def history_reasons(user) -> list[str]:
    return list(user.history.order_by("history_id").values_list("history_change_reason", flat=True))


class TestAddingAnApp:
    def test_the_page_draws_the_qr_code_here_and_keeps_the_secret_until_added(
        self, client, officer
    ):
        client.force_login(officer)
        first = client.get(ADD)
        assert first.status_code == 200
        page = first.content.decode()
        assert "<svg" in page
        # Drawn here: no image fetched from anywhere.
        assert "<img" not in page.split('id="main"', 1)[-1]
        assert client.get(ADD).context["secret"] == first.context["secret"]
        assert not TOTPDevice.objects.exists()  # a GET writes nothing

    def test_a_wrong_code_adds_nothing(self, client, officer):
        client.force_login(officer)
        client.get(ADD)
        response = client.post(ADD, {"name": "Phone", "code": "000000"})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert not TOTPDevice.objects.exists()

    def test_the_right_code_adds_the_app_verifies_the_session_and_shows_codes_once(
        self, client, officer
    ):
        client.force_login(officer)
        client.get(ADD)
        key = client.session["mfa_new_key"]
        response = client.post(ADD, {"name": "My phone", "code": code_of(key)})
        assert response.status_code == 302
        assert response["Location"] == CODES
        device = TOTPDevice.objects.get(user=officer)
        assert device.name == "My phone"
        assert device.confirmed
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        shown = client.get(CODES)
        codes = shown.context["codes"]
        assert len(codes) == 10
        assert all(code in shown.content.decode() for code in codes)
        # Once only.
        again = client.get(CODES)
        assert again.status_code == 302
        assert again["Location"] == SECURITY
        assert history_reasons(officer)[-2:] == [
            actions.DEVICE_ADDED,
            actions.RECOVERY_CODES_GENERATED,
        ]
        assert {row.history_user_id for row in officer.history.all()[:2]} == {officer.pk}

    def test_new_codes_replace_the_old_ones(self, enrolled_approver):
        client = verified_client(enrolled_approver)
        first = actions.generate_recovery_codes(actor=enrolled_approver)
        assert client.post(CODES).status_code == 302
        codes = client.get(CODES).context["codes"]
        assert set(codes).isdisjoint(first)
        tokens = StaticDevice.objects.get(user=enrolled_approver).token_set
        assert sorted(tokens.values_list("token", flat=True)) == sorted(codes)

    def test_no_recovery_codes_without_an_app(self, client, officer):
        client.force_login(officer)
        response = client.post(CODES, follow=True)
        assert "Add an authenticator app or a security key first" in response.content.decode()
        assert not StaticDevice.objects.exists()


class TestRemoving:
    def remove_url(self, user):
        return reverse("mfa:authenticator_remove", args=[TOTPDevice.objects.get(user=user).pk])

    def test_the_password_and_a_current_code_are_needed(self, enrolled_approver):
        client = verified_client(enrolled_approver)
        url = self.remove_url(enrolled_approver)
        wrong_password = client.post(
            url, {"password": "nope", "code": code_of(enrolled_approver.key, 1)}
        )
        assert wrong_password.status_code == 200
        assert "Your password is not correct." in wrong_password.content.decode()
        wrong_code = client.post(url, {"password": TEST_PASSWORD, "code": "000000"})
        assert wrong_code.status_code == 200
        assert TOTPDevice.objects.filter(user=enrolled_approver).exists()

    def test_removing_the_last_app_removes_the_codes_and_unverifies_this_session(
        self, enrolled_approver
    ):
        actions.generate_recovery_codes(actor=enrolled_approver)
        client = verified_client(enrolled_approver)
        response = client.post(
            self.remove_url(enrolled_approver),
            {"password": TEST_PASSWORD, "code": code_of(enrolled_approver.key, 1)},
        )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=enrolled_approver).exists()
        assert not StaticDevice.objects.filter(user=enrolled_approver).exists()
        assert DEVICE_ID_SESSION_KEY not in client.session
        assert client.get(SECURITY).status_code == 200  # still signed in
        assert history_reasons(enrolled_approver)[-1] == actions.DEVICE_REMOVED

    def test_another_users_app_is_not_found(self, enrolled_approver, officer, client):
        client.force_login(officer)
        url = self.remove_url(enrolled_approver)
        assert client.get(url).status_code == 404
        assert client.post(url, {"password": TEST_PASSWORD, "code": "123456"}).status_code == 404
        assert TOTPDevice.objects.filter(user=enrolled_approver).exists()

    def test_every_other_session_ends_and_this_one_goes_on(self, enrolled_approver):
        second_key = enrol(enrolled_approver)  # a second app: browser B is verified with it
        codes = actions.generate_recovery_codes(actor=enrolled_approver)
        browser_a = verified_client(enrolled_approver)  # verified with the first app
        browser_b = Client()
        sign_in_with_password(browser_b, enrolled_approver)
        browser_b.post(reverse("mfa:verify"), {"code": code_of(second_key)})
        here = Client()
        sign_in_with_password(here, enrolled_approver)
        here.post(reverse("mfa:verify"), {"code": codes[0]})
        for client in (browser_a, browser_b, here):
            assert client.get("/").status_code == 200
        first_app = TOTPDevice.objects.filter(user=enrolled_approver).order_by("pk").first()
        response = here.post(
            reverse("mfa:authenticator_remove", args=[first_app.pk]),
            {"password": TEST_PASSWORD, "code": codes[1]},
        )
        assert response.status_code == 302
        for ended in (browser_a, browser_b):
            answer = ended.get("/")
            assert answer.status_code == 302
            assert answer["Location"].startswith(reverse("login"))
        assert here.get("/").status_code == 200  # the session that removed it goes on
        assert User.objects.get(pk=enrolled_approver.pk).check_password(TEST_PASSWORD)


class TestAdministratorsReset:
    def test_the_admin_action_removes_every_device_and_is_in_the_history(
        self, enrolled_approver, administrator
    ):
        actions.generate_recovery_codes(actor=enrolled_approver)
        approvers_browser = verified_client(enrolled_approver)
        client = Client()
        client.force_login(administrator)
        response = client.post(
            reverse("admin:pfp_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [enrolled_approver.pk]},
        )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=enrolled_approver).exists()
        assert not StaticDevice.objects.filter(user=enrolled_approver).exists()
        row = enrolled_approver.history.latest("history_id")
        assert row.history_change_reason == actions.DEVICES_RESET
        assert row.history_user_id == administrator.pk
        assert approvers_browser.get("/").status_code == 302  # the session ended

    def test_only_administrators_reset(self, enrolled_approver, officer):
        with pytest.raises(actions.NotPermitted):
            actions.reset_devices(actor=officer, user=enrolled_approver)
        assert TOTPDevice.objects.filter(user=enrolled_approver).exists()

    def test_django_otps_device_admins_are_not_registered(self):
        from django.contrib import admin

        assert not admin.site.is_registered(TOTPDevice)
        assert not admin.site.is_registered(StaticDevice)
        assert admin.site.is_registered(User)
