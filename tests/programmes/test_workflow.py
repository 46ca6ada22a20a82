"""The programme workflow (``programmes.workflow``): every status, action and role;
the four-eyes rule, revisions and agreements, partner events, e-mails and read-only versions.

The rules are written out again here, independently of the module's own tables, so that a change
to the module that breaks a rule fails a test instead of quietly changing the expectation.
"""

from __future__ import annotations

import copy
import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from partners.actions import record_status_event
from partners.models import EventKind
from pfp.roles import Role
from programmes import workflow
from programmes.models import Comment, PlannedActivity, Programme, ProgrammeStatus
from programmes.workflow import Action
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    agree,
    assigned_officer,
    attach_signed_agreement,
    draft_programme,
    moved_around_the_workflow,
    programme_in_status,
)
from tests.support.workflow_rules import FROM, MAY

S = ProgrammeStatus

# The status a successful action leaves the programme in (None: unchanged).
AFTER = {
    Action.EDIT: None,
    Action.COMMENT: None,
    Action.SUBMIT: S.SUBMITTED,
    Action.WITHDRAW: S.WITHDRAWN,
    Action.RETURN: S.RETURNED,
    Action.APPROVE: S.APPROVED,
    Action.RECORD_AGREEMENT: S.AGREED,
    Action.REVISE: None,  # the version stays agreed; a new draft appears
    Action.CLOSE: S.CLOSED,
    Action.SHARE: None,  # the draft stays a draft, shown to the partner
    Action.ACCEPT: S.AGREED,
    Action.DECLINE: S.RETURNED,
}
ROLES = [
    "officer",
    "other_officer",
    "approver",
    "viewer",
    "menu_manager",
    "no_role",
    "administrator",
]


def take(action: str, *, actor, programme: Programme):
    """Take ``action`` the way a page would, with valid input."""
    if action == Action.EDIT:
        return workflow.add_objective(actor=actor, programme=programme, title="A new objective")
    if action == Action.COMMENT:
        return workflow.add_comment(actor=actor, programme=programme, text="Looks fine.")
    if action == Action.SUBMIT:
        return workflow.submit(actor=actor, programme=programme)
    if action == Action.WITHDRAW:
        return workflow.withdraw(actor=actor, programme=programme)
    if action == Action.RETURN:
        return workflow.return_programme(actor=actor, programme=programme, comment="Add a goal.")
    if action == Action.APPROVE:
        return workflow.approve(actor=actor, programme=programme)
    if action == Action.RECORD_AGREEMENT:
        return workflow.record_agreement(
            actor=actor,
            programme=programme,
            agreed_on=datetime.date(2026, 1, 20),
            signatory="Minister of Foreign Affairs",
        )
    if action == Action.REVISE:
        return workflow.revise(actor=actor, programme=programme)
    if action == Action.CLOSE:
        return workflow.close(actor=actor, programme=programme, reason="The partner asked.")
    if action == Action.SHARE:
        return workflow.share(actor=actor, programme=programme)
    if action == Action.ACCEPT:
        return workflow.accept(actor=actor, programme=programme)
    if action == Action.DECLINE:
        return workflow.decline(actor=actor, programme=programme, comment="Not this version.")
    raise ValueError(action)


def snapshot(programme: Programme) -> tuple:
    """What a refused action must leave untouched."""
    programme.refresh_from_db()
    return (
        programme.status,
        programme.edit_stamp,
        programme.history.count(),
        programme.objectives.count(),
        programme.comments.count(),
        Programme.objects.count(),
    )


def make_cast():
    """One user per role; ``officer`` is assigned to the partner, ``other_officer`` is not."""
    partner = PartnerFactory(name="Matrixland", code="MX")
    other = PartnerFactory(name="Elsewhere", code="EW")
    return {
        "partner": partner,
        "officer": assigned_officer(partner, "officer"),
        "other_officer": assigned_officer(other, "other-officer"),
        "approver": UserFactory(username="approver", role=Role.APPROVER),
        "viewer": UserFactory(username="viewer", role=Role.VIEWER),
        "menu_manager": UserFactory(username="menumanager", role=Role.MENU_MANAGER),
        "no_role": UserFactory(username="nobody"),
        "administrator": UserFactory(username="admin", administrator=True),
        "second_approver": UserFactory(username="approver2", role=Role.APPROVER),
    }


@pytest.fixture
def cast(db):
    return make_cast()


def another_partner(cast):
    """A further partner the cast's officer is assigned to."""
    partner = PartnerFactory()
    partner.officers.add(cast["officer"])
    cast["officer"].__dict__.pop("_pfp_assigned_partners", None)
    return partner


@pytest.fixture(scope="class")
def matrix(class_transaction):
    """For ``TestMatrix``: the cast, and a programme in each status (two activities), each for a
    partner of its own that the cast's officer is assigned to; built once for the class."""
    cast = make_cast()
    programmes = {
        status: programme_in_status(
            status,
            officer=cast["officer"],
            approver=cast["second_approver"],
            partner=another_partner(cast),
            activities=2,
        )
        for status in S.values
    }
    return {"cast": cast, "programmes": programmes}


class TestMatrix:
    """Every status, action and role: allowed, refused for the role, or refused for
    the status, and a refusal changes nothing."""

    @pytest.fixture
    def cast(self, matrix, db):
        return copy.deepcopy(matrix["cast"])

    @pytest.mark.parametrize("action", list(Action))
    @pytest.mark.parametrize("status", S.values)
    def test_cell(self, matrix, cast, status, action):
        programme = copy.deepcopy(matrix["programmes"][status])
        outcomes = {}
        for role in ROLES:
            before = snapshot(programme)
            try:
                with transaction.atomic():
                    take(action, actor=cast[role], programme=programme)
                    outcomes[role] = "done"
                    programme.refresh_from_db()
                    expected_status = AFTER[action] or status
                    assert programme.status == expected_status, (role, programme.status)
                    raise _Rollback
            except _Rollback:
                pass
            except workflow.NotPermitted:
                outcomes[role] = "role"
                assert snapshot(programme) == before, role
            except workflow.WrongStatus:
                outcomes[role] = "status"
                assert snapshot(programme) == before, role
        expected = {
            role: "role"
            if role not in MAY[action]
            else "done"
            if status in FROM[action]
            else "status"
            for role in ROLES
        }
        assert outcomes == expected

    def test_available_actions_agree_with_the_table(self, cast):
        for status in S.values:
            partner = another_partner(cast)
            programme = programme_in_status(
                status,
                officer=cast["officer"],
                approver=cast["second_approver"],
                partner=partner,
                activities=1,
            )
            for role in ROLES:
                offered = workflow.available_actions(cast[role], programme)
                expected = {
                    action.value
                    for action in Action
                    if role in MAY[action] and status in FROM[action]
                }
                assert offered == expected, (status, role)


class _Rollback(Exception):
    """Undo a successful cell so that the next role starts from the same state."""


class TestFourEyes:
    def test_a_drafter_never_approves(self, cast):
        officer_approver = assigned_officer(cast["partner"], "both")
        officer_approver.groups.add(
            *type(officer_approver.groups.first()).objects.filter(name=Role.APPROVER)
        )
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        workflow.add_objective(actor=officer_approver, programme=programme, title="Edited")
        workflow.add_goal(
            actor=officer_approver, objective=programme.objectives.last(), title="A goal"
        )
        workflow.plan_activity(
            actor=cast["officer"],
            programme=programme,
            activity=ActivityFactory(),
            year=1,
            goal=programme.objectives.last().goals.get(),
        )
        workflow.submit(actor=cast["officer"], programme=programme)
        with pytest.raises(workflow.NotPermitted):
            workflow.approve(actor=officer_approver, programme=programme)
        programme.refresh_from_db()
        assert programme.status == S.SUBMITTED
        assert programme.approved_by is None

    def test_the_creator_never_approves_even_as_administrator(self, cast):
        admin = cast["administrator"]
        programme = draft_programme(officer=admin, partner=cast["partner"])
        workflow.submit(actor=cast["officer"], programme=programme)
        with pytest.raises(workflow.NotPermitted):
            workflow.approve(actor=admin, programme=programme)
        assert Programme.objects.get(pk=programme.pk).status == S.SUBMITTED

    def test_a_former_submitter_never_approves_after_a_return(self, cast):
        admin = cast["administrator"]
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        workflow.submit(actor=admin, programme=programme)
        workflow.return_programme(actor=cast["approver"], programme=programme, comment="Fix it.")
        workflow.submit(actor=cast["officer"], programme=programme)
        with pytest.raises(workflow.NotPermitted):
            workflow.approve(actor=admin, programme=programme)

    def test_the_database_refuses_a_self_approval_written_around_the_workflow(self, cast):
        programme = programme_in_status(
            S.SUBMITTED,
            officer=cast["officer"],
            approver=cast["approver"],
            partner=cast["partner"],
        )
        for approver_field in ("created_by", "submitted_by"):
            with pytest.raises(IntegrityError), transaction.atomic():
                Programme.objects.filter(pk=programme.pk).update(
                    status=S.APPROVED,
                    approved_by=getattr(programme, approver_field),
                    approved_at=programme.submitted_at,
                )


class TestSubmission:
    def test_everything_missing_is_listed(self, cast):
        programme = workflow.create_programme(
            actor=cast["officer"], partner=cast["partner"], title="Empty", start_year=2026
        )
        with pytest.raises(workflow.Incomplete) as refused:
            workflow.submit(actor=cast["officer"], programme=programme)
        problems = refused.value.problems
        assert any("no strategic objective" in p for p in problems)
        assert any("No activity is planned" in p for p in problems)
        objective = workflow.add_objective(actor=cast["officer"], programme=programme, title="O")
        workflow.add_goal(actor=cast["officer"], objective=objective, title="G")
        problems = workflow.missing_for_submission(programme)
        assert any("“G” has no planned activity" in p for p in problems)
        workflow.add_objective(actor=cast["officer"], programme=programme, title="Bare")
        problems = workflow.missing_for_submission(programme)
        assert any("“Bare” has no partnership goal" in p for p in problems)
        assert Programme.objects.get(pk=programme.pk).status == S.DRAFT

    def test_a_retired_activity_blocks_submission(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        planned = programme.planned_activities.get()
        type(planned.activity).objects.filter(pk=planned.activity_id).update(retired_in=2025)
        with pytest.raises(workflow.Incomplete) as refused:
            workflow.submit(actor=cast["officer"], programme=programme)
        assert any(planned.activity.code in p for p in refused.value.problems)

    def test_a_partner_that_is_not_active_blocks_submission(self, cast):
        partner = PartnerFactory(suspended=True)
        officer = assigned_officer(partner, "o-suspended")
        programme = draft_programme(officer=officer, partner=partner)
        with pytest.raises(workflow.Incomplete) as refused:
            workflow.submit(actor=officer, programme=programme)
        assert any("not an active partner" in p for p in refused.value.problems)

    def test_a_retired_activity_cannot_be_chosen(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        with pytest.raises(ValidationError):
            workflow.plan_activity(
                actor=cast["officer"],
                programme=programme,
                activity=ActivityFactory(retired=True),
                year=1,
                goal=programme.objectives.get().goals.get(),
            )

    def test_an_activity_at_most_once_per_year(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        planned = programme.planned_activities.get()
        goal = planned.goal
        with pytest.raises(ValidationError):
            workflow.plan_activity(
                actor=cast["officer"],
                programme=programme,
                activity=planned.activity,
                year=planned.year,
                goal=goal,
            )
        other_year = workflow.plan_activity(
            actor=cast["officer"],
            programme=programme,
            activity=planned.activity,
            year=planned.year % 4 + 1,
            goal=goal,
        )
        assert other_year.pk

    @pytest.mark.parametrize("year", [0, 5, -1])
    def test_a_year_outside_the_programme_is_refused(self, cast, year):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        with pytest.raises(ValidationError):
            workflow.plan_activity(
                actor=cast["officer"],
                programme=programme,
                activity=ActivityFactory(),
                year=year,
                goal=programme.objectives.get().goals.get(),
            )
        assert programme.planned_activities.count() == 1

    def test_the_database_keeps_four_years_and_years_within(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.filter(pk=programme.pk).update(end_year=programme.start_year + 4)
        with pytest.raises(IntegrityError), transaction.atomic():
            PlannedActivity.objects.filter(programme=programme).update(year=5)


class TestEditing:
    def test_a_stale_form_is_a_conflict_and_changes_nothing(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        objective = programme.objectives.get()
        seen = programme.edit_stamp
        workflow.update_objective(
            actor=cast["officer"], objective=objective, seen_stamp=seen, title="First"
        )
        with pytest.raises(workflow.EditConflict):
            workflow.update_objective(
                actor=cast["administrator"], objective=objective, seen_stamp=seen, title="Second"
            )
        objective.refresh_from_db()
        assert objective.title == "First"

    def test_every_content_change_is_in_the_history_with_its_author(self, cast):
        officer = cast["officer"]
        programme = draft_programme(officer=officer, partner=cast["partner"], activities=2)
        objective = programme.objectives.get()
        workflow.update_objective(
            actor=officer, objective=objective, seen_stamp=None, title="Renamed"
        )
        planned = programme.planned_activities.first()
        workflow.remove_planned_activity(actor=officer, planned=planned)
        rows = list(objective.history.all()) + list(
            PlannedActivity.history.filter(programme_id=programme.pk)
        )
        assert rows
        assert {row.history_user for row in rows} == {officer}
        assert PlannedActivity.history.filter(id=planned.pk, history_type="-").exists()

    def test_goals_with_activities_are_not_deleted(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        goal = programme.objectives.get().goals.get()
        with pytest.raises(workflow.WorkflowError):
            workflow.delete_goal(actor=cast["officer"], goal=goal)
        with pytest.raises(workflow.WorkflowError):
            workflow.delete_objective(actor=cast["officer"], objective=goal.objective)
        assert programme.planned_activities.count() == 1

    def test_moving_objectives_renumbers_them(self, cast):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"], objectives=3)
        first, second, third = programme.objectives.all()
        workflow.move_objective(actor=cast["officer"], objective=third, direction=-1)
        assert list(programme.objectives.all()) == [first, third, second]
        workflow.move_objective(actor=cast["officer"], objective=first, direction=-1)
        assert list(programme.objectives.all()) == [first, third, second]

    @pytest.mark.parametrize("status", sorted(set(S.values) - {S.DRAFT, S.RETURNED}))
    def test_locked_versions_refuse_every_content_change(self, cast, status):
        programme = programme_in_status(
            status, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        officer = cast["administrator"]
        objective = programme.objectives.get()
        goal = objective.goals.get()
        planned = programme.planned_activities.get()
        before = snapshot(programme)
        attempts = [
            lambda: workflow.update_programme(
                actor=officer,
                programme=programme,
                seen_stamp=None,
                title="X",
                summary="",
                start_year=2027,
            ),
            lambda: workflow.add_objective(actor=officer, programme=programme, title="X"),
            lambda: workflow.update_objective(
                actor=officer, objective=objective, seen_stamp=None, title="X"
            ),
            lambda: workflow.delete_objective(actor=officer, objective=objective),
            lambda: workflow.move_objective(actor=officer, objective=objective, direction=1),
            lambda: workflow.add_goal(actor=officer, objective=objective, title="X"),
            lambda: workflow.update_goal(actor=officer, goal=goal, seen_stamp=None, title="X"),
            lambda: workflow.delete_goal(actor=officer, goal=goal),
            lambda: workflow.move_goal(actor=officer, goal=goal, direction=1),
            lambda: workflow.plan_activity(
                actor=officer, programme=programme, activity=ActivityFactory(), year=2, goal=goal
            ),
            lambda: workflow.update_planned_activity(
                actor=officer, planned=planned, seen_stamp=None, year=3, goal=goal, priority=1
            ),
            lambda: workflow.remove_planned_activity(actor=officer, planned=planned),
        ]
        for attempt in attempts:
            with pytest.raises(workflow.WrongStatus):
                attempt()
        assert snapshot(programme) == before


class TestPlanningSeveralAtOnce:
    """``plan_activities``: the rules of ``plan_activity`` for a list, all or nothing."""

    def plans(self, *activities, year=2):
        return [workflow.ActivityPlan(activity=a, year=year, notes=" Why. ") for a in activities]

    def test_planned_with_history_rows_naming_the_actor(self, cast):
        officer = cast["officer"]
        programme = draft_programme(officer=officer, partner=cast["partner"], activities=0)
        goal = programme.objectives.get().goals.get()
        activities = ActivityFactory.create_batch(3)
        stamp = programme.edit_stamp
        planned = workflow.plan_activities(
            actor=officer, programme=programme, goal=goal, plans=self.plans(*activities)
        )
        assert [p.activity for p in planned] == activities
        rows = PlannedActivity.objects.filter(programme=programme)
        assert {(p.goal, p.year, p.notes) for p in rows} == {(goal, 2, "Why.")}
        history = PlannedActivity.history.filter(programme_id=programme.pk)
        assert history.count() == 3
        assert {(h.history_user, h.history_change_reason) for h in history} == {
            (officer, Action.EDIT)
        }
        programme.refresh_from_db()
        assert programme.edit_stamp == stamp + 1

    def test_the_same_number_of_queries_for_one_or_twenty(self, cast):
        officer = cast["officer"]
        programme = draft_programme(officer=officer, partner=cast["partner"], activities=0)
        goal = programme.objectives.get().goals.get()
        counts = []
        for n, year in ((1, 1), (20, 2)):
            plans = self.plans(*ActivityFactory.create_batch(n), year=year)
            with CaptureQueriesContext(connection) as queries:
                workflow.plan_activities(actor=officer, programme=programme, goal=goal, plans=plans)
            counts.append(len(queries))
        assert counts[0] == counts[1]

    @pytest.mark.parametrize("problem", ["retired", "taken", "twice", "year", "goal", "actor"])
    def test_one_bad_row_plans_nothing(self, cast, problem):
        officer = cast["officer"]
        programme = draft_programme(officer=officer, partner=cast["partner"], activities=1)
        goal = programme.objectives.get().goals.get()
        good = ActivityFactory()
        plans = self.plans(good)
        actor = officer
        if problem == "retired":
            plans += self.plans(ActivityFactory(retired=True))
        elif problem == "taken":
            existing = programme.planned_activities.get()
            plans += self.plans(existing.activity, year=existing.year)
        elif problem == "twice":
            plans += self.plans(good)
        elif problem == "year":
            plans += self.plans(ActivityFactory(), year=5)
        elif problem == "goal":
            other = draft_programme(officer=officer, partner=another_partner(cast))
            goal = other.objectives.get().goals.get()
        elif problem == "actor":
            actor = cast["approver"]
        before = PlannedActivity.objects.count()
        with pytest.raises((ValidationError, workflow.WorkflowError)):
            workflow.plan_activities(actor=actor, programme=programme, goal=goal, plans=plans)
        assert PlannedActivity.objects.count() == before


class TestAgreementAndRevision:
    def test_a_revision_copies_everything_and_supersedes_on_agreement(self, cast):
        officer, approver = cast["officer"], cast["approver"]
        first = programme_in_status(
            S.AGREED,
            officer=officer,
            approver=approver,
            partner=cast["partner"],
            objectives=2,
            goals=2,
            activities=12,
        )
        revision = workflow.revise(actor=officer, programme=first)
        assert (revision.version, revision.revises, revision.status) == (2, first, S.DRAFT)
        assert revision.lineage == first.lineage
        assert revision.planned_activities.count() == 12
        assert sorted(o.key for o in revision.objectives.all()) == sorted(
            o.key for o in first.objectives.all()
        )
        with pytest.raises(workflow.WrongStatus):
            workflow.revise(actor=officer, programme=first)
        workflow.submit(actor=officer, programme=revision)
        workflow.approve(actor=approver, programme=revision)
        attach_signed_agreement(revision, actor=approver)
        workflow.record_agreement(
            actor=approver,
            programme=revision,
            agreed_on=datetime.date(2026, 3, 1),
            signatory="Minister",
        )
        first.refresh_from_db()
        assert first.status == S.SUPERSEDED
        assert first.history.first().history_change_reason == workflow.SUPERSEDED_REASON
        assert first.history.first().history_user == approver

    def test_overlapping_agreements_are_refused(self, cast):
        officer, approver = cast["officer"], cast["approver"]
        programme_in_status(S.AGREED, officer=officer, approver=approver, partner=cast["partner"])
        # Approved for later years, then moved onto the agreed one's around the workflow (which
        # refuses such a version at every step before): the agreement is the last check.
        second = programme_in_status(
            S.APPROVED,
            officer=officer,
            approver=approver,
            partner=cast["partner"],
            start_year=2032,
        )
        moved_around_the_workflow(second, 2028)
        with pytest.raises(workflow.WorkflowError, match="already has an agreed programme"):
            take(Action.RECORD_AGREEMENT, actor=approver, programme=second)
        assert Programme.objects.get(pk=second.pk).status == S.APPROVED
        later = programme_in_status(
            S.APPROVED,
            officer=officer,
            approver=approver,
            partner=cast["partner"],
            start_year=2032,
        )
        take(Action.RECORD_AGREEMENT, actor=approver, programme=later)
        assert Programme.objects.get(pk=later.pk).status == S.AGREED

    @pytest.mark.parametrize(
        ("signatory", "agreed_on"),
        [("", datetime.date(2026, 1, 1)), ("  ", datetime.date(2026, 1, 1)), ("M", None)],
    )
    def test_an_agreement_needs_a_date_and_a_signatory(self, cast, signatory, agreed_on):
        programme = programme_in_status(
            S.APPROVED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        with pytest.raises(ValidationError):
            workflow.record_agreement(
                actor=cast["approver"],
                programme=programme,
                agreed_on=agreed_on,
                signatory=signatory,
            )
        assert Programme.objects.get(pk=programme.pk).status == S.APPROVED

    def test_an_agreement_date_in_the_future_is_refused(self, cast):
        programme = programme_in_status(
            S.APPROVED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        with pytest.raises(ValidationError):
            workflow.record_agreement(
                actor=cast["approver"],
                programme=programme,
                agreed_on=datetime.date.today() + datetime.timedelta(days=2),
                signatory="M",
            )

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_return_and_close_need_a_reason(self, cast, reason):
        submitted = programme_in_status(
            S.SUBMITTED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        with pytest.raises(ValidationError):
            workflow.return_programme(actor=cast["approver"], programme=submitted, comment=reason)
        agreed = programme_in_status(
            S.AGREED,
            officer=cast["officer"],
            approver=cast["approver"],
            partner=another_partner(cast),
        )
        with pytest.raises(ValidationError):
            workflow.close(actor=cast["approver"], programme=agreed, reason=reason)
        assert Programme.objects.get(pk=submitted.pk).status == S.SUBMITTED
        assert Programme.objects.get(pk=agreed.pk).status == S.AGREED

    def test_a_return_leaves_its_comment(self, cast):
        programme = programme_in_status(
            S.RETURNED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        comment = programme.comments.get()
        assert comment.kind == Comment.Kind.RETURN
        assert comment.author == cast["approver"]


def create(cast, start_year: int, **options) -> Programme:
    """A new draft of the cast's partner by its officer, for the four years from ``start_year``."""
    return workflow.create_programme(
        actor=cast["officer"],
        partner=cast["partner"],
        title="Another ITPP",
        start_year=start_year,
        **options,
    )


def in_status(cast, status: str, start_year: int) -> Programme:
    return programme_in_status(
        status,
        officer=cast["officer"],
        approver=cast["approver"],
        partner=cast["partner"],
        start_year=start_year,
    )


class TestPeriods:
    """One programme of a partner for any year: a version may not overlap an agreed programme it
    does not revise, nor another version on its way (draft, returned, submitted, approved)."""

    def test_a_draft_overlapping_an_agreed_programme_is_refused_at_creation(self, cast):
        agreed = in_status(cast, S.AGREED, 2025)
        before = Programme.objects.count()
        with pytest.raises(workflow.PeriodTaken) as refused:
            create(cast, 2027)
        assert refused.value.conflicts == [agreed]
        assert "2027–2030" in refused.value.message  # noqa: RUF001
        assert "revise it instead" in refused.value.problems[0]
        assert Programme.objects.count() == before
        assert create(cast, 2029).status == S.DRAFT

    def test_a_period_changed_onto_an_agreed_programme_is_refused(self, cast):
        in_status(cast, S.AGREED, 2025)
        draft = create(cast, 2029)
        history = draft.history.count()
        with pytest.raises(workflow.PeriodTaken):
            workflow.update_programme(
                actor=cast["officer"],
                programme=draft,
                seen_stamp=draft.edit_stamp,
                title="Moved",
                summary="",
                start_year=2028,
            )
        draft.refresh_from_db()
        assert (draft.title, draft.start_year, draft.history.count()) == (
            "Another ITPP",
            2029,
            history,
        )
        workflow.update_programme(
            actor=cast["officer"],
            programme=draft,
            seen_stamp=draft.edit_stamp,
            title="Renamed",
            summary="",
            start_year=2029,
        )
        assert Programme.objects.get(pk=draft.pk).title == "Renamed"

    @pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.SUBMITTED, S.APPROVED])
    def test_one_version_on_its_way_for_any_year(self, cast, status):
        on_its_way = in_status(cast, status, 2027)
        for start_year in (2027, 2024, 2030):
            with pytest.raises(workflow.PeriodTaken) as refused:
                create(cast, start_year)
            assert refused.value.conflicts == [on_its_way]
            assert "only one version at a time" in refused.value.problems[0]
        assert [create(cast, year).start_year for year in (2023, 2031)] == [2023, 2031]
        # Another partner's years are its own.
        other = another_partner(cast)
        workflow.create_programme(
            actor=cast["officer"], partner=other, title="Elsewhere", start_year=2027
        )

    @pytest.mark.parametrize("status", [S.WITHDRAWN, S.CLOSED])
    def test_a_version_no_longer_on_its_way_leaves_its_years(self, cast, status):
        in_status(cast, status, 2027)
        assert create(cast, 2027).status == S.DRAFT

    def test_a_revision_is_the_one_version_on_its_way_for_its_years(self, cast):
        officer = cast["officer"]
        agreed = in_status(cast, S.AGREED, 2026)
        revision = workflow.revise(actor=officer, programme=agreed)
        assert workflow.missing_for_submission(revision) == []
        revision = workflow.update_programme(
            actor=officer,
            programme=revision,
            seen_stamp=revision.edit_stamp,
            title=revision.title,
            summary="",
            start_year=2027,
        )
        assert revision.start_year == 2027
        with pytest.raises(workflow.PeriodTaken) as refused:
            create(cast, 2026)
        assert refused.value.conflicts == [agreed, revision]
        agree(revision, officer=officer, approver=cast["approver"], on=datetime.date(2026, 3, 1))
        assert Programme.objects.get(pk=agreed.pk).status == S.SUPERSEDED

    def test_revising_is_refused_while_another_version_is_on_its_way_then(self, cast):
        agreed = in_status(cast, S.AGREED, 2025)
        draft = create(cast, 2029)
        moved_around_the_workflow(draft, 2027)
        with pytest.raises(workflow.PeriodTaken) as refused:
            workflow.revise(actor=cast["officer"], programme=agreed)
        assert refused.value.conflicts == [draft]
        assert not agreed.revisions.exists()

    def test_an_overlap_blocks_submission_and_approval(self, cast):
        """A version that overlaps an agreed programme (its years changed around the workflow,
        or older than these rules) lists it among what blocks its submission, and is not
        approved."""
        officer, approver = cast["officer"], cast["approver"]
        agreed = in_status(cast, S.AGREED, 2025)
        draft = draft_programme(officer=officer, partner=cast["partner"], start_year=2029)
        moved_around_the_workflow(draft, 2027)
        problems = workflow.missing_for_submission(draft)
        assert any(str(agreed) in problem for problem in problems)
        with pytest.raises(workflow.Incomplete) as refused:
            workflow.submit(actor=officer, programme=draft)
        assert refused.value.problems == problems
        workflow.withdraw(actor=officer, programme=draft)

        submitted = in_status(cast, S.SUBMITTED, 2029)
        moved_around_the_workflow(submitted, 2028)
        assert workflow.missing_for_approval(submitted) == workflow.period_problems([agreed], 2028)
        with pytest.raises(workflow.PeriodTaken) as refused:
            workflow.approve(actor=approver, programme=submitted)
        assert refused.value.conflicts == [agreed]
        submitted.refresh_from_db()
        assert (submitted.status, submitted.approved_by) == (S.SUBMITTED, None)

    def test_the_same_form_sent_twice_finds_its_draft(self, cast):
        token = uuid.uuid4()
        first = create(cast, 2027, token=token)
        assert create(cast, 2027, token=token) == first

    def test_the_database_refuses_two_versions_on_their_way_for_the_same_years(self, cast):
        create(cast, 2027)
        later = create(cast, 2031)
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.filter(pk=later.pk).update(start_year=2027, end_year=2030)
        workflow.withdraw(actor=cast["officer"], programme=later)
        Programme.objects.filter(pk=later.pk).update(start_year=2027, end_year=2030)

    def test_postgresql_refuses_two_versions_on_their_way_for_overlapping_years(self, cast):
        if connection.vendor != "postgresql":
            pytest.skip("an exclusion constraint: PostgreSQL only (SQLite: the same first year)")
        create(cast, 2027)
        later = create(cast, 2031)
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.filter(pk=later.pk).update(start_year=2029, end_year=2032)
        in_status(cast, S.AGREED, 2035)
        Programme.objects.filter(pk=later.pk).update(start_year=2034, end_year=2037)


class TestPartnerEvents:
    @pytest.mark.parametrize("kind", [EventKind.SUSPENDED, EventKind.BECAME_NATO_MEMBER])
    def test_suspension_or_membership_closes_the_agreed_programme(self, cast, kind):
        programme = programme_in_status(
            S.AGREED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        admin = cast["administrator"]
        record_status_event(
            partner=cast["partner"], kind=kind, on=datetime.date(2026, 9, 1), actor=admin
        )
        programme.refresh_from_db()
        assert programme.status == S.CLOSED
        assert date_format(datetime.date(2026, 9, 1)) in programme.closed_reason
        last = programme.history.first()
        assert (last.history_change_reason, last.history_user) == (
            workflow.PARTNER_EVENT_REASON,
            admin,
        )

    def test_an_impossible_event_closes_nothing(self, cast):
        programme = programme_in_status(
            S.AGREED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )
        with pytest.raises(ValidationError):
            record_status_event(
                partner=cast["partner"],
                kind=EventKind.REACTIVATED,
                on=datetime.date(2026, 9, 1),
                actor=cast["administrator"],
            )
        assert Programme.objects.get(pk=programme.pk).status == S.AGREED

    def test_a_failure_after_the_event_rolls_back_the_closure_too(self, cast, monkeypatch):
        programme = programme_in_status(
            S.AGREED, officer=cast["officer"], approver=cast["approver"], partner=cast["partner"]
        )

        def fail(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("programmes.workflow.close_for_partner_event", fail)
        with pytest.raises(RuntimeError):
            record_status_event(
                partner=cast["partner"],
                kind=EventKind.SUSPENDED,
                on=datetime.date(2026, 9, 1),
                actor=cast["administrator"],
            )
        assert cast["partner"].status_events.count() == 1
        assert Programme.objects.get(pk=programme.pk).status == S.AGREED


class TestNotifications:
    def test_each_step_mails_the_right_people_after_commit(
        self, cast, django_capture_on_commit_callbacks
    ):
        officer, approver = cast["officer"], cast["approver"]
        second = cast["second_approver"]
        programme = draft_programme(officer=officer, partner=cast["partner"])
        with django_capture_on_commit_callbacks() as callbacks:
            workflow.submit(actor=officer, programme=programme)
            assert mail.outbox == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert sorted(m.to[0] for m in mail.outbox) == sorted([approver.email, second.email])
        assert "awaiting approval" in mail.outbox[0].subject
        assert programme.get_absolute_url() in mail.outbox[0].body
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.return_programme(actor=approver, programme=programme, comment="Add cyber.")
        assert [m.to for m in mail.outbox] == [[officer.email]]
        assert "Add cyber." in mail.outbox[0].body
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(actor=officer, programme=programme)
            workflow.approve(actor=second, programme=programme)
            attach_signed_agreement(programme, actor=approver)
            workflow.record_agreement(
                actor=approver,
                programme=programme,
                agreed_on=datetime.date(2026, 1, 5),
                signatory="Minister",
            )
        subjects = [m.subject for m in mail.outbox if m.to == [officer.email]]
        assert any("approved" in s for s in subjects)
        assert any("agreement recorded" in s for s in subjects)

    def test_a_refused_step_sends_nothing(self, cast, django_capture_on_commit_callbacks):
        programme = draft_programme(officer=cast["officer"], partner=cast["partner"])
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(workflow.NotPermitted),
        ):
            workflow.submit(actor=cast["viewer"], programme=programme)
        assert callbacks == []
        assert mail.outbox == []

    def test_a_mail_server_failure_is_kept_in_the_outbox_not_raised(
        self, cast, monkeypatch, caplog, django_capture_on_commit_callbacks
    ):
        from pfp.outbox import sending
        from pfp.outbox.models import Message
        from programmes import notifications

        class Broken:
            def send_messages(self, messages):
                raise OSError("connection refused")

        monkeypatch.setattr(sending, "mailers", type("M", (), {"default": Broken()}))
        with django_capture_on_commit_callbacks(execute=True):
            programme = programme_in_status(
                S.SUBMITTED,
                officer=cast["officer"],
                approver=cast["approver"],
                partner=cast["partner"],
            )
        kept = list(Message.objects.filter(kind="programme.submitted"))
        assert kept
        assert {(m.status, m.tries) for m in kept} == {("pending", 1)}
        assert "connection refused" in kept[0].last_error
        assert "not sent (try 1)" in caplog.text
        # The same step written again (its messages' keys are taken) adds no message.
        notifications.submitted(programme.pk)
        assert Message.objects.filter(kind="programme.submitted").count() == len(kept)


@pytest.mark.django_db
class TestPlanActivitiesSkippingUnavailable:
    """``plan_activities(skip_unavailable=True)``: taken and retired rows skipped and said so;
    other refusals still plan nothing."""

    def test_adds_the_free_rows_and_says_what_it_skipped(self, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=1)
        goal = programme.objectives.get().goals.get()
        taken = programme.planned_activities.get()
        retired, fresh = ActivityFactory(retired=True), ActivityFactory()
        plans = [
            workflow.ActivityPlan(activity=taken.activity, year=taken.year),
            workflow.ActivityPlan(activity=retired, year=1),
            workflow.ActivityPlan(activity=fresh, year=2),
            workflow.ActivityPlan(activity=fresh, year=2),
        ]
        result = workflow.plan_activities(
            actor=drafter, programme=programme, goal=goal, plans=plans, skip_unavailable=True
        )
        assert [(p.activity, p.year) for p in result.added] == [(fresh, 2)]
        assert [(s.plan.activity, s.reason) for s in result.skipped] == [
            (taken.activity, workflow.SkipReason.TAKEN),
            (retired, workflow.SkipReason.RETIRED),
            (fresh, workflow.SkipReason.TAKEN),
        ]
        assert programme.planned_activities.count() == 2

    def test_a_real_error_still_plans_nothing(self, drafter, partner):
        programme = draft_programme(officer=drafter, partner=partner, activities=1)
        goal = programme.objectives.get().goals.get()
        plans = [
            workflow.ActivityPlan(activity=ActivityFactory(), year=2),
            workflow.ActivityPlan(activity=ActivityFactory(), year=9),
        ]
        with pytest.raises(ValidationError):
            workflow.plan_activities(
                actor=drafter, programme=programme, goal=goal, plans=plans, skip_unavailable=True
            )
        assert programme.planned_activities.count() == 1
