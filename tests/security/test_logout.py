"""Signing out ends on the login page with a message, whatever ``next`` the POST carries: never on
the logout URL itself, which refuses GET (an empty 405 page)."""

import pytest
from django.urls import reverse

LOGIN = reverse("login")
LOGOUT = reverse("logout")


@pytest.mark.django_db
class TestSignOut:
    @pytest.mark.parametrize(
        "next_url",
        [None, "https://elsewhere.example/", "//elsewhere.example/", LOGOUT, "/partners/"],
    )
    def test_lands_on_the_login_page_with_a_message(self, client_as, viewer, next_url):
        client = client_as(viewer)
        url = f"{LOGOUT}?next={next_url}" if next_url else LOGOUT
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert response.resolver_match.view_name == "login"
        assert all(status == 302 for _url, status in response.redirect_chain)
        assert [str(m) for m in response.context["messages"]] == ["You are signed out."]
        assert "_auth_user_id" not in client.session

    def test_next_in_the_form_is_no_different(self, client_as, viewer):
        response = client_as(viewer).post(
            LOGOUT, {"next": "https://elsewhere.example/"}, follow=True
        )
        assert response.redirect_chain == [(LOGIN, 302)]
        assert "You are signed out." in response.text
