"""Before login, no answer tells which URLs exist: an anonymous request to any URL outside the
login page and the static files gets the same redirect to the login page, whether a view serves
that URL or not (``pfp.middleware.LoginRequiredEverywhereMiddleware``)."""

from urllib.parse import quote

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

LOGIN = reverse("login")

KNOWN = ["/", "/partners/", "/programmes/1/", "/reports/partners/PL/report.pdf"]
UNKNOWN = [
    "/no-such-page/",
    "/partners/PL/no-such-page/",
    "/programmes/999999999/no-such-step/",
    "/partners",  # a known URL without its slash: no 301 to the real one either
    "/.env",
    "/wp-login.php",
    "/accounts/no-such-page/",
    "/caf%C3%A9/?q=1",
]


def login_redirect(path: str) -> str:
    return redirect_to_login(path, LOGIN)["Location"]


@pytest.mark.django_db
class TestAnonymous:
    @pytest.mark.parametrize("path", KNOWN + UNKNOWN)
    @pytest.mark.parametrize("method", ["get", "post", "head"])
    def test_every_url_redirects_to_the_login_page_alike(self, client, path, method):
        response = getattr(client, method)(path)
        assert response.status_code == 302
        assert response["Location"] == login_redirect(path)

    def test_the_answers_differ_in_nothing_but_the_next_parameter(self, client):
        known, unknown = client.get("/partners/"), client.get("/no-such-page/")
        assert known.content == unknown.content
        headers = {name for name in known.headers if name.lower() not in ("location",)}
        assert headers == {name for name in unknown.headers if name.lower() != "location"}
        assert unknown["Location"] == f"{LOGIN}?next={quote('/no-such-page/')}"

    def test_the_login_page_and_static_files_are_served(self, client):
        assert client.get(LOGIN).status_code == 200
        static = client.get("/static/pfp/site.css")
        assert static.status_code == 200
        static.close()

    @pytest.mark.parametrize("path", ["/static/no-such-file.css", "/static/pfp/"])
    def test_a_missing_static_file_is_a_plain_404(self, client, path):
        assert client.get(path).status_code == 404


@pytest.mark.django_db
class TestSignedIn:
    @pytest.mark.parametrize("path", ["/no-such-page/", "/programmes/999999999/"])
    def test_an_unknown_url_is_the_404_page(self, client_as, viewer, path):
        response = client_as(viewer).get(path)
        assert response.status_code == 404
        assert "Page not found" in response.text
