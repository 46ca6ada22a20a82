"""Reminders to the officers, written to the outbox once per occasion: a programme ending within
twelve months with no successor (once a month), an event past its last day with no outcome
(once); to the partner's own active officers with an address, in their language."""

import datetime

import pytest
from django.utils import timezone

from pfp.outbox import preferences
from pfp.outbox.models import Message
from programmes import reminders
from programmes.delivery import actions
from programmes.delivery.models import EventStatus
from programmes.models import ProgrammeStatus as S
from tests.support.factories import (
    assigned_officer,
    event_of,
    programme_in_force,
    programme_in_status,
)


def reminded(kind: str) -> list[tuple[str, str]]:
    return list(Message.objects.filter(kind=kind).order_by("pk").values_list("address", "subject"))


@pytest.mark.django_db
class TestEndingWithoutSuccessor:
    @pytest.fixture
    def ending(self, partner, drafter, approver):
        """Agreed, its last year the current one: it ends within twelve months."""
        this_year = timezone.localdate().year
        return programme_in_status(
            S.AGREED, officer=drafter, approver=approver, partner=partner, start_year=this_year - 3
        )

    def test_the_partners_officers_are_reminded_once_a_month(
        self, ending, partner, drafter, approver, officer
    ):
        silent = assigned_officer(partner, "silent")
        type(silent).objects.filter(pk=silent.pk).update(email="")
        today = timezone.localdate()
        assert reminders.remind_ending_programmes(today=today) == 1
        ((address, subject),) = reminded("reminder.ending")
        assert address == drafter.email  # not the officer of other partners, nor the approver
        assert str(ending.partner) in subject
        # Every day of the month: nothing more; the next month: again.
        assert reminders.remind_ending_programmes(today=today) == 0
        assert Message.objects.filter(kind="reminder.ending").count() == 1
        next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        if next_month.year == today.year:  # still within twelve months of its end
            assert reminders.remind_ending_programmes(today=next_month) == 1

    def test_no_reminder_once_a_successor_is_on_its_way(self, ending, drafter):
        from programmes import workflow

        workflow.draft_successor(
            actor=drafter, programme=ending, title="The next one", copy_activities=True
        )
        assert reminders.remind_ending_programmes() == 0

    def test_in_the_officers_language_and_as_they_chose(self, ending, drafter):
        drafter.language = "fr"
        drafter.save(update_fields=["language"])
        preferences.save(actor=drafter, choices={"reminder.ending": "weekly"})
        reminders.remind_ending_programmes()
        message = Message.objects.get(kind="reminder.ending")
        assert message.subject.startswith("[PFP] Se termine dans l")
        assert "sans successeur" in message.subject
        assert "aucun successeur" in message.body
        assert (message.status, message.digest) == ("held", "weekly")


@pytest.mark.django_db
class TestEventsWithoutOutcome:
    def test_each_event_past_its_date_is_reminded_once(self, partner, drafter, approver):
        programme = programme_in_force(officer=drafter, approver=approver, partner=partner)
        past = event_of(programme, officer=drafter)
        assert past.status == EventStatus.SCHEDULED
        assert past.end_date < timezone.localdate()
        assert reminders.remind_events_without_outcome() == 1
        assert [address for address, _subject in reminded("reminder.outcome")] == [drafter.email]
        assert reminders.remind_events_without_outcome() == 0
        assert Message.objects.filter(kind="reminder.outcome").count() == 1

    def test_an_event_with_its_outcome_is_not_reminded(self, partner, drafter, approver):
        programme = programme_in_force(officer=drafter, approver=approver, partner=partner)
        event = event_of(programme, officer=drafter)
        actions.update_event(
            actor=drafter,
            event=event,
            status=EventStatus.CANCELLED,
            cancellation_reason="The host cancelled it.",
            seen_stamp=None,
        )
        assert reminders.remind_events_without_outcome() == 0


@pytest.mark.django_db
class TestReviewsDue:
    def test_a_year_over_without_a_review_is_reminded_once_a_month(
        self, partner, drafter, approver, officer
    ):
        programme = programme_in_force(officer=drafter, approver=approver, partner=partner)
        march = datetime.date(programme.start_year + 1, 3, 1)  # year 1 over, year 2 under way
        assert reminders.remind_reviews_due(today=march) == 1
        ((address, subject),) = reminded("reminder.review")
        assert address == drafter.email  # the partner's officer, not another partner's
        assert str(programme.start_year) in subject
        assert reminders.remind_reviews_due(today=march + datetime.timedelta(days=20)) == 0
        assert reminders.remind_reviews_due(today=march.replace(month=4)) == 1


@pytest.mark.django_db
class TestAwaitingThePartner:
    """A version NATO approved more than two weeks ago that the partner has neither accepted nor
    declined: its officers are reminded once per approval."""

    @pytest.fixture
    def approved(self, partner, drafter, approver):
        programme = programme_in_status(
            S.APPROVED, officer=drafter, approver=approver, partner=partner, start_year=2043
        )
        return programme

    def days_after_approval(self, programme, days):
        return timezone.localtime(programme.approved_at).date() + datetime.timedelta(days=days)

    def test_after_two_weeks_once(self, approved, drafter, officer):
        assert reminders.remind_awaiting_partner(today=self.days_after_approval(approved, 14)) == 0
        later = self.days_after_approval(approved, 15)
        assert reminders.remind_awaiting_partner(today=later) == 1
        ((address, subject),) = reminded("reminder.awaiting")
        assert address == drafter.email  # the partner's officer, not the officer of another
        assert str(approved.partner) in subject
        message = Message.objects.get(kind="reminder.awaiting")
        assert "15 days ago" in message.body
        # Every later day: nothing more for the same approval.
        assert reminders.remind_awaiting_partner(today=self.days_after_approval(approved, 40)) == 0

    def test_approved_again_after_a_decline_is_a_new_occasion(self, approved, drafter):
        reminders.remind_awaiting_partner(today=self.days_after_approval(approved, 15))
        type(approved).objects.filter(pk=approved.pk).update(
            approved_at=approved.approved_at + datetime.timedelta(days=30)
        )
        approved.refresh_from_db()
        assert reminders.remind_awaiting_partner(today=self.days_after_approval(approved, 15)) == 1
        assert Message.objects.filter(kind="reminder.awaiting").count() == 2

    def test_nothing_once_accepted_or_for_another_status(self, partner, drafter, approver):
        programme_in_status(
            S.AGREED, officer=drafter, approver=approver, partner=partner, start_year=2031
        )
        assert reminders.remind_awaiting_partner(today=datetime.date(2045, 1, 1)) == 0

    def test_in_french(self, approved, drafter):
        drafter.language = "fr"
        drafter.save(update_fields=["language"])
        preferences.save(actor=drafter, choices={"reminder.awaiting": "at_once"})
        reminders.remind_awaiting_partner(today=self.days_after_approval(approved, 20))
        message = Message.objects.get(kind="reminder.awaiting")
        assert message.subject.startswith("[PFP] En attente de l\u2019acceptation du partenaire")
        assert "il y a 20 jours" in message.body
        assert message.digest == ""
