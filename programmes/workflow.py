"""Every change of a programme, of its contents and of its status goes through this module.

Pages, admin actions, management commands and the demo data call these functions and nothing
else writes programmes. Each function takes keyword-only arguments and the acting user
explicitly; runs in one transaction; locks the programme row (and, where partners' programmes
must not overlap, the partner row first) so that concurrent requests queue instead of racing;
checks the actor's permission (``pfp.permissions``) and the transition table below; writes a
history row naming the actor and the step; and sends its e-mails only once the transaction has
committed. It never takes a ``request`` and never sets messages: callers turn the exceptions
below into messages.

Every timestamp is read from ``django.utils.timezone.now`` at the moment of the step (never a
field default), so one clock dates the step and its history rows alike.

Only draft and returned versions change. Approved, agreed, superseded, closed and withdrawn
versions are read-only here, and so everywhere.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history

from partners.models import EventKind, Partner, PartnerStatus
from partners.permissions import is_representative
from pfp.permissions import Decision, is_approver
from programmes import notifications
from programmes.menu.models import Activity
from programmes.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    PROGRAMME_YEARS,
    Comment,
    Document,
    Goal,
    Objective,
    OrderedItem,
    PlannedActivity,
    Priority,
    Programme,
    ProgrammeStatus,
)
from programmes.permissions import (
    can_accept,
    can_approve,
    can_comment,
    can_draft_for,
    can_review,
    can_share,
)

logger = logging.getLogger(__name__)


class Action(models.TextChoices):
    """What can be done to a programme version; also the history's change reasons."""

    EDIT = "edit", gettext_lazy("Edit")
    COMMENT = "comment", pgettext_lazy("programme action", "Comment")
    SUBMIT = "submit", gettext_lazy("Submit")
    RETURN = "return", gettext_lazy("Return")
    APPROVE = "approve", gettext_lazy("Approve")
    RECORD_AGREEMENT = "agree", gettext_lazy("Record agreement")
    REVISE = "revise", gettext_lazy("Revise")
    CLOSE = "close", gettext_lazy("Close")
    WITHDRAW = "withdraw", gettext_lazy("Withdraw")
    SHARE = "share", gettext_lazy("Share with the partner")
    ACCEPT = "accept", gettext_lazy("Accept for the partner")
    DECLINE = "decline", gettext_lazy("Decline for the partner")


# The statuses each action starts from, and where the transitions lead.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    Action.EDIT: EDITABLE_STATUSES,
    Action.COMMENT: frozenset(ProgrammeStatus.values),
    Action.SUBMIT: EDITABLE_STATUSES,
    Action.RETURN: frozenset({ProgrammeStatus.SUBMITTED}),
    Action.APPROVE: frozenset({ProgrammeStatus.SUBMITTED}),
    Action.RECORD_AGREEMENT: frozenset({ProgrammeStatus.APPROVED}),
    Action.REVISE: frozenset({ProgrammeStatus.AGREED}),
    Action.CLOSE: frozenset({ProgrammeStatus.AGREED}),
    Action.WITHDRAW: EDITABLE_STATUSES,
    # A returned version was submitted, and so is shared already.
    Action.SHARE: frozenset({ProgrammeStatus.DRAFT}),
    # NATO's approval offers the version to the partner: its representatives accept or decline.
    Action.ACCEPT: frozenset({ProgrammeStatus.APPROVED}),
    Action.DECLINE: frozenset({ProgrammeStatus.APPROVED}),
}
STATUS_AFTER: dict[str, str] = {
    Action.SUBMIT: ProgrammeStatus.SUBMITTED,
    Action.RETURN: ProgrammeStatus.RETURNED,
    Action.APPROVE: ProgrammeStatus.APPROVED,
    Action.RECORD_AGREEMENT: ProgrammeStatus.AGREED,
    Action.CLOSE: ProgrammeStatus.CLOSED,
    Action.WITHDRAW: ProgrammeStatus.WITHDRAWN,
    Action.ACCEPT: ProgrammeStatus.AGREED,
    Action.DECLINE: ProgrammeStatus.RETURNED,
}

# History change reasons written by this module besides the actions themselves.
SUPERSEDED_REASON = "superseded"
PARTNER_EVENT_REASON = "partner_event"
CREATED_REASON = "create"

# Partner events that end the partnership's programmes.
CLOSING_EVENTS = frozenset({EventKind.SUSPENDED, EventKind.BECAME_NATO_MEMBER})


class WorkflowError(Exception):
    """A refusal the user should read: ``message``, and ``problems`` when there are several."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self):
        return self.message


class NotPermitted(WorkflowError, PermissionDenied):
    """The actor's role or assignment does not allow this step (a 403 if left uncaught)."""


class WrongStatus(WorkflowError):
    """The version is not (or no longer) in a status this step starts from."""


class EditConflict(WorkflowError):
    """Someone changed the version since the form was loaded."""


class Incomplete(WorkflowError):
    """The version cannot be submitted yet; ``problems`` lists what is missing."""


class PeriodTaken(WorkflowError):
    """Another version of the partner covers some of the same years: an agreed one (other than
    the one being revised) or one on its way. ``conflicts`` holds those versions, in the order
    of ``problems`` (a sentence about each), so that a page can link to them."""

    def __init__(self, message: str, problems: list[str], conflicts: list[Programme]):
        super().__init__(message, problems)
        self.conflicts = conflicts


# --- Who may do what, and from which status ------------------------------------------------


def permission(actor, action: str, programme: Programme) -> Decision:
    """The role part of the rule (``pfp.permissions``), without the status."""
    if action in (Action.EDIT, Action.SUBMIT, Action.WITHDRAW, Action.REVISE):
        return can_draft_for(actor, programme.partner)
    if action == Action.APPROVE:
        return can_approve(actor, programme)
    if action in (Action.RETURN, Action.RECORD_AGREEMENT, Action.CLOSE):
        return can_review(actor)
    if action == Action.COMMENT:
        return can_comment(actor, programme)
    if action == Action.SHARE:
        return can_share(actor, programme)
    if action in (Action.ACCEPT, Action.DECLINE):
        return can_accept(actor, programme)
    raise ValueError(action)


def _wrong_status_message(action: str, programme: Programme) -> str:
    return _("This programme is “%(status)s”: “%(action)s” is not possible now.") % {
        "status": ProgrammeStatus(programme.status).label,
        "action": Action(action).label,
    }


def check(actor, action: str, programme: Programme) -> None:
    """Raise ``NotPermitted`` or ``WrongStatus`` unless ``actor`` may take ``action`` now."""
    decision = permission(actor, action, programme)
    if not decision:
        refusal = NotPermitted(str(decision.reason))
    elif programme.status not in ALLOWED_FROM[action]:
        refusal = WrongStatus(_wrong_status_message(action, programme))
    else:
        return
    # Refusals are part of the audit trail: who tried what, on which version, and why not.
    logger.info(
        "Refused %s on programme %s to user %s (%s): %s",
        action,
        programme.pk,
        getattr(actor, "pk", None),
        type(refusal).__name__,
        refusal.message,
    )
    raise refusal


def available_actions(actor, programme: Programme) -> set[str]:
    """The actions ``actor`` may take on ``programme`` now (for buttons and links)."""
    actions = set()
    for action in Action:
        if programme.status in ALLOWED_FROM[action] and permission(actor, action, programme):
            actions.add(action.value)
    return actions


# --- Shared steps ---------------------------------------------------------------------------


def _lock_partner(partner_id: int) -> Partner:
    """Lock the partner's row: steps that must see every other version of the partner (the
    periods may not overlap) queue here, before they lock a programme."""
    return Partner.objects.select_for_update().get(pk=partner_id)


def _lock(programme: Programme | int) -> Programme:
    pk = programme.pk if isinstance(programme, Programme) else programme
    try:
        return (
            Programme.objects.select_for_update(of=("self",)).select_related("partner").get(pk=pk)
        )
    except Programme.DoesNotExist:
        raise WrongStatus(_("This programme no longer exists.")) from None


def _check_stamp(programme: Programme, seen_stamp: int | None) -> None:
    if seen_stamp is not None and int(seen_stamp) != programme.edit_stamp:
        raise EditConflict(
            _(
                "Someone changed this programme after you opened the form. Your input is kept "
                "below: check the programme's current state, then save again."
            )
        )


def _edited(programme: Programme, actor) -> None:
    """Record that ``actor`` changed this version's contents: a new stamp, and a drafter more."""
    Programme.objects.filter(pk=programme.pk).update(edit_stamp=F("edit_stamp") + 1)
    programme.edit_stamp += 1
    if actor is not None:
        programme.editors.add(actor)


def _save(obj: models.Model, actor, reason: str, **kwargs) -> None:
    """Validate and save ``obj`` with a history row naming ``actor`` and ``reason``."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.full_clean(**kwargs)
    obj.save()


def _on_commit(function, programme_pk: int, **kwargs) -> None:
    """Write the step's e-mails to the outbox now, in its transaction; the outbox sends them
    after the commit (``pfp.outbox.sending.queue``), so a rolled-back step sends nothing."""
    function(programme_pk, **kwargs)


def _locked_for_edit(programme: Programme | int, actor, seen_stamp: int | None) -> Programme:
    programme = _lock(programme)
    check(actor, Action.EDIT, programme)
    _check_stamp(programme, seen_stamp)
    return programme


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


# --- The programme and its contents ----------------------------------------------------------


def _created_with(model, token, **scope):
    """The row a form with this one-time ``token`` already created, if any.

    Callers hold the lock that serialises such creations (the partner's or the programme's), so
    a form sent twice, even at the same moment, creates one row: the second gets the first's.
    """
    if token is None:
        return None
    existing = model.objects.filter(creation_token=token).first()
    if existing is not None and any(getattr(existing, k) != v for k, v in scope.items()):
        raise WorkflowError(_("This form was already used for something else; reload the page."))
    return existing


def create_programme(
    *,
    actor,
    partner: Partner,
    title: str,
    start_year: int,
    summary: str = "",
    token: uuid.UUID | None = None,
) -> Programme:
    """Start version 1 of a programme for ``partner``, as a draft.

    ``token``, the form's one-time token, makes sending the same form twice create one draft.
    """
    decision = can_draft_for(actor, partner)
    if not decision:
        raise NotPermitted(str(decision.reason))
    with transaction.atomic():
        _lock_partner(partner.pk)
        existing = _created_with(Programme, token, partner_id=partner.pk)
        if existing is not None:
            return existing
        if start_year:
            _refuse_period_taken(partner, start_year)
        programme = Programme(
            partner=partner,
            title=(title or "").strip(),
            summary=(summary or "").strip(),
            start_year=start_year,
            created_by=actor,
            created_at=timezone.now(),
            creation_token=token,
        )
        programme.end_year = programme.start_year + PROGRAMME_YEARS - 1 if start_year else None
        _save(programme, actor, CREATED_REASON)
        programme.editors.add(actor)
    return programme


def update_programme(
    *,
    actor,
    programme: Programme,
    seen_stamp: int | None,
    title: str,
    summary: str,
    start_year: int,
) -> Programme:
    """Change a draft's title, summary or period (its activities keep their programme years).

    A new period may not overlap another version of the partner (``conflicting_versions``).
    """
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        programme = _locked_for_edit(programme, actor, seen_stamp)
        changes = {"title": (title or "").strip(), "summary": (summary or "").strip()}
        changes["start_year"] = start_year
        if all(getattr(programme, field) == value for field, value in changes.items()):
            return programme
        if start_year and start_year != programme.start_year:
            _refuse_period_taken(
                programme.partner, start_year, exclude=(programme.pk, programme.revises_id)
            )
        for field, value in changes.items():
            setattr(programme, field, value)
        programme.end_year = start_year + PROGRAMME_YEARS - 1
        _save(programme, actor, Action.EDIT)
        _edited(programme, actor)
    return programme


# --- Periods: one programme at a time for any year of a partner ------------------------------


def _period(start_year: int) -> str:
    return f"{start_year}–{start_year + PROGRAMME_YEARS - 1}"  # noqa: RUF001


def conflicting_versions(partner: Partner, start_year: int, *, exclude=()) -> list[Programme]:
    """The partner's versions that a version for the four years from ``start_year`` may not
    overlap: the agreed ones and those on their way (draft, returned, submitted, approved).

    ``exclude`` names the version itself and the one it revises: a revision covers the years of
    the agreed version it will supersede, and is the one version on its way for them.
    """
    others = (
        Programme.objects.for_partner(partner)
        .overlapping(start_year, start_year + PROGRAMME_YEARS - 1)
        .filter(status__in=sorted({ProgrammeStatus.AGREED, *OPEN_STATUSES}))
        .exclude(pk__in=[pk for pk in exclude if pk is not None])
        .select_related("partner")
        .order_by("start_year", "version", "pk")
    )
    return list(others)


def period_problems(conflicts: list[Programme], start_year: int) -> list[str]:
    """A sentence about each of ``conflicts`` (``conflicting_versions``): what it is and what
    to do instead."""
    problems = []
    for other in conflicts:
        values = {"partner": other.partner, "programme": other, "period": _period(start_year)}
        if other.status == ProgrammeStatus.AGREED:
            problems.append(
                _(
                    "The agreed programme of %(partner)s, “%(programme)s”, covers some of the "
                    "years %(period)s: revise it instead, or choose other years."
                )
                % values
            )
        else:
            problems.append(
                _(
                    "A version of %(partner)s on its way (%(status)s), “%(programme)s”, covers "
                    "some of the years %(period)s: only one version at a time may be on its "
                    "way for the same years. Carry on with that one, or choose other years."
                )
                % {**values, "status": ProgrammeStatus(other.status).label}
            )
    return problems


def _refuse_period_taken(partner: Partner, start_year: int, *, exclude=()) -> None:
    """Refuse (``PeriodTaken``) a version of ``partner`` for the four years from
    ``start_year`` when another covers some of them. Callers hold the partner's lock."""
    conflicts = conflicting_versions(partner, start_year, exclude=exclude)
    if conflicts:
        raise PeriodTaken(
            _("%(partner)s already has a programme for some of the years %(period)s.")
            % {"partner": partner, "period": _period(start_year)},
            period_problems(conflicts, start_year),
            conflicts,
        )


def _period_problems_of(programme: Programme) -> tuple[list[str], list[Programme]]:
    """What stops ``programme`` from going further because of its period, and the versions."""
    conflicts = conflicting_versions(
        programme.partner, programme.start_year, exclude=(programme.pk, programme.revises_id)
    )
    return period_problems(conflicts, programme.start_year), conflicts


def missing_for_approval(programme: Programme) -> list[str]:
    """What stops ``programme`` from being approved (empty when nothing does), besides the
    approver's role and the programme's status."""
    return _period_problems_of(programme)[0]


# --- Objectives and goals: the same steps on either kind of ``OrderedItem`` ------------------


def _get(queryset, item, gone: str):
    """``item`` (or the row with that id) as it now is in ``queryset``; refused with ``gone``
    when it is not there (any more)."""
    pk = item.pk if isinstance(item, models.Model) else item
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise WorkflowError(gone) from None


def _get_objective(programme: Programme, objective: Objective | int) -> Objective:
    return _get(programme.objectives.all(), objective, _("This objective was removed meanwhile."))


def _get_goal(programme: Programme, goal: Goal | int) -> Goal:
    return _get(
        Goal.objects.select_related("objective").filter(objective__programme=programme),
        goal,
        _("This goal is not (or no longer) part of the programme."),
    )


def _get_planned(programme: Programme, planned: PlannedActivity | int) -> PlannedActivity:
    return _get(
        programme.planned_activities.select_related("activity"),
        planned,
        _("This planned activity was removed meanwhile."),
    )


def _write_item(item: OrderedItem, *, actor, programme: Programme, title: str, description: str):
    """Save the text of an objective or a goal (new or changed) as an edit of ``programme``."""
    item.title = (title or "").strip()
    item.description = (description or "").strip()
    _save(item, actor, Action.EDIT)
    _edited(programme, actor)
    return item


def _add_item(model, container, *, actor, programme: Programme, title, description, token):
    """A new objective or goal, last in ``container``; or the one that the form with this
    one-time ``token`` already created there."""
    existing = _created_with(model, token, **{f"{model.ordered_within}_id": container.pk})
    if existing is not None:
        return existing
    item = model(**{model.ordered_within: container}, creation_token=token)
    item.order = item.next_order()
    return _write_item(item, actor=actor, programme=programme, title=title, description=description)


def _delete(obj: models.Model, actor) -> None:
    """Delete ``obj`` with a history row naming ``actor``."""
    obj._history_user = actor
    obj._change_reason = Action.EDIT
    obj.delete()


def _refuse_if_planned(planned, refusal: str) -> None:
    """Refuse a deletion while ``planned`` activities remain; ``refusal`` says how many."""
    count = planned.count()
    if count:
        raise WorkflowError(refusal % {"count": count})


def _move_item(item: OrderedItem, *, actor, programme: Programme, direction: int) -> None:
    """Swap an objective or a goal with its neighbour above (``direction`` < 0) or below."""
    for sibling in item.reordered(1 if direction > 0 else -1):
        sibling._history_user = actor
        sibling._change_reason = Action.EDIT
        sibling.save(update_fields=["order"])
    _edited(programme, actor)


def add_objective(
    *,
    actor,
    programme: Programme,
    title: str,
    description: str = "",
    token: uuid.UUID | None = None,
) -> Objective:
    with transaction.atomic():
        programme = _locked_for_edit(programme, actor, None)
        return _add_item(
            Objective,
            programme,
            actor=actor,
            programme=programme,
            title=title,
            description=description,
            token=token,
        )


def update_objective(
    *, actor, objective: Objective, seen_stamp: int | None, title: str, description: str = ""
) -> Objective:
    with transaction.atomic():
        programme = _locked_for_edit(objective.programme_id, actor, seen_stamp)
        objective = _get_objective(programme, objective)
        return _write_item(
            objective, actor=actor, programme=programme, title=title, description=description
        )


def delete_objective(*, actor, objective: Objective, seen_stamp: int | None = None) -> None:
    """Remove an objective and its goals; refused while any of its goals has activities."""
    with transaction.atomic():
        programme = _locked_for_edit(objective.programme_id, actor, seen_stamp)
        objective = _get_objective(programme, objective)
        _refuse_if_planned(
            PlannedActivity.objects.filter(goal__objective=objective),
            _(
                "Activities are planned under this objective's goals (%(count)s): move or "
                "remove them first."
            ),
        )
        for goal in objective.goals.all():
            _delete(goal, actor)
        _delete(objective, actor)
        _edited(programme, actor)


def move_objective(*, actor, objective: Objective, direction: int) -> None:
    with transaction.atomic():
        programme = _locked_for_edit(objective.programme_id, actor, None)
        objective = _get_objective(programme, objective)
        _move_item(objective, actor=actor, programme=programme, direction=direction)


def add_goal(
    *,
    actor,
    objective: Objective,
    title: str,
    description: str = "",
    token: uuid.UUID | None = None,
) -> Goal:
    with transaction.atomic():
        programme = _locked_for_edit(objective.programme_id, actor, None)
        objective = _get_objective(programme, objective)
        return _add_item(
            Goal,
            objective,
            actor=actor,
            programme=programme,
            title=title,
            description=description,
            token=token,
        )


def update_goal(
    *,
    actor,
    goal: Goal,
    seen_stamp: int | None,
    title: str,
    description: str = "",
    objective: Objective | None = None,
) -> Goal:
    """Change a goal's text, or move it under another ``objective`` of the same programme."""
    with transaction.atomic():
        programme = _locked_for_edit(goal.objective.programme_id, actor, seen_stamp)
        goal = _get_goal(programme, goal)
        if objective is not None and objective.pk != goal.objective_id:
            goal.objective = _get_objective(programme, objective)
            goal.order = goal.next_order()
        return _write_item(
            goal, actor=actor, programme=programme, title=title, description=description
        )


def delete_goal(*, actor, goal: Goal, seen_stamp: int | None = None) -> None:
    """Remove a goal; refused while activities are planned under it."""
    with transaction.atomic():
        programme = _locked_for_edit(goal.objective.programme_id, actor, seen_stamp)
        goal = _get_goal(programme, goal)
        _refuse_if_planned(
            goal.planned_activities.all(),
            _("Activities are planned under this goal (%(count)s): move or remove them first."),
        )
        _delete(goal, actor)
        _edited(programme, actor)


def move_goal(*, actor, goal: Goal, direction: int) -> None:
    with transaction.atomic():
        programme = _locked_for_edit(goal.objective.programme_id, actor, None)
        goal = _get_goal(programme, goal)
        _move_item(goal, actor=actor, programme=programme, direction=direction)


# --- Planned activities and comments ---------------------------------------------------------


def plan_activity(
    *,
    actor,
    programme: Programme,
    activity: Activity,
    year: int,
    goal: Goal,
    priority: int = Priority.MEDIUM,
    notes: str = "",
) -> PlannedActivity:
    """Plan a menu activity in programme year ``year`` (1 to 4) to serve ``goal``."""
    with transaction.atomic():
        programme = _locked_for_edit(programme, actor, None)
        activity = Activity.objects.get(pk=activity.pk)
        if not activity.can_be_chosen():
            raise ValidationError(
                {"activity": _("%(code)s is retired and cannot be chosen.") % {"code": activity}}
            )
        planned = PlannedActivity(
            programme=programme,
            activity=activity,
            year=year,
            goal=_get_goal(programme, goal),
            priority=priority,
            notes=(notes or "").strip(),
        )
        _save(planned, actor, Action.EDIT)
        _edited(programme, actor)
    return planned


_ONCE_PER_YEAR = next(
    constraint
    for constraint in PlannedActivity._meta.constraints
    if constraint.name == "planned_activity_once_per_year"
)


@dataclass(frozen=True)
class ActivityPlan:
    """One activity of ``plan_activities``: what ``plan_activity`` takes besides the goal."""

    activity: Activity
    year: int
    priority: int = Priority.MEDIUM
    notes: str = ""


class SkipReason(models.TextChoices):
    """Why ``plan_activities(skip_unavailable=True)`` left a row out."""

    TAKEN = "taken", gettext_lazy("already planned that year")
    RETIRED = "retired", gettext_lazy("retired from the menu")


@dataclass(frozen=True)
class Skipped:
    """A row of ``plan_activities`` left out, and why."""

    plan: ActivityPlan
    reason: SkipReason


@dataclass(frozen=True)
class Planning:
    """What ``plan_activities(skip_unavailable=True)`` did: the rows added, the rows skipped."""

    added: list[PlannedActivity]
    skipped: list[Skipped]


def plan_activities(
    *,
    actor,
    programme: Programme,
    goal: Goal,
    plans: list[ActivityPlan],
    skip_unavailable: bool = False,
) -> list[PlannedActivity] | Planning:
    """Plan several menu activities at once to serve ``goal``: all of them or none, under the
    rules of ``plan_activity``, in a number of queries that does not grow with ``plans``.

    Each row is checked as ``plan_activity`` checks it, with the checks that would cost a query
    per row made once for all: the activities and the goal read in one query each (which
    proves they exist), the activities already planned in one, the database constraints
    behind them all.

    With ``skip_unavailable``, a row whose activity is already planned that year (or twice in
    ``plans``) or is retired is left out instead of refusing them all, and the result is a
    ``Planning`` saying what was added and what was skipped; any other refusal (the
    permission, the status, the goal, a year out of range) still plans nothing.
    """
    with transaction.atomic():
        programme = _locked_for_edit(programme, actor, None)
        goal = _get_goal(programme, goal)
        activities = Activity.objects.in_bulk([plan.activity.pk for plan in plans])
        taken = set(programme.planned_activities.values_list("activity_id", "year"))
        planned, skipped = [], []
        for plan in plans:
            activity = activities.get(plan.activity.pk)
            if activity is None:
                raise WorkflowError(_("An activity was removed from the menu meanwhile."))
            if not activity.can_be_chosen():
                if skip_unavailable:
                    skipped.append(Skipped(replace(plan, activity=activity), SkipReason.RETIRED))
                    continue
                raise ValidationError(
                    {
                        "activity": _("%(code)s is retired and cannot be chosen.")
                        % {"code": activity}
                    }
                )
            if (activity.pk, plan.year) in taken:
                if skip_unavailable:
                    skipped.append(Skipped(replace(plan, activity=activity), SkipReason.TAKEN))
                    continue
                raise ValidationError(_ONCE_PER_YEAR.get_violation_error_message())
            taken.add((activity.pk, plan.year))
            item = PlannedActivity(
                programme=programme,
                activity=activity,
                year=plan.year,
                goal=goal,
                priority=plan.priority,
                notes=(plan.notes or "").strip(),
            )
            # The year's range and the priority's choices; the keys were read above.
            item.full_clean(
                exclude=["programme", "activity", "goal"],
                validate_unique=False,
                validate_constraints=False,
            )
            planned.append(item)
        bulk_create_with_history(
            planned,
            PlannedActivity,
            batch_size=500,
            default_user=actor,
            default_change_reason=Action.EDIT,
            default_date=timezone.now(),
        )
        if planned:
            _edited(programme, actor)
    if skip_unavailable:
        return Planning(added=planned, skipped=skipped)
    return planned


def update_planned_activity(
    *,
    actor,
    planned: PlannedActivity,
    seen_stamp: int | None,
    year: int,
    goal: Goal,
    priority: int,
    notes: str = "",
) -> PlannedActivity:
    with transaction.atomic():
        programme = _locked_for_edit(planned.programme_id, actor, seen_stamp)
        planned = _get_planned(programme, planned)
        planned.programme = programme
        planned.year = year
        planned.goal = _get_goal(programme, goal)
        planned.priority = priority
        planned.notes = (notes or "").strip()
        _save(planned, actor, Action.EDIT)
        _edited(programme, actor)
    return planned


def remove_planned_activity(*, actor, planned: PlannedActivity) -> None:
    with transaction.atomic():
        programme = _locked_for_edit(planned.programme_id, actor, None)
        _delete(_get_planned(programme, planned), actor)
        _edited(programme, actor)


def add_comment(
    *,
    actor,
    programme: Programme,
    text: str,
    kind: str = Comment.Kind.NOTE,
    shared: bool = False,
    token: uuid.UUID | None = None,
) -> Comment:
    """A note or review remark on a version; allowed in every status (it changes no content).

    NATO staff choose whether the partner's representatives read it (``shared``; internal by
    default); what a representative writes is always shared. A shared comment is e-mailed to the
    other side.
    """
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.COMMENT, programme)
        existing = _created_with(Comment, token, programme_id=programme.pk)
        if existing is not None:
            return existing
        if kind not in (Comment.Kind.NOTE, Comment.Kind.REVIEW) or (
            kind == Comment.Kind.REVIEW and not is_approver(actor)
        ):
            kind = Comment.Kind.NOTE
        by_partner = is_representative(actor)
        # A draft the partner has not been shown yet has no one on the partner's side to read
        # a shared comment: it stays internal until the version is shared.
        shared = by_partner or (shared and programme.shared_with_partner)
        comment = Comment(
            programme=programme,
            author=actor,
            created_at=timezone.now(),
            kind=kind,
            audience=Comment.Audience.SHARED if shared else Comment.Audience.INTERNAL,
            text=_required(text, _("Write a comment.")),
            creation_token=token,
        )
        _save(comment, actor, Action.COMMENT)
        if shared:
            _on_commit(notifications.comment_shared, programme.pk, comment_pk=comment.pk)
    return comment


# --- Transitions ---------------------------------------------------------------------------


def missing_for_submission(programme: Programme) -> list[str]:
    """What still stops ``programme`` from being submitted (empty when it may be submitted)."""
    problems = []
    if programme.partner.current_status != PartnerStatus.ACTIVE:
        problems.append(
            _("%(partner)s is not an active partner (its status is “%(status)s”).")
            % {
                "partner": programme.partner,
                "status": PartnerStatus(programme.partner.current_status).label,
            }
        )
    problems += _period_problems_of(programme)[0]
    objectives = list(
        Objective.objects.filter(programme=programme)
        .annotate(goal_count=models.Count("goals"))
        .order_by("order", "pk")
    )
    if not objectives:
        problems.append(_("The programme has no strategic objective."))
    for objective in objectives:
        if not objective.goal_count:
            problems.append(
                _("The objective “%(objective)s” has no partnership goal.")
                % {"objective": objective.title}
            )
    goals = Goal.objects.filter(objective__programme=programme).annotate(
        planned_count=models.Count("planned_activities")
    )
    for goal in goals.order_by("objective__order", "objective", "order", "pk"):
        if not goal.planned_count:
            problems.append(
                _("The goal “%(goal)s” has no planned activity.") % {"goal": goal.title}
            )
    planned = programme.planned_activities.select_related("activity")
    if not planned.exists():
        problems.append(_("No activity is planned."))
    for item in planned.filter(activity__retired_in__isnull=False).order_by("activity__code"):
        problems.append(
            _("%(code)s has been retired from the menu: remove it or choose another activity.")
            % {"code": item.activity.code}
        )
    return problems


def submit(*, actor, programme: Programme, seen_stamp: int | None = None) -> Programme:
    """Send a draft (or a returned version) for approval, if nothing is missing."""
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        programme = _lock(programme)
        check(actor, Action.SUBMIT, programme)
        _check_stamp(programme, seen_stamp)
        problems = missing_for_submission(programme)
        if problems:
            raise Incomplete(
                _("The programme cannot be submitted yet:"),
                problems,
            )
        programme.status = ProgrammeStatus.SUBMITTED
        programme.submitted_by = actor
        programme.submitted_at = timezone.now()
        # From its submission on, the partner's representatives read the version.
        programme.shared_with_partner = True
        _save(programme, actor, Action.SUBMIT)
        # A submitter counts as a drafter for good, even after a return and another submission.
        programme.editors.add(actor)
        _on_commit(notifications.submitted, programme.pk)
    return programme


def return_programme(
    *, actor, programme: Programme, comment: str, shared: bool = False
) -> Programme:
    """Send a submitted version back to its drafters, saying why; ``shared``: the partner's
    representatives read the reason too (internal to NATO staff by default)."""
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.RETURN, programme)
        text = _required(comment, _("Say why the programme is returned."))
        audience = Comment.Audience.SHARED if shared else Comment.Audience.INTERNAL
        _save(
            Comment(
                programme=programme,
                author=actor,
                created_at=timezone.now(),
                kind=Comment.Kind.RETURN,
                audience=audience,
                text=text,
            ),
            actor,
            Action.RETURN,
        )
        programme.status = ProgrammeStatus.RETURNED
        _save(programme, actor, Action.RETURN)
        _on_commit(notifications.returned, programme.pk)
    return programme


def approve(*, actor, programme: Programme, seen_stamp: int | None = None) -> Programme:
    """Approve a submitted version on the NATO side (never by one of its drafters).

    ``seen_stamp``, from the confirmation page, refuses to approve contents changed (after a
    return and a new submission) since the approver looked at them.
    """
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        programme = _lock(programme)
        check(actor, Action.APPROVE, programme)
        _check_stamp(programme, seen_stamp)
        problems, conflicts = _period_problems_of(programme)
        if problems:
            raise PeriodTaken(_("This version cannot be approved:"), problems, conflicts)
        programme.status = ProgrammeStatus.APPROVED
        programme.approved_by = actor
        programme.approved_at = timezone.now()
        _save(programme, actor, Action.APPROVE)
        _on_commit(notifications.approved, programme.pk)
        # Approval offers the version to the partner: its representatives are told.
        _on_commit(notifications.offered, programme.pk)
    return programme


def record_agreement(
    *, actor, programme: Programme, agreed_on: datetime.date, signatory: str
) -> Programme:
    """Record the partner's agreement given on paper; the version it revises, if agreed, is
    superseded."""
    with transaction.atomic():
        # The partner first: two agreements for one partner queue here, so the overlap check
        # below sees the other's result.
        _lock_partner(programme.partner_id)
        programme = _lock(programme)
        check(actor, Action.RECORD_AGREEMENT, programme)
        signatory = _required(signatory, _("Name the partner's signatory."))
        if agreed_on is None:
            raise ValidationError({"agreed_on": _("Give the date of the partner's agreement.")})
        if agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": _("The agreement date cannot be in the future.")})
        signed = programme.documents.current().filter(kind=Document.Kind.SIGNED_AGREEMENT)
        if not signed.exists():
            raise WorkflowError(
                _(
                    "Attach the signed agreement to this version first: an acceptance given on "
                    "paper is recorded with it."
                )
            )
        programme.agreement_recorded_by = actor
        _put_in_force(programme, actor, Action.RECORD_AGREEMENT, agreed_on, signatory)
        _on_commit(notifications.agreed, programme.pk)
    return programme


def accept(*, actor, programme: Programme, seen_stamp: int | None = None) -> Programme:
    """A representative of the partner accepts, for the partner, the version NATO approved:
    their name, the date and the time are recorded, and the version is in force with both
    acceptances; the version it revises, if agreed, is superseded. ``seen_stamp`` refuses a
    version changed since the representative read it."""
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        programme = _lock(programme)
        check(actor, Action.ACCEPT, programme)
        _check_stamp(programme, seen_stamp)
        now = timezone.now()
        programme.partner_accepted_by = actor
        programme.partner_accepted_at = now
        signatory = (actor.get_full_name() or actor.get_username())[:200]
        _put_in_force(programme, actor, Action.ACCEPT, timezone.localdate(now), signatory)
        _on_commit(notifications.accepted, programme.pk)
    return programme


def decline(*, actor, programme: Programme, comment: str, seen_stamp: int | None = None):
    """A representative of the partner declines the version NATO approved, saying why (a
    comment shared with NATO): the version goes back to returned, for the officers to draft
    again, and NATO approves it again after its next submission."""
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.DECLINE, programme)
        _check_stamp(programme, seen_stamp)
        text = _required(comment, _("Say why the partner declines this version."))
        _save(
            Comment(
                programme=programme,
                author=actor,
                created_at=timezone.now(),
                kind=Comment.Kind.DECLINE,
                audience=Comment.Audience.SHARED,
                text=text,
            ),
            actor,
            Action.DECLINE,
        )
        programme.status = ProgrammeStatus.RETURNED
        # NATO's approval was of the declined contents: the next one is given afresh.
        programme.approved_by = None
        programme.approved_at = None
        _save(programme, actor, Action.DECLINE)
        _on_commit(notifications.declined, programme.pk)
    return programme


def _put_in_force(
    programme: Programme, actor, reason: str, agreed_on: datetime.date, signatory: str
) -> None:
    """The partner's agreement, whichever way it came: refused for a partner that is not
    active or a period another agreed programme covers; the version it revises superseded;
    the version agreed. Callers hold the partner's lock and the programme's."""
    if programme.partner.current_status != PartnerStatus.ACTIVE:
        raise WorkflowError(
            _("%(partner)s is not an active partner: no agreement can be recorded.")
            % {"partner": programme.partner}
        )
    overlapping = (
        Programme.objects.agreed()
        .for_partner(programme.partner)
        .overlapping(programme.start_year, programme.end_year)
        .exclude(pk=programme.pk)
        .exclude(pk=programme.revises_id)
        .order_by("start_year")
    )
    if overlapping:
        raise WorkflowError(
            _(
                "%(partner)s already has an agreed programme for these years: %(others)s. "
                "Close it or revise it instead."
            )
            % {
                "partner": programme.partner,
                "others": ", ".join(str(other) for other in overlapping),
            }
        )
    if programme.revises_id:
        previous = Programme.objects.select_for_update().get(pk=programme.revises_id)
        if previous.status == ProgrammeStatus.AGREED:
            previous.status = ProgrammeStatus.SUPERSEDED
            _save(previous, actor, SUPERSEDED_REASON)
    programme.status = ProgrammeStatus.AGREED
    programme.agreed_on = agreed_on
    programme.partner_signatory = signatory
    _save(programme, actor, reason)


def revise(*, actor, programme: Programme) -> Programme:
    """Start a new draft version of an agreed programme, with a copy of everything in it."""
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        programme = _lock(programme)
        check(actor, Action.REVISE, programme)
        pending = programme.revisions.exclude(status=ProgrammeStatus.WITHDRAWN).first()
        if pending is not None:
            raise WrongStatus(
                _("Version %(version)s already revises this programme.")
                % {"version": pending.version}
            )
        # The revision will be the one version on its way for these years.
        _refuse_period_taken(programme.partner, programme.start_year, exclude=(programme.pk,))
        latest = Programme.objects.filter(lineage=programme.lineage).aggregate(v=Max("version"))
        revision = Programme(
            partner=programme.partner,
            title=programme.title,
            summary=programme.summary,
            start_year=programme.start_year,
            end_year=programme.end_year,
            lineage=programme.lineage,
            version=latest["v"] + 1,
            revises=programme,
            created_by=actor,
            created_at=timezone.now(),
        )
        _save(revision, actor, Action.REVISE)
        revision.editors.add(actor)
        _copy_contents(programme, revision, actor)
    return revision


def _copy_contents(source: Programme, target: Programme, actor) -> None:
    """Copy objectives, goals and planned activities, keeping their keys, with history rows."""
    objectives = list(source.objectives.all())
    goals = list(Goal.objects.filter(objective__programme=source))
    planned = list(source.planned_activities.all())
    new_objectives = bulk_create_with_history(
        [objective.copy_into(target) for objective in objectives],
        Objective,
        default_user=actor,
        default_change_reason=Action.REVISE,
    )
    objective_for = {
        old.pk: new for old, new in zip(objectives, _saved(new_objectives, Objective), strict=True)
    }
    new_goals = bulk_create_with_history(
        [goal.copy_into(objective_for[goal.objective_id]) for goal in goals],
        Goal,
        default_user=actor,
        default_change_reason=Action.REVISE,
    )
    goal_for = {old.pk: new for old, new in zip(goals, _saved(new_goals, Goal), strict=True)}
    bulk_create_with_history(
        [
            PlannedActivity(
                programme=target,
                key=p.key,
                activity_id=p.activity_id,
                year=p.year,
                goal=goal_for[p.goal_id],
                priority=p.priority,
                notes=p.notes,
            )
            for p in planned
        ],
        PlannedActivity,
        default_user=actor,
        default_change_reason=Action.REVISE,
    )


def _saved(objects: list, model) -> list:
    """Objects from ``bulk_create`` with their primary keys (SQLite and PostgreSQL return them;
    other databases get them from their unique keys)."""
    if all(obj.pk for obj in objects):
        return objects
    by_key = {obj.key: obj for obj in model.objects.filter(key__in=[o.key for o in objects])}
    return [by_key[obj.key] for obj in objects]


# --- The next programme: a successor drafted from an agreed one --------------------------------


def successor_of(programme: Programme) -> Programme | None:
    """The partner's version, agreed or on its way, that covers some of the four years after
    ``programme``'s last (``conflicting_versions``), if there is one."""
    conflicts = conflicting_versions(programme.partner, programme.end_year + 1)
    return conflicts[0] if conflicts else None


def check_successor(actor, programme: Programme) -> None:
    """Raise ``NotPermitted`` or ``WrongStatus`` unless ``actor`` may draft the successor of
    ``programme`` now: a drafter of its partner, from an agreed version that nothing succeeds."""
    decision = can_draft_for(actor, programme.partner)
    if not decision:
        raise NotPermitted(str(decision.reason))
    if programme.status != ProgrammeStatus.AGREED:
        raise WrongStatus(
            _("This programme is “%(status)s”: only an agreed programme has a successor drafted.")
            % {"status": ProgrammeStatus(programme.status).label}
        )
    successor = successor_of(programme)
    if successor is not None:
        raise WrongStatus(
            _("“%(successor)s” already carries on after this programme (%(status)s).")
            % {"successor": successor, "status": ProgrammeStatus(successor.status).label}
        )


def retired_planned(programme: Programme) -> list[PlannedActivity]:
    """The activities planned in ``programme`` that are retired from the menu: a successor
    cannot plan them again."""
    return list(
        programme.planned_activities.filter(activity__retired_in__isnull=False)
        .select_related("activity")
        .order_by("year", "activity__code")
    )


def draft_successor(
    *,
    actor,
    programme: Programme,
    title: str,
    copy_activities: bool,
    token: uuid.UUID | None = None,
) -> tuple[Programme, list[PlannedActivity]]:
    """Start version 1 of a new programme for the partner of ``programme`` (an agreed one),
    for the four years after its last, as a draft of ``actor`` named ``title``; with a copy of
    its objectives and goals (titles, descriptions, order), and, with ``copy_activities``, of
    its planned activities in the same programme year. Nothing is approved: the successor
    goes through the whole workflow, four-eyes rule included.

    Returns the successor and the planned activities of ``programme`` left out because their
    activity is retired. The years are refused, as ``create_programme`` refuses them, when
    another version covers some of them. ``token``, the form's one-time token, makes sending
    the same form twice draft one successor.
    """
    decision = can_draft_for(actor, programme.partner)
    if not decision:
        raise NotPermitted(str(decision.reason))
    with transaction.atomic():
        _lock_partner(programme.partner_id)
        previous = _lock(programme)
        existing = _created_with(Programme, token, partner_id=previous.partner_id)
        if existing is not None:
            return existing, retired_planned(previous) if copy_activities else []
        check_successor(actor, previous)
        start_year = previous.end_year + 1
        _refuse_period_taken(previous.partner, start_year)
        successor = Programme(
            partner=previous.partner,
            title=(title or "").strip(),
            start_year=start_year,
            end_year=start_year + PROGRAMME_YEARS - 1,
            created_by=actor,
            created_at=timezone.now(),
            creation_token=token,
        )
        _save(successor, actor, CREATED_REASON)
        successor.editors.add(actor)
        skipped = _copy_into_successor(previous, successor, actor, copy_activities)
    return successor, skipped


def _copy_into_successor(
    source: Programme, target: Programme, actor, copy_activities: bool
) -> list[PlannedActivity]:
    """Copy objectives, goals and (with ``copy_activities``) the planned activities whose
    activity can still be chosen, with new keys (a new programme, not a revision) and history
    rows; return the planned activities left out."""
    history = {"default_user": actor, "default_change_reason": CREATED_REASON}
    objectives = list(source.objectives.order_by("order", "pk"))
    new_objectives = bulk_create_with_history(
        [
            Objective(programme=target, order=o.order, title=o.title, description=o.description)
            for o in objectives
        ],
        Objective,
        **history,
    )
    objective_for = {
        old.pk: new for old, new in zip(objectives, _saved(new_objectives, Objective), strict=True)
    }
    goals = list(Goal.objects.filter(objective__programme=source).order_by("order", "pk"))
    new_goals = bulk_create_with_history(
        [
            Goal(
                objective=objective_for[g.objective_id],
                order=g.order,
                title=g.title,
                description=g.description,
            )
            for g in goals
        ],
        Goal,
        **history,
    )
    if not copy_activities:
        return []
    goal_for = {old.pk: new for old, new in zip(goals, _saved(new_goals, Goal), strict=True)}
    kept, skipped = [], []
    for planned in source.planned_activities.select_related("activity").order_by(
        "year", "activity__code"
    ):
        if not planned.activity.can_be_chosen():
            skipped.append(planned)
            continue
        kept.append(
            PlannedActivity(
                programme=target,
                activity_id=planned.activity_id,
                year=planned.year,
                goal=goal_for[planned.goal_id],
                priority=planned.priority,
                notes=planned.notes,
            )
        )
    bulk_create_with_history(kept, PlannedActivity, batch_size=500, **history)
    return skipped


def close(*, actor, programme: Programme, reason: str) -> Programme:
    """End an agreed programme early, saying why."""
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.CLOSE, programme)
        programme.closed_reason = _required(reason, _("Say why the programme is closed."))
        programme.status = ProgrammeStatus.CLOSED
        programme.closed_at = timezone.now()
        _save(programme, actor, Action.CLOSE)
        _on_commit(notifications.closed, programme.pk)
    return programme


def share(*, actor, programme: Programme) -> Programme:
    """Show a draft (or a returned version) to the partner's representatives before it is
    submitted, for their comments; it stays shared from then on."""
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.SHARE, programme)
        if programme.shared_with_partner:
            return programme
        programme.shared_with_partner = True
        _save(programme, actor, Action.SHARE)
        _on_commit(notifications.shared, programme.pk)
    return programme


def withdraw(*, actor, programme: Programme) -> Programme:
    """Abandon a draft (or returned) version; it stays on record, read-only."""
    with transaction.atomic():
        programme = _lock(programme)
        check(actor, Action.WITHDRAW, programme)
        programme.status = ProgrammeStatus.WITHDRAWN
        _save(programme, actor, Action.WITHDRAW)
        _on_commit(notifications.withdrawn, programme.pk)
    return programme


def close_for_partner_event(*, partner: Partner, kind: str, on: datetime.date, actor) -> list:
    """Close the partner's agreed programmes that have not ended when it is suspended or joins
    NATO. Called inside the transaction of ``partners.actions.record_status_event``, through
    ``partner_status_recorded``."""
    if kind not in CLOSING_EVENTS:
        return []
    reason = _("Closed because %(partner)s: “%(event)s” on %(date)s.") % {
        "partner": partner,
        "event": EventKind(kind).label,
        "date": date_format(on),
    }
    closed = []
    agreed = Programme.objects.select_for_update().agreed().for_partner(partner)
    for programme in agreed.filter(end_year__gte=on.year).order_by("start_year"):
        programme.status = ProgrammeStatus.CLOSED
        programme.closed_at = timezone.now()
        programme.closed_reason = reason[:500]
        _save(programme, actor, PARTNER_EVENT_REASON)
        _on_commit(notifications.closed, programme.pk)
        closed.append(programme)
        logger.info("Programme %s closed by partner event %s", programme.pk, kind)
    return closed


def partner_status_recorded(sender, *, partner: Partner, kind: str, on, actor, **kwargs) -> None:
    """Receiver of ``partners.signals.status_event_recorded`` (connected in
    ``ProgrammesConfig.ready``): the partner register knows nothing of programmes, so it says
    what happened and this module decides what it means for them."""
    close_for_partner_event(partner=partner, kind=kind, on=on, actor=actor)
