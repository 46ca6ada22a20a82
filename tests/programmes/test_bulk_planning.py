"""Planning in bulk from the activity picker: several activities, several years, one goal."""

import pytest
from django.urls import reverse

from programmes.models import PlannedActivity
from tests.support.factories import ActivityFactory, draft_programme
from tests.support.pages import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(drafter, partner):
    return draft_programme(officer=drafter, partner=partner, activities=1)


def post(client, draft, **data):
    url = reverse("programmes:activity_pick", args=[draft.pk])
    return client.post(url, {"bulk": "1", "priority": 2, **data}, follow=True)


def test_every_year_for_three_activities(client_as, drafter, draft):
    goal = draft.objectives.get().goals.get()
    activities = ActivityFactory.create_batch(3)
    before = draft.planned_activities.count()
    response = post(
        client_as(drafter),
        draft,
        activities=[a.pk for a in activities],
        every_year="on",
        goal=goal.pk,
    )
    assert draft.planned_activities.count() == before + 12
    assert any("12 activities planned for" in text for text in messages_of(response))
    rows = PlannedActivity.history.filter(programme_id=draft.pk, activity__in=activities)
    assert rows.count() == 12
    assert {r.history_user for r in rows} == {drafter}


def test_skipped_rows_are_listed(client_as, drafter, draft):
    goal = draft.objectives.get().goals.get()
    planned = draft.planned_activities.get()  # year 1
    retired = ActivityFactory(retired=True)
    fresh = ActivityFactory()
    response = post(
        client_as(drafter),
        draft,
        activities=[planned.activity_id, retired.pk, fresh.pk],
        years=[draft.start_year, draft.start_year + 1],
        goal=goal.pk,
    )
    texts = messages_of(response)
    assert any(
        f"already planned that year: {planned.activity.code} ({draft.start_year})" in t
        for t in texts
    )
    assert any(f"retired from the menu: {retired.code} ({draft.start_year})" in t for t in texts)
    added = set(
        draft.planned_activities.exclude(pk=planned.pk).values_list("activity__code", "year")
    )
    assert added == {(planned.activity.code, 2), (fresh.code, 1), (fresh.code, 2)}


@pytest.mark.parametrize(
    "data",
    [
        {"activities": [], "every_year": "on"},
        {"years": ["2026"], "goal": ""},
        {"every_year": "", "years": []},
        {"years": ["1999"]},
        {"goal": "nonsense", "every_year": "on"},
        {"activities": ["x"], "every_year": "on"},
        # Found by the fuzz run: an id beyond 64 bits was a server error on SQLite.
        {"activities": [str(2**64)], "every_year": "on"},
    ],
)
def test_bad_input_adds_nothing(client_as, drafter, draft, data):
    activity = ActivityFactory()
    goal = draft.objectives.get().goals.get()
    payload = {"activities": [activity.pk], "goal": goal.pk, **data}
    before = PlannedActivity.objects.count()
    response = post(client_as(drafter), draft, **payload)
    assert response.status_code == 200
    assert PlannedActivity.objects.count() == before
    assert "Nothing was added:" in messages_of(response)


def test_only_drafters(client_as, viewer, approver, draft):
    goal = draft.objectives.get().goals.get()
    for user in (viewer, approver):
        url = reverse("programmes:activity_pick", args=[draft.pk])
        data = {"bulk": "1", "activities": [ActivityFactory().pk], "every_year": "on"}
        assert client_as(user).post(url, {**data, "goal": goal.pk}).status_code == 403


def test_the_page_offers_the_checkboxes(client_as, drafter, draft):
    page = client_as(drafter).get(reverse("programmes:activity_pick", args=[draft.pk]))
    assert 'id="bulk-plan"' in page.text
    assert 'form="bulk-plan"' in page.text
    assert 'name="every_year"' in page.text
