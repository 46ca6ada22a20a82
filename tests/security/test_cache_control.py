"""No answer to a signed-in user may be kept by a shared proxy or a browser's cache: pages,
downloads (PDF, CSV, Excel, the menu's exports), the admin and error pages all say
``Cache-Control: private, no-store`` (``pfp.middleware.PrivateCacheMiddleware``)."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.security.test_sessions_headers import ANSWERS
from tests.support.factories import PartnerFactory

SIGNED_IN = [name for name, (who, *_rest) in ANSWERS.items() if who]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.django_db
class TestCacheControl:
    @pytest.mark.parametrize("answer", SIGNED_IN)
    def test_every_answer_to_a_signed_in_user_is_private_and_not_stored(
        self, answer, request, client, monkeypatch
    ):
        who, get, status, _content_type = ANSWERS[answer]
        client.force_login(request.getfixturevalue(who))
        partner = PartnerFactory(name="Headerland", code="HL")
        response = get(client, partner.code, monkeypatch)
        assert response.status_code == status
        directives = cache_control(response)
        assert {"private", "no-store"} <= directives, response.get("Cache-Control")
        assert "public" not in directives
        assert not get_max_age(response)

    def test_the_login_page_is_not_stored_either(self, client):
        """It holds a CSRF token; Django's LoginView forbids caching it already."""
        assert {"private", "no-store"} <= cache_control(client.get(reverse("login")))
