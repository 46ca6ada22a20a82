"""Who receives each workflow e-mail, read from the outbox (the rows each step writes in its
transaction): approvers for "awaiting approval", never one who created, edited or submitted the
version; the drafters for the other steps; never an inactive user or one without an address."""

import pytest
from django.core.exceptions import ValidationError

from pfp.outbox.models import Message
from programmes import workflow
from programmes.models import ProgrammeStatus as S
from tests.support.factories import (
    UserFactory,
    agree,
    assigned_officer,
    draft_programme,
    programme_in_status,
)


def edit(programme, editor) -> None:
    """``editor`` rewrites the programme's summary (and so becomes one of its editors)."""
    programme.refresh_from_db()
    workflow.update_programme(
        actor=editor,
        programme=programme,
        seen_stamp=None,
        title=programme.title,
        summary=f"Rewritten by {editor.username}.",
        start_year=programme.start_year,
    )


def recipients(kind: str) -> set:
    return set(Message.objects.filter(kind=f"programme.{kind}").values_list("address", flat=True))


@pytest.mark.django_db
class TestAwaitingApproval:
    @pytest.mark.parametrize("part", ["created", "edited", "submitted"])
    def test_an_approver_who_drafted_the_version_is_not_asked_to_approve_it(
        self, part, partner, drafter, drafting_approver, approver
    ):
        author = drafting_approver if part == "created" else drafter
        programme = draft_programme(officer=author, partner=partner)
        if part == "edited":
            edit(programme, drafting_approver)
        submitter = drafting_approver if part == "submitted" else drafter
        workflow.submit(actor=submitter, programme=programme)
        assert recipients("submitted") == {approver.email}

    def test_inactive_approvers_and_approvers_without_an_address_get_nothing(
        self, partner, drafter, approver
    ):
        UserFactory(username="gone", role="Approver", is_active=False)
        UserFactory(username="silent", role="Approver", email="")
        programme_in_status(S.SUBMITTED, officer=drafter, approver=approver, partner=partner)
        assert recipients("submitted") == {approver.email}
        messages = Message.objects.filter(kind="programme.submitted")
        assert messages.count() == 1  # one per recipient: addresses are not disclosed


def returned(programme, drafter, approver):
    workflow.submit(actor=drafter, programme=programme)
    workflow.return_programme(actor=approver, programme=programme, comment="Add a goal.")


def approved(programme, drafter, approver):
    workflow.submit(actor=drafter, programme=programme)
    workflow.approve(actor=approver, programme=programme)


def agreed(programme, drafter, approver):
    agree(programme, officer=drafter, approver=approver)


def closed(programme, drafter, approver):
    agreed(programme, drafter, approver)
    programme.refresh_from_db()
    workflow.close(actor=approver, programme=programme, reason="Ended early.")


def withdrawn(programme, drafter, approver):
    returned(programme, drafter, approver)
    programme.refresh_from_db()
    workflow.withdraw(actor=drafter, programme=programme)


STEPS_TO_THE_DRAFTERS = {
    step.__name__: step for step in (returned, approved, agreed, closed, withdrawn)
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", STEPS_TO_THE_DRAFTERS)
def test_each_step_mails_the_active_drafters_with_an_address_only(kind, partner, drafter, approver):
    """Two more officers edited the version: one has left (inactive), one has no address."""
    programme = draft_programme(officer=drafter, partner=partner)
    gone, silent = assigned_officer(partner, "gone"), assigned_officer(partner, "silent")
    for editor in (gone, silent):
        edit(programme, editor)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    type(silent).objects.filter(pk=silent.pk).update(email="")
    STEPS_TO_THE_DRAFTERS[kind](programme, drafter, approver)
    assert recipients(kind) == {drafter.email}
    assert Message.objects.filter(kind=f"programme.{kind}").count() == 1
    assert not Message.objects.filter(recipient__in=[gone, silent]).exists()


@pytest.mark.django_db
def test_a_rolled_back_step_writes_no_message(partner, drafter, approver):
    programme = programme_in_status(
        S.SUBMITTED, officer=drafter, approver=approver, partner=partner
    )
    Message.objects.all().delete()
    with pytest.raises(ValidationError):
        workflow.return_programme(actor=approver, programme=programme, comment="")
    assert not Message.objects.exists()
