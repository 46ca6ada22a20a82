"""The partner list and partner page: search, filters, sorting, pagination, bad input, queries."""

import pytest
from django.urls import reverse

from partners.models import Partner
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    draft_programme,
    programme_in_status,
)

LIST = reverse("partners:list")


def names(response):
    return [p.name for p in response.context["page_obj"].object_list]


@pytest.mark.django_db
class TestPartnerList:
    @pytest.fixture
    def register(self, register_loaded_for_the_class, db):
        return Partner.objects.all()

    def test_active_partners_by_default(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST)
        assert response.status_code == 200
        assert response.context["paginator"].count == 36
        assert {p.status for p in response.context["page_obj"].object_list} == {"active"}
        assert "Finland" not in names(response)  # a NATO member since 2023
        assert len(names(response)) == 25
        assert "36 partners" in response.text

    def test_every_status_is_one_click_away(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"framework": "eapc_pfp"})
        text = response.text
        nav = text[text.index('aria-label="Partners by status"') :]
        nav = nav[: nav.index("</nav>")]
        assert 'aria-current="page">Active partners<' in nav
        for status, label in [
            ("suspended", "Suspended partners"),
            ("nato_member", "NATO members"),
            ("left", "Former partners"),
            ("all", "All partners"),
        ]:
            assert f'href="?framework=eapc_pfp&amp;status={status}">{label}<' in nav
        members = client_as(viewer).get(LIST, {"status": "nato_member"})
        assert 'aria-current="page">NATO members<' in members.text

    def test_all_53_partners_paginated(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"status": "all"})
        assert response.context["paginator"].count == 53
        assert len(names(response)) == 25
        assert "53 partners" in response.text

    @pytest.mark.parametrize(
        ("query", "expected"), [("malt", ["Malta"]), ("fi", ["Finland"]), ("géorg", ["Georgia"])]
    )
    def test_search_by_name_or_code(self, client_as, viewer, register, query, expected):
        response = client_as(viewer).get(LIST, {"q": query, "status": "all"})
        assert names(response) == expected

    def test_filter_by_framework(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"framework": "md", "status": "all"})
        assert response.context["paginator"].count == 7

    def test_filter_by_current_status(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"status": "suspended"})
        assert names(response) == ["Russia"]
        response = client_as(viewer).get(LIST, {"status": "nato_member"})
        assert "Finland" in names(response)
        assert response.context["paginator"].count == 16

    def test_status_on_a_past_date(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"status": "nato_member", "on": "2000-01-01"})
        assert sorted(names(response)) == ["Czechia", "Hungary", "Poland"]
        response = client_as(viewer).get(LIST, {"status": "suspended", "on": "2000-01-01"})
        assert names(response) == ["Malta"]

    @pytest.mark.parametrize("on", ["yesterday", "0001-01-01", "2026-02-30", "9" * 50])
    def test_bad_date_falls_back_to_today_with_a_message(self, client_as, viewer, register, on):
        response = client_as(viewer).get(LIST, {"status": "suspended", "on": on})
        assert names(response) == ["Russia"]
        assert "were not understood" in response.text

    def test_sorting(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"ordering": "-name"})
        assert names(response)[0] == "Uzbekistan"
        response = client_as(viewer).get(
            LIST, {"ordering": "code", "framework": "ici", "status": "all"}
        )
        assert names(response) == ["United Arab Emirates", "Bahrain", "Kuwait", "Qatar"]

    @pytest.mark.parametrize(
        "params",
        [
            {"page": "abc"},
            {"page": "-1"},
            {"page": "99999"},
            {"framework": "nonsense"},
            {"status": "x" * 5000},
            {"ordering": "password"},
            {"q": "\x00"},
            {"q": "x" * 10000},
        ],
    )
    def test_bad_query_strings_get_a_page_not_an_error(self, client_as, viewer, register, params):
        response = client_as(viewer).get(LIST, params)
        assert response.status_code == 200

    def test_invalid_filter_is_explained(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"framework": "nonsense"})
        assert "were not understood" in response.text


@pytest.mark.django_db
def test_partner_list_query_count_does_not_grow_with_data(
    client_as, viewer, django_assert_num_queries
):
    client = client_as(viewer)
    PartnerFactory.create_batch(3)
    with django_assert_num_queries(10) as small:
        client.get(LIST)
    PartnerFactory.create_batch(60)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(LIST)


@pytest.mark.django_db
class TestPartnerPage:
    @pytest.fixture
    def register(self, register_loaded_for_the_class, db):
        return Partner.objects.all()

    def test_shows_profile_timeline_and_officers(self, client_as, viewer, officer, register):
        malta = register.get(code="MT")
        malta.officers.add(officer)
        response = client_as(viewer).get(malta.get_absolute_url())
        assert response.status_code == 200
        text = response.text
        for expected in ["Malta", "MT", "Suspended", "Reactivated", "Active partner", str(officer)]:
            assert expected in text

    def test_status_on_a_date(self, client_as, viewer, register):
        response = client_as(viewer).get(
            reverse("partners:detail", args=["MT"]), {"on": "2000-01-01"}
        )
        assert response.context["partner"].status == "suspended"
        assert "Status on 1 Jan 2000" in response.text

    def test_bad_date_is_explained(self, client_as, viewer, register):
        response = client_as(viewer).get(
            reverse("partners:detail", args=["MT"]), {"on": "1066-10-14"}
        )
        assert response.status_code == 200
        assert "between 1900 and 2100" in response.text
        assert response.context["partner"].status == "active"

    def test_administrator_gets_an_edit_link(self, client_as, viewer, administrator, register):
        url = reverse("partners:detail", args=["MT"])
        assert "Edit in the admin site" not in client_as(viewer).get(url).text
        assert "Edit in the admin site" in client_as(administrator).get(url).text

    def test_lowercase_code_works(self, client_as, viewer, register):
        response = client_as(viewer).get(reverse("partners:detail", args=["mt"]))
        assert response.status_code == 200

    @pytest.mark.parametrize("code", ["ZZ", "x", "%00", "A" * 300])
    def test_unknown_partner_is_404(self, client_as, viewer, register, code):
        response = client_as(viewer).get(f"/partners/{code}/")
        assert response.status_code == 404
        assert "Page not found" in response.text


@pytest.mark.django_db
class TestPartnerPageProgrammes:
    def test_lists_every_version_of_its_programmes(self, client_as, viewer, approver):
        partner = PartnerFactory(code="PL", name="Partnerland")
        officer = assigned_officer(partner)
        old = programme_in_status(
            "superseded", officer=officer, approver=approver, partner=partner, start_year=2022
        )
        draft = draft_programme(officer=officer, partner=partner, start_year=2030)
        response = client_as(viewer).get(partner.get_absolute_url())
        versions = response.context["partner"].visible_programmes
        assert [(p.start_year, p.version) for p in versions] == [(2030, 1), (2022, 2), (2022, 1)]
        for programme in (old, draft):
            assert reverse("programmes:programme_detail", args=[programme.pk]) in response.text
        assert "Superseded" in response.text
        assert "No partnership programme has been recorded" not in response.text

    def test_new_programme_link_for_its_officers(self, client_as, viewer, officer, approver):
        partner = PartnerFactory(code="PL", name="Partnerland")
        create = reverse("programmes:programme_create") + "?partner=PL"
        assert create not in client_as(viewer).get(partner.get_absolute_url()).text
        assert create not in client_as(officer).get(partner.get_absolute_url()).text
        assert create not in client_as(approver).get(partner.get_absolute_url()).text
        assigned = assigned_officer(partner)
        assert create in client_as(assigned).get(partner.get_absolute_url()).text

    def test_new_programme_says_which_versions_are_on_their_way(self, client_as, approver):
        partner = PartnerFactory(code="PL", name="Partnerland")
        officer = assigned_officer(partner)
        client = client_as(officer)
        assert 'id="open-versions"' not in client.get(partner.get_absolute_url()).text
        submitted = programme_in_status(
            "submitted", officer=officer, approver=approver, partner=partner, start_year=2027
        )
        withdrawn = programme_in_status(
            "withdrawn", officer=officer, approver=approver, partner=partner, start_year=2031
        )
        text = client.get(partner.get_absolute_url()).text
        assert 'aria-describedby="open-versions"' in text
        note = text[text.index('id="open-versions"') :]
        note = note[: note.index("</div>")]
        assert "a new programme must cover other years" in note
        assert f'href="{submitted.get_absolute_url()}"' in note
        assert withdrawn.get_absolute_url() not in note

    def test_query_count_is_fixed(self, client_as, viewer, approver, django_assert_num_queries):
        client = client_as(viewer)
        small = PartnerFactory()
        big = PartnerFactory(suspended=True)
        busy = PartnerFactory()
        officer = assigned_officer(busy)
        for start_year in (2018, 2022):
            programme_in_status(
                "superseded",
                officer=officer,
                approver=approver,
                partner=busy,
                start_year=start_year,
            )
        draft_programme(officer=officer, partner=busy, start_year=2030)
        with django_assert_num_queries(12) as first:
            client.get(small.get_absolute_url())
        for partner in (big, busy):
            with django_assert_num_queries(len(first.captured_queries)):
                client.get(partner.get_absolute_url())
