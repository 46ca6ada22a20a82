"""The demo's delivery history (``programmes.devtools.demo.delivery``): realistic, recorded by the
partners' officers, dated in the past, deterministic and idempotent.

A small demo (the real register, a menu of 150 activities, the first eight partners' programmes)
is built once for ``TestSmallDemo``, in a transaction rolled back after its last test.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.utils import timezone

from partners.loading import load_partners
from programmes.delivery import actions
from programmes.delivery.models import AnnualReview, Event, EventStatus, ReviewStatus
from programmes.delivery.permissions import can_record_for
from programmes.devtools.demo.delivery import _plan_events, seed_demo_delivery
from programmes.devtools.demo.menu import seed_demo_menu
from programmes.devtools.demo.programmes import seed_demo_programmes
from programmes.models import Programme, ProgrammeStatus
from tests.support.factories import programme_in_force

TODAY = timezone.localdate()


@pytest.fixture(scope="class")
def small_demo(class_transaction):
    load_partners()
    seed_demo_menu(size=150)
    seed_demo_programmes(partners=8, menu_size=150)
    return seed_demo_delivery()


@pytest.mark.django_db
class TestSmallDemo:
    def test_every_programme_in_force_has_a_history(self, small_demo):
        in_force = Programme.objects.filter(status=ProgrammeStatus.AGREED)
        assert in_force.exists()
        assert set(Event.objects.values_list("lineage", flat=True)) == set(
            in_force.values_list("lineage", flat=True)
        )
        assert small_demo.events == Event.objects.count()

    def test_past_years_mostly_delivered_some_cancelled_or_postponed(self, small_demo):
        past = Event.objects.filter(end_date__lt=TODAY)
        statuses = Counter(past.values_list("status", flat=True))
        assert statuses[EventStatus.DELIVERED] > 0.6 * past.count()
        assert statuses[EventStatus.CANCELLED] > 0
        assert statuses[EventStatus.POSTPONED] > 0
        assert 0 < statuses[EventStatus.SCHEDULED] < 0.15 * past.count()  # nothing recorded
        assert not past.filter(status=EventStatus.CANCELLED, cancellation_reason="").exists()
        for event in past.filter(status=EventStatus.POSTPONED):
            assert event.year < event.postponed_to <= 4

    def test_participants_with_a_plausible_share_of_women(self, small_demo):
        delivered = list(Event.objects.filter(status=EventStatus.DELIVERED))
        assert all(e.participants and e.women <= e.participants and e.rating for e in delivered)
        share = sum(e.women for e in delivered) / sum(e.participants for e in delivered)
        assert 0.2 < share < 0.45

    def test_this_year_partly_delivered_and_what_comes_scheduled(self, small_demo):
        assert Event.objects.filter(
            start_date__year=TODAY.year, status=EventStatus.DELIVERED
        ).exists()
        to_come = Event.objects.filter(start_date__gt=TODAY)
        assert to_come.exists()
        assert set(to_come.values_list("status", flat=True)) == {EventStatus.SCHEDULED}
        assert not Event.objects.filter(start_date__year__gt=TODAY.year + 1).exists()

    def test_recorded_by_the_officers_in_the_past(self, small_demo):
        now = timezone.now()
        for event in Event.objects.select_related("recorded_by"):
            assert can_record_for(event.recorded_by, event.partner)
            assert event.recorded_at <= now
        rows = Event.history.all()
        assert not rows.filter(history_user__isnull=True).exists()
        assert not rows.filter(history_date__gt=now).exists()
        assert set(rows.values_list("history_change_reason", flat=True)) == {actions.Step.RECORD}

    def test_one_review_acknowledged_and_one_awaiting(self, small_demo):
        reviews = AnnualReview.objects.order_by("status")
        assert [r.status for r in reviews] == [ReviewStatus.ACKNOWLEDGED, ReviewStatus.SUBMITTED]
        acknowledged = reviews[0]
        assert acknowledged.acknowledged_by not in (
            acknowledged.created_by,
            acknowledged.submitted_by,
        )
        assert acknowledged.submitted_at < acknowledged.acknowledged_at <= timezone.now()
        assert not AnnualReview.history.filter(history_date__gt=timezone.now()).exists()

    def test_running_again_adds_nothing(self, small_demo):
        events, history = Event.objects.count(), Event.history.count()
        again = seed_demo_delivery()
        assert (again.events, again.reviews) == (0, 0)
        assert (Event.objects.count(), Event.history.count()) == (events, history)

    def test_deterministic(self, small_demo):
        programme = Programme.objects.filter(status=ProgrammeStatus.AGREED).first()

        def plan():
            return [
                (r.planned.pk, sorted(r.fields.items()))
                for r in _plan_events(programme, random.Random("demo"), TODAY)
            ]

        assert plan() == plan()


@pytest.mark.django_db
def test_a_programme_whose_period_is_over_gets_its_four_years(drafter, approver, partner):
    """What a larger demo (``--scale N``) adds: earlier agreed programmes, all years past, with
    the history of a finished programme (every outcome recorded, every year's review
    acknowledged by the programme's approver)."""
    programme = programme_in_force(
        officer=drafter, approver=approver, partner=partner, start_year=TODAY.year - 6
    )
    result = seed_demo_delivery()
    years = set(Event.objects.values_list("year", flat=True))
    assert result.events == Event.objects.count() == programme.planned_activities.count()
    assert years == {1, 2, 3, 4}
    assert not Event.objects.filter(end_date__gte=TODAY).exists()
    assert not Event.objects.filter(status=EventStatus.SCHEDULED).exists()
    reviews = AnnualReview.objects.order_by("year")
    assert result.reviews == 4
    assert [(r.year, r.status, r.created_by, r.acknowledged_by) for r in reviews] == [
        (year, ReviewStatus.ACKNOWLEDGED, drafter, approver) for year in (1, 2, 3, 4)
    ]
    assert not AnnualReview.history.filter(history_date__gt=timezone.now()).exists()
    assert seed_demo_delivery().reviews == 0
