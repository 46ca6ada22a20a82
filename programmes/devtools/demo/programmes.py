"""The partners' demo programmes, built from the plans (``programmes.devtools.demo.plans``)
step by step through ``programmes.workflow`` by the demo users, so that their history, drafters
and approvers look like the real thing and every rule of the workflow is checked. Each step is
dated on a plausible day of the demo's past (``programmes.devtools.demo.clock``).

A larger demo (``scale`` N, for benchmarks: ``seed_demo --scale N``) gives each partner with a
programme N - 1 earlier four-year programmes, agreed in their time (one in four revised once),
all ended before the current cycle: from its first year on, every scale has the same programmes.
Those earlier programmes go through the workflow for every status change (created, submitted,
approved, agreed, revised), but their objectives, goals and planned activities are written with
``bulk_create_with_history`` (with their history rows): one workflow call per planned activity
would make a scale-4 demo take minutes. Scale 1 is the demo as it always was.

Used by ``seed_demo`` and tests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from partners.models import Partner, PartnerStatus
from programmes import workflow
from programmes.devtools.datafiles import read
from programmes.devtools.demo.clock import DemoClock
from programmes.devtools.demo.menu import DEFAULT_SEED, DEFAULT_SIZE, TOPICS, generate_demo_rows
from programmes.devtools.demo.partner_side import attach_signed_agreement
from programmes.devtools.demo.plans import (
    APPROVED,
    DEMO_APPROVERS,
    DEMO_OFFICER,
    DRAFT,
    PROGRAMME_SEED,
    RETURNED,
    REVISING,
    REVISION_AGREED_ON,
    SUBMITTED,
    DemoPartner,
    MenuEntry,
    ObjectivePlan,
    PlannedItem,
    ProgrammePlan,
    RevisionPlan,
    plan_demo_programmes,
    plan_earlier_programmes,
)
from programmes.devtools.users import PROGRAMME_DEMO_USERS, DemoUser, seed_demo_users
from programmes.menu.models import Activity, Area
from programmes.models import Comment, Goal, Objective, PlannedActivity, Programme

RETURN_COMMENT: str = read("comments")["comments"]["return"]
REVIEW_COMMENT: str = read("comments")["comments"]["review"]

# The demo's times follow one rule: each reading of the clock by a step is a minute after the
# one before, from the step's hour (``DemoClock.dating``). Some readings leave no record: the
# workflow reads the date once before it stamps a submission (the partner's status) and twice
# before it records an agreement (no date in the future; the partner's status). Their minutes
# are left free, so that the stamps fall where the rule puts them.
SUBMISSION_READINGS = 1
AGREEMENT_READINGS = 2


@dataclass
class DemoProgrammes:
    """What ``seed_demo_programmes`` created."""

    programmes: int = 0
    planned_activities: int = 0


def seed_demo_programme_users() -> list[DemoUser]:
    """The users the demo programmes need, when missing, with their new passwords: the second
    officer looks after every active partner that has no officer yet."""
    unassigned = (
        Partner.objects.with_status()
        .filter(status=PartnerStatus.ACTIVE, officers__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return seed_demo_users(PROGRAMME_DEMO_USERS, officer_partners=list(unassigned))


def demo_partners(limit: int | None = None) -> list[DemoPartner]:
    """Active partners in code order (the first ``limit`` of them, when given), each with the
    demo officer who drafts its programmes."""
    partners = []
    active = Partner.objects.with_status().filter(status=PartnerStatus.ACTIVE)
    for partner in active.prefetch_related("officers").order_by("code"):
        officers = sorted(officer.username for officer in partner.officers.all())
        if officers:
            drafter = DEMO_OFFICER if DEMO_OFFICER in officers else officers[0]
            partners.append(DemoPartner(partner.code, partner.name, drafter))
    return partners[:limit]


def _base_menu_codes(size: int) -> set[str]:
    """The codes of the first ``size`` demo activities (those of the scale-1 demo menu)."""
    areas = set(Area.objects.filter(code__in=TOPICS).values_list("code", flat=True))
    rows = generate_demo_rows(
        seed=DEFAULT_SEED, size=size, area_codes=[code for code in TOPICS if code in areas]
    )
    return {row["code"] for row in rows}


def demo_menu() -> list[MenuEntry]:
    """The active menu activities, in code order, as the plans choose among them."""
    return [
        MenuEntry(code, area, first_offered)
        for code, area, first_offered in Activity.objects.active()
        .order_by("code")
        .values_list("code", "area__code", "first_offered")
    ]


def seed_demo_programmes(
    *,
    seed: int = PROGRAMME_SEED,
    scale: int = 1,
    partners: int | None = None,
    menu_size: int = DEFAULT_SIZE,
) -> DemoProgrammes:
    """Give most active partners a programme, built through ``programmes.workflow`` by the demo
    users; partners with a programme already are left alone.

    ``scale`` N > 1 gives each of them N - 1 earlier programmes too (``plan_earlier_programmes``),
    ended before the current cycle and chosen from the whole (larger) menu, while their current
    programmes are chosen from the demo menu of ``menu_size`` activities that the larger one
    starts with, so that they are the same as at scale 1 and a benchmark compares like with like.
    ``partners`` limits the demo to the first active partners by code (for quick tests).
    Creates the demo users it needs when they are missing (``seed_demo`` creates them first, so
    that their passwords are printed).
    """
    seed_demo_users()
    seed_demo_programme_users()
    users = {user.username: user for user in get_user_model().objects.all()}
    menu = demo_menu()
    result = DemoProgrammes()
    if not menu:
        return result
    current_menu = menu
    if scale > 1:
        base = _base_menu_codes(menu_size)
        current_menu = [entry for entry in menu if entry.code in base] or menu
    plans = plan_demo_programmes(demo_partners(partners), current_menu, seed=seed)
    partners = Partner.objects.prefetch_related("status_events").in_bulk(
        [plan.partner_code for plan in plans], field_name="code"
    )
    if scale > 1:
        plans += plan_earlier_programmes(plans, menu, partners=partners, scale=scale, seed=seed)
    with_programme = set(
        Programme.objects.filter(partner__in=partners.values()).values_list(
            "partner__code", flat=True
        )
    )
    activities = Activity.objects.in_bulk([entry.code for entry in menu], field_name="code")
    clock = DemoClock(today=timezone.localdate())
    # The demo's made-up history notifies nobody: no e-mail leaves (or floods the console).
    with (
        override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ),
        transaction.atomic(),
    ):
        for plan in plans:
            if plan.partner_code in with_programme:
                continue
            _build(
                plan,
                partner=partners[plan.partner_code],
                users=users,
                activities=activities,
                clock=clock,
            )
    created = Programme.objects.filter(
        partner__code__in=[p.partner_code for p in plans if p.partner_code not in with_programme]
    )
    result.programmes = created.count()
    result.planned_activities = PlannedActivity.objects.filter(programme__in=created).count()
    return result


def _build(
    plan: ProgrammePlan, *, partner: Partner, users: dict, activities: dict, clock: DemoClock
) -> None:
    """Draft the programme of ``plan`` and walk it through the workflow to its scenario, each
    step dated on a plausible day (``clock``)."""
    drafter = users[plan.drafter]
    approver = users[plan.approver]
    agreed_on = plan.agreed_on
    days = datetime.timedelta
    if agreed_on:
        drafted = agreed_on - days(100)
    else:
        drafted = clock.days_ago(
            {DRAFT: 20, SUBMITTED: 40, RETURNED: 45, APPROVED: 60}[plan.scenario]
        )
    with clock.dating(drafted):
        programme = workflow.create_programme(
            actor=drafter,
            partner=partner,
            title=plan.title,
            start_year=plan.start_year,
            summary=plan.summary,
        )
        if plan.earlier:
            _bulk_contents(programme, plan.objectives, actor=drafter, activities=activities)
        else:
            _draft_contents(programme, plan.objectives, actor=drafter, activities=activities)
    if plan.scenario == DRAFT:
        return
    if agreed_on:
        submitted = agreed_on - days(45)
    else:
        submitted = clock.days_ago({SUBMITTED: 9, RETURNED: 15, APPROVED: 30}[plan.scenario])
    with clock.dating(submitted, unrecorded=SUBMISSION_READINGS):
        workflow.submit(actor=drafter, programme=programme)
    if plan.scenario == SUBMITTED:
        with clock.dating(clock.days_ago(3)):
            workflow.add_comment(
                actor=approver, programme=programme, text=REVIEW_COMMENT, kind=Comment.Kind.REVIEW
            )
        return
    if plan.scenario == RETURNED:
        with clock.dating(clock.days_ago(6)):
            workflow.return_programme(actor=approver, programme=programme, comment=RETURN_COMMENT)
        return
    approved = agreed_on - days(20) if agreed_on else clock.days_ago(8)
    with clock.dating(approved):
        workflow.approve(actor=approver, programme=programme)
    if plan.scenario == APPROVED:
        return
    # The partner's signed agreement comes back first: a paper acceptance is recorded with it.
    attach_signed_agreement(programme, actor=approver, signatory=plan.signatory, on=agreed_on)
    with clock.dating(agreed_on, hour=11, unrecorded=AGREEMENT_READINGS):
        workflow.record_agreement(
            actor=approver, programme=programme, agreed_on=agreed_on, signatory=plan.signatory
        )
    if plan.revision is None:
        return
    revision_agreed_on = min(plan.revision_agreed_on or REVISION_AGREED_ON, clock.today)
    revised = clock.days_ago(12) if plan.scenario == REVISING else revision_agreed_on - days(80)
    with clock.dating(revised):
        revision = workflow.revise(actor=drafter, programme=programme)
        _apply_revision(revision, plan.revision, actor=drafter, activities=activities)
    if plan.scenario == REVISING:
        return
    with clock.dating(revision_agreed_on - days(35), unrecorded=SUBMISSION_READINGS):
        workflow.submit(actor=drafter, programme=revision)
    # The other approver approves the revision: a second name in the history.
    other = users[next(name for name in DEMO_APPROVERS if name != plan.approver)]
    with clock.dating(revision_agreed_on - days(15)):
        workflow.approve(actor=other, programme=revision)
    attach_signed_agreement(revision, actor=other, signatory=plan.signatory, on=revision_agreed_on)
    with clock.dating(revision_agreed_on, hour=11, unrecorded=AGREEMENT_READINGS):
        workflow.record_agreement(
            actor=other,
            programme=revision,
            agreed_on=revision_agreed_on,
            signatory=plan.signatory,
        )


def _draft_contents(programme, objectives: list[ObjectivePlan], *, actor, activities) -> None:
    for objective_plan in objectives:
        objective = workflow.add_objective(
            actor=actor,
            programme=programme,
            title=objective_plan.title,
            description=objective_plan.description,
        )
        for goal_plan in objective_plan.goals:
            goal = workflow.add_goal(actor=actor, objective=objective, title=goal_plan.title)
            _plan_items(programme, goal, goal_plan.activities, actor=actor, activities=activities)


def _bulk_contents(programme, objectives: list[ObjectivePlan], *, actor, activities) -> None:
    """The contents of an earlier programme in three bulk inserts, each row with its creation
    history row in the drafter's name, all at one moment (what ``_draft_contents`` does one
    workflow call at a time). The database constraints check every row; ``workflow.submit``
    then checks that the programme is complete, as for any other."""
    history = {
        "default_user": actor,
        "default_change_reason": workflow.Action.EDIT,
        "default_date": timezone.now(),
    }
    new_objectives = bulk_create_with_history(
        [
            Objective(
                programme=programme, order=order, title=plan.title, description=plan.description
            )
            for order, plan in enumerate(objectives, start=1)
        ],
        Objective,
        **history,
    )
    goal_plans = []
    goals = []
    for objective, objective_plan in zip(new_objectives, objectives, strict=True):
        for order, goal_plan in enumerate(objective_plan.goals, start=1):
            goal_plans.append(goal_plan)
            goals.append(Goal(objective=objective, order=order, title=goal_plan.title))
    new_goals = bulk_create_with_history(goals, Goal, **history)
    bulk_create_with_history(
        [
            PlannedActivity(
                programme=programme,
                activity=activities[item.code],
                year=item.year,
                goal=goal,
                priority=item.priority,
                notes=item.notes,
            )
            for goal, goal_plan in zip(new_goals, goal_plans, strict=True)
            for item in goal_plan.activities
        ],
        PlannedActivity,
        batch_size=500,
        **history,
    )


def _plan_items(programme, goal, items: list[PlannedItem], *, actor, activities) -> None:
    workflow.plan_activities(
        actor=actor,
        programme=programme,
        goal=goal,
        plans=[
            workflow.ActivityPlan(
                activity=activities[item.code],
                year=item.year,
                priority=item.priority,
                notes=item.notes,
            )
            for item in items
        ],
    )


def _apply_revision(revision: Programme, changes: RevisionPlan, *, actor, activities) -> None:
    planned = {
        (p.activity.code, p.year): p for p in revision.planned_activities.select_related("activity")
    }
    for key in changes.remove:
        workflow.remove_planned_activity(actor=actor, planned=planned[key])
    goals = list(
        Goal.objects.filter(objective__programme=revision).order_by(
            "objective__order", "order", "pk"
        )
    )
    for goal_index, item in changes.add:
        _plan_items(revision, goals[goal_index], [item], actor=actor, activities=activities)
    objective_index, goal_plan = changes.new_goal
    objective = revision.objectives.order_by("order", "pk")[objective_index]
    goal = workflow.add_goal(actor=actor, objective=objective, title=goal_plan.title)
    _plan_items(revision, goal, goal_plan.activities, actor=actor, activities=activities)
