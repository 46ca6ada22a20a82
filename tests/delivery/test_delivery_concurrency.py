"""Concurrent delivery records: two officers correcting one event at once, two imports of one file
at once. Real threads, each with its own connection, released together (``race``); on PostgreSQL
the programme's row lock makes them queue, on SQLite the immediate transactions do. Run on both
databases by ``make test`` (``DATABASE_URL`` for PostgreSQL)."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter

import pytest

from pfp.roles import Role
from programmes.delivery import actions, importing
from programmes.delivery.models import Event, EventImport
from tests.programmes.test_concurrency import race
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    event_of,
    programme_in_force,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRIALS = 20


@pytest.fixture
def world():
    partner = PartnerFactory(name="Raceland", code="RC")
    officer = assigned_officer(partner, "officer")
    second_officer = assigned_officer(partner, "officer2")
    approver = UserFactory(username="approver", role=Role.APPROVER)
    programme = programme_in_force(officer=officer, approver=approver, partner=partner)
    return programme, officer, second_officer


def test_two_officers_correcting_one_event_at_once(world):
    programme, officer, second_officer = world
    trials = []
    for _ in range(TRIALS):
        event = event_of(programme, officer=officer)
        trials.append(
            race(
                lambda e=event: actions.update_event(
                    actor=officer, event=e, seen_stamp=0, place="Mons"
                ),
                lambda e=event: actions.update_event(
                    actor=second_officer, event=e, seen_stamp=0, place="Tallinn"
                ),
            )
        )
        event.refresh_from_db()
        assert event.edit_stamp == 1
        assert event.place in {"Mons", "Tallinn"}
        assert event.history.filter(history_change_reason=actions.Step.CORRECT).count() == 1
    assert Counter(tuple(sorted(outcome)) for outcome in trials) == {
        ("EditConflict", "won"): TRIALS
    }


def events_file(programme, trial: int) -> bytes:
    """Two events of year 1 with references of their own to this trial."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(importing.COLUMNS)
    first_day = datetime.date(programme.start_year, 3, 10)
    for index, planned in enumerate(programme.planned_activities.filter(year=1).order_by("pk")):
        values = {
            "partner_code": programme.partner.code,
            "programme_year": 1,
            "activity_code": planned.activity.code,
            "external_ref": f"T{trial}-{index}",
            "first_day": first_day.isoformat(),
            "last_day": first_day.isoformat(),
            "place": "Brussels",
            "status": "delivered",
            "participants": 10,
            "women": 4,
            "rating": 5,
        }
        writer.writerow([values.get(name, "") for name in importing.COLUMNS])
    return buffer.getvalue().encode()


def test_two_imports_of_one_file_at_once(world):
    programme, officer, _second = world
    rows = programme.planned_activities.filter(year=1).count()
    trials = []
    for trial in range(TRIALS):
        content = events_file(programme, trial)
        first, second = (
            importing.preview_import(file_name="events.csv", content=content, actor=officer)
            for _ in range(2)
        )
        trials.append(
            race(
                lambda i=first: importing.apply_import(event_import=i, actor=officer),
                lambda i=second: importing.apply_import(event_import=i, actor=officer),
            )
        )
        assert Event.objects.filter(external_ref__startswith=f"T{trial}-").count() == rows
        done = sorted(
            EventImport.objects.filter(pk__in=[first.pk, second.pk]).values_list(
                "created", "unchanged"
            )
        )
        # One records every event, the other finds nothing to do.
        assert done == [(0, rows), (rows, 0)]
    assert Counter(tuple(outcome) for outcome in trials) == {("won", "won"): TRIALS}
