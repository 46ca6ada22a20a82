"""Sessions, login throttling and security headers, beyond ``tests/security/test_security.py``.

``test_security`` proves the settings (``check --deploy`` in a subprocess, the production
defaults), that login cycles the session key, the absolute timeout, the lockout from one address
and the headers of the login and 404 pages. Here: that a session key that has been replaced, or
logged out, or whose user was deactivated, no longer opens anything (replayed from another
client, as a thief would); the idle timeout by time travel; the lockout's edges (the admin's
login, another user from the same address, the end of the cool-off); the headers of every kind of
answer (pages, PDF, CSV, Excel, redirects and errors); and the cookies and HSTS header that the
production settings actually produce.
"""

import json
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from pfp.middleware import SESSION_STARTED_KEY
from tests.support.factories import TEST_PASSWORD, PartnerFactory
from tests.support.security_production import PRODUCTION_ENV, manage

PAGE = reverse("partners:list")
LOGIN = reverse("login")


def login(client, user, password=TEST_PASSWORD, ip="10.0.0.1", **extra):
    return client.post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def replay(session_key: str) -> Client:
    """Another browser presenting ``session_key``, as someone who copied the cookie would."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return thief


def is_signed_in(client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
        return False
    assert response.status_code == 200
    return True


@pytest.mark.django_db
class TestSessionsEnd:
    def test_the_session_key_before_login_opens_nothing_after(self, client, viewer):
        client.get(LOGIN)
        client.session.save()
        before = client.session.session_key
        assert login(client, viewer).status_code == 302
        assert is_signed_in(client)
        assert not Session.objects.filter(session_key=before).exists()
        assert not is_signed_in(replay(before))

    def test_a_logged_out_session_key_opens_nothing(self, client, viewer):
        login(client, viewer)
        key = client.session.session_key
        assert is_signed_in(replay(key))
        assert client.post(reverse("logout")).status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
        assert not is_signed_in(replay(key))
        assert not is_signed_in(client)

    def test_logout_needs_a_post(self, client, viewer):
        """A link or an image cannot sign anyone out (and the POST carries a CSRF token)."""
        login(client, viewer)
        assert client.get(reverse("logout")).status_code == 405
        assert is_signed_in(client)
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(viewer)
        assert csrf_client.post(reverse("logout")).status_code == 403
        assert is_signed_in(csrf_client)

    def test_deactivating_a_user_in_the_admin_ends_all_their_sessions(
        self, client, viewer, administrator
    ):
        office, laptop = Client(), Client()
        login(office, viewer, ip="10.0.0.1")
        login(laptop, viewer, ip="10.0.0.2")
        assert is_signed_in(office)
        assert is_signed_in(laptop)
        client.force_login(administrator)
        url = reverse("admin:pfp_user_change", args=[viewer.pk])
        form = client.get(url).context["adminform"].form
        data = {
            name: value
            for name in form.fields
            if (value := form[name].value()) not in (None, False) and name != "password"
        }
        data["last_login_0"], data["last_login_1"] = "", ""
        data["date_joined_0"] = form["date_joined"].value().strftime("%Y-%m-%d")
        data["date_joined_1"] = form["date_joined"].value().strftime("%H:%M:%S")
        data.pop("is_active")
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        viewer.refresh_from_db()
        assert not viewer.is_active
        assert not is_signed_in(office)
        assert not is_signed_in(laptop)
        # Nor can they sign in again.
        again = login(Client(), viewer, ip="10.0.0.3")
        assert again.status_code == 200
        assert "Please enter a correct" in again.text

    def test_changing_the_password_ends_the_other_sessions(self, client, viewer):
        other = Client()
        login(other, viewer, ip="10.0.0.2")
        login(client, viewer)
        new = "orbit-lantern-quarry-71"
        response = client.post(
            reverse("password_change"),
            {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        assert is_signed_in(client)  # the session that changed it is kept
        assert not is_signed_in(other)


@pytest.mark.django_db
class TestTimeouts:
    """Time travel by rewriting the stored session, as the clock would."""

    def test_each_request_renews_the_idle_timeout(self, client, viewer):
        login(client, viewer)
        key = client.session.session_key
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() + timedelta(minutes=1)  # 29 minutes idle
        )
        response = client.get(PAGE)
        assert response.status_code == 200
        renewed = Session.objects.get(session_key=key).expire_date - timezone.now()
        assert timedelta(minutes=29) < renewed <= timedelta(minutes=30)
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["max-age"] == 30 * 60

    def test_thirty_minutes_idle_ends_the_session(self, client, viewer):
        login(client, viewer)
        key = client.session.session_key
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        assert not is_signed_in(client)
        assert not is_signed_in(replay(key))

    def test_the_absolute_limit_holds_however_busy_the_session(self, client, viewer):
        """Renewed every few minutes for 12 hours, the session still ends at 12 hours."""
        login(client, viewer)
        started = time.time()
        session = client.session
        for hours_ago in (11.9, 12.01):
            session[SESSION_STARTED_KEY] = started - hours_ago * 3600
            session.save()
            signed_in = is_signed_in(client)
            session = client.session
        assert not signed_in
        assert SESSION_STARTED_KEY not in session


@pytest.mark.django_db
class TestThrottleEdges:
    def fail(self, client, username, ip="10.0.0.1", path=LOGIN):
        data = {"username": username, "password": "wrong-password"}
        return client.post(path, data, REMOTE_ADDR=ip)

    def lock(self, client, user):
        statuses = [self.fail(client, user.username).status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]

    def test_the_admin_has_no_sign_in_form_of_its_own(self, client, administrator):
        """The one door is the product's login page, throttled above: the admin's login URL
        sends there and never reads the credentials posted to it (``pfp.sites.AdminSite``)."""
        response = client.post(
            reverse("admin:login"),
            {"username": administrator.username, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_a_locked_administrator_gets_in_through_no_other_door(self, client, administrator):
        self.lock(client, administrator)
        client.post(
            reverse("admin:login"),
            {"username": administrator.username, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.0.0.1",
        )
        assert "_auth_user_id" not in client.session
        assert login(client, administrator, ip="10.0.0.1").status_code == 429

    def test_another_user_from_the_same_address_still_signs_in(self, client, viewer, approver):
        self.lock(client, viewer)
        assert login(client, approver, ip="10.0.0.1").status_code == 302

    def test_the_lock_lifts_after_the_cool_off(self, client, viewer):
        self.lock(client, viewer)
        assert login(client, viewer).status_code == 429
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        assert login(client, viewer).status_code == 302
        assert is_signed_in(client)

    def test_a_success_resets_the_count(self, client, viewer):
        for _attempt in range(4):
            self.fail(client, viewer.username)
        assert login(client, viewer).status_code == 302
        client.post(reverse("logout"))
        for _attempt in range(4):
            assert self.fail(client, viewer.username).status_code == 200


# --- Headers of every kind of answer --------------------------------------------------------------


def _server_error(client, monkeypatch):
    from partners.views import PartnerListView

    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(PartnerListView, "get_queryset", explode)
    client.raise_request_exception = False
    return client.get(PAGE)


# name -> (who, how to get the answer, its status, its content type's start)
ANSWERS = {
    "page": ("viewer", lambda c, p, mp: c.get(PAGE), 200, "text/html"),
    "admin page": (
        "administrator",
        lambda c, p, mp: c.get(reverse("admin:index")),
        200,
        "text/html",
    ),
    "partner report PDF": (
        "viewer",
        lambda c, p, mp: c.get(reverse("programmes:partner_report_download", args=[p, "pdf"])),
        200,
        "application/pdf",
    ),
    "partner report CSV": (
        "viewer",
        lambda c, p, mp: c.get(reverse("programmes:partner_report_download", args=[p, "csv"])),
        200,
        "text/csv",
    ),
    "partner report Excel": (
        "viewer",
        lambda c, p, mp: c.get(reverse("programmes:partner_report_download", args=[p, "xlsx"])),
        200,
        "application/vnd.openxmlformats",
    ),
    "report across partners CSV": (
        "viewer",
        lambda c, p, mp: c.get(
            reverse("programmes:cross_report_export", args=["programmes-by-status", "csv"])
        ),
        200,
        "text/csv",
    ),
    "report across partners Excel": (
        "viewer",
        lambda c, p, mp: c.get(
            reverse("programmes:cross_report_export", args=["menu-uptake", "xlsx"])
        ),
        200,
        "application/vnd.openxmlformats",
    ),
    "menu CSV": (
        "viewer",
        lambda c, p, mp: c.get(reverse("programmes:activity_export", args=["csv"])),
        200,
        "text/csv",
    ),
    "menu Excel": (
        "viewer",
        lambda c, p, mp: c.get(reverse("programmes:activity_export", args=["xlsx"])),
        200,
        "application/vnd.openxmlformats",
    ),
    "redirect to login": (None, lambda c, p, mp: c.get(PAGE), 302, "text/html"),
    "403": ("no_role_user", lambda c, p, mp: c.get(PAGE), 403, "text/html"),
    "403 CSRF": (
        None,
        lambda c, p, mp: Client(enforce_csrf_checks=True).post(LOGIN, {"username": "x"}),
        403,
        "text/html",
    ),
    "404": ("viewer", lambda c, p, mp: c.get("/programmes/999999999/"), 404, "text/html"),
    "405": ("viewer", lambda c, p, mp: c.get(reverse("logout")), 405, "text/html"),
    "429 lockout": (
        None,
        lambda c, p, mp: [
            c.post(LOGIN, {"username": "someone", "password": "wrong"}) for _ in range(5)
        ][-1],
        429,
        "text/html",
    ),
    "500": ("viewer", lambda c, p, mp: _server_error(c, mp), 500, "text/html"),
}


@pytest.mark.django_db
class TestHeadersOnEveryAnswer:
    @pytest.mark.parametrize("answer", ANSWERS)
    def test_security_headers(self, answer, request, client, monkeypatch):
        who, get, status, content_type = ANSWERS[answer]
        if who:
            client.force_login(request.getfixturevalue(who))
        partner = PartnerFactory(name="Headerland", code="HL")
        response = get(client, partner.code, monkeypatch)
        assert response.status_code == status
        assert response["Content-Type"].startswith(content_type)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    def test_downloads_are_attachments(self, client_as, viewer):
        partner = PartnerFactory(name="Headerland", code="HL")
        client = client_as(viewer)
        for fmt in ("pdf", "csv", "xlsx"):
            url = reverse("programmes:partner_report_download", args=[partner.code, fmt])
            disposition = client.get(url)["Content-Disposition"]
            assert disposition.startswith("attachment;"), disposition
            assert disposition.endswith(f'.{fmt}"')


# --- Cookies and HSTS under the production settings -----------------------------------------------

PRODUCTION_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
]


@pytest.fixture(scope="module")
def production_settings():
    """The settings a production start (``DJANGO_DEBUG`` off, a secret key) really gets."""
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {PRODUCTION_SETTINGS!r}}}))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    assert values.pop("DEBUG") is False
    return values


@pytest.fixture
def production(production_settings):
    with override_settings(**production_settings):
        yield production_settings


HTTPS = {"secure": True, "headers": {"x-forwarded-proto": "https"}}


def cookie_flags(response, name) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


@pytest.mark.django_db
class TestProductionCookiesAndHsts:
    def test_hsts_for_at_least_a_year(self, production, client):
        response = client.get(LOGIN, **HTTPS)
        assert response.status_code == 200
        hsts = dict(
            part.strip().partition("=")[::2]
            for part in response["Strict-Transport-Security"].split(";")
        )
        assert int(hsts["max-age"]) >= 365 * 24 * 3600
        assert "includeSubDomains" in hsts
        assert "preload" in hsts

    def test_plain_http_is_redirected_to_https(self, production, client):
        response = client.get(LOGIN)
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    def test_session_cookie_is_secure_httponly_and_samesite(self, production, client, viewer):
        response = login(client, viewer, **HTTPS)
        assert response.status_code == 302
        assert cookie_flags(response, settings.SESSION_COOKIE_NAME) == {
            "secure": True,
            "httponly": True,
            "samesite": "Lax",
        }

    def test_csrf_and_messages_cookies_are_secure_httponly_and_samesite(
        self, production, client, viewer
    ):
        assert cookie_flags(client.get(LOGIN, **HTTPS), settings.CSRF_COOKIE_NAME) == {
            "secure": True,
            "httponly": True,
            "samesite": "Lax",
        }
        # A session past its absolute limit is ended with a message, kept in a cookie.
        login(client, viewer, **HTTPS)
        session = client.session
        session[SESSION_STARTED_KEY] = time.time() - 13 * 3600
        session.save()
        response = client.get(PAGE, **HTTPS)
        assert response.status_code == 302
        assert cookie_flags(response, "messages") == {
            "secure": True,
            "httponly": True,
            "samesite": "Lax",
        }

    def test_language_cookie_is_secure_httponly_and_samesite(self, production, client):
        response = client.post(reverse("set_language"), {"language": "fr", "next": LOGIN}, **HTTPS)
        assert response.status_code == 302
        assert cookie_flags(response, settings.LANGUAGE_COOKIE_NAME) == {
            "secure": True,
            "httponly": True,
            "samesite": "Lax",
        }
