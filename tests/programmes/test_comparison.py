"""Comparing two versions of a programme (``programmes.comparison``) and its page."""

import copy

import pytest
from django.urls import reverse

from programmes import workflow
from programmes.comparison import compare_versions
from programmes.models import Priority, ProgrammeStatus
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    assigned_officer,
    drafter_of,
    partnerland,
    programme_in_status,
    role_user,
)

S = ProgrammeStatus


def titles(items):
    return [item.title for item in items]


def codes(items):
    return [item.activity.code for item in items]


def changes_of(item_change):
    return {change.name: (change.old, change.new) for change in item_change.changes}


def revise_everything(first, officer):
    """Version 2 of ``first``, with something added, removed and changed of every kind."""
    second = workflow.revise(actor=officer, programme=first)
    workflow.update_programme(
        actor=officer,
        programme=second,
        seen_stamp=None,
        title="Revised programme",
        summary="Now with a summary.",
        start_year=2027,
    )
    objective_1, objective_2 = second.objectives.order_by("order")
    workflow.update_objective(
        actor=officer, objective=objective_1, seen_stamp=None, title="Objective 1 (revised)"
    )
    planned = {p.goal.title: p for p in second.planned_activities.select_related("goal")}
    for title in ("Goal 2.1", "Goal 2.2"):
        workflow.remove_planned_activity(actor=officer, planned=planned[title])
    workflow.delete_objective(actor=officer, objective=objective_2)
    objective_3 = workflow.add_objective(actor=officer, programme=second, title="Objective 3")
    goal_1_1, goal_1_2 = objective_1.goals.order_by("order")
    workflow.update_goal(
        actor=officer,
        goal=goal_1_2,
        seen_stamp=None,
        title="Goal 1.2",
        description="Moved.",
        objective=objective_3,
    )
    goal_1_3 = workflow.add_goal(actor=officer, objective=objective_1, title="Goal 1.3")
    workflow.update_planned_activity(
        actor=officer,
        planned=planned["Goal 1.1"],
        seen_stamp=None,
        year=3,
        goal=goal_1_3,
        priority=Priority.HIGH,
        notes="Later.",
    )
    workflow.plan_activity(
        actor=officer,
        programme=second,
        activity=ActivityFactory(code="NEW-0001"),
        year=1,
        goal=goal_1_1,
    )
    second.refresh_from_db()
    return second


@pytest.fixture(scope="class")
def agreed_version(class_transaction):
    """Version 1, agreed: objectives 1 and 2, goals 1.1, 1.2, 2.1, 2.2, one activity each; by
    the ``drafter`` of the ``partner``, approved by the ``approver``. Built once for a class."""
    partner = partnerland()
    return programme_in_status(
        S.AGREED,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        objectives=2,
        goals=2,
        activities=4,
    )


@pytest.fixture(scope="class")
def revised_version(agreed_version):
    """Version 2 of ``agreed_version`` (see ``revise_everything``). Built once for a class."""
    return revise_everything(agreed_version, agreed_version.created_by)


@pytest.fixture
def first(agreed_version, db):
    return copy.deepcopy(agreed_version)


@pytest.fixture
def revised(revised_version, db):
    return copy.deepcopy(revised_version)


@pytest.mark.django_db
class TestCompareVersions:
    def test_programme_fields(self, first, revised):
        comparison = compare_versions(first, revised)
        assert {c.name: (c.old, c.new) for c in comparison.programme} == {
            "title": ("Individually Tailored Partnership Programme", "Revised programme"),
            "summary": ("", "Now with a summary."),
            "period": ("2026–2029", "2027–2030"),  # noqa: RUF001
        }
        assert comparison.has_changes

    def test_objectives(self, first, revised):
        objectives = compare_versions(first, revised).objectives
        assert titles(objectives.added) == ["Objective 3"]
        assert titles(objectives.removed) == ["Objective 2"]
        [changed] = objectives.changed
        assert changes_of(changed) == {"title": ("Objective 1", "Objective 1 (revised)")}

    def test_goals(self, first, revised):
        goals = compare_versions(first, revised).goals
        assert titles(goals.added) == ["Goal 1.3"]
        assert titles(goals.removed) == ["Goal 2.1", "Goal 2.2"]
        [changed] = goals.changed
        assert changed.new.title == "Goal 1.2"
        assert changes_of(changed) == {
            "description": ("", "Moved."),
            "order": ("2", "1"),
            "objective": ("Objective 1", "Objective 3"),
        }

    def test_planned_activities(self, first, revised):
        activities = compare_versions(first, revised).activities
        old_codes = {p.goal.title: p.activity.code for p in first.planned_activities.all()}
        assert codes(activities.added) == ["NEW-0001"]
        assert sorted(codes(activities.removed)) == sorted(
            [old_codes["Goal 2.1"], old_codes["Goal 2.2"]]
        )
        [changed] = activities.changed
        assert changed.new.activity.code == old_codes["Goal 1.1"]
        assert changes_of(changed) == {
            "year": ("year 1 (2026)", "year 3 (2029)"),
            "goal": ("Goal 1.1", "Goal 1.3"),
            "priority": ("Medium", "High"),
            "notes": ("", "Later."),
        }
        # Goal 1.2 moved, but its activity did not change: it is not listed.
        assert old_codes["Goal 1.2"] not in codes(activities.added + activities.removed)

    def test_the_other_way_round(self, first, revised):
        comparison = compare_versions(revised, first)
        assert titles(comparison.objectives.added) == ["Objective 2"]
        assert titles(comparison.objectives.removed) == ["Objective 3"]
        assert codes(comparison.activities.removed) == ["NEW-0001"]

    def test_three_queries_whatever_the_size(self, first, revised, django_assert_num_queries):
        with django_assert_num_queries(3):
            compare_versions(first, revised)


def compare_url(programme):
    return reverse("programmes:programme_compare", args=[programme.pk])


@pytest.mark.django_db
class TestComparePage:
    def test_default_is_the_revised_version_against_this_one(
        self, client_as, viewer, first, revised
    ):
        response = client_as(viewer).get(compare_url(revised))
        assert response.status_code == 200
        comparison = response.context["comparison"]
        assert (comparison.old, comparison.new) == (first, revised)
        text = response.text
        for expected in ["Objective 3", "Goal 2.1", "NEW-0001", "Later.", "2027–2030"]:  # noqa: RUF001
            assert expected in text
        # The selector offers both versions, the pair in force selected.
        assert f'<option value="{first.pk}" selected>' in text
        assert f'<option value="{revised.pk}" selected>' in text

    def test_first_version_is_compared_with_the_next(self, client_as, viewer, first, revised):
        comparison = client_as(viewer).get(compare_url(first)).context["comparison"]
        assert (comparison.old, comparison.new) == (first, revised)

    def test_chosen_versions(self, client_as, viewer, first, revised):
        response = client_as(viewer).get(compare_url(first), {"old": revised.pk, "new": first.pk})
        comparison = response.context["comparison"]
        assert (comparison.old, comparison.new) == (revised, first)

    @pytest.mark.parametrize(
        "params",
        [
            {"old": "abc", "new": "def"},
            {"old": "999999", "new": "{new}"},
            {"old": "99999999999999999999999", "new": "{new}"},
            {"old": "-1", "new": "{new}"},
            {"old": "{new}", "new": "{new}"},
            {"old": "{other}", "new": "{new}"},
            {"old": "{old}"},
            {"new": ""},
            {"old": "\x00", "new": "{new}"},
        ],
    )
    def test_junk_parameters_get_a_message(
        self, client_as, viewer, approver, first, revised, params
    ):
        stranger = PartnerFactory(code="ST", name="Strangeland")
        other = programme_in_status(
            S.DRAFT, officer=assigned_officer(stranger), approver=approver, partner=stranger
        )
        values = {"old": first.pk, "new": revised.pk, "other": other.pk}
        query = {key: value.format(**values) for key, value in params.items()}
        response = client_as(viewer).get(compare_url(revised), query)
        assert response.status_code == 200
        assert response.context["comparison"] is None
        assert "These versions cannot be compared" in response.text

    def test_query_count_is_fixed(
        self, client_as, viewer, drafter, approver, first, revised, django_assert_num_queries
    ):
        client = client_as(viewer)
        with django_assert_num_queries(13) as small:
            client.get(compare_url(revised))
        partner = PartnerFactory(code="BG", name="Bigland")
        officer = assigned_officer(partner)
        big = programme_in_status(
            S.AGREED,
            officer=officer,
            approver=approver,
            partner=partner,
            objectives=4,
            goals=3,
            activities=30,
        )
        bigger = workflow.revise(actor=officer, programme=big)
        for objective in bigger.objectives.all():
            workflow.update_objective(
                actor=officer, objective=objective, seen_stamp=None, title="Changed"
            )
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(compare_url(bigger))


@pytest.mark.django_db
class TestAVersionNotYetRevised:
    """Version 1 alone: the same when a revision has just started, nothing to compare before."""

    def test_a_fresh_revision_has_no_changes(self, first, drafter):
        second = workflow.revise(actor=drafter, programme=first)
        comparison = compare_versions(first, second)
        assert not comparison.has_changes
        assert not comparison.objectives
        assert not comparison.goals
        assert not comparison.activities

    def test_only_one_version(self, client_as, viewer, first):
        response = client_as(viewer).get(compare_url(first))
        assert response.status_code == 200
        assert response.context["comparison"] is None
        assert "only one version" in response.text

    def test_no_change_says_so(self, client_as, viewer, first, drafter):
        second = workflow.revise(actor=drafter, programme=first)
        response = client_as(viewer).get(compare_url(second))
        assert "The two versions are the same." in response.text

    def test_no_role_is_refused(self, client_as, no_role_user, first):
        assert client_as(no_role_user).get(compare_url(first)).status_code == 403


@pytest.mark.django_db
def test_unknown_programme_is_404(client_as, viewer):
    assert client_as(viewer).get("/programmes/424242/compare/").status_code == 404
