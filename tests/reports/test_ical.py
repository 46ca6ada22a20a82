"""The iCalendar file of a partner's events: it parses, holds the partner's events only, each
with a stable UID, all-day dates (end exclusive), place or "Online" and its status; a bounded
window (from twelve months ago, capped), said in its description; private caching; 404 for a
partner nobody may see; two queries whatever the number of events."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.delivery import actions
from programmes.delivery.models import EventStatus
from programmes.reports import ical
from programmes.reports.ical import UID_DOMAIN
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    event_of,
    programme_in_force,
)


def url(partner):
    return reverse("programmes:partner_events_calendar", args=[partner.code])


def parsed(response):
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def events(drafter, approver, partner):
    programme = programme_in_force(officer=drafter, approver=approver, partner=partner)
    first = event_of(programme, officer=drafter, planned_year=2)
    online = event_of(
        programme,
        officer=drafter,
        planned_year=2,
        place="",
        online=True,
        status=EventStatus.CANCELLED,
        cancellation_reason="Budget.",
    )
    other = PartnerFactory(name="Otherland", code="OT")
    other_officer = assigned_officer(other)
    elsewhere = programme_in_force(officer=other_officer, approver=approver, partner=other)
    event_of(elsewhere, officer=other_officer)
    return first, online


@pytest.mark.django_db
def test_the_partners_events_parse_with_stable_uids(client_as, viewer, partner, events):
    first, online = events
    response = client_as(viewer).get(url(partner))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="ITPP-{partner.code}')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    entries = {str(entry["uid"]): entry for entry in parsed(response).walk("VEVENT")}
    assert set(entries) == {f"event-{first.pk}@{UID_DOMAIN}", f"event-{online.pk}@{UID_DOMAIN}"}
    entry = entries[f"event-{first.pk}@{UID_DOMAIN}"]
    assert str(entry["summary"]) == f"{first.activity.code} {first.activity.title}"
    assert entry.decoded("dtstart") == first.start_date
    assert entry.decoded("dtend") == first.end_date + datetime.timedelta(days=1)
    assert str(entry["location"]) == "Brussels"
    assert str(entry["status"]) == "CONFIRMED"
    cancelled = entries[f"event-{online.pk}@{UID_DOMAIN}"]
    assert str(cancelled["location"]) == "Online"
    assert str(cancelled["status"]) == "CANCELLED"


@pytest.mark.django_db
def test_uids_stay_when_an_event_changes(client_as, viewer, drafter, partner, events):
    first, _online = events
    client = client_as(viewer)
    before = [str(e["uid"]) for e in parsed(client.get(url(partner))).walk("VEVENT")]
    actions.update_event(actor=drafter, event=first, seen_stamp=first.edit_stamp, place="Mons")
    after = parsed(client.get(url(partner))).walk("VEVENT")
    assert [str(e["uid"]) for e in after] == before
    changed = next(e for e in after if str(e["uid"]) == f"event-{first.pk}@{UID_DOMAIN}")
    assert str(changed["location"]) == "Mons"
    assert int(changed["sequence"]) == 1


@pytest.mark.django_db
def test_only_users_who_may_see_the_partner(client, client_as, no_role_user, partner, events):
    assert client.get(url(partner)).status_code == 302  # to the login page
    assert client_as(no_role_user).get(url(partner)).status_code == 403
    response = client_as(no_role_user).get(
        reverse("programmes:partner_events_calendar", args=["ZZ"])
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_partner_is_404(client_as, viewer):
    response = client_as(viewer).get(reverse("programmes:partner_events_calendar", args=["ZZ"]))
    assert response.status_code == 404


ICAL_QUERIES = 9  # session, user, permissions..., the partner and its events


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_events(
    client_as, viewer, drafter, partner, events, django_assert_num_queries
):
    client = client_as(viewer)
    with django_assert_num_queries(ICAL_QUERIES):
        client.get(url(partner))
    programme = events[0]
    for planned in programme.partner.programmes.get().planned_activities.all():
        event_of(programme.partner.programmes.get(), officer=drafter, planned=planned)
    with django_assert_num_queries(ICAL_QUERIES):
        response = client.get(url(partner))
    start = ical.window_start(timezone.localdate())
    in_window = programme.partner.events.filter(end_date__gte=start).count()
    assert len(parsed(response).walk("VEVENT")) == in_window


@pytest.mark.django_db
def test_a_window_from_twelve_months_ago_with_a_cap(
    client_as, viewer, drafter, partner, events, monkeypatch
):
    first, online = events
    today = timezone.localdate()
    old = event_of(
        first.partner.programmes.get(),
        officer=drafter,
        planned_year=1,
        start_date=ical.window_start(today) - datetime.timedelta(days=3),
        end_date=ical.window_start(today) - datetime.timedelta(days=1),
    )
    response = client_as(viewer).get(url(partner))
    calendar = parsed(response)
    uids = {str(entry["uid"]) for entry in calendar.walk("VEVENT")}
    assert f"event-{old.pk}@{UID_DOMAIN}" not in uids
    assert f"event-{first.pk}@{UID_DOMAIN}" in uids
    assert "from twelve months ago onward" in str(calendar["x-wr-caldesc"])
    monkeypatch.setattr(ical, "MAX_EVENTS", 1)
    [entry] = parsed(client_as(viewer).get(url(partner))).walk("VEVENT")
    soonest = min((first, online), key=lambda event: (event.start_date, event.pk))
    assert str(entry["uid"]) == f"event-{soonest.pk}@{UID_DOMAIN}"
