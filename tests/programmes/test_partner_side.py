"""The partner's side of the workflow: a draft shared, comments with an audience, the partner's
acceptance or refusal of the version NATO approved, and the e-mails that follow the audience."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pfp.outbox.models import Message
from programmes import workflow
from programmes.models import Comment, ProgrammeStatus
from programmes.permissions import visible_programmes
from tests.support.factories import (
    PartnerFactory,
    agree,
    draft_programme,
    programme_in_status,
    representative_of,
)

pytestmark = pytest.mark.django_db
S = ProgrammeStatus


@pytest.fixture
def representative(partner):
    return representative_of(partner)


@pytest.fixture
def approved(drafter, approver, partner):
    return programme_in_status(S.APPROVED, officer=drafter, approver=approver, partner=partner)


def addresses(kind: str) -> set[str]:
    return set(Message.objects.filter(kind=f"programme.{kind}").values_list("address", flat=True))


class TestSharing:
    def test_a_draft_is_seen_once_shared_and_every_version_once_submitted(
        self, drafter, partner, representative
    ):
        draft = draft_programme(officer=drafter, partner=partner)
        assert draft not in visible_programmes(representative)
        shared = workflow.share(actor=drafter, programme=draft)
        assert shared.shared_with_partner
        assert shared.history.first().history_change_reason == "share"
        assert shared in visible_programmes(representative)
        assert addresses("shared") == {representative.email}

    def test_submitting_shares(self, drafter, partner, representative):
        draft = draft_programme(officer=drafter, partner=partner, start_year=2030)
        submitted = workflow.submit(actor=drafter, programme=draft)
        assert submitted.shared_with_partner
        assert submitted in visible_programmes(representative)


class TestCommentsHaveAnAudience:
    def test_staff_write_internal_comments_by_default(self, approved, approver, representative):
        note = workflow.add_comment(actor=approver, programme=approved, text="Between us.")
        assert note.audience == Comment.Audience.INTERNAL
        assert addresses("comment_shared") == set()

    def test_staff_share_when_they_choose_and_representatives_are_told(
        self, approved, approver, representative
    ):
        note = workflow.add_comment(
            actor=approver, programme=approved, text="For you.", shared=True
        )
        assert note.is_shared
        assert addresses("comment_shared") == {representative.email}

    def test_a_representatives_comment_is_always_shared_and_goes_to_the_drafters(
        self, approved, drafter, representative
    ):
        note = workflow.add_comment(actor=representative, programme=approved, text="Our view.")
        assert note.is_shared
        assert addresses("comment_shared") == {drafter.email}

    def test_on_a_draft_not_shared_nothing_is_shared(self, drafter, partner, representative):
        draft = draft_programme(officer=drafter, partner=partner, start_year=2030)
        note = workflow.add_comment(actor=drafter, programme=draft, text="Early.", shared=True)
        assert note.audience == Comment.Audience.INTERNAL
        with pytest.raises(workflow.NotPermitted):
            workflow.add_comment(actor=representative, programme=draft, text="Can I?")

    def test_the_return_comment_says_whether_it_is_shared(self, drafter, approver, partner):
        submitted = programme_in_status(
            S.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        workflow.return_programme(actor=approver, programme=submitted, comment="Why", shared=True)
        assert submitted.comments.get(kind=Comment.Kind.RETURN).is_shared

    def test_the_programme_page_shows_a_representative_the_shared_comments_only(
        self, approved, approver, representative, client_as
    ):
        workflow.add_comment(actor=approver, programme=approved, text="Internal remark xyz")
        workflow.add_comment(actor=approver, programme=approved, text="Shared remark", shared=True)
        page = client_as(representative).get(approved.get_absolute_url()).text
        assert "Shared remark" in page
        assert "Internal remark xyz" not in page
        staff_page = client_as(approver).get(approved.get_absolute_url()).text
        assert "Internal remark xyz" in staff_page
        assert "NATO staff only" in staff_page


class TestAcceptance:
    def test_the_representatives_are_told_when_it_is_offered(
        self, drafter, approver, partner, representative
    ):
        programme = programme_in_status(
            S.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        workflow.approve(actor=approver, programme=programme)
        assert addresses("offered") == {representative.email}

    def test_a_representative_accepts_and_both_acceptances_are_recorded(
        self, approved, representative, approver, drafter
    ):
        agreed = workflow.accept(
            actor=representative, programme=approved, seen_stamp=approved.edit_stamp
        )
        assert agreed.status == S.AGREED
        assert agreed.partner_accepted_by == representative
        assert agreed.partner_accepted_at is not None
        assert agreed.partner_signatory == representative.get_full_name()
        assert agreed.approved_by == approver
        last = agreed.history.first()
        assert (last.history_user, last.history_change_reason) == (representative, "accept")
        assert {drafter.email, approver.email, representative.email} <= addresses("accepted")

    def test_accepting_a_revision_supersedes_the_agreed_version(
        self, drafter, approver, partner, representative
    ):
        from tests.support.factories import UserFactory

        first = programme_in_status(S.AGREED, officer=drafter, approver=approver, partner=partner)
        revision = workflow.revise(actor=drafter, programme=first)
        workflow.submit(actor=drafter, programme=revision)
        workflow.approve(actor=UserFactory(username="a2", role="Approver"), programme=revision)
        workflow.accept(actor=representative, programme=revision)
        first.refresh_from_db()
        assert first.status == S.SUPERSEDED

    def test_a_representative_declines_saying_why(self, approved, representative, drafter):
        declined = workflow.decline(
            actor=representative, programme=approved, comment="We need a cyber goal."
        )
        assert declined.status == S.RETURNED
        assert declined.approved_by is None
        reason = declined.comments.get(kind=Comment.Kind.DECLINE)
        assert reason.is_shared
        assert reason.author == representative
        assert addresses("declined") == {drafter.email}
        # Revised and submitted again, it needs a new approval before it is offered again.
        assert workflow.Action.APPROVE not in workflow.available_actions(representative, declined)

    def test_a_decline_needs_a_reason(self, approved, representative):
        with pytest.raises(Exception, match="Say why"):
            workflow.decline(actor=representative, programme=approved, comment="  ")
        approved.refresh_from_db()
        assert approved.status == S.APPROVED

    def test_only_the_partners_own_representatives_accept(self, approved, approver):
        other = representative_of(PartnerFactory(name="Otherland", code="OT"))
        for actor in (other, approver):
            with pytest.raises(workflow.NotPermitted):
                workflow.accept(actor=actor, programme=approved)
        approved.refresh_from_db()
        assert approved.status == S.APPROVED

    def test_a_version_changed_since_it_was_read_is_not_accepted(self, approved, representative):
        with pytest.raises(workflow.EditConflict):
            workflow.accept(
                actor=representative, programme=approved, seen_stamp=approved.edit_stamp + 1
            )

    def test_the_accept_page(self, approved, representative, client_as):
        client = client_as(representative)
        url = reverse("programmes:programme_accept", args=[approved.pk])
        assert "Accept the programme" in client.get(url).text
        response = client.post(url, {"seen_stamp": approved.edit_stamp})
        assert response.status_code == 302
        page = client.get(approved.get_absolute_url()).text
        assert f"Accepted by {representative}" in page


class TestARepresentativeIsThatAlone:
    def test_no_drafting_no_approving_no_admin(self, partner, representative, client_as):
        from pfp.permissions import roles_of
        from pfp.roles import Role

        assert roles_of(representative) == {Role.PARTNER_REPRESENTATIVE}
        assert client_as(representative).get("/admin/").status_code == 403

    def test_a_staff_member_cannot_be_appointed(self, drafter, partner, approver):
        from django.core.exceptions import ValidationError

        from partners import actions

        for user in (drafter, approver):
            with pytest.raises(ValidationError):
                actions.appoint_representative(actor=None, user=user, partner=partner)

    def test_agree_helper_still_records_on_paper(self, drafter, approver, partner):
        programme = draft_programme(officer=drafter, partner=partner, start_year=2030)
        agreed = agree(programme, officer=drafter, approver=approver)
        assert agreed.agreement_recorded_by == approver
        assert agreed.partner_accepted_by is None


class TestARepresentativesHome:
    def test_what_awaits_them_and_what_is_shared(
        self, approved, approver, representative, client_as
    ):
        workflow.add_comment(actor=approver, programme=approved, text="Shared hello", shared=True)
        workflow.add_comment(actor=approver, programme=approved, text="Internal hello")
        page = client_as(representative).get(reverse("home"))
        assert page.context["representing"] == approved.partner
        assert page.context["awaiting_acceptance"].rows == [approved]
        assert "Shared hello" in page.text
        assert "Internal hello" not in page.text

    def test_the_same_queries_whatever_the_data(
        self, drafter, approver, partner, representative, client_as, django_assert_num_queries
    ):
        client = client_as(representative)
        first = programme_in_status(S.APPROVED, officer=drafter, approver=approver, partner=partner)
        workflow.add_comment(actor=approver, programme=first, text="One", shared=True)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("home"))
        for year in (2034, 2040):
            more = programme_in_status(
                S.SUBMITTED, officer=drafter, approver=approver, partner=partner, start_year=year
            )
            for number in range(5):
                workflow.add_comment(actor=approver, programme=more, text=f"{number}", shared=True)
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(reverse("home"))

    def test_staff_see_how_long_a_version_awaits_the_partner(self, approved, approver, client_as):
        page = client_as(approver).get(reverse("home")).text
        assert "awaiting the partner for" in page


class TestTheDemo:
    """``seed_demo``'s partner side on a small demo: a representative per partner with a shared
    programme, a signed agreement PDF on every version agreed on paper, a refusal, and shared
    and internal comments."""

    def test_representatives_documents_and_a_refusal(self, db):
        from partners.loading import load_partners
        from partners.models import Representative
        from programmes.devtools.demo.partner_side import (
            DECLINE_REASON,
            seed_demo_partner_side,
            seed_demo_representatives,
        )
        from programmes.devtools.demo.programmes import seed_demo_programmes
        from programmes.documents.checks import check_upload
        from programmes.models import Document, Programme
        from tests.support.factories import ActivityFactory

        load_partners()
        for number in range(40):
            ActivityFactory(code=f"DEMO-{number:04d}")
        seed_demo_programmes(partners=15)
        created = seed_demo_representatives()
        shared = Programme.objects.filter(shared_with_partner=True)
        assert {user.username for user in created} == {
            f"partner-{code.lower()}" for code in shared.values_list("partner__code", flat=True)
        }
        assert Representative.objects.count() == len(created)
        for programme in Programme.objects.filter(agreement_recorded_by__isnull=False):
            signed = programme.documents.get(kind=Document.Kind.SIGNED_AGREEMENT)
            check_upload(signed.original_name, signed.file.read())  # a PDF the checks accept
        done = seed_demo_partner_side()
        assert done["comments"] > 0
        assert done["declined"] == 1
        assert Comment.objects.filter(kind=Comment.Kind.DECLINE, text=DECLINE_REASON).exists()
        assert Programme.objects.awaiting_partner().exists()
        assert Comment.objects.filter(audience=Comment.Audience.SHARED).exists()
        assert Comment.objects.filter(audience=Comment.Audience.INTERNAL).exists()


def test_a_representative_is_offered_no_report_across_partners(partner, client_as):
    representative = representative_of(partner)
    page = client_as(representative).get(reverse("programmes:report_index"))
    assert list(page.context["reports"]) == []
    assert (
        client_as(representative)
        .get(reverse("programmes:cross_report", args=["programmes-by-status"]))
        .status_code
        == 403
    )


def test_a_representative_hears_only_of_their_own_partner(
    drafter, approver, partner, representative
):
    """Every message of a version's life, from its sharing to the partner's acceptance and a
    shared comment after it: the partner's representative receives those of the partner side,
    a representative of another partner none."""
    other = representative_of(PartnerFactory(code="OT", name="Otherland"), "partner-ot")
    draft = draft_programme(officer=drafter, partner=partner, start_year=2030)
    workflow.share(actor=drafter, programme=draft)
    workflow.add_comment(actor=drafter, programme=draft, text="Shared early.", shared=True)
    submitted = workflow.submit(actor=drafter, programme=draft)
    approved = workflow.approve(actor=approver, programme=submitted)
    workflow.decline(actor=representative, programme=approved, comment="Not yet.")
    submitted = workflow.submit(actor=drafter, programme=approved)
    approved = workflow.approve(actor=approver, programme=submitted)
    agreed = workflow.accept(actor=representative, programme=approved)
    workflow.add_comment(actor=approver, programme=agreed, text="Welcome.", shared=True)

    received = set(Message.objects.values_list("address", "kind"))
    assert not {kind for address, kind in received if address == other.email}
    assert {kind for address, kind in received if address == representative.email} >= {
        "programme.shared",
        "programme.offered",
        "programme.accepted",
        "programme.comment_shared",
    }
