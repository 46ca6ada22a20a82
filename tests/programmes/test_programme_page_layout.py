"""The programme page reads at a glance: a header saying who holds the version and what comes
next, a table of contents of its sections, the matrix of years by areas, long lists folded behind their
count (``programmes.views.drafting.ProgrammeDetailView``)."""

import re

import pytest

from programmes import workflow
from programmes.models import ProgrammeStatus
from tests.support.factories import PartnerFactory, draft_programme, programme_in_status

S = ProgrammeStatus
SECTIONS = ["overview", "objectives", "activities", "matrix", "comments", "history"]


def header(text):
    """The "Held by" and "Next step" block, tags stripped and blanks squeezed."""
    block = re.search(r'<dl [^>]*id="next-step">(.*?)</dl>', text, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.mark.django_db
class TestHeaderAndSections:
    def test_the_table_of_contents_links_every_section(self, client_as, viewer, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=4)
        text = client_as(viewer).get(programme.get_absolute_url()).text
        toc = re.search(
            r'<nav [^>]*aria-label="Sections of this programme">(.*?)</nav>', text, re.S
        )
        for anchor in SECTIONS:
            assert f'href="#{anchor}"' in toc.group(1)
            assert f'id="{anchor}"' in text
        assert "Activities by year (4)" in toc.group(1)
        assert "Objectives and goals (1)" in toc.group(1)
        assert 'href="#delivery"' not in toc.group(1)  # a draft has no delivery yet

    def test_header_of_a_draft(self, client_as, drafter, approver, partner):
        programme = draft_programme(officer=drafter, partner=partner)
        own = header(client_as(drafter).get(programme.get_absolute_url()).text)
        assert own == (
            f"Held by The drafters: {drafter} The partner Not shared with the partner yet "
            "Next step Submit it for approval."
        )
        other = header(client_as(approver).get(programme.get_absolute_url()).text)
        assert other.endswith("The drafters complete it and submit it for approval.")

    def test_header_of_an_incomplete_draft_points_at_the_checklist(
        self, client_as, drafter, partner
    ):
        programme = draft_programme(officer=drafter, partner=partner, activities=0)
        text = header(client_as(drafter).get(programme.get_absolute_url()).text)
        assert text.endswith("Complete what the checklist lists, then submit it for approval.")

    @pytest.mark.parametrize(
        ("status", "held_by", "next_for_approver"),
        [
            (S.SUBMITTED, "The approvers", "Approve it, or return it to the drafters"),
            (S.RETURNED, "The drafters:", "The drafters answer the approver's remarks"),
            (S.APPROVED, "The partner, Partnerland, for their acceptance", "accept or decline"),
            (S.AGREED, "The partner's programme officers, for its delivery", "until the end of"),
            (S.WITHDRAWN, "No one: this version is finished", "can only be read"),
        ],
    )
    def test_header_by_status(
        self, client_as, drafter, approver, partner, status, held_by, next_for_approver
    ):
        programme = programme_in_status(status, officer=drafter, approver=approver, partner=partner)
        text = header(client_as(approver).get(programme.get_absolute_url()).text)
        text = text.replace("&#x27;", "'")
        assert text.startswith(f"Held by {held_by} ")
        assert " Next step " in text
        assert next_for_approver in text

    def test_the_matrix_counts_activities_by_area_and_year(
        self, client_as, viewer, drafter, partner
    ):
        programme = draft_programme(officer=drafter, partner=partner, goals=2, activities=12)
        response = client_as(viewer).get(programme.get_absolute_url())
        matrix = response.context["matrix"]
        planned = list(programme.planned_activities.select_related("activity__area"))
        assert matrix["totals"] == [
            sum(1 for p in planned if p.year == year) for year in range(1, 5)
        ]
        assert sum(row["total"] for row in matrix["rows"]) == len(planned) == 12
        for row in matrix["rows"]:
            assert row["counts"] == [
                sum(1 for p in planned if p.year == year and p.activity.area == row["area"])
                for year in range(1, 5)
            ]
        assert "Activities by year and area of cooperation" in response.text

    def test_an_empty_programme_says_what_to_do(self, client_as, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=0)
        text = client_as(drafter).get(programme.get_absolute_url()).text
        assert "Add activities from the menu to see how they spread over the years." in text


@pytest.mark.django_db
class TestLongListsFold:
    def test_a_long_year_is_folded_behind_its_count(self, client_as, viewer, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=48)
        text = client_as(viewer).get(programme.get_absolute_url()).text
        assert text.count("<summary>Show the 12 activities planned in") == 4
        assert "· 12 activities</span></h3>" in text

    def test_a_short_year_is_open(self, client_as, viewer, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=8)
        text = client_as(viewer).get(programme.get_absolute_url()).text
        assert "activities planned in" not in text.replace("Activities planned in", "")
        assert "· 2 activities</span></h3>" in text

    def test_history_shows_the_newest_ten(self, client_as, viewer, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=12)
        response = client_as(viewer).get(programme.get_absolute_url())
        earlier = len(response.context["timeline"]) - 10
        assert earlier > 0
        assert f"Show {earlier} earlier entries" in response.text
        assert '<ol class="timeline" start="11">' in response.text

    def test_many_comments_are_folded(self, client_as, viewer, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner)
        for number in range(11):
            workflow.add_comment(actor=drafter, programme=programme, text=f"Note {number}")
        text = client_as(viewer).get(programme.get_absolute_url()).text
        assert "<summary>Show the 11 comments</summary>" in text
        assert "Comments (11)" in text


@pytest.mark.django_db
def test_the_partner_is_named_in_the_readers_language(client_as, viewer, drafter):
    georgia = PartnerFactory(name="Georgia", name_fr="Géorgie", code="GE")
    georgia.officers.add(drafter)
    programme = draft_programme(officer=drafter, partner=georgia)
    viewer.language = "fr"
    viewer.save()
    text = client_as(viewer).get(programme.get_absolute_url()).text
    assert ">Géorgie</a>" in text
    assert ">Georgia</a>" not in text
