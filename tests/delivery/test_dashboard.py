"""Delivery on the home dashboard: events of my partners in the next 30 days, past events with
no outcome, annual reviews due (``reviews_due``: from 1 January after the year, until one is
submitted), and reviews awaiting an approver's acknowledgement that they did not write; empty
states that say what to do; a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.delivery import actions
from programmes.delivery.models import EventStatus, Progress
from programmes.delivery.queries import reviews_due
from programmes.models import Programme
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    event_of,
    programme_in_force,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home")
TODAY = timezone.localdate()


@pytest.fixture
def programme(drafter, approver, partner):
    """In force since last year: year 1 is over, year 2 under way."""
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


def soon(days):
    return TODAY + datetime.timedelta(days=days)


def submitted_review(programme, officer, year=1):
    review = actions.start_review(actor=officer, programme=programme, year=year)
    actions.save_review(
        actor=officer,
        review=review,
        seen_stamp=None,
        overall="Done.",
        progress={o.key: (Progress.ON_TRACK, "") for o in programme.objectives.all()},
    )
    return actions.submit_review(actor=officer, review=review)


class TestReviewsDue:
    def test_due_from_the_first_of_january_after_the_year(self, programme):
        start = programme.start_year
        programmes = Programme.objects.all()
        assert reviews_due(programmes, datetime.date(start, 12, 31)) == []
        due = reviews_due(programmes, datetime.date(start + 1, 1, 1))
        assert [(item.programme, item.year, item.calendar_year) for item in due] == [
            (programme, 1, start)
        ]
        later = reviews_due(programmes, datetime.date(start + 4, 1, 1))
        assert [item.year for item in later] == [1, 2, 3, 4]

    def test_a_draft_or_returned_review_is_still_due_a_submitted_one_not(
        self, programme, drafter, approver
    ):
        day = datetime.date(programme.start_year + 1, 3, 1)
        review = actions.start_review(actor=drafter, programme=programme, year=1)
        assert [item.review for item in reviews_due(Programme.objects.all(), day)] == [review]
        submitted_review(programme, drafter)
        assert reviews_due(Programme.objects.all(), day) == []
        actions.return_review(actor=approver, review=review, comment="More.")
        assert [item.year for item in reviews_due(Programme.objects.all(), day)] == [1]

    def test_only_programmes_in_force(self, programme, approver):
        from programmes import workflow

        workflow.close(actor=approver, programme=programme, reason="Ended early.")
        assert reviews_due(Programme.objects.all(), datetime.date(2100, 1, 1)) == []

    def test_two_queries_whatever_the_number(self, programme, approver, django_assert_num_queries):
        for code in ("AA", "BB", "CC"):
            other = PartnerFactory(name=f"Partner {code}", code=code)
            programme_in_force(officer=assigned_officer(other), approver=approver, partner=other)
        with django_assert_num_queries(2):
            due = reviews_due(Programme.objects.all(), TODAY)
        assert len(due) == 4


class TestOfficerPanels:
    def test_my_events_soon_and_without_outcome(self, client_as, drafter, approver, programme):
        planned = programme.planned_activities.filter(year=2).first()

        def on(day):  # the programme year the day falls in
            return {"start_date": day, "end_date": day, "year": day.year - programme.start_year + 1}

        soon_event = event_of(programme, officer=drafter, planned=planned, **on(soon(3)))
        event_of(programme, officer=drafter, planned=planned, **on(soon(45)))
        past = event_of(programme, officer=drafter)  # last year, nothing recorded
        done = event_of(programme, officer=drafter, place="Tbilisi")
        actions.update_event(actor=drafter, event=done, seen_stamp=None, status="delivered")
        # Another partner's: not mine.
        other = PartnerFactory(name="Elsewhere", code="EW")
        other_officer = assigned_officer(other)
        elsewhere = programme_in_force(officer=other_officer, approver=approver, partner=other)
        event_of(elsewhere, officer=other_officer)
        response = client_as(drafter).get(HOME)
        assert response.context["upcoming_events"].rows == [soon_event]
        assert response.context["events_without_outcome"].rows == [past]
        text = response.text
        assert reverse("programmes:event_detail", args=[soon_event.pk]) in text
        assert reverse("programmes:event_detail", args=[past.pk]) in text

    def test_reviews_due_link_to_the_programme(self, client_as, drafter, programme):
        response = client_as(drafter).get(HOME)
        due = response.context["reviews_due"].rows
        assert [(item.programme, item.year) for item in due] == [(programme, 1)]
        assert f"{programme.get_absolute_url()}#delivery" in response.text
        submitted_review(programme, drafter)
        assert client_as(drafter).get(HOME).context["reviews_due"].rows == []

    def test_empty_states_say_what_to_do(self, client_as, drafter, partner):
        text = client_as(drafter).get(HOME).text
        assert "Schedule events from the Delivery section of a programme in force." in text
        assert "Every past event of your partners has its outcome recorded." in text
        assert "A year's review is due from 1 January after it." in text

    def test_a_viewer_has_no_delivery_panels(self, client_as, viewer, programme):
        response = client_as(viewer).get(HOME)
        assert "upcoming_events" not in response.context
        assert "reviews_to_acknowledge" not in response.context


class TestApproverPanel:
    def test_reviews_awaiting_my_acknowledgement_not_those_i_wrote(
        self, client_as, approver, drafting_approver, programme, drafter
    ):
        mine = submitted_review(programme, drafting_approver, year=1)
        theirs = submitted_review(programme, drafter, year=2)
        response = client_as(drafting_approver).get(HOME)
        assert response.context["reviews_to_acknowledge"].rows == [theirs]
        assert reverse("programmes:annual_review", args=[theirs.pk]) in response.text
        assert client_as(approver).get(HOME).context["reviews_to_acknowledge"].rows == [
            mine,
            theirs,
        ]
        actions.acknowledge_review(actor=approver, review=theirs)
        empty = client_as(drafting_approver).get(HOME)
        assert empty.context["reviews_to_acknowledge"].rows == []
        assert "No annual review awaits your acknowledgement." in empty.text


def test_query_count_is_fixed(client_as, drafter, approver, partner, django_assert_num_queries):
    """An officer's home: the delivery panels cost one query each, two for reviews due."""
    client = client_as(drafter)

    def fill(codes):
        for code in codes:
            other = PartnerFactory(name=f"Partner {code}", code=code)
            other.officers.add(drafter)
            drafter.__dict__.pop("_pfp_assigned_partners", None)
            programme = programme_in_force(officer=drafter, approver=approver, partner=other)
            event = event_of(programme, officer=drafter)
            event_of(programme, officer=drafter, place="Riga")
            actions.update_event(
                actor=drafter, event=event, seen_stamp=None, status=EventStatus.DELIVERED
            )

    fill(["AB"])
    # 18 -> 21: the three sections afe6a4a added to a drafter's home (one query each); 21 -> 20:
    # an officer's home no longer lists every partner with no programme in force, only theirs.
    with django_assert_num_queries(20) as small:
        client.get(HOME)
    fill(["CD", "EF", "GH", "IJ", "KL", "MN", "OP", "QR", "ST", "UV"])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(HOME)
    assert response.context["events_without_outcome"].more
