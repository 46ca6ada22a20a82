"""The demo's clock: what workflow steps record in a ``dating`` block is moved to a day of the
demo's past, a minute per moment in the order recorded; what was recorded outside is left
alone. The full demo's dates are checked in test_demo_programmes.py."""

import datetime

import pytest
from django.utils import timezone

from programmes import workflow
from programmes.devtools.demo.clock import DemoClock
from programmes.models import Comment
from tests.support.factories import assigned_officer, draft_programme

DAY = datetime.date(2024, 10, 18)
LATER = datetime.date(2024, 11, 27)


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def clock():
    return DemoClock(today=timezone.localdate())


@pytest.fixture
def drafter(partner):
    return assigned_officer(partner)


@pytest.mark.django_db
class TestDating:
    def test_each_recorded_moment_a_minute_after_the_one_before(self, clock, drafter, partner):
        with clock.dating(DAY):
            programme = draft_programme(officer=drafter, partner=partner)
        programme.refresh_from_db()
        objective = programme.objectives.get()
        goal = objective.goals.get()
        planned = programme.planned_activities.get()
        assert programme.created_at == at(DAY, 9, 1)
        created = programme.history.get()
        assert (created.history_date, created.created_at) == (at(DAY, 9, 2), at(DAY, 9, 1))
        assert objective.history.get().history_date == at(DAY, 9, 3)
        assert goal.history.get().history_date == at(DAY, 9, 4)
        assert planned.history.get().history_date == at(DAY, 9, 5)

    def test_hour_and_unrecorded_readings(self, clock, drafter, partner):
        with clock.dating(DAY):
            programme = draft_programme(officer=drafter, partner=partner)
        with clock.dating(LATER, hour=11, unrecorded=1):
            workflow.submit(actor=drafter, programme=programme)
        programme.refresh_from_db()
        submitted = programme.history.latest("history_id")
        assert programme.submitted_at == submitted.submitted_at == at(LATER, 11, 2)
        assert submitted.history_date == at(LATER, 11, 3)
        # The earlier stamps, in the programme and its new history row, keep their demo times.
        assert programme.created_at == submitted.created_at == at(DAY, 9, 1)

    def test_never_after_today(self, drafter, partner):
        clock = DemoClock(today=DAY)
        with clock.dating(DAY + datetime.timedelta(days=30)):
            programme = draft_programme(officer=drafter, partner=partner)
        programme.refresh_from_db()
        assert programme.created_at == at(DAY, 9, 1)

    def test_what_was_recorded_outside_the_block_is_left_alone(
        self, clock, drafter, partner, approver
    ):
        before = timezone.now()
        programme = draft_programme(officer=drafter, partner=partner)
        with clock.dating(DAY):
            workflow.add_comment(actor=approver, programme=programme, text="Looks complete.")
        comment = Comment.objects.get()
        assert comment.created_at == at(DAY, 9, 1)
        assert comment.history.get().history_date == at(DAY, 9, 2)
        programme.refresh_from_db()
        assert programme.created_at >= before
        assert all(row.history_date >= before for row in programme.history.all())

    def test_nothing_is_dated_when_the_block_fails(self, clock, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner)
        created_at = programme.created_at

        def add_then_fail():
            with clock.dating(DAY):
                workflow.add_objective(actor=drafter, programme=programme, title="Kept")
                raise workflow.WorkflowError("stop")

        with pytest.raises(workflow.WorkflowError):
            add_then_fail()
        programme.refresh_from_db()
        assert programme.created_at == created_at
        assert programme.objectives.filter(title="Kept").get().history.get().history_date > (
            at(DAY, 23, 59)
        )
