"""Drafting the successor of an agreed programme: ``workflow.draft_successor`` and its page."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from programmes import workflow
from programmes.menu.models import Activity
from programmes.models import Goal, Objective, PlannedActivity, Programme, ProgrammeStatus
from tests.support.factories import draft_programme, programme_in_status
from tests.support.pages import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(drafter, approver, partner):
    """Agreed for 2026 to 2029: two objectives of two goals, eight planned activities, the first
    of them then retired from the menu."""
    programme = programme_in_status(
        ProgrammeStatus.AGREED,
        officer=drafter,
        approver=approver,
        partner=partner,
        objectives=2,
        goals=2,
        activities=8,
    )
    first = programme.planned_activities.order_by("pk").first()
    Activity.objects.filter(pk=first.activity_id).update(retired_in=2026)
    return programme


def successor_of(agreed, drafter, **options):
    options.setdefault("copy_activities", True)
    return workflow.draft_successor(actor=drafter, programme=agreed, title="Next", **options)


class TestDraftSuccessor:
    def test_copies_objectives_goals_and_activities_in_the_next_four_years(self, agreed, drafter):
        successor, skipped = successor_of(agreed, drafter)
        assert (successor.start_year, successor.end_year) == (2030, 2033)
        assert (successor.status, successor.version, successor.revises) == ("draft", 1, None)
        assert successor.lineage != agreed.lineage
        assert successor.created_by == drafter
        assert drafter in successor.editors.all()

        def items(programme):
            return [
                (o.order, o.title, o.description, [(g.order, g.title) for g in o.goals.all()])
                for o in programme.objectives.order_by("order")
            ]

        assert items(successor) == items(agreed)
        retired = agreed.planned_activities.get(activity__retired_in__isnull=False)
        assert skipped == [retired]

        def rows(programme):
            return sorted(
                (p.activity_id, p.year, p.goal.title, p.priority)
                for p in programme.planned_activities.select_related("goal")
            )

        assert rows(successor) == [row for row in rows(agreed) if row[0] != retired.activity_id]
        agreed.refresh_from_db()
        assert agreed.status == ProgrammeStatus.AGREED  # untouched

    def test_without_activities(self, agreed, drafter):
        successor, skipped = successor_of(agreed, drafter, copy_activities=False)
        assert skipped == []
        assert not successor.planned_activities.exists()
        assert Goal.objects.filter(objective__programme=successor).count() == 4

    def test_history_rows_name_the_actor(self, agreed, drafter):
        successor, _ = successor_of(agreed, drafter)
        for model, filters in (
            (Programme, {"id": successor.pk}),
            (Objective, {"programme_id": successor.pk}),
            (PlannedActivity, {"programme_id": successor.pk}),
        ):
            rows = model.history.filter(**filters)
            assert rows.exists()
            assert {(r.history_user, r.history_type) for r in rows} == {(drafter, "+")}
        goal_rows = Goal.history.filter(
            objective_id__in=successor.objectives.values("pk")
        ).values_list("history_user", flat=True)
        assert set(goal_rows) == {drafter.pk}

    def test_the_same_form_twice_drafts_one_successor(self, agreed, drafter):
        token = uuid.uuid4()
        first, _ = successor_of(agreed, drafter, token=token)
        second, skipped = successor_of(agreed, drafter, token=token)
        assert first == second
        assert len(skipped) == 1
        assert Programme.objects.filter(partner=agreed.partner).count() == 2

    def test_refused_when_a_successor_exists(self, agreed, drafter):
        successor_of(agreed, drafter)
        with pytest.raises(workflow.WrongStatus, match="already carries on"):
            successor_of(agreed, drafter)

    def test_refused_when_the_years_are_taken(self, agreed, drafter, partner):
        draft_programme(officer=drafter, partner=partner, start_year=2032)
        count = Programme.objects.count()
        with pytest.raises(workflow.WrongStatus):
            successor_of(agreed, drafter)
        assert Programme.objects.count() == count

    @pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT, ProgrammeStatus.SUBMITTED])
    def test_refused_unless_agreed(self, status, drafter, approver, partner):
        programme = programme_in_status(status, officer=drafter, approver=approver, partner=partner)
        with pytest.raises(workflow.WrongStatus):
            successor_of(programme, drafter)

    @pytest.mark.parametrize("role", ["viewer", "approver", "officer"])
    def test_only_the_partners_drafters(self, request, role, agreed):
        count = Programme.objects.count()
        with pytest.raises(PermissionDenied):
            successor_of(agreed, request.getfixturevalue(role))
        assert Programme.objects.count() == count

    def test_four_eyes_kept(self, agreed, drafter, approver):
        successor, _ = successor_of(agreed, drafter)
        assert workflow.Action.APPROVE not in workflow.available_actions(drafter, successor)


class TestPages:
    def url(self, programme):
        return reverse("programmes:programme_successor", args=[programme.pk])

    def test_the_button_and_the_confirmation(self, client_as, drafter, agreed):
        client = client_as(drafter)
        assert self.url(agreed) in client.get(agreed.get_absolute_url()).text
        page = client.get(self.url(agreed))
        assert page.status_code == 200
        assert "2030–2033" in page.text  # noqa: RUF001
        retired = agreed.planned_activities.get(activity__retired_in__isnull=False)
        assert retired.activity.code in page.text
        assert 'name="copy_activities"' in page.text

    def test_post_drafts_it_and_lists_what_was_left_out(self, client_as, drafter, agreed):
        client = client_as(drafter)
        response = client.post(self.url(agreed), {"copy_activities": "on"}, follow=True)
        successor = Programme.objects.get(partner=agreed.partner, start_year=2030)
        assert response.redirect_chain[-1][0] == successor.get_absolute_url()
        retired = agreed.planned_activities.get(activity__retired_in__isnull=False)
        texts = messages_of(response)
        assert any("Successor drafted for 2030–2033" in t for t in texts)  # noqa: RUF001
        assert any(
            f"Not copied, retired from the menu: {retired.activity.code}" in t for t in texts
        )
        assert successor.title.endswith(" ITPP 2030–2033")  # noqa: RUF001
        assert successor.planned_activities.count() == 7

    def test_a_second_time_is_refused_with_a_message(self, client_as, drafter, agreed):
        client = client_as(drafter)
        client.post(self.url(agreed), {})
        response = client.post(self.url(agreed), {}, follow=True)
        assert any("already carries on" in t for t in messages_of(response))
        assert Programme.objects.filter(partner=agreed.partner).count() == 2

    def test_other_roles_get_403(self, client_as, viewer, approver, agreed):
        for user in (viewer, approver):
            assert client_as(user).get(self.url(agreed)).status_code == 403
            assert client_as(user).post(self.url(agreed), {}).status_code == 403


def test_the_confirmation_costs_the_same_whatever_the_size(
    client_as, drafter, approver, partner, django_assert_num_queries
):
    small, large = (
        programme_in_status(
            ProgrammeStatus.AGREED,
            officer=drafter,
            approver=approver,
            partner=partner,
            start_year=start_year,
            objectives=objectives,
            goals=2,
            activities=activities,
        )
        for start_year, objectives, activities in ((2026, 1, 2), (2040, 4, 40))
    )
    client = client_as(drafter)
    url = reverse("programmes:programme_successor", args=[small.pk])
    client.get(url)  # the session's first reads
    with django_assert_num_queries(15) as queries:
        client.get(url)
    with django_assert_num_queries(len(queries.captured_queries)):
        client.get(reverse("programmes:programme_successor", args=[large.pk]))


def test_the_button_shows_only_while_nothing_succeeds(client_as, drafter, approver, partner):
    """The programme page offers "Draft the successor" to a drafter of an agreed programme, and
    no longer once a successor exists (the page behind it would refuse)."""
    agreed = programme_in_status(
        ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner
    )
    client = client_as(drafter)
    assert "Draft the successor" in client.get(agreed.get_absolute_url()).text
    workflow.draft_successor(actor=drafter, programme=agreed, title="Next", copy_activities=False)
    assert "Draft the successor" not in client.get(agreed.get_absolute_url()).text
