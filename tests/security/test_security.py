"""Settings from the environment, security headers, sessions and login throttling."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from pfp.middleware import SESSION_STARTED_KEY
from tests.support.factories import TEST_PASSWORD
from tests.support.security_production import PRODUCTION_ENV, manage


class TestProductionSettings:
    def test_check_deploy_passes_with_production_settings(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_refuses_to_start_without_a_secret_key(self):
        env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr

    def test_secure_defaults_when_debug_is_off(self):
        code = (
            "from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS, s.DEBUG, s.ALLOWED_HOSTS)"
        )
        result = manage("shell", "-c", code, env=PRODUCTION_ENV)
        assert result.stdout.split("\n")[-2] == "True True True 31536000 False ['pfp.example.org']"


@pytest.mark.django_db
class TestHeaders:
    @pytest.mark.parametrize("url", ["/accounts/login/", "/no-such-page/"])
    def test_security_headers_on_public_and_error_pages(self, client, url):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"

    def test_pages_have_no_inline_script(self, client_as, viewer, register):
        text = client_as(viewer).get(reverse("partners:list")).text
        assert "<script>" not in text
        assert "<script src=" in text


@pytest.mark.django_db
class TestSessions:
    def login(self, client, user, password=TEST_PASSWORD, ip="10.0.0.1"):
        return client.post(
            reverse("login"),
            {"username": user.username, "password": password},
            REMOTE_ADDR=ip,
        )

    def test_login_rotates_the_session_key(self, client, viewer):
        client.get(reverse("login"))
        client.session.save()
        before = client.session.session_key
        self.login(client, viewer)
        assert client.session.session_key != before
        assert client.get(reverse("partners:list")).status_code == 200

    def test_idle_timeout_is_the_cookie_age_renewed_each_request(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST

    def test_absolute_timeout_ends_a_busy_session(self, client, viewer):
        self.login(client, viewer)
        assert client.get(reverse("partners:list")).status_code == 200
        session = client.session
        session[SESSION_STARTED_KEY] = time.time() - timedelta(hours=12, minutes=1).total_seconds()
        session.save()
        response = client.get(reverse("partners:list"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
        assert client.get(reverse("partners:list")).status_code == 302

    def test_session_within_absolute_limit_survives(self, client, viewer):
        self.login(client, viewer)
        session = client.session
        session[SESSION_STARTED_KEY] = time.time() - timedelta(hours=11).total_seconds()
        session.save()
        assert client.get(reverse("partners:list")).status_code == 200

    def test_logout_ends_the_session(self, client, viewer):
        self.login(client, viewer)
        response = client.post(reverse("logout"), follow=True)
        assert response.redirect_chain == [(reverse("login"), 302)]
        assert "You are signed out." in response.text
        assert client.get(reverse("partners:list")).status_code == 302

    def test_deactivated_user_is_logged_out(self, client, viewer):
        self.login(client, viewer)
        viewer.is_active = False
        viewer.save()
        assert client.get(reverse("partners:list")).status_code == 302


@pytest.mark.django_db
class TestLoginThrottle:
    def fail(self, client, username, ip):
        return client.post(
            reverse("login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip
        )

    def test_five_failures_lock_the_username_from_that_ip_only(self, client, viewer):
        for _attempt in range(4):
            response = self.fail(client, viewer.username, "10.0.0.1")
            assert response.status_code == 200
            assert "Please enter a correct" in response.text
        assert self.fail(client, viewer.username, "10.0.0.1").status_code == 429
        locked = client.post(
            reverse("login"),
            {"username": viewer.username, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.0.0.1",
        )
        assert locked.status_code == 429
        assert "Too many failed sign-ins" in locked.text
        # The same user, from another address, still gets in.
        other = client.post(
            reverse("login"),
            {"username": viewer.username, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.0.0.2",
        )
        assert other.status_code == 302

    def test_cool_off_is_fifteen_minutes(self):
        assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
        assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


class TestPasswords:
    @pytest.mark.parametrize("password", ["short-pw-1", "12345678901234", "password1234"])
    def test_weak_passwords_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password)

    def test_long_uncommon_password_accepted(self):
        validate_password("orbit-lantern-quarry-71")


@pytest.mark.django_db
class TestLanguage:
    def test_language_choice_works_before_login(self, client):
        response = client.post(
            reverse("set_language"), {"language": "fr", "next": "/accounts/login/"}
        )
        assert response.status_code == 302
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


@pytest.mark.django_db
class TestErrorPages:
    def test_server_error_page_reveals_nothing(self, client_as, viewer, monkeypatch):
        from partners.views import PartnerListView

        def explode(self):
            raise RuntimeError("secret internal detail")

        monkeypatch.setattr(PartnerListView, "get_queryset", explode)
        client = client_as(viewer)
        client.raise_request_exception = False
        response = client.get(reverse("partners:list"))
        assert response.status_code == 500
        assert "Something went wrong" in response.text
        assert "secret internal detail" not in response.text
        assert "Traceback" not in response.text
        assert "Content-Security-Policy" in response.headers

    def test_forbidden_page_gives_the_rules_reason_and_nothing_more(self, client_as, no_role_user):
        """The refusal says why, in the rule's words about the user's own account (a
        ``Decision``'s reason, issue 17), and nothing of the code behind it."""
        response = client_as(no_role_user).get(reverse("partners:list"))
        assert response.status_code == 403
        assert "Access refused" in response.text
        assert "Your account has no role that may read the partner register." in response.text
        for internal in ("Traceback", "PermissionDenied", "can_view_register", "PartnerListView"):
            assert internal not in response.text

    def test_not_found_page_reveals_nothing(self, client_as, viewer):
        response = client_as(viewer).get("/partners/ZZ/")
        assert response.status_code == 404
        assert "Page not found" in response.text
        assert "No Partner matches" not in response.text
