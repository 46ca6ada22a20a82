"""What the API reads: the contents, the pages' filters, pagination and a stable order,
conditional requests, and a fixed number of queries per endpoint whatever the data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from pfp.roles import Role
from tests.api.conftest import api_client
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    draft_programme,
    event_of,
    programme_in_force,
)

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_partner_with_its_french_name_and_status_history(world, as_role):
    Partner.objects.filter(pk=world.partner.pk).update(name_fr="Matriceland")
    partner = get(as_role("viewer"), reverse("api:partner-detail", kwargs={"code": "MX"}))
    assert partner["name_fr"] == "Matriceland"
    assert partner["status"] == "active"
    assert [event["kind"] for event in partner["status_history"]] == ["joined"]


def test_a_programme_with_its_contents_and_both_sides(world, as_role):
    agreed = world.programmes["agreed"]
    programme = get(as_role("viewer"), reverse("api:programme-detail", kwargs={"pk": agreed.pk}))
    assert programme["status"] == "agreed"
    assert programme["approved_by"] == "walk-approver-2"
    people = ["created_by", "submitted_by", "approved_by", "agreement_recorded_by"]
    assert [programme[person] for person in people] == [
        getattr(agreed, person).username for person in people
    ]
    assert programme["partner_accepted_by"] is None  # nobody accepted it in the product
    assert programme["partner_signatory"]
    assert programme["agreed_on"]
    planned = [
        activity["activity"]
        for objective in programme["objectives"]
        for goal in objective["goals"]
        for activity in goal["planned_activities"]
    ]
    assert sorted(planned) == sorted(
        agreed.planned_activities.values_list("activity__code", flat=True)
    )


def test_the_programme_in_force_of_a_partner(world, as_role):
    agreed = world.programmes["agreed"]
    found = get(
        as_role("viewer"),
        reverse("api:programme-list"),
        partner="MX",
        status="agreed",
        year=agreed.start_year,
    )
    [listed] = found["results"]
    assert listed["id"] == agreed.pk
    assert (listed["created_by"], listed["approved_by"]) == (
        agreed.created_by.username,
        agreed.approved_by.username,
    )


def test_the_pages_filters_refuse_bad_input_with_a_message(world, as_role):
    response = as_role("viewer").get(reverse("api:programme-list"), {"year": "soon"})
    assert response.status_code == 400
    assert "year" in response.json()["errors"]
    response = as_role("viewer").get(reverse("api:event-list"), {"partner": "ZZ"})
    assert response.status_code == 400


def test_pages_in_a_stable_order(world, as_role):
    client = as_role("viewer")
    url = reverse("api:programme-list")
    everything = get(client, url, page_size=200, ordering="status")["results"]
    paged = get(client, url, page_size=3, ordering="status")
    ids = [p["id"] for p in paged["results"]]
    while paged["next"]:
        paged = client.get(paged["next"]).json()
        ids += [p["id"] for p in paged["results"]]
    assert ids == [p["id"] for p in everything]
    assert len(set(ids)) == len(ids) == 11
    assert client.get(url, {"page": 99}).status_code == 404


def test_conditional_requests(world, as_role):
    client = as_role("viewer")
    url = reverse("api:programme-detail", kwargs={"pk": world.draft.pk})
    first = client.get(url)
    assert first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_delivery_figures_of_a_year(world, as_role):
    agreed = world.programmes["agreed"]
    figures = get(
        as_role("viewer"), reverse("api:year-delivery", kwargs={"year": agreed.start_year})
    )
    assert figures["total"]["planned"] == agreed.planned_activities.filter(year=1).count()
    assert [row["partner"] for row in figures["by_partner"]] == ["MX"]
    assert (
        as_role("viewer").get(reverse("api:year-delivery", kwargs={"year": 3000})).status_code
        == 400
    )


def test_a_representative_reads_only_their_partner(world, as_role):
    client = as_role("other_representative")
    assert {p["code"] for p in get(client, reverse("api:partner-list"))["results"]} == {"EW"}
    assert get(client, reverse("api:event-list"))["count"] == 0
    assert get(client, reverse("api:review-list"))["count"] == 0
    mine = {
        p["partner"]
        for p in get(as_role("representative"), reverse("api:programme-list"))["results"]
    }
    assert mine == {"MX"}


# --- A fixed number of queries ------------------------------------------------------------------

LISTS = [
    "api:partner-list",
    "api:area-list",
    "api:provider-list",
    "api:activity-list",
    "api:programme-list",
    "api:event-list",
    "api:review-list",
]


def queries(client, url) -> int:
    client.get(url)  # the token's last use is written once a minute: not in the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(captured)


def grow(world):
    """More of everything: partners, programmes, a larger programme in force, its events."""
    officer = world.users["officer"]
    for code in ("QA", "QB", "QC"):
        partner = PartnerFactory(name=f"Partner {code}", code=code)
        draft_programme(
            officer=assigned_officer(partner, f"o-{code}"),
            partner=partner,
            objectives=2,
            goals=2,
            activities=6,
        )
    big = programme_in_force(
        officer=officer,
        approver=world.users["second_approver"],
        partner=world.partner,
        start_year=2030,  # the years the walked partner's versions leave free
        objectives=3,
        activities=12,
    )
    for planned in big.planned_activities.filter(year=1)[:3]:
        event_of(big, officer=officer, planned=planned)
    return big


@pytest.mark.parametrize("role", ["viewer", "officer", "representative"])
def test_queries_do_not_grow_with_the_data(world, as_role, role):
    client = as_role(role)
    urls = [reverse(name) for name in LISTS]
    small_detail = reverse("api:programme-detail", kwargs={"pk": world.programmes["agreed"].pk})
    before = {url: queries(client, url) for url in urls}
    before["detail"] = queries(client, small_detail)
    big = grow(world)
    after = {url: queries(client, url) for url in urls}
    after["detail"] = queries(client, reverse("api:programme-detail", kwargs={"pk": big.pk}))
    assert after == before
    # Including the throttle's count of the token's requests, in the database cache that every
    # app server shares.
    assert max(before.values()) <= 14, before


def test_no_role_has_no_token_use(world):
    assert world.users["no_role"].groups.filter(name__in=Role.values).count() == 0
    assert api_client(world.tokens["no_role"]).get(reverse("api:partner-list")).status_code == 403


def test_the_browsable_api_and_the_documentation_with_the_session(world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["viewer"])
    page = client.get(reverse("api:partner-list"), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Matrixland" in page.content.decode()
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()


def test_documents_metadata_and_file_with_the_token(world, as_role):
    approved = world.programmes["approved"]
    document = approved.documents.get()
    listed = get(as_role("viewer"), reverse("api:document-list", kwargs={"pk": approved.pk}))
    assert [(d["id"], d["sha256"], d["current"]) for d in listed["results"]] == [
        (document.pk, document.sha256, True)
    ]
    response = as_role("viewer").get(listed["results"][0]["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert response["Content-Disposition"].startswith("attachment")
    # The partner's representative reads the shared documents only (this one is internal).
    assert document.audience == "internal"
    assert as_role("representative").get(response.request["PATH_INFO"]).status_code == 404
