"""A partner's name in the reader's language on every kind of page that names it: "Géorgie" on
a French page, "Georgia" on the same page in English (``Partner.__str__``, ``display_name``).

The pages of the programme workflow (approve, return, agreement, close, the review queue, the
edit and confirmation pages, the comparison of versions), of delivery (the delivery page, an
event and its form and deletion, an annual review and its form), the menu activity's page (the
programmes that planned it) and the partner's report, on screen and in PDF.
"""

import io

import pypdf
import pytest
from django.urls import reverse

from partners.models import Partner
from tests.support.urlwalk import build_world, world_values
from tests.support.worlds import built_once

# URL name: who opens it (a user of the world; each page on the programme world_values gives it).
PAGES = {
    "programmes:programme_approve": "approver",
    "programmes:programme_return": "approver",
    "programmes:programme_agreement": "approver",
    "programmes:programme_close": "approver",
    "programmes:review_queue": "approver",
    "programmes:programme_edit": "officer",
    "programmes:programme_submit": "officer",
    "programmes:programme_compare": "officer",
    "programmes:programme_delivery": "officer",
    "programmes:event_create": "officer",
    "programmes:event_detail": "officer",
    "programmes:event_edit": "officer",
    "programmes:event_delete": "officer",
    "programmes:annual_review": "officer",
    "programmes:annual_review_edit": "officer",
    "programmes:activity_detail": "officer",
    "programmes:partner_report": "officer",
}


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        world = build_world()
        # Renamed once everything is built, so that no title made from the name holds it.
        Partner.objects.filter(pk=world.partner.pk).update(name="Georgia", name_fr="Géorgie")
        yield world


@pytest.fixture
def world(built_world, db):
    return built_world.reloaded()


def url_of(world, name: str) -> str:
    values = world_values(world)
    if name == "programmes:activity_detail":
        planned = world.draft.planned_activities.order_by("pk").first()
        return reverse(name, kwargs={"code": planned.activity.code})
    if name == "programmes:partner_report":
        return reverse(name, kwargs={"code": world.partner.code})
    if name == "programmes:programme_edit" or name == "programmes:programme_submit":
        return reverse(name, kwargs={"pk": world.draft.pk})
    if name == "programmes:review_queue":
        return reverse(name)
    return reverse(name, kwargs=values[name])


def page(client, world, name: str, language: str) -> str:
    user = world.users[PAGES[name]]
    user.language = language
    user.save()
    client.force_login(user)
    response = client.get(url_of(world, name))
    assert response.status_code == 200, name
    return response.text


@pytest.mark.parametrize("name", PAGES)
def test_a_french_page_names_the_partner_in_french(client, world, name):
    text = page(client, world, name, "fr")
    assert "Géorgie" in text
    assert "Georgia" not in text


@pytest.mark.parametrize("name", ["programmes:programme_approve", "programmes:event_detail"])
def test_the_same_page_in_english_names_it_in_english(client, world, name):
    text = page(client, world, name, "en")
    assert "Georgia" in text
    assert "Géorgie" not in text


def test_the_french_pdf_report_names_the_partner_in_french(client, world):
    user = world.users["officer"]
    user.language = "fr"
    user.save()
    client.force_login(user)
    url = reverse(
        "programmes:partner_report_download", kwargs={"code": world.partner.code, "fmt": "pdf"}
    )
    response = client.get(url)
    assert response.status_code == 200
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Géorgie" in text
    assert "Georgia" not in text


@pytest.mark.parametrize(
    ("language", "help_text"),
    [("en", "a hyphen and 3 to 6 digits, like CYB-0042"), ("fr", "3 à 6 chiffres, comme CYB-0042")],
)
def test_a_new_activitys_code_shows_its_format_with_an_example(client, world, language, help_text):
    """Not a partner's name, but the same kind of help for the reader: the code's format, with a
    real example, where a new activity's code is typed."""
    user = world.users["menu_manager"]
    user.language = language
    user.save()
    client.force_login(user)
    response = client.get(reverse("programmes:activity_create"))
    assert response.status_code == 200
    assert help_text in response.text
