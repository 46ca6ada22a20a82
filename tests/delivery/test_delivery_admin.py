"""Delivery in the admin site: events and annual reviews listed and searched by administrators,
corrected through ``programmes.delivery.actions`` (refusals shown on the form, nothing saved),
reviews acknowledged by an action under the four-eyes rule, history visible and read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.delivery import actions
from programmes.delivery.models import AnnualReview, Event, EventStatus, Progress, ReviewStatus
from tests.support.admin_forms import form_data
from tests.support.factories import event_of, programme_in_force
from tests.support.pages import messages_of

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:programmes_event_changelist")
REVIEWS = reverse("admin:programmes_annualreview_changelist")


@pytest.fixture
def programme(drafter, approver, partner):
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


@pytest.fixture
def event(programme, drafter):
    return event_of(programme, officer=drafter)


@pytest.fixture
def review(programme, drafter):
    review = actions.start_review(actor=drafter, programme=programme, year=1)
    return actions.save_review(
        actor=drafter,
        review=review,
        seen_stamp=None,
        overall="Written.",
        progress={o.key: (Progress.AT_RISK, "Slow.") for o in programme.objectives.all()},
    )


def listed(response):
    return list(response.context["cl"].result_list)


class TestLists:
    def test_events_listed_and_searched(self, client_as, administrator, event):
        client = client_as(administrator)
        assert listed(client.get(EVENTS)) == [event]
        assert listed(client.get(EVENTS, {"q": event.activity.code})) == [event]
        assert listed(client.get(EVENTS, {"q": "Partnerland"})) == [event]
        assert listed(client.get(EVENTS, {"q": "nowhere-at-all"})) == []
        assert listed(client.get(EVENTS, {"status__exact": "delivered"})) == []

    def test_reviews_listed_and_searched(self, client_as, administrator, review):
        client = client_as(administrator)
        assert listed(client.get(REVIEWS)) == [review]
        assert listed(client.get(REVIEWS, {"q": "Written"})) == [review]
        assert listed(client.get(REVIEWS, {"q": "PL"})) == [review]

    @pytest.mark.parametrize("role", ["viewer", "officer", "approver"])
    def test_only_administrators(self, request, client_as, role, event):
        response = client_as(request.getfixturevalue(role)).get(EVENTS)
        # Refused by the admin site's own rule (a login page, or 403): never the list.
        assert response.status_code in (302, 403)
        assert "cl" not in (response.context or {})

    def test_nothing_is_added_or_deleted_here(self, client_as, administrator, event, review):
        client = client_as(administrator)
        for model in ("event", "annualreview"):
            assert client.get(reverse(f"admin:programmes_{model}_add")).status_code == 403
        assert (
            client.get(reverse("admin:programmes_event_delete", args=[event.pk])).status_code == 403
        )


class TestChanges:
    def test_an_event_corrected_through_the_actions(self, client_as, administrator, event, drafter):
        client = client_as(administrator)
        change = reverse("admin:programmes_event_change", args=[event.pk])
        data = form_data(
            client.get(change), status="cancelled", cancellation_reason="The partner asked."
        )
        response = client.post(change, data)
        assert response.status_code == 302
        event.refresh_from_db()
        assert (event.status, event.cancellation_reason, event.edit_stamp) == (
            EventStatus.CANCELLED,
            "The partner asked.",
            1,
        )
        row = event.history.first()
        assert (row.history_user, row.history_change_reason) == (
            administrator,
            actions.Step.CORRECT,
        )

    def test_a_refusal_is_shown_and_nothing_saved(self, client_as, administrator, event):
        client = client_as(administrator)
        change = reverse("admin:programmes_event_change", args=[event.pk])
        data = form_data(client.get(change), start_date="1999-05-01", end_date="1999-05-02")
        response = client.post(change, data)
        assert response.status_code == 200
        assert "the first day falls in 1999" in response.text
        event.refresh_from_db()
        assert event.start_date.year != 1999
        assert event.history.count() == 1

    def test_a_stale_form_is_refused(self, client_as, administrator, event, drafter):
        client = client_as(administrator)
        change = reverse("admin:programmes_event_change", args=[event.pk])
        data = form_data(client.get(change), place="Kyiv")
        actions.update_event(actor=drafter, event=event, seen_stamp=None, place="Riga")
        response = client.post(change, data)
        assert response.status_code == 200
        assert "after you opened the form" in response.text
        event.refresh_from_db()
        assert event.place == "Riga"

    def test_a_review_corrected_through_the_actions(self, client_as, administrator, review):
        client = client_as(administrator)
        change = reverse("admin:programmes_annualreview_change", args=[review.pk])
        response = client.post(change, form_data(client.get(change), overall="Corrected."))
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.overall == "Corrected."
        assert review.history.first().history_user == administrator
        assert review.writers.filter(pk=administrator.pk).exists()

    def test_a_submitted_review_is_only_looked_at(self, client_as, administrator, review, drafter):
        actions.submit_review(actor=drafter, review=review)
        client = client_as(administrator)
        change = reverse("admin:programmes_annualreview_change", args=[review.pk])
        page = client.get(change)
        assert page.status_code == 200
        assert not page.context["has_change_permission"]


class TestAcknowledging:
    def test_acknowledge_selected(self, client_as, administrator, review, drafter):
        actions.submit_review(actor=drafter, review=review)
        client = client_as(administrator)
        response = client.post(
            REVIEWS, {"action": "acknowledge_selected", "_selected_action": [review.pk]}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert (review.status, review.acknowledged_by) == (
            ReviewStatus.ACKNOWLEDGED,
            administrator,
        )
        assert messages_of(response) == ["1 review acknowledged."]

    def test_refusals_are_messages(self, client_as, administrator, review):
        response = client_as(administrator).post(
            REVIEWS, {"action": "acknowledge_selected", "_selected_action": [review.pk]}
        )
        assert "only a submitted review is acknowledged" in messages_of(response)[0]
        assert AnnualReview.objects.get().status == ReviewStatus.DRAFT


class TestHistory:
    def test_visible_and_read_only(self, client_as, administrator, event, drafter):
        actions.update_event(actor=drafter, event=event, seen_stamp=None, place="Kyiv")
        client = client_as(administrator)
        history = client.get(reverse("admin:programmes_event_history", args=[event.pk]))
        assert history.status_code == 200
        assert "Kyiv" in history.text or actions.Step.CORRECT.label in history.text
        row = event.history.order_by("history_id").first()
        page = reverse("admin:programmes_event_simple_history", args=[event.pk, row.history_id])
        assert client.get(page).status_code == 200
        assert client.post(page, {"place": "Reverted"}).status_code == 403
        assert Event.objects.get().place == "Kyiv"
