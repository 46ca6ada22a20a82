"""One rule, two forms: what became of a planned activity from its events, as Python
(``outcome_of``, for the pages that hold the events already) and as a database expression
(``outcome_expression``, for the reports that aggregate), giving the same answers on every
engine."""

import datetime

import pytest
from django.utils import timezone

from programmes.delivery.models import Event, EventStatus
from programmes.delivery.queries import outcome_expression, outcome_of
from programmes.models import PlannedActivity
from programmes.reports.delivery import Outcome, outcome_from
from tests.support.factories import drafter_of, event_of, programme_in_force, role_user

D, S, C, P = (
    EventStatus.DELIVERED,
    EventStatus.SCHEDULED,
    EventStatus.CANCELLED,
    EventStatus.POSTPONED,
)

# The statuses of a planned activity's events, oldest first, and what became of it.
CASES = [
    ([], None),
    ([D], D),
    ([S], None),
    ([C], C),
    ([P], P),
    ([P, D], D),
    ([C, S], None),
    ([P, C], C),
    ([C, P], P),
]


def test_the_rule():
    for statuses, outcome in CASES:
        assert outcome_of(statuses) == outcome, statuses
        assert outcome_from(statuses) == Outcome(outcome or Outcome.NOT_RECORDED)


def _fields(status, year: int) -> dict:
    fields = {"status": status}
    if status == C:
        fields["cancellation_reason"] = "No venue."
    if status == P:
        fields["postponed_to"] = year + 1
    if status == D:
        fields["participants"] = 10
    return fields


@pytest.mark.django_db
def test_the_database_gives_the_same_outcomes(partner):
    officer = drafter_of(partner)
    programme = programme_in_force(
        officer=officer,
        approver=role_user("approver"),
        partner=partner,
        start_year=timezone.localdate().year - 3,
        activities=12,
    )
    past = list(programme.planned_activities.filter(year__lte=3).order_by("year", "pk"))
    assert len(past) >= len(CASES)
    expected = {}
    for planned, (statuses, outcome) in zip(past, CASES, strict=False):
        calendar_year = programme.start_year + planned.year - 1
        for number, status in enumerate(statuses):
            first_day = datetime.date(calendar_year, 3 + number, 10)
            event_of(
                programme,
                officer=officer,
                planned=planned,
                start_date=first_day,
                end_date=first_day + datetime.timedelta(days=1),
                **_fields(status, planned.year),
            )
        expected[planned.key] = outcome
    found = dict(
        PlannedActivity.objects.filter(key__in=expected)
        .annotate(outcome=outcome_expression(Event.objects.all()))
        .values_list("key", "outcome")
    )
    assert found == expected
