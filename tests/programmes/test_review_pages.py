"""The review pages over HTTP: the queue, approve, return, the partner's agreement and closing.

Each step: done by an approver (with its e-mail after commit), refused to the other roles and to
an approver who drafted the version (nothing changed), a clear warning when the programme moved
on meanwhile, and the form's errors when the input is wrong.
"""

import copy
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners.actions import record_status_event
from partners.models import EventKind
from pfp.roles import Role
from programmes import workflow
from programmes.models import Comment, Programme, ProgrammeStatus
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    drafter_of,
    moved_around_the_workflow,
    partnerland,
    programme_in_status,
    role_user,
)
from tests.support.pages import messages_of

S = ProgrammeStatus
QUEUE = reverse("programmes:review_queue")
STEPS = ["programme_approve", "programme_return", "programme_agreement", "programme_close"]


def url(name, programme):
    return reverse(f"programmes:{name}", args=[programme.pk])


def status_of(programme):
    return Programme.objects.get(pk=programme.pk).status


def version_in(status, **draft_options):
    """A version of the ``partner``'s programme by its ``drafter``, taken to ``status`` (approved
    by the ``approver``)."""
    partner = partnerland()
    return programme_in_status(
        status,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        **draft_options,
    )


def submitted_version():
    return version_in(S.SUBMITTED, objectives=2, goals=2)


# Each built once for a class (or for a test outside a class), each test given its own copy.


@pytest.fixture(scope="class")
def built_submitted(class_transaction):
    return submitted_version()


@pytest.fixture
def submitted(built_submitted, db):
    return copy.deepcopy(built_submitted)


@pytest.fixture(scope="class")
def built_approved(class_transaction):
    return version_in(S.APPROVED)


@pytest.fixture
def approved(built_approved, db):
    return copy.deepcopy(built_approved)


@pytest.fixture(scope="class")
def built_agreed(class_transaction):
    return version_in(S.AGREED)


@pytest.fixture
def agreed(built_agreed, db):
    return copy.deepcopy(built_agreed)


@pytest.mark.django_db
class TestQueue:
    @pytest.fixture
    def submitted(self, db):
        """Built for each test: not every test of the class uses it."""
        return submitted_version()

    def test_oldest_submission_first_and_who_may_approve(
        self, client_as, approver, drafting_approver, partner
    ):
        other = PartnerFactory(code="OT", name="Otherland")
        first = programme_in_status(
            S.SUBMITTED, officer=assigned_officer(other), approver=approver, partner=other
        )
        second = programme_in_status(
            S.SUBMITTED, officer=drafting_approver, approver=approver, partner=partner
        )
        programme_in_status(
            S.APPROVED,
            officer=assigned_officer(other),
            approver=approver,
            partner=other,
            start_year=2031,
        )
        response = client_as(drafting_approver).get(QUEUE)
        assert response.status_code == 200
        rows = list(response.context["programmes"])
        assert rows == [first, second]
        assert [row.may_approve for row in rows] == [True, False]
        assert "another approver must approve it" in response.text
        assert url("programme_approve", first) in response.text
        assert url("programme_approve", second) not in response.text

        rows = list(client_as(approver).get(QUEUE).context["programmes"])
        assert [row.may_approve for row in rows] == [True, True]

    def test_empty_queue(self, client_as, approver):
        assert "No programme awaits approval" in client_as(approver).get(QUEUE).text

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_only_approvers(self, request, client_as, role):
        assert client_as(request.getfixturevalue(role)).get(QUEUE).status_code == 403

    def test_administrator_reads_it(self, client_as, administrator, submitted):
        assert list(client_as(administrator).get(QUEUE).context["programmes"]) == [submitted]

    @pytest.mark.parametrize("page", ["abc", "-1", "999"])
    def test_bad_page_numbers(self, client_as, approver, submitted, page):
        assert client_as(approver).get(QUEUE, {"page": page}).status_code == 200

    def test_query_count_is_fixed(
        self, client_as, approver, drafting_approver, django_assert_num_queries
    ):
        def submit_for(count):
            for _ in range(count):
                partner = PartnerFactory()
                officer = assigned_officer(partner)
                programme_in_status(
                    S.SUBMITTED, officer=officer, approver=approver, partner=partner
                )

        client = client_as(drafting_approver)
        submit_for(1)
        with django_assert_num_queries(11) as small:
            client.get(QUEUE)
        submit_for(6)
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(QUEUE)


@pytest.mark.django_db
class TestApprove:
    def test_confirmation_page_shows_summary_and_counts(self, client_as, approver, submitted):
        response = client_as(approver).get(url("programme_approve", submitted))
        assert response.status_code == 200
        text = response.text
        assert "Partnerland" in text
        assert "2026–2029" in text  # noqa: RUF001
        assert "2 strategic objectives" in text
        assert "4 partnership goals" in text
        assert "4 planned activities" in text
        assert status_of(submitted) == S.SUBMITTED  # looking changes nothing

    def test_approver_approves_and_the_drafters_are_told(
        self, client_as, approver, drafter, submitted, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_as(approver).post(url("programme_approve", submitted))
        assert response.status_code == 302
        assert response["Location"] == submitted.get_absolute_url()
        programme = Programme.objects.get(pk=submitted.pk)
        assert programme.status == S.APPROVED
        assert programme.approved_by == approver
        assert any("is approved" in message for message in messages_of(response))
        assert [message.to for message in mail.outbox] == [[drafter.email]]

    def test_an_overlap_with_an_agreed_programme_stops_approval(
        self, client_as, approver, drafter, submitted
    ):
        # Agreed for later years, then the submitted version moved onto them around the
        # workflow (which refuses it at every step before), as an older version may be.
        agreed = programme_in_status(
            S.AGREED, officer=drafter, approver=approver, partner=submitted.partner, start_year=2030
        )
        moved_around_the_workflow(submitted, 2028)
        client = client_as(approver)
        page = client.get(url("programme_approve", submitted))
        assert "This version cannot be approved:" in page.text
        assert page.context["blocking"] == workflow.missing_for_approval(submitted)
        assert str(agreed) in page.context["blocking"][0]
        response = client.post(url("programme_approve", submitted))
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert errors[0] == "This version cannot be approved:"
        assert f'<a href="{agreed.get_absolute_url()}">Open version 1 of 2030' in errors[1]
        assert f'<a href="{agreed.get_absolute_url()}">' in response.text
        assert status_of(submitted) == S.SUBMITTED

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_other_roles_are_refused(self, request, client_as, submitted, role):
        client = client_as(request.getfixturevalue(role))
        assert client.get(url("programme_approve", submitted)).status_code == 403
        assert client.post(url("programme_approve", submitted)).status_code == 403
        assert status_of(submitted) == S.SUBMITTED

    def test_assigned_officer_is_refused(self, client_as, drafter, submitted):
        assert client_as(drafter).post(url("programme_approve", submitted)).status_code == 403
        assert status_of(submitted) == S.SUBMITTED

    def test_an_editor_may_not_approve_either(self, client_as, drafting_approver, submitted):
        workflow.return_programme(actor=drafting_approver, programme=submitted, comment="Fix.")
        workflow.update_programme(
            actor=drafting_approver,
            programme=submitted,
            seen_stamp=None,
            title="Edited by the approver",
            summary="",
            start_year=submitted.start_year,
        )
        workflow.submit(
            actor=Programme.objects.get(pk=submitted.pk).created_by, programme=submitted
        )
        response = client_as(drafting_approver).post(url("programme_approve", submitted))
        assert response.status_code == 403
        assert status_of(submitted) == S.SUBMITTED

    def test_another_approver_was_faster(self, client_as, approver, submitted):
        second = UserFactory(username="second", role=Role.APPROVER)
        client = client_as(approver)
        assert client.get(url("programme_approve", submitted)).status_code == 200
        workflow.approve(actor=second, programme=submitted)  # meanwhile
        response = client.post(url("programme_approve", submitted))
        assert response.status_code == 302
        assert response["Location"] == submitted.get_absolute_url()
        assert any("“Approved”" in message for message in messages_of(response))
        assert Programme.objects.get(pk=submitted.pk).approved_by == second

    def test_contents_changed_since_the_page_was_shown_are_not_approved(
        self, client_as, approver, drafter, submitted
    ):
        client = client_as(approver)
        seen = client.get(url("programme_approve", submitted)).context["form"]["seen_stamp"]
        second = UserFactory(username="second", role=Role.APPROVER)
        workflow.return_programme(actor=second, programme=submitted, comment="Add a goal.")
        workflow.add_goal(actor=drafter, objective=submitted.objectives.first(), title="Late")
        workflow.plan_activity(
            actor=drafter,
            programme=submitted,
            activity=submitted.planned_activities.first().activity,
            year=4,
            goal=submitted.objectives.first().goals.get(title="Late"),
        )
        workflow.submit(actor=drafter, programme=submitted)
        response = client.post(url("programme_approve", submitted), {"seen_stamp": seen.value()})
        assert response.status_code == 200
        assert "Someone changed this programme" in response.content.decode()
        assert status_of(submitted) == S.SUBMITTED

    def test_returned_meanwhile(self, client_as, approver, submitted):
        second = UserFactory(username="second", role=Role.APPROVER)
        workflow.return_programme(actor=second, programme=submitted, comment="Not yet.")
        response = client_as(approver).post(url("programme_approve", submitted))
        assert response.status_code == 302
        assert any("“Returned”" in message for message in messages_of(response))
        assert status_of(submitted) == S.RETURNED

    def test_junk_post_changes_nothing_it_should_not(self, client_as, approver, submitted):
        # Approving takes no field: extra input is ignored, the step itself is taken once.
        response = client_as(approver).post(
            url("programme_approve", submitted), {"status": "agreed", "approved_by": "1"}
        )
        assert response.status_code == 302
        assert status_of(submitted) == S.APPROVED


@pytest.mark.django_db
def test_self_approval_is_refused_by_the_page(client_as, drafting_approver, approver, partner):
    programme = programme_in_status(
        S.SUBMITTED, officer=drafting_approver, approver=approver, partner=partner
    )
    response = client_as(drafting_approver).get(url("programme_approve", programme))
    assert response.status_code == 403
    assert "another approver must approve it" in response.text
    assert "Nothing was changed" in response.text


@pytest.mark.django_db
def test_self_approval_is_refused_on_a_direct_post(client_as, drafting_approver, approver, partner):
    programme = programme_in_status(
        S.SUBMITTED, officer=drafting_approver, approver=approver, partner=partner
    )
    mail.outbox.clear()
    response = client_as(drafting_approver).post(url("programme_approve", programme))
    assert response.status_code == 403
    assert "another approver must approve it" in response.text
    programme.refresh_from_db()
    assert programme.status == S.SUBMITTED
    assert programme.approved_by is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_opening_approve_for_a_draft_says_why_not(client_as, approver, drafter, partner):
    draft = draft_programme(officer=drafter, partner=partner)
    response = client_as(approver).get(url("programme_approve", draft))
    assert response.status_code == 302
    assert any("“Draft”" in message for message in messages_of(response))


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [0, 999999])
def test_approving_an_unknown_programme_is_404(client_as, approver, pk):
    assert client_as(approver).get(f"/programmes/{pk}/approve/").status_code == 404
    assert client_as(approver).post(f"/programmes/{pk}/approve/").status_code == 404


@pytest.mark.django_db
class TestReturn:
    def test_comment_is_required(self, client_as, approver, submitted):
        for data in ({}, {"comment": "   "}):
            response = client_as(approver).post(url("programme_return", submitted), data)
            assert response.status_code == 200
            assert "Say why the programme is returned." in response.text
        assert status_of(submitted) == S.SUBMITTED
        assert not Comment.objects.filter(programme=submitted).exists()

    def test_too_long_comment(self, client_as, approver, submitted):
        response = client_as(approver).post(
            url("programme_return", submitted), {"comment": "x" * 4001}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["comment"]
        assert status_of(submitted) == S.SUBMITTED

    def test_approver_returns_with_a_comment(
        self, client_as, approver, drafter, submitted, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_as(approver).post(
                url("programme_return", submitted), {"comment": "Add a cyber defence goal."}
            )
        assert response.status_code == 302
        assert status_of(submitted) == S.RETURNED
        comment = Comment.objects.get(programme=submitted)
        assert (comment.kind, comment.text, comment.author) == (
            Comment.Kind.RETURN,
            "Add a cyber defence goal.",
            approver,
        )
        assert any("returned to its drafters" in message for message in messages_of(response))
        assert [message.to for message in mail.outbox] == [[drafter.email]]
        assert "Add a cyber defence goal." in mail.outbox[0].body

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_other_roles_are_refused(self, request, client_as, submitted, role):
        response = client_as(request.getfixturevalue(role)).post(
            url("programme_return", submitted), {"comment": "No."}
        )
        assert response.status_code == 403
        assert status_of(submitted) == S.SUBMITTED

    def test_approved_meanwhile(self, client_as, approver, submitted):
        second = UserFactory(username="second", role=Role.APPROVER)
        workflow.approve(actor=second, programme=submitted)
        response = client_as(approver).post(
            url("programme_return", submitted), {"comment": "Too late."}
        )
        assert response.status_code == 302
        assert response["Location"] == submitted.get_absolute_url()
        assert any("“Approved”" in message for message in messages_of(response))
        assert status_of(submitted) == S.APPROVED
        assert not Comment.objects.filter(programme=submitted).exists()


@pytest.mark.django_db
def test_a_drafting_approver_may_return(client_as, drafting_approver, approver, partner):
    programme = programme_in_status(
        S.SUBMITTED, officer=drafting_approver, approver=approver, partner=partner
    )
    response = client_as(drafting_approver).post(
        url("programme_return", programme), {"comment": "Withdrawn for a fix."}
    )
    assert response.status_code == 302
    assert status_of(programme) == S.RETURNED


@pytest.mark.django_db
def test_return_says_moved_on_even_when_the_input_is_wrong(client_as, approver, agreed):
    response = client_as(approver).post(url("programme_return", agreed), {"comment": ""})
    assert response.status_code == 302
    assert any("“Agreed”" in message for message in messages_of(response))
    assert status_of(agreed) == S.AGREED


def post_agreement(client, programme, **data):
    return client.post(url("programme_agreement", programme), data)


@pytest.mark.django_db
class TestAgreement:
    def test_form_page(self, client_as, approver, approved):
        response = client_as(approver).get(url("programme_agreement", approved))
        assert response.status_code == 200
        assert 'type="date"' in response.text
        assert "Partner&#x27;s signatory" in response.text

    def test_approver_records_the_agreement(
        self, client_as, approver, drafter, approved, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_agreement(
                client_as(approver),
                approved,
                agreed_on="2026-11-02",
                signatory="  Minister of Defence ",
            )
        assert response.status_code == 302
        programme = Programme.objects.get(pk=approved.pk)
        assert programme.status == S.AGREED
        assert programme.agreed_on == datetime.date(2026, 11, 2)
        assert programme.partner_signatory == "Minister of Defence"
        assert programme.agreement_recorded_by == approver
        assert any("is now agreed" in message for message in messages_of(response))
        assert [message.to for message in mail.outbox] == [[drafter.email]]

    @pytest.mark.parametrize(
        ("data", "field", "error"),
        [
            ({"signatory": "Minister"}, "agreed_on", "Give the date"),
            ({"agreed_on": "2026-13-45", "signatory": "Minister"}, "agreed_on", "valid date"),
            ({"agreed_on": "yesterday", "signatory": "Minister"}, "agreed_on", "valid date"),
            ({"agreed_on": "2026-01-01", "signatory": "  "}, "signatory", "Name the partner"),
            ({"agreed_on": "2026-01-01", "signatory": "x" * 201}, "signatory", "at most 200"),
        ],
    )
    def test_form_errors(self, client_as, approver, approved, data, field, error):
        response = post_agreement(client_as(approver), approved, **data)
        assert response.status_code == 200
        assert error in " ".join(response.context["form"].errors[field])
        assert status_of(approved) == S.APPROVED

    def test_future_date_is_refused_by_the_workflow_on_the_field(
        self, client_as, approver, approved
    ):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = post_agreement(
            client_as(approver), approved, agreed_on=tomorrow.isoformat(), signatory="Minister"
        )
        assert response.status_code == 200
        assert response.context["form"].errors["agreed_on"] == [
            "The agreement date cannot be in the future."
        ]
        assert status_of(approved) == S.APPROVED

    def test_suspended_partner_is_explained_on_the_form(
        self, client_as, approver, administrator, approved, partner
    ):
        record_status_event(
            partner=partner,
            kind=EventKind.SUSPENDED,
            on=timezone.localdate(),
            actor=administrator,
        )
        response = post_agreement(
            client_as(approver), approved, agreed_on="2026-01-05", signatory="Minister"
        )
        assert response.status_code == 200
        assert "is not an active partner" in " ".join(response.context["form"].non_field_errors())
        assert status_of(approved) == S.APPROVED

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_other_roles_are_refused(self, request, client_as, approved, role):
        client = client_as(request.getfixturevalue(role))
        response = post_agreement(client, approved, agreed_on="2026-01-05", signatory="Minister")
        assert response.status_code == 403
        assert status_of(approved) == S.APPROVED


@pytest.mark.django_db
def test_overlapping_agreed_programme_is_explained(client_as, approver, drafter, partner, agreed):
    # Approved for later years, then moved onto the agreed one's around the workflow (which
    # refuses such a version at every step before): the agreement is the last check.
    other = programme_in_status(
        S.APPROVED, officer=drafter, approver=approver, partner=partner, start_year=2031
    )
    moved_around_the_workflow(other, 2027)
    response = post_agreement(
        client_as(approver), other, agreed_on="2026-01-05", signatory="Minister"
    )
    assert response.status_code == 200
    assert "already has an agreed programme" in response.text
    assert status_of(other) == S.APPROVED


@pytest.mark.django_db
def test_agreement_of_a_version_not_yet_approved(client_as, approver, submitted):
    response = post_agreement(
        client_as(approver), submitted, agreed_on="2026-01-05", signatory="Minister"
    )
    assert response.status_code == 302
    assert any("“Submitted”" in message for message in messages_of(response))
    assert status_of(submitted) == S.SUBMITTED


@pytest.mark.django_db
class TestClose:
    def test_reason_is_required(self, client_as, approver, agreed):
        response = client_as(approver).post(url("programme_close", agreed), {"reason": ""})
        assert response.status_code == 200
        assert "Say why the programme is closed." in response.text
        assert status_of(agreed) == S.AGREED

    def test_approver_closes(self, client_as, approver, agreed):
        client = client_as(approver)
        assert client.get(url("programme_close", agreed)).status_code == 200
        response = client.post(url("programme_close", agreed), {"reason": "Partner request."})
        assert response.status_code == 302
        programme = Programme.objects.get(pk=agreed.pk)
        assert (programme.status, programme.closed_reason) == (S.CLOSED, "Partner request.")
        assert any("is closed" in message for message in messages_of(response))

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_other_roles_are_refused(self, request, client_as, agreed, role):
        client = client_as(request.getfixturevalue(role))
        assert client.get(url("programme_close", agreed)).status_code == 403
        assert client.post(url("programme_close", agreed), {"reason": "x"}).status_code == 403
        assert status_of(agreed) == S.AGREED

    def test_closed_meanwhile(self, client_as, approver, agreed):
        workflow.close(actor=approver, programme=agreed, reason="First.")
        response = client_as(approver).post(url("programme_close", agreed), {"reason": "Again."})
        assert response.status_code == 302
        assert any("“Closed”" in message for message in messages_of(response))
        assert Programme.objects.get(pk=agreed.pk).closed_reason == "First."


@pytest.mark.django_db
class TestEveryStep:
    @pytest.fixture
    def submitted(self, db):
        """Built for each test: not every test of the class uses it."""
        return submitted_version()

    @pytest.mark.parametrize("step", STEPS)
    def test_guessed_ids_are_404(self, client_as, approver, step):
        response = client_as(approver).get(f"/programmes/123456/{step.split('_')[1]}/")
        assert response.status_code == 404

    @pytest.mark.parametrize("step", STEPS)
    def test_no_role_user_is_refused(self, client_as, no_role_user, submitted, step):
        assert client_as(no_role_user).post(url(step, submitted)).status_code == 403
        assert status_of(submitted) == S.SUBMITTED

    @pytest.mark.parametrize("step", STEPS)
    def test_administrator_opens_every_step(
        self, client_as, administrator, approver, partner, step
    ):
        status = {
            "programme_approve": S.SUBMITTED,
            "programme_return": S.SUBMITTED,
            "programme_agreement": S.APPROVED,
            "programme_close": S.AGREED,
        }[step]
        programme = programme_in_status(
            status, officer=assigned_officer(partner), approver=approver, partner=partner
        )
        assert client_as(administrator).get(url(step, programme)).status_code == 200
