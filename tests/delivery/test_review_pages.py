"""Annual review pages over HTTP: starting the review of a year, writing it (per objective and
overall), submitting it (refused with what is missing), an approver acknowledging it or
returning it with a comment, the four-eyes refusal as a message; each role, an officer of
another partner, stale forms, and pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes import workflow
from programmes.delivery import actions
from programmes.delivery.models import AnnualReview, EventStatus, Progress, ReviewStatus
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    event_of,
    programme_in_force,
)
from tests.support.pages import messages_of

pytestmark = pytest.mark.django_db


def url(name, obj):
    return reverse(f"programmes:{name}", args=[obj.pk])


@pytest.fixture
def programme(drafter, approver, partner):
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


@pytest.fixture
def review(programme, drafter):
    return actions.start_review(actor=drafter, programme=programme, year=1)


def review_data(review, programme, progress="on_track", **changes):
    data = {"overall": "A good first year.", "seen_stamp": review.edit_stamp}
    for number, objective in enumerate(programme.objectives.order_by("order"), start=1):
        data[f"progress-{objective.key.hex}"] = progress
        data[f"narrative-{objective.key.hex}"] = f"Narrative {number}."
    return {**data, **changes}


def submitted(review, programme, drafter):
    actions.save_review(
        actor=drafter,
        review=review,
        seen_stamp=None,
        overall="Done.",
        progress={o.key: (Progress.ON_TRACK, "") for o in programme.objectives.all()},
    )
    return actions.submit_review(actor=drafter, review=review)


class TestStarting:
    def test_write_the_review_of_a_year_from_the_programme_page(
        self, client_as, drafter, programme
    ):
        client = client_as(drafter)
        response = client.post(url("annual_review_start", programme), {"year": 1})
        review = AnnualReview.objects.get()
        assert response["Location"] == url("annual_review_edit", review)
        assert (review.year, review.status, review.created_by) == (1, ReviewStatus.DRAFT, drafter)
        # Again: the same review, nothing new.
        client.post(url("annual_review_start", programme), {"year": 1})
        assert AnnualReview.objects.count() == 1

    def test_a_year_not_begun_is_refused(self, client_as, drafter, programme):
        response = client_as(drafter).post(url("annual_review_start", programme), {"year": 4})
        assert response.status_code == 302
        assert "has not begun" in messages_of(response)[0]
        assert not AnnualReview.objects.exists()

    @pytest.mark.parametrize("year", ["", "0", "5", "x"])
    def test_junk_years(self, client_as, drafter, programme, year):
        response = client_as(drafter).post(url("annual_review_start", programme), {"year": year})
        assert response.status_code == 302
        assert "Choose a year" in messages_of(response)[0]
        assert not AnnualReview.objects.exists()

    def test_get_is_not_a_step(self, client_as, drafter, programme):
        assert client_as(drafter).get(url("annual_review_start", programme)).status_code == 405


class TestWriting:
    def test_the_form_per_objective_and_the_figures_beside_it(
        self, client_as, drafter, programme, review
    ):
        event = event_of(programme, officer=drafter)
        actions.update_event(
            actor=drafter, event=event, seen_stamp=None, status=EventStatus.DELIVERED
        )
        response = client_as(drafter).get(url("annual_review_edit", review))
        assert response.status_code == 200
        labels = [field.label for field in response.context["form"]]
        assert labels[:2] == [
            "Progress towards 1. Objective 1",
            "What happened towards 1. Objective 1",
        ]
        assert labels[-2] == "Overall assessment"  # then the hidden stamp
        figures = response.context["year"].figures
        assert (figures.planned, figures.delivered) == (2, 1)

    def test_save_then_submit(self, client_as, drafter, programme, review):
        client = client_as(drafter)
        response = client.post(url("annual_review_edit", review), review_data(review, programme))
        assert response["Location"] == url("annual_review", review)
        review.refresh_from_db()
        assert review.overall == "A good first year."
        assert sorted(review.ratings.values_list("progress", flat=True)) == ["on_track"] * 2
        response = client.post(url("annual_review_submit", review))
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED
        assert review.submitted_by == drafter
        assert "is submitted" in messages_of(response)[-1]

    def test_save_and_submit_in_one_go(self, client_as, drafter, programme, review):
        data = {**review_data(review, programme), "submit": "1"}
        client_as(drafter).post(url("annual_review_edit", review), data)
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED

    def test_submitting_an_incomplete_review_says_what_is_missing(
        self, client_as, drafter, programme, review
    ):
        client = client_as(drafter)
        first = programme.objectives.order_by("order").first()
        data = review_data(review, programme, overall="")
        for objective in programme.objectives.exclude(pk=first.pk):
            data[f"progress-{objective.key.hex}"] = ""
            data[f"narrative-{objective.key.hex}"] = ""
        client.post(url("annual_review_edit", review), data)
        page = client.get(url("annual_review", review))
        assert page.context["missing"] == [
            "Rate the progress towards “Objective 2”.",
            "Write the overall assessment.",
        ]
        response = client.post(url("annual_review_submit", review))
        assert messages_of(response) == [
            "The review cannot be submitted yet:",
            "Rate the progress towards “Objective 2”.",
            "Write the overall assessment.",
        ]
        review.refresh_from_db()
        assert review.status == ReviewStatus.DRAFT

    def test_a_narrative_needs_its_progress(self, client_as, drafter, programme, review):
        objective = programme.objectives.order_by("order").first()
        data = review_data(review, programme, **{f"progress-{objective.key.hex}": ""})
        response = client_as(drafter).post(url("annual_review_edit", review), data)
        assert response.status_code == 200
        assert response.context["form"].errors[f"progress-{objective.key.hex}"] == [
            "Choose the progress that this narrative describes."
        ]
        assert not review.ratings.exists()

    def test_an_unknown_progress_is_refused(self, client_as, drafter, programme, review):
        data = review_data(review, programme, progress="splendid")
        response = client_as(drafter).post(url("annual_review_edit", review), data)
        assert response.status_code == 200
        assert not review.ratings.exists()

    def test_a_stale_form_keeps_the_input(self, client_as, drafter, programme, review):
        data = review_data(review, programme, overall="Mine.")
        actions.save_review(
            actor=drafter, review=review, seen_stamp=None, overall="Theirs.", progress={}
        )
        response = client_as(drafter).post(url("annual_review_edit", review), data)
        assert response.status_code == 409
        assert "Mine." in response.text
        review.refresh_from_db()
        assert review.overall == "Theirs."

    def test_a_submitted_review_no_longer_changes(self, client_as, drafter, programme, review):
        submitted(review, programme, drafter)
        response = client_as(drafter).get(url("annual_review_edit", review))
        assert response.status_code == 302
        assert "can no longer be changed" in messages_of(response)[0]


class TestAcknowledging:
    def test_an_approver_acknowledges(self, client_as, approver, drafter, programme, review):
        submitted(review, programme, drafter)
        client = client_as(approver)
        page = client.get(url("annual_review", review))
        assert "Acknowledge the review" in page.text
        response = client.post(url("annual_review_acknowledge", review))
        review.refresh_from_db()
        assert (review.status, review.acknowledged_by) == (ReviewStatus.ACKNOWLEDGED, approver)
        assert "acknowledged" in messages_of(response)[0]
        # The programme page shows it.
        text = client.get(programme.get_absolute_url()).text
        assert "Acknowledged" in text

    def test_return_with_a_comment(self, client_as, approver, drafter, programme, review):
        submitted(review, programme, drafter)
        client = client_as(approver)
        assert client.post(url("annual_review_return", review), {"comment": ""}).status_code == 302
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED
        client.post(url("annual_review_return", review), {"comment": "More on objective 2."})
        review.refresh_from_db()
        assert (review.status, review.return_comment) == (
            ReviewStatus.RETURNED,
            "More on objective 2.",
        )
        page = client_as(drafter).get(url("annual_review_edit", review))
        assert "More on objective 2." in page.text

    def test_the_writer_may_not_acknowledge_and_is_told_so(
        self, client_as, drafting_approver, programme, review
    ):
        review = submitted(review, programme, drafting_approver)
        client = client_as(drafting_approver)
        page = client.get(url("annual_review", review))
        assert "another approver must acknowledge it" in page.text
        response = client.post(url("annual_review_acknowledge", review))
        assert response.status_code == 302
        assert "another approver must acknowledge it" in messages_of(response)[0]
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED

    @pytest.mark.parametrize("role", ["viewer", "drafter", "menu_manager"])
    def test_others_are_refused_with_the_reason(
        self, request, client_as, drafter, programme, review, role
    ):
        submitted(review, programme, drafter)
        client = client_as(request.getfixturevalue(role))
        for step in ("annual_review_acknowledge", "annual_review_return"):
            response = client.post(url(step, review), {"comment": "x"})
            assert response.status_code == 403
            assert "Only approvers acknowledge annual reviews." in response.text
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED


class TestWhoMay:
    @pytest.mark.parametrize("role", ["viewer", "approver", "menu_manager"])
    def test_readers_read_and_may_not_write(self, request, client_as, role, programme, review):
        client = client_as(request.getfixturevalue(role))
        assert client.get(url("annual_review", review)).status_code == 200
        for name, target in [
            ("annual_review_edit", review),
            ("annual_review_submit", review),
            ("annual_review_start", programme),
        ]:
            response = client.post(url(name, target), {"year": 2})
            assert response.status_code == 403
            assert "Only programme officers record delivery." in response.text
        assert AnnualReview.objects.count() == 1

    def test_an_officer_of_another_partner(self, client_as, programme, review):
        other = assigned_officer(PartnerFactory(name="Elsewhere", code="EW"))
        client = client_as(other)
        response = client.post(url("annual_review_edit", review), review_data(review, programme))
        assert response.status_code == 403
        assert "You are not an assigned programme officer of Partnerland." in response.text
        assert not review.ratings.exists()

    def test_a_review_of_a_closed_programme_is_read_only(
        self, client_as, drafter, approver, programme, review
    ):
        workflow.close(actor=approver, programme=programme, reason="Ended early.")
        client = client_as(drafter)
        page = client.get(url("annual_review", review))
        assert page.status_code == 200
        assert page.context["missing"] is None
        response = client.get(url("annual_review_edit", review))
        assert "not in force" in messages_of(response)[0]

    def test_no_role_and_unknown_ids(self, client_as, no_role_user, drafter, review):
        assert client_as(no_role_user).get(url("annual_review", review)).status_code == 403
        client = client_as(drafter)
        for name in ("annual_review", "annual_review_edit"):
            assert client.get(reverse(f"programmes:{name}", args=[999999])).status_code == 404


def test_review_page_query_count_does_not_grow(
    client_as, approver, drafter, partner, django_assert_num_queries
):
    small = programme_in_force(officer=drafter, approver=approver, partner=partner)
    small_review = submitted(
        actions.start_review(actor=drafter, programme=small, year=1), small, drafter
    )
    other = PartnerFactory(name="Largeland", code="LL")
    officer = assigned_officer(other)
    large = programme_in_force(
        officer=officer, approver=approver, partner=other, objectives=6, activities=80
    )
    for planned in large.planned_activities.order_by("pk")[:40]:
        event_of(large, officer=officer, planned=planned)
    large_review = submitted(
        actions.start_review(actor=officer, programme=large, year=1), large, officer
    )
    client = client_as(approver)
    with django_assert_num_queries(18) as queries:
        client.get(url("annual_review", small_review))
    with django_assert_num_queries(len(queries.captured_queries)):
        response = client.get(url("annual_review", large_review))
    assert len(response.context["ratings"]) == 6
