"""Delivery's rules (``programmes.delivery.actions``): who records events and reviews, what an
event may say, what a revision keeps, the four-eyes rule on reviews, and the database
constraints behind them."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pfp.roles import Role
from programmes import workflow
from programmes.delivery import actions
from programmes.delivery.models import (
    AnnualReview,
    Event,
    EventStatus,
    ObjectiveProgress,
    Progress,
    ReviewStatus,
)
from programmes.models import ProgrammeStatus
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    agree,
    assigned_officer,
    event_of,
    programme_in_force,
    programme_in_status,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def programme(drafter, approver, partner):
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


class TestRecordingEvents:
    def test_an_event_of_a_planned_activity_belongs_to_its_keys(self, programme, drafter):
        planned = programme.planned_activities.filter(year=1).first()
        event = event_of(programme, officer=drafter, planned=planned)
        assert (event.lineage, event.planned_key, event.goal_key) == (
            programme.lineage,
            planned.key,
            planned.goal.key,
        )
        assert event.activity == planned.activity
        assert event.provider == planned.activity.provider
        assert event.partner == programme.partner
        assert event.year == 1
        assert event.status == EventStatus.SCHEDULED
        row = event.history.get()
        assert (row.history_user, row.history_change_reason) == (drafter, actions.Step.RECORD)

    def test_an_unplanned_event_serves_a_goal(self, programme, drafter):
        goal = programme.objectives.first().goals.first()
        activity = ActivityFactory()
        event = actions.record_event(
            actor=drafter,
            programme=programme,
            activity=activity,
            goal=goal,
            year=2,
            start_date=datetime.date(programme.start_year + 1, 5, 4),
            end_date=datetime.date(programme.start_year + 1, 5, 4),
            online=True,
        )
        assert event.planned_key is None
        assert event.goal_key == goal.key
        assert not event.is_planned

    def test_an_unplanned_event_needs_a_goal_of_the_programme(self, programme, drafter):
        elsewhere = PartnerFactory()
        other = programme_in_force(
            officer=assigned_officer(elsewhere),
            approver=UserFactory(role=Role.APPROVER),
            partner=elsewhere,
        )
        with pytest.raises(ValidationError):
            actions.record_event(
                actor=drafter,
                programme=programme,
                activity=ActivityFactory(),
                goal=other.objectives.first().goals.first(),
                year=1,
                start_date=datetime.date(programme.start_year, 5, 4),
                end_date=datetime.date(programme.start_year, 5, 4),
                online=True,
            )
        assert not Event.objects.exists()

    def test_delivered_with_participants_and_an_evaluation(self, programme, drafter):
        event = event_of(programme, officer=drafter)
        event = actions.update_event(
            actor=drafter,
            event=event,
            seen_stamp=event.edit_stamp,
            status=EventStatus.DELIVERED,
            participants=12,
            women=5,
            rating=4,
            evaluation="  Well run; the partner asks for a follow-up.  ",
        )
        event.refresh_from_db()
        assert (event.status, event.participants, event.women, event.rating) == (
            EventStatus.DELIVERED,
            12,
            5,
            4,
        )
        assert event.evaluation == "Well run; the partner asks for a follow-up."
        assert event.share_of_women == pytest.approx(5 / 12)
        assert event.edit_stamp == 1
        assert list(event.history.values_list("history_change_reason", flat=True)) == [
            actions.Step.CORRECT,
            actions.Step.RECORD,
        ]

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"year": 5}, "year"),
            ({"year": 0}, "year"),
            (
                {"start_date": datetime.date(1999, 3, 1), "end_date": datetime.date(1999, 3, 2)},
                "start_date",
            ),
            ({"end_date": "before"}, "end_date"),
            ({"status": EventStatus.CANCELLED}, "cancellation_reason"),
            ({"status": EventStatus.POSTPONED}, "postponed_to"),
            ({"status": EventStatus.POSTPONED, "postponed_to": 1}, "postponed_to"),
            ({"participants": 3, "women": 4}, "women"),
            ({"women": 4}, "participants"),
            ({"rating": 5}, "rating"),
            ({"place": "", "online": False}, "place"),
        ],
    )
    def test_contradictions_are_refused_with_the_field_named(
        self, programme, drafter, fields, field
    ):
        if fields.get("end_date") == "before":
            fields["end_date"] = datetime.date(programme.start_year, 3, 1)
        with pytest.raises(ValidationError) as excinfo:
            event_of(programme, officer=drafter, **fields)
        assert field in errors_of(excinfo)
        assert not Event.objects.exists()

    def test_delivered_in_the_future_is_refused(self, programme, drafter):
        with pytest.raises(ValidationError) as excinfo:
            event_of(programme, officer=drafter, planned_year=3, status=EventStatus.DELIVERED)
        assert "status" in errors_of(excinfo)

    def test_postponed_to_a_later_year(self, programme, drafter):
        event = event_of(programme, officer=drafter, status=EventStatus.POSTPONED, postponed_to=3)
        assert event.postponed_to == 3
        # Another status drops the year it was postponed to, and a reason it was cancelled.
        event = actions.update_event(
            actor=drafter,
            event=event,
            seen_stamp=0,
            status=EventStatus.CANCELLED,
            cancellation_reason="The course was full.",
        )
        assert (event.postponed_to, event.cancellation_reason) == (None, "The course was full.")
        event = actions.update_event(
            actor=drafter, event=event, seen_stamp=1, status=EventStatus.SCHEDULED
        )
        assert event.cancellation_reason == ""

    @pytest.mark.parametrize(
        "status",
        [
            ProgrammeStatus.DRAFT,
            ProgrammeStatus.SUBMITTED,
            ProgrammeStatus.APPROVED,
            ProgrammeStatus.CLOSED,
            ProgrammeStatus.SUPERSEDED,
        ],
    )
    def test_only_a_programme_in_force_takes_events(self, drafter, approver, partner, status):
        programme = programme_in_status(
            status, officer=drafter, approver=approver, partner=partner, start_year=2025
        )
        # A superseded version's lineage is in force through its revision, which does not hold
        # the superseded version's planned activities.
        with pytest.raises(workflow.WorkflowError):
            actions.record_event(
                actor=drafter,
                programme=programme,
                planned=programme.planned_activities.first(),
                year=1,
                start_date=datetime.date(2025, 3, 1),
                end_date=datetime.date(2025, 3, 1),
                online=True,
            )

    def test_who_records(self, programme, drafter, viewer, approver, administrator):
        other_officer = assigned_officer(PartnerFactory(), "officer-elsewhere")
        for user in (viewer, approver, other_officer):
            with pytest.raises(workflow.NotPermitted):
                event_of(programme, officer=user)
        assert not Event.objects.exists()
        event = event_of(programme, officer=administrator)
        for user in (viewer, approver, other_officer):
            with pytest.raises(workflow.NotPermitted):
                actions.update_event(actor=user, event=event, seen_stamp=None, place="Mons")
            with pytest.raises(workflow.NotPermitted):
                actions.delete_event(actor=user, event=event)
        actions.update_event(actor=drafter, event=event, seen_stamp=None, place="Mons")

    def test_a_stale_form_is_refused(self, programme, drafter, administrator):
        event = event_of(programme, officer=drafter)
        actions.update_event(actor=administrator, event=event, seen_stamp=0, place="Mons")
        with pytest.raises(workflow.EditConflict):
            actions.update_event(actor=drafter, event=event, seen_stamp=0, place="Oberammergau")
        event.refresh_from_db()
        assert event.place == "Mons"

    def test_delete_keeps_the_history(self, programme, drafter):
        event = event_of(programme, officer=drafter)
        actions.delete_event(actor=drafter, event=event)
        assert not Event.objects.exists()
        deleted = Event.history.get(history_type="-")
        assert (deleted.history_user, deleted.history_change_reason) == (
            drafter,
            actions.Step.DELETE,
        )
        with pytest.raises(workflow.WrongStatus):
            actions.delete_event(actor=drafter, event=event)

    def test_one_event_per_external_reference(self, programme, drafter):
        event_of(programme, officer=drafter, external_ref="EP-2025-0001")
        with pytest.raises(ValidationError) as excinfo:
            event_of(programme, officer=drafter, external_ref="EP-2025-0001")
        assert "already recorded" in str(excinfo.value)
        assert actions.find_by_reference(programme.partner_id, "EP-2025-0001")

    def test_a_form_token_records_one_event(self, programme, drafter, approver):
        token = uuid.uuid4()
        first = event_of(programme, officer=drafter, token=token)
        again = event_of(programme, officer=drafter, token=token, place="Mons")
        assert again == first
        assert Event.objects.filter(lineage=programme.lineage).count() == 1
        assert first.history.filter(history_type="+").count() == 1
        other = PartnerFactory(name="Otherland", code="OT")
        officer = assigned_officer(other)
        elsewhere = programme_in_force(officer=officer, approver=approver, partner=other)
        with pytest.raises(workflow.WorkflowError, match="already used"):
            event_of(elsewhere, officer=officer, token=token)
        assert not Event.objects.filter(lineage=elsewhere.lineage).exists()


class TestRecordingEventsAtOnce:
    """``record_events``: several events under ``record_event``'s rules, all or none, in a number
    of queries that does not grow with them (the demo's history)."""

    @staticmethod
    def records(programme, count, **fields):
        planned = list(programme.planned_activities.filter(year=1).order_by("pk"))
        day = datetime.date(programme.start_year, 3, 10)
        return [
            actions.EventRecord(
                planned[n % len(planned)],
                {"start_date": day, "end_date": day, "place": "Rome", **fields}
                | {"external_ref": f"R-{n}"},
            )
            for n in range(count)
        ]

    def test_all_recorded_with_their_history(self, programme, drafter):
        events = actions.record_events(
            actor=drafter,
            programme=programme,
            records=self.records(programme, 3, status="delivered", participants=9, women=4),
        )
        assert Event.objects.filter(status=EventStatus.DELIVERED, women=4).count() == 3
        assert {e.planned_key for e in events} <= set(
            programme.planned_activities.values_list("key", flat=True)
        )
        rows = Event.history.all()
        assert rows.count() == 3
        assert {(r.history_user, r.history_change_reason) for r in rows} == {
            (drafter, actions.Step.RECORD)
        }

    def test_queries_do_not_grow_with_the_events(self, programme, drafter):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(count, first):
            records = self.records(programme, count)
            for n, record in enumerate(records):
                record.fields["external_ref"] = f"{first}-{n}"
            with CaptureQueriesContext(connection) as captured:
                actions.record_events(actor=drafter, programme=programme, records=records)
            return len(captured)

        assert queries(2, "A") == queries(30, "B")

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"status": "delivered", "participants": 3, "women": 5}, "women"),
            ({"status": "cancelled"}, "cancellation_reason"),
            ({"rating": 9, "status": "delivered"}, "rating"),
        ],
    )
    def test_one_event_refused_refuses_all(self, programme, drafter, fields, field):
        records = self.records(programme, 2)
        records.append(self.records(programme, 3, **fields)[2])
        with pytest.raises(ValidationError) as excinfo:
            actions.record_events(actor=drafter, programme=programme, records=records)
        assert field in errors_of(excinfo)
        assert not Event.objects.exists()

    def test_an_external_reference_once(self, programme, drafter):
        event_of(programme, officer=drafter, external_ref="R-1")
        with pytest.raises(ValidationError) as excinfo:
            actions.record_events(
                actor=drafter, programme=programme, records=self.records(programme, 2)
            )
        assert "already recorded" in str(excinfo.value)
        assert Event.objects.count() == 1

    def test_only_the_partners_officers(self, programme, approver):
        with pytest.raises(workflow.NotPermitted):
            actions.record_events(
                actor=approver, programme=programme, records=self.records(programme, 1)
            )
        assert not Event.objects.exists()


class TestRevisions:
    def test_a_revision_keeps_the_events_and_a_removed_activity_keeps_its_past(
        self, programme, drafter, approver, administrator
    ):
        kept, removed = programme.planned_activities.filter(year=1).order_by("pk")[:2]
        kept_event = event_of(programme, officer=drafter, planned=kept)
        removed_event = event_of(programme, officer=drafter, planned=removed)
        revision = workflow.revise(actor=drafter, programme=programme)
        workflow.remove_planned_activity(
            actor=drafter, planned=revision.planned_activities.get(key=removed.key)
        )
        agree(revision, officer=drafter, approver=administrator, on=TODAY)

        events = Event.objects.of_lineage(revision.lineage)
        assert set(events) == {kept_event, removed_event}
        current_keys = set(revision.planned_activities.values_list("key", flat=True))
        assert kept_event.planned_key in current_keys
        assert removed_event.planned_key not in current_keys
        # Recording goes on against the version now in force.
        event = actions.update_event(
            actor=drafter, event=kept_event, seen_stamp=None, participants=8, women=3
        )
        assert event.participants == 8
        # The superseded version takes no new event.
        assert actions.in_force_version(programme.lineage) == revision


class TestConstraints:
    """What a row can express is a database constraint: no path around the module breaks it."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"year": 5},
            {"end_date": datetime.date(2000, 1, 1)},
            {"place": "", "online": False},
            {"participants": 2, "women": 3},
            {"participants": None, "women": 1},
            {"status": EventStatus.CANCELLED, "cancellation_reason": ""},
            {"status": EventStatus.SCHEDULED, "cancellation_reason": "Why not"},
            {"status": EventStatus.POSTPONED, "postponed_to": 1},
            {"status": EventStatus.SCHEDULED, "postponed_to": 3},
            {"status": EventStatus.SCHEDULED, "rating": 3},
            {"status": EventStatus.DELIVERED, "rating": 6},
            {"status": "lost"},
        ],
    )
    def test_event_rows(self, programme, drafter, changes):
        event = event_of(programme, officer=drafter)
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(**changes)

    def test_review_rows(self, programme, drafter, approver):
        review = actions.start_review(actor=drafter, programme=programme, year=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            AnnualReview.objects.filter(pk=review.pk).update(
                status=ReviewStatus.ACKNOWLEDGED, acknowledged_at=timezone.now()
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            AnnualReview.objects.filter(pk=review.pk).update(
                acknowledged_by=drafter, acknowledged_at=timezone.now()
            )


def fill(review, programme, actor, progress=Progress.ON_TRACK, overall="A good first year."):
    ratings = {
        objective.key: (progress, f"Progress towards {objective.title}.")
        for objective in programme.objectives.all()
    }
    return actions.save_review(
        actor=actor,
        review=review,
        seen_stamp=review.edit_stamp,
        overall=overall,
        progress=ratings,
    )


class TestAnnualReviews:
    def test_written_submitted_and_acknowledged_by_another(self, programme, drafter, approver):
        review = actions.start_review(actor=drafter, programme=programme, year=1)
        assert actions.start_review(actor=drafter, programme=programme, year=1) == review
        with pytest.raises(ValidationError) as excinfo:
            actions.submit_review(actor=drafter, review=review)
        assert len(excinfo.value.messages) == 3  # two objectives and the overall assessment
        review = fill(review, programme, drafter)
        assert review.ratings.count() == 2
        review = actions.submit_review(actor=drafter, review=review)
        assert review.status == ReviewStatus.SUBMITTED
        assert review.submitted_by == drafter
        with pytest.raises(workflow.WrongStatus):
            fill(review, programme, drafter)
        review = actions.acknowledge_review(actor=approver, review=review)
        assert (review.status, review.acknowledged_by) == (ReviewStatus.ACKNOWLEDGED, approver)
        steps = review.history.order_by("history_id").values_list(
            "history_change_reason", "history_user"
        )
        assert [step for step, _user in steps] == [
            actions.Step.START_REVIEW,
            actions.Step.EDIT_REVIEW,
            actions.Step.SUBMIT_REVIEW,
            actions.Step.ACKNOWLEDGE_REVIEW,
        ]

    def test_four_eyes(self, programme, partner, drafter, drafting_approver, approver):
        review = actions.start_review(actor=drafting_approver, programme=programme, year=1)
        review = fill(review, programme, drafter)
        review = actions.submit_review(actor=drafter, review=review)
        with pytest.raises(workflow.NotPermitted, match="another approver"):
            actions.acknowledge_review(actor=drafting_approver, review=review)
        with pytest.raises(workflow.NotPermitted):
            actions.acknowledge_review(actor=drafter, review=review)
        actions.acknowledge_review(actor=approver, review=review)

    def test_returned_with_a_comment_then_written_again(self, programme, drafter, approver):
        review = actions.start_review(actor=drafter, programme=programme, year=1)
        review = actions.submit_review(actor=drafter, review=fill(review, programme, drafter))
        with pytest.raises(ValidationError):
            actions.return_review(actor=approver, review=review, comment="  ")
        review = actions.return_review(
            actor=approver, review=review, comment="Say why cyber is at risk."
        )
        assert review.status == ReviewStatus.RETURNED
        review = fill(review, programme, drafter, progress=Progress.AT_RISK)
        review = actions.submit_review(actor=drafter, review=review)
        assert set(review.ratings.values_list("progress", flat=True)) == {Progress.AT_RISK}

    def test_a_year_not_begun_has_no_review(self, programme, drafter):
        with pytest.raises(ValidationError):
            actions.start_review(actor=drafter, programme=programme, year=4)
        assert not AnnualReview.objects.exists()

    def test_only_the_partners_officers_write_it(self, programme, viewer, approver):
        for user in (viewer, approver):
            with pytest.raises(workflow.NotPermitted):
                actions.start_review(actor=user, programme=programme, year=1)


class TestRecordingReviewsAtOnce:
    """``record_reviews`` and ``acknowledge_reviews``: a finished programme's reviews written
    and submitted, then acknowledged, under the rules of the single steps, all or none, in a
    number of queries that does not grow with them (the demo's history)."""

    @pytest.fixture
    def finished(self, drafter, approver, partner):
        return programme_in_force(
            officer=drafter, approver=approver, partner=partner, start_year=TODAY.year - 5
        )

    @staticmethod
    def records(programme, years, progress=Progress.ON_TRACK, overall="As planned."):
        ratings = {o.key: (progress, "Steady.") for o in programme.objectives.all()}
        return [actions.ReviewRecord(year, overall, dict(ratings)) for year in years]

    def test_each_review_as_its_four_steps_leave_it(self, finished, drafter, approver):
        reviews = actions.record_reviews(
            actor=drafter, programme=finished, records=self.records(finished, [1, 2, 3, 4])
        )
        assert {r.status for r in AnnualReview.objects.all()} == {ReviewStatus.SUBMITTED}
        actions.acknowledge_reviews(actor=approver, reviews=reviews)
        assert AnnualReview.objects.count() == 4
        for review in AnnualReview.objects.all():
            assert (review.status, review.edit_stamp) == (ReviewStatus.ACKNOWLEDGED, 3)
            assert (review.created_by, review.submitted_by) == (drafter, drafter)
            assert review.acknowledged_by == approver
            assert list(review.writers.all()) == [drafter]
            assert review.overall == "As planned."
            assert review.ratings.count() == 2
            steps = list(
                review.history.order_by("history_id").values_list(
                    "history_change_reason", "history_user", "status", "edit_stamp", "overall"
                )
            )
            written = "As planned."
            assert steps == [
                (actions.Step.START_REVIEW, drafter.pk, ReviewStatus.DRAFT, 0, ""),
                (actions.Step.EDIT_REVIEW, drafter.pk, ReviewStatus.DRAFT, 1, written),
                (actions.Step.SUBMIT_REVIEW, drafter.pk, ReviewStatus.SUBMITTED, 2, written),
                (actions.Step.ACKNOWLEDGE_REVIEW, approver.pk, "acknowledged", 3, written),
            ]
        ratings = ObjectiveProgress.history.filter(review__lineage=finished.lineage)
        assert ratings.count() == 8
        assert set(ratings.values_list("history_change_reason", "history_user")) == {
            (actions.Step.EDIT_REVIEW, drafter.pk)
        }

    def test_queries_do_not_grow_with_the_reviews(self, finished, drafter, approver):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(years):
            with CaptureQueriesContext(connection) as written:
                reviews = actions.record_reviews(
                    actor=drafter, programme=finished, records=self.records(finished, years)
                )
            with CaptureQueriesContext(connection) as acknowledged:
                actions.acknowledge_reviews(actor=approver, reviews=reviews)
            return len(written), len(acknowledged)

        assert queries([1]) == queries([2, 3, 4])

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"year": 4}, "has not begun"),
            ({"overall": " "}, "overall assessment"),
            ({"progress": "fine"}, "on track"),
            ({"unrated": True}, "Rate the progress"),
            ({"reviewed": True}, "already has its review"),
        ],
    )
    def test_one_review_refused_refuses_all(self, programme, drafter, change, message):
        if change.get("reviewed"):
            review = actions.start_review(actor=drafter, programme=programme, year=2)
        records = self.records(programme, [1])
        last = self.records(
            programme,
            [change.get("year", 2)],
            progress=change.get("progress", Progress.AT_RISK),
            overall=change.get("overall", "Late."),
        )[0]
        if change.get("unrated"):
            last.progress.popitem()
        with pytest.raises(ValidationError, match=message):
            actions.record_reviews(actor=drafter, programme=programme, records=[*records, last])
        expected = [review.pk] if change.get("reviewed") else []
        assert list(AnnualReview.objects.values_list("pk", flat=True)) == expected
        assert not ObjectiveProgress.objects.exists()

    def test_acknowledged_by_an_approver_who_did_not_write_them(
        self, finished, drafter, drafting_approver, approver
    ):
        reviews = actions.record_reviews(
            actor=drafting_approver, programme=finished, records=self.records(finished, [1])
        )
        reviews += actions.record_reviews(
            actor=drafter, programme=finished, records=self.records(finished, [2])
        )
        for actor, refusal in ((drafting_approver, "another approver"), (drafter, "approvers")):
            with pytest.raises(workflow.NotPermitted, match=refusal):
                actions.acknowledge_reviews(actor=actor, reviews=reviews)
        assert {r.status for r in AnnualReview.objects.all()} == {ReviewStatus.SUBMITTED}
        assert not AnnualReview.history.filter(
            history_change_reason=actions.Step.ACKNOWLEDGE_REVIEW
        ).exists()
        actions.acknowledge_reviews(actor=approver, reviews=reviews)
        with pytest.raises(workflow.WrongStatus, match="only a submitted review"):
            actions.acknowledge_reviews(actor=approver, reviews=reviews[:1])

    def test_only_the_partners_officers_write_them(self, finished, approver):
        with pytest.raises(workflow.NotPermitted):
            actions.record_reviews(
                actor=approver, programme=finished, records=self.records(finished, [1])
            )
        assert not AnnualReview.objects.exists()
