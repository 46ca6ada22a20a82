"""The home dashboard: its queries (``programmes.dashboard``) and its sections for each role."""

import copy
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pfp.roles import Role
from programmes import dashboard, workflow
from programmes.models import ProgrammeStatus
from programmes.views.home import DASHBOARD_ROWS
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    drafter_of,
    drafting_approver_of,
    partnerland,
    programme_in_status,
    role_user,
)

S = ProgrammeStatus
HOME = reverse("home")
TODAY = timezone.localdate()
THIS_YEAR = TODAY.year


def new_partner(code, **traits):
    return PartnerFactory(code=code, name=f"Partner {code}", **traits)


def make_desk(*, drafter, drafting_approver, approver, partner):
    """One version in each state the drafting and review sections care about."""
    other = new_partner("OT")
    colleague = assigned_officer(other, "colleague")
    return {
        "my_draft": draft_programme(officer=drafter, partner=partner, start_year=2031),
        "colleague_draft": draft_programme(officer=colleague, partner=other, start_year=2031),
        "my_returned": programme_in_status(
            S.RETURNED, officer=drafter, approver=approver, partner=partner, start_year=2035
        ),
        "submitted": programme_in_status(
            S.SUBMITTED, officer=colleague, approver=approver, partner=other, start_year=2035
        ),
        "submitted_by_twohats": programme_in_status(
            S.SUBMITTED, officer=drafting_approver, approver=approver, partner=partner
        ),
    }


@pytest.fixture
def desk(drafter, drafting_approver, approver, partner):
    return make_desk(
        drafter=drafter, drafting_approver=drafting_approver, approver=approver, partner=partner
    )


@pytest.fixture(scope="class")
def built_desk(class_transaction):
    """For ``TestDraftingAndReviewQueries``: ``make_desk`` with the people of the fixtures,
    built once for the class."""
    partner = partnerland()
    return make_desk(
        drafter=drafter_of(partner),
        drafting_approver=drafting_approver_of(partner),
        approver=role_user("approver"),
        partner=partner,
    )


@pytest.mark.django_db
class TestDraftingAndReviewQueries:
    @pytest.fixture
    def desk(self, built_desk, db):
        return copy.deepcopy(built_desk)

    def test_my_drafts(self, drafter, desk):
        assert list(dashboard.my_drafts(drafter)) == [desk["my_draft"]]

    def test_an_editor_counts_as_a_drafter(self, drafter, desk, partner):
        second = assigned_officer(partner, "second")
        workflow.add_objective(actor=second, programme=desk["my_draft"], title="Another")
        assert list(dashboard.my_drafts(second)) == [desk["my_draft"]]

    def test_returned_to(self, drafter, desk):
        assert list(dashboard.returned_to(drafter)) == [desk["my_returned"]]
        assert list(dashboard.returned_to(UserFactory(role=Role.PROGRAMME_OFFICER))) == []

    def test_awaiting_approval_by_keeps_the_four_eyes_rule(self, approver, drafting_approver, desk):
        assert list(dashboard.awaiting_approval_by(drafting_approver)) == [desk["submitted"]]
        assert set(dashboard.awaiting_approval_by(approver)) == {
            desk["submitted"],
            desk["submitted_by_twohats"],
        }

    def test_only_approvers_have_something_to_approve(self, viewer, drafter, desk):
        assert list(dashboard.awaiting_approval_by(viewer)) == []
        assert list(dashboard.awaiting_approval_by(drafter)) == []

    def test_nothing_for_a_user_without_role(self, no_role_user, desk):
        assert list(dashboard.my_drafts(no_role_user)) == []
        assert list(dashboard.ending_without_successor(no_role_user, TODAY)) == []
        assert list(dashboard.partners_without_programme_in_force(no_role_user, TODAY)) == []
        assert sum(row.count for row in dashboard.counts_by_status(no_role_user)) == 0


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (datetime.date(2026, 1, 1), 2026),
        (datetime.date(2026, 11, 27), 2026),
        (datetime.date(2026, 12, 30), 2026),
        (datetime.date(2026, 12, 31), 2027),
        (datetime.date(2028, 2, 29), 2028),
    ],
)
def test_ends_within_a_year(today, last):
    assert dashboard.last_end_year_within_a_year(today) == last


@pytest.mark.django_db
class TestEndingWithoutSuccessor:
    """Today is 30 June 2026: programmes whose last year is 2026 end within twelve months."""

    today = datetime.date(2026, 6, 30)

    def agreed(self, approver, partner, start_year):
        officer = assigned_officer(partner)
        return programme_in_status(
            S.AGREED, officer=officer, approver=approver, partner=partner, start_year=start_year
        )

    def test_which_are_listed(self, viewer, approver):
        alone = self.agreed(approver, new_partner("AA"), 2023)
        followed = self.agreed(approver, new_partner("BB"), 2023)
        draft_programme(
            officer=assigned_officer(followed.partner), partner=followed.partner, start_year=2027
        )
        withdrawn_successor = self.agreed(approver, new_partner("CC"), 2023)
        programme_in_status(
            S.WITHDRAWN,
            officer=assigned_officer(withdrawn_successor.partner),
            approver=approver,
            partner=withdrawn_successor.partner,
            start_year=2027,
        )
        revised_same_years = self.agreed(approver, new_partner("DD"), 2023)
        workflow.revise(
            actor=assigned_officer(revised_same_years.partner), programme=revised_same_years
        )
        extended = self.agreed(approver, new_partner("EE"), 2023)
        officer = assigned_officer(extended.partner)
        revision = workflow.revise(actor=officer, programme=extended)
        workflow.update_programme(
            actor=officer,
            programme=revision,
            seen_stamp=None,
            title=revision.title,
            summary="",
            start_year=2025,
        )
        self.agreed(approver, new_partner("FF"), 2024)  # ends in 2027: more than a year away
        self.agreed(approver, new_partner("GG"), 2022)  # ended in 2025

        listed = list(dashboard.ending_without_successor(viewer, self.today))
        assert listed == [alone, withdrawn_successor, revised_same_years]

    def test_on_the_last_day_of_the_year_next_year_counts(self, viewer, approver):
        next_year = self.agreed(approver, new_partner("AA"), 2024)
        assert list(dashboard.ending_without_successor(viewer, datetime.date(2026, 12, 31))) == [
            next_year
        ]


@pytest.mark.django_db
class TestPartnersWithoutProgrammeInForce:
    def test_active_partners_only(self, viewer, approver):
        today = datetime.date(2026, 6, 30)
        covered = new_partner("AA")
        programme_in_status(
            S.AGREED,
            officer=assigned_officer(covered),
            approver=approver,
            partner=covered,
            start_year=2025,
        )
        ended = new_partner("BB")
        programme_in_status(
            S.AGREED,
            officer=assigned_officer(ended),
            approver=approver,
            partner=ended,
            start_year=2020,
        )
        approved_only = new_partner("CC")
        programme_in_status(
            S.APPROVED,
            officer=assigned_officer(approved_only),
            approver=approver,
            partner=approved_only,
            start_year=2025,
        )
        nothing = new_partner("DD")
        new_partner("EE", suspended=True)
        new_partner("FF", never_joined=True)
        new_partner("GG", nato_member=True)
        listed = list(dashboard.partners_without_programme_in_force(viewer, today))
        assert listed == [ended, approved_only, nothing]


@pytest.mark.django_db
def test_counts_by_status(viewer, desk, approver, partner):
    programme_in_status(
        S.AGREED,
        officer=assigned_officer(partner),
        approver=approver,
        partner=partner,
        start_year=2040,
    )
    counts = {row.status: row.count for row in dashboard.counts_by_status(viewer)}
    assert counts == {
        "draft": 2,
        "submitted": 2,
        "returned": 1,
        "approved": 0,
        "agreed": 1,
        "superseded": 0,
        "closed": 0,
        "withdrawn": 0,
    }
    draft = next(row for row in dashboard.counts_by_status(viewer) if row.status == "draft")
    assert draft.url == reverse("programmes:programme_list") + "?status=draft"
    assert draft.label == "Draft"


def sections(response):
    return {
        name
        for name in ("my_drafts", "returned", "awaiting", "ending", "without_programme", "counts")
        if name in response.context
    }


READING = {"ending", "without_programme", "counts"}
# A programme officer follows their own partners: no list of every partner with no programme.
OFFICER_READING = READING - {"without_programme"}


@pytest.mark.django_db
class TestHomePage:
    def test_no_role_keeps_the_short_page(self, client_as, no_role_user):
        response = client_as(no_role_user).get(HOME)
        assert response.status_code == 200
        assert "no role" in response.text
        assert sections(response) == set()

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("viewer", READING),
            ("menu_manager", READING),
            ("approver", READING | {"awaiting"}),
            ("administrator", READING | {"awaiting", "my_drafts", "returned"}),
        ],
    )
    def test_sections_by_role(self, request, client_as, role, expected):
        response = client_as(request.getfixturevalue(role)).get(HOME)
        assert response.status_code == 200
        assert sections(response) == expected

    def test_officer_sees_own_drafts_and_returns(self, client_as, drafter, desk):
        response = client_as(drafter).get(HOME)
        assert sections(response) == OFFICER_READING | {"my_drafts", "returned"}
        assert response.context["my_drafts"].rows == [desk["my_draft"]]
        assert response.context["returned"].rows == [desk["my_returned"]]
        assert reverse("programmes:programme_detail", args=[desk["my_draft"].pk]) in response.text
        colleague = reverse("programmes:programme_detail", args=[desk["colleague_draft"].pk])
        assert colleague not in response.text

    def test_an_officer_with_no_partner_has_no_drafting_section(self, client_as, officer):
        assert sections(client_as(officer).get(HOME)) == OFFICER_READING

    def test_an_officer_lists_only_their_partners_with_no_programme(
        self, client_as, drafter, partner
    ):
        someone_elses = new_partner("ZZ")
        response = client_as(drafter).get(HOME)
        assert response.context["my_partners_idle"].rows == [partner]
        assert "without_programme" not in response.context
        assert "Active partners with no programme in force" not in response.text
        assert someone_elses.get_absolute_url() not in response.text

    def test_an_approver_who_drafts_lists_every_partner_too(
        self, client_as, drafting_approver, partner
    ):
        someone_elses = new_partner("ZZ")
        response = client_as(drafting_approver).get(HOME)
        assert response.context["my_partners_idle"].rows == [partner]
        assert response.context["without_programme"].rows == [someone_elses, partner]  # by name
        assert "Active partners with no programme in force" in response.text

    def test_approver_sees_what_they_may_approve(self, client_as, drafting_approver, desk):
        response = client_as(drafting_approver).get(HOME)
        assert sections(response) == READING | {"awaiting", "my_drafts", "returned"}
        assert response.context["awaiting"].rows == [desk["submitted"]]
        assert reverse("programmes:programme_approve", args=[desk["submitted"].pk]) in (
            response.text
        )
        assert reverse("programmes:review_queue") in response.text

    def test_counts_link_to_the_filtered_list(self, client_as, viewer, desk):
        text = client_as(viewer).get(HOME).text
        for status in S.values:
            assert f'href="/programmes/?status={status}"' in text

    def test_ending_and_without_programme_in_force(self, client_as, viewer, approver):
        ending_partner = new_partner("AA")
        ending = programme_in_status(
            S.AGREED,
            officer=assigned_officer(ending_partner),
            approver=approver,
            partner=ending_partner,
            start_year=THIS_YEAR - 3,
        )
        idle = new_partner("BB")
        response = client_as(viewer).get(HOME)
        assert response.context["ending"].rows == [ending]
        assert response.context["without_programme"].rows == [idle]
        assert idle.get_absolute_url() in response.text

    def test_long_sections_are_cut_with_a_link(self, client_as, viewer):
        for n in range(DASHBOARD_ROWS + 2):
            new_partner(f"Q{chr(65 + n)}")
        response = client_as(viewer).get(HOME)
        section = response.context["without_programme"]
        assert len(section.rows) == DASHBOARD_ROWS
        assert section.more
        assert "All partners" in response.text

    @pytest.mark.parametrize("role", ["administrator", "drafting_approver", "viewer"])
    def test_query_count_is_fixed(
        self, request, client_as, approver, partner, role, django_assert_num_queries
    ):
        user = request.getfixturevalue(role)
        client = client_as(user)
        # The partner's drafts, four years apart: its versions on their way never overlap.
        draft_years = iter(range(2040, 2100, 4))

        def fill(codes):
            for code in codes:
                other = new_partner(code)
                officer = assigned_officer(other)
                for status, start_year in [
                    (S.AGREED, THIS_YEAR - 3),
                    (S.SUBMITTED, THIS_YEAR + 1),
                ]:
                    programme_in_status(
                        status,
                        officer=officer,
                        approver=approver,
                        partner=other,
                        start_year=start_year,
                    )
                new_partner(code[::-1])  # without a programme
            drafter = user if role != "viewer" else assigned_officer(partner, "drafter")
            if role == "administrator" or role == "drafting_approver":
                partner.officers.add(user)
            for _code in codes:
                draft_programme(officer=drafter, partner=partner, start_year=next(draft_years))

        fill(["AB"])
        # Delivery's panels (programmes.delivery.queries): four queries for a drafter's three,
        # one for the reviews to acknowledge, and one for an administrator's partners. A
        # drafter's submitted, approved and idle partners: one query each (the counts come in
        # the same query as the rows).
        expected = {"administrator": 21, "drafting_approver": 23, "viewer": 11}[role]
        with django_assert_num_queries(expected) as small:
            client.get(HOME)
        fill(["CD", "EF", "GH", "IJ", "KL", "MN", "OP", "QR", "ST", "UV"])
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(HOME)
        assert response.context["without_programme"].more


def listed(client, url):
    """The programmes the list at ``url`` shows (all of them: these lists fit on one page)."""
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["filter"].errors
    assert response.context["paginator"].num_pages == 1
    return set(response.context["page_obj"].object_list)


@pytest.mark.django_db
class TestNextActions:
    """Each count of the dashboard links to the programme list filtered the same way: the list
    shows exactly what the count said, for each role."""

    @pytest.fixture
    def desk(self, desk, drafter, drafting_approver, approver, partner):
        """``make_desk`` with an approved version the drafter drafted, another drafted by a
        colleague, an agreed one ending this year, and a partner of the drafter's with no
        programme in force."""
        idle = new_partner("ID")
        idle.officers.add(drafter)
        colleague_partner = new_partner("CO")
        ending_partner = new_partner("EN")
        return {
            **desk,
            "my_approved": programme_in_status(
                S.APPROVED, officer=drafter, approver=approver, partner=partner, start_year=2043
            ),
            "colleague_approved": programme_in_status(
                S.APPROVED,
                officer=assigned_officer(colleague_partner),
                approver=approver,
                partner=colleague_partner,
                start_year=2043,
            ),
            "ending": programme_in_status(
                S.AGREED,
                officer=assigned_officer(ending_partner),
                approver=approver,
                partner=ending_partner,
                start_year=THIS_YEAR - 3,
            ),
            "idle": idle,
        }

    def check(self, client, section, expected):
        assert section.count == len(expected)
        assert set(section.rows) == set(expected)
        assert listed(client, section.url) == set(expected)
        assert f'href="{section.url.replace("&", "&amp;")}"' in client.get(HOME).text

    def test_officer(self, client_as, drafter, desk, partner):
        client = client_as(drafter)
        response = client.get(HOME)
        context = response.context
        self.check(client, context["my_drafts"], [desk["my_draft"]])
        self.check(client, context["returned"], [desk["my_returned"]])
        self.check(client, context["submitted"], [])
        self.check(client, context["approved"], [desk["my_approved"]])
        assert context["my_partners_idle"].rows == [desk["idle"], partner]
        assert context["my_partners_idle"].count == 2
        create = reverse("programmes:programme_create")
        assert f'href="{create}?partner=ID"' in response.text
        assert f'href="{create}"' in response.text  # "New programme"
        assert "awaiting" not in context

    def test_officer_sees_what_they_submitted(self, client_as, drafting_approver, desk):
        client = client_as(drafting_approver)
        self.check(client, client.get(HOME).context["submitted"], [desk["submitted_by_twohats"]])

    def test_approver(self, client_as, approver, drafting_approver, desk):
        client = client_as(approver)
        context = client.get(HOME).context
        self.check(client, context["awaiting"], [desk["submitted"], desk["submitted_by_twohats"]])
        self.check(client, context["approved"], [desk["my_approved"], desk["colleague_approved"]])
        self.check(client, context["ending"], [desk["ending"]])
        assert "my_drafts" not in context
        assert "my_partners_idle" not in context

    def test_approver_never_awaits_their_own_draft(self, client_as, drafting_approver, desk):
        client = client_as(drafting_approver)
        self.check(client, client.get(HOME).context["awaiting"], [desk["submitted"]])

    def test_viewer_reads_without_next_actions(self, client_as, viewer, desk):
        client = client_as(viewer)
        response = client.get(HOME)
        self.check(client, response.context["ending"], [desk["ending"]])
        assert "What needs doing" not in response.text
        # The filters of someone else's desk show nothing to a viewer, and are not errors.
        assert listed(client, "/programmes/?mine=drafted") == set()
        assert listed(client, "/programmes/?awaiting=me") == set()

    def test_empty_states_say_what_to_do(self, client_as, drafter, approver):
        text = client_as(drafter).get(HOME).text
        assert "Start one with “New programme”." in text
        assert "Submit a draft once its checklist is complete." in text
        text = client_as(approver).get(HOME).text
        assert "Programmes you drafted are approved by another approver." in text

    def test_unknown_filter_values_are_reported(self, client_as, viewer, desk):
        response = client_as(viewer).get("/programmes/?mine=everyone&ending=later")
        assert response.status_code == 200
        assert response.context["filter"].errors
        assert "Some filters were not understood" in response.text
