"""The answers the pages' tests do not reach carry the same protection: static files (WhiteNoise
answers them before most middleware) and the 400 for a Host header outside ``ALLOWED_HOSTS``
(raised in Django's ``SecurityMiddleware`` with the HTTPS redirect on, in ``CommonMiddleware``
otherwise); and the CSRF cookie is out of scripts' reach."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

BAD_HOST = {"HTTP_HOST": "attacker.example"}
HTTPS = {"secure": True, "headers": {"x-forwarded-proto": "https"}}
# What production turns on (pfp/settings.py with DJANGO_DEBUG off) that changes where a bad Host
# header is noticed.
HTTPS_REDIRECT = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def assert_protected(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
class TestStaticFiles:
    @pytest.mark.parametrize(
        "path", ["/static/pfp/site.css", "/static/bootstrap/js/bootstrap.bundle.min.js"]
    )
    def test_static_files_carry_the_pages_headers(self, client, path):
        response = client.get(path)
        assert response.status_code == 200
        assert_protected(response)
        response.close()


@pytest.mark.django_db
class TestBadHost:
    @pytest.mark.parametrize("path", ["/", reverse("login"), "/no-such-page/"])
    def test_the_400_carries_the_pages_headers(self, path):
        response = Client().get(path, **BAD_HOST)
        assert response.status_code == 400
        assert_protected(response)

    @pytest.mark.parametrize("scheme", ["http", "https"])
    def test_and_with_the_https_redirect_of_production(self, scheme):
        with override_settings(**HTTPS_REDIRECT):
            client = Client()  # its middleware is loaded with these settings
            response = client.get("/", **BAD_HOST, **(HTTPS if scheme == "https" else {}))
        assert response.status_code == 400
        assert_protected(response)


@pytest.mark.django_db
def test_the_csrf_cookie_is_httponly(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
