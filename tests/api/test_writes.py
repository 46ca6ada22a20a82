"""Recording events by their external reference: the import's rules and the delivery actions,
idempotent, with refusals that name the field and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.delivery.models import Event
from tests.api.conftest import event_body
from tests.support.snapshots import changed_tables, database_state

pytestmark = pytest.mark.django_db


def url(world, ref="EMS-1"):
    return reverse("api:partner-event", kwargs={"code": world.partner.code, "ref": ref})


def put(client, address, body):
    return client.put(address, body, content_type="application/json")


def test_record_then_the_same_again_then_correct(world, as_role):
    client, programme = as_role("officer"), world.programmes["agreed"]
    created = put(client, url(world), event_body(programme))
    assert created.status_code == 201, created.content
    event = Event.objects.get(external_ref="EMS-1")
    assert created.json()["id"] == event.pk
    assert event.history.get().history_user == world.users["officer"]

    before = database_state()
    again = put(client, url(world), event_body(programme))
    assert again.status_code == 200
    assert again.json() == created.json()
    assert [t for t in changed_tables(before, database_state()) if t != "tokens.ApiToken"] == []

    corrected = put(client, url(world), event_body(programme, place="Ohrid"))
    assert corrected.status_code == 200
    event.refresh_from_db()
    assert event.place == "Ohrid"
    assert event.history.count() == 2
    assert client.get(url(world)).json()["place"] == "Ohrid"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_day": "1999-01-01"}, "last_day"),
        ({"status": "delivered", "first_day": "2099-06-01", "last_day": "2099-06-02"}, "first_day"),
        ({"status": "cancelled"}, "cancellation_reason"),
        ({"women": 5}, "participants"),
        ({"rating": 4}, "rating"),
        ({"place": "", "online": False}, "place"),
        ({"activity_code": "NOPE-0001"}, "activity_code"),
        ({"programme_year": 9}, "programme_year"),
        ({"first_day": "not a day"}, "first_day"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(world, as_role, changes, field):
    before = database_state()
    response = put(
        as_role("officer"), url(world), event_body(world.programmes["agreed"], **changes)
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert [t for t in changed_tables(before, database_state()) if t != "tokens.ApiToken"] == []


def test_a_reference_with_spaces_around_it_is_refused(world, as_role):
    response = put(as_role("officer"), url(world, " EMS-2"), event_body(world.programmes["agreed"]))
    assert response.status_code == 400
    assert "external_ref" in response.json()["errors"]


def test_the_other_officer_is_told_why(world, as_role):
    response = put(as_role("other_officer"), url(world), event_body(world.programmes["agreed"]))
    assert response.status_code == 403
    assert "assigned programme officer" in response.json()["detail"]
    assert not Event.objects.filter(external_ref="EMS-1").exists()


def test_an_import_s_event_is_the_api_s(world, as_role):
    """The reference an import recorded is corrected by the API (one module, one rule)."""
    event = world.event
    Event.objects.filter(pk=event.pk).update(external_ref="FROM-FILE")
    programme = world.programmes["agreed"]
    planned = programme.planned_activities.get(key=event.planned_key)
    body = event_body(
        programme,
        activity_code=planned.activity.code,
        programme_year=event.year,
        first_day=event.start_date.isoformat(),
        last_day=event.end_date.isoformat(),
        place="Tirana",
    )
    response = put(as_role("officer"), url(world, "FROM-FILE"), body)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == event.pk
