"""``pfp.constraints.ChecksInOneQuery``: the same errors as Django's validation of each check
constraint on its own, answered in Python where it can and in one query for the rest."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.models import Partner
from pfp.constraints import NotInPython, answer_in_python
from programmes.delivery.models import Event, EventStatus
from programmes.models import Programme, ProgrammeStatus
from tests.support.factories import (
    event_of,
    programme_in_force,
    programme_in_status,
)

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


def test_a_valid_events_check_constraints_cost_no_query(event):
    checks = sum(type(c) is models.CheckConstraint for c in Event._meta.constraints)
    assert checks == 8
    with CaptureQueriesContext(connection) as django_queries:
        djangos(event)
    with CaptureQueriesContext(connection) as our_queries:
        ours(event)

    # Django: a savepoint, a query and its release for each check constraint; the unique
    # constraints' queries are the same on both sides.
    assert len(django_queries) - len(our_queries) == 3 * checks


@pytest.mark.parametrize("code", ["FR", "fr", "F1", "FRA", ""])
def test_a_pattern_is_the_databases_to_check_in_one_query(code):
    """The partner's code pattern (a regex) is checked by the database, the framework in
    Python: one query (in a savepoint) where Django made two."""
    partner = Partner(code=code, name="Freedonia", framework="lost")
    with CaptureQueriesContext(connection) as django_queries:
        expected = errors(djangos, partner)
    with CaptureQueriesContext(connection) as our_queries:
        answer = errors(ours, partner)

    assert answer == expected
    assert "Constraint “partner_framework_valid” is violated." in answer["__all__"]
    assert len(django_queries) - len(our_queries) == 3


@pytest.mark.parametrize(
    ("condition", "row", "answer"),
    [
        # A comparison with NULL is unknown, and so is its negation; unknown passes a check.
        (Q(women__lte=F("participants")), {"women": 3, "participants": None}, None),
        (~Q(women__lte=F("participants")), {"women": 3, "participants": None}, None),
        (Q(women__isnull=True) | Q(women__lte=4), {"women": None}, True),
        (Q(women__lte=4) & Q(participants__gte=1), {"women": None, "participants": 0}, False),
        (Q(women__lte=4) | Q(participants__gte=1), {"women": None, "participants": 0}, None),
        # field=None is IS NULL, never unknown.
        (Q(women=None), {"women": None}, True),
        (Q(end_year=F("start_year") + 3), {"end_year": 2029, "start_year": 2026}, True),
        (Q(end_year=F("start_year") + 3), {"end_year": 2030, "start_year": 2026}, False),
    ],
)
def test_sqls_three_valued_answers(condition, row, answer):
    fields = {
        name: models.PositiveIntegerField(null=True, name=name)
        for name in ["women", "participants", "end_year", "start_year"]
    }
    values = {name: (row.get(name), fields[name]) for name in fields}

    assert answer_in_python(condition, values) is answer


@pytest.mark.parametrize(
    "condition",
    [
        Q(title__gt="b"),  # the order of two texts is the collation's
        Q(code__regex="^[A-Z]+$"),
        Q(partner__code="FR"),  # a relation
        Q(title="3") & Q(year="3"),  # a text where the field holds a number
    ],
)
def test_what_the_database_answers(condition):
    values = {
        "title": ("a", models.CharField(name="title")),
        "code": ("FR", models.CharField(name="code")),
        "year": (3, models.IntegerField(name="year")),
    }

    with pytest.raises(NotInPython):
        answer_in_python(condition, values)


def test_the_order_of_the_messages_is_djangos(event):
    event.end_date = event.start_date - datetime.timedelta(days=1)
    event.place, event.online = "", False
    event.rating = 9

    assert errors(ours, event) == errors(djangos, event)
    assert len(errors(ours, event)["__all__"]) == 3
