"""The menu shows its active activities unless asked for the retired ones too."""

import pytest
from django.urls import reverse

from tests.support.factories import ActivityFactory

LIST = reverse("programmes:activity_list")
EXPORT = reverse("programmes:activity_export", args=["csv"])


def codes(response):
    return [activity.code for activity in response.context["page_obj"].object_list]


@pytest.fixture
def menu(db):
    return {
        "active": ActivityFactory(code="CYB-0042"),
        "retired": ActivityFactory(code="CYB-0043", retired=True),
    }


@pytest.mark.django_db
class TestActiveByDefault:
    def test_the_list(self, client_as, viewer, menu):
        client = client_as(viewer)
        response = client.get(LIST)
        assert codes(response) == ["CYB-0042"]
        assert '<option value="active" selected>' in response.text
        assert codes(client.get(LIST, {"state": ""})) == ["CYB-0042"]
        assert codes(client.get(LIST, {"state": "retired"})) == ["CYB-0043"]
        assert codes(client.get(LIST, {"state": "all"})) == ["CYB-0042", "CYB-0043"]

    def test_the_download_is_the_list_on_screen(self, client_as, viewer, menu):
        client = client_as(viewer)
        assert "CYB-0043" not in client.get(EXPORT).content.decode()
        assert "CYB-0043" in client.get(EXPORT, {"state": "all"}).content.decode()

    def test_query_count_is_the_same_for_each_state(
        self, client_as, viewer, menu, django_assert_num_queries
    ):
        client = client_as(viewer)
        with django_assert_num_queries(12) as default:
            client.get(LIST)
        ActivityFactory.create_batch(60)
        ActivityFactory.create_batch(60, retired=True)
        for state in ("", "all", "retired"):
            with django_assert_num_queries(len(default.captured_queries)):
                client.get(LIST, {"state": state} if state else {})
