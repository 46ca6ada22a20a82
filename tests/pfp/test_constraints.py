"""``pfp.constraints.ChecksInOneQuery``: the same errors as Django's validation of each check
constraint on its own, from one query."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programmes.delivery.models import Event, EventStatus
from programmes.models import Programme, ProgrammeStatus
from tests.support.factories import event_of, programme_in_force, programme_in_status

pytestmark = pytest.mark.django_db

# Many examples: each costs a few milliseconds and no write.
EXAMPLES = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def errors(validate, instance, exclude=None):
    """What ``validate(instance, exclude)`` refuses, as ``{field: [messages]}``; {} if nothing."""
    try:
        validate(instance, exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


def djangos(instance, exclude=None):
    return models.Model.validate_constraints(instance, exclude=exclude)


def ours(instance, exclude=None):
    return instance.validate_constraints(exclude=exclude)


@pytest.fixture
def event(drafter, approver, partner):
    programme = programme_in_force(officer=drafter, approver=approver, partner=partner)
    return event_of(programme, officer=drafter)


nullable_count = st.none() | st.integers(min_value=0, max_value=30)
dates = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31))


@EXAMPLES
@given(
    year=st.integers(min_value=0, max_value=5),
    status=st.sampled_from([*EventStatus.values, "lost"]),
    start=dates,
    end=dates,
    place=st.sampled_from(["", "Brussels"]),
    online=st.booleans(),
    participants=nullable_count,
    women=nullable_count,
    reason=st.sampled_from(["", "The venue was closed."]),
    postponed_to=st.none() | st.integers(min_value=0, max_value=5),
    rating=st.none() | st.integers(min_value=0, max_value=6),
    exclude=st.sampled_from([None, {"end_date"}, {"status", "participants"}]),
)
def test_an_event_gets_the_errors_django_gives(event, exclude, **fields):
    event.year, event.status = fields["year"], fields["status"]
    event.start_date, event.end_date = fields["start"], fields["end"]
    event.place, event.online = fields["place"], fields["online"]
    event.participants, event.women = fields["participants"], fields["women"]
    event.cancellation_reason, event.postponed_to = fields["reason"], fields["postponed_to"]
    event.rating = fields["rating"]

    assert errors(ours, event, exclude) == errors(djangos, event, exclude)


@EXAMPLES
@given(
    start_year=st.integers(min_value=2000, max_value=2100),
    years=st.integers(min_value=2, max_value=5),
    status=st.sampled_from([*ProgrammeStatus.values, "lost"]),
    approved_by_drafter=st.booleans(),
    approval_dropped=st.booleans(),
    agreement_dropped=st.booleans(),
    version=st.integers(min_value=1, max_value=3),
)
def test_a_programme_gets_the_errors_django_gives(
    agreed,
    start_year,
    years,
    status,
    approved_by_drafter,
    approval_dropped,
    agreement_dropped,
    version,
):
    programme = Programme.objects.get(pk=agreed.pk)
    programme.start_year, programme.end_year = start_year, start_year + years - 1
    programme.status, programme.version = status, version
    if approved_by_drafter:
        programme.approved_by = programme.created_by
    if approval_dropped:
        programme.approved_at = None
    if agreement_dropped:
        programme.agreed_on, programme.partner_signatory = None, ""

    assert errors(ours, programme) == errors(djangos, programme)


@pytest.fixture
def agreed(drafter, approver, partner):
    return programme_in_status(
        ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner
    )


def test_a_valid_event_is_checked_in_one_query_and_a_savepoint(event):
    checks = sum(type(c) is models.CheckConstraint for c in Event._meta.constraints)
    assert checks == 8
    with CaptureQueriesContext(connection) as django_queries:
        djangos(event)
    with CaptureQueriesContext(connection) as our_queries:
        ours(event)

    # Django: a savepoint, a query and its release for each check constraint.
    assert len(django_queries) - len(our_queries) == 3 * (checks - 1)


def test_the_order_of_the_messages_is_djangos(event):
    event.end_date = event.start_date - datetime.timedelta(days=1)
    event.place, event.online = "", False
    event.rating = 9

    assert errors(ours, event) == errors(djangos, event)
    assert len(errors(ours, event)["__all__"]) == 3
