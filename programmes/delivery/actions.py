"""Every change of delivery records (events) and annual reviews goes through this module.

As ``programmes.workflow`` does for programmes: keyword-only arguments with the acting user
explicit; one transaction; the programme's agreed version locked first (so that recording queues
behind a revision being agreed, and two officers behind each other), then the row changed; the
actor's permission checked (``programmes.delivery.permissions``); a history row naming the actor
and the step. Pages, the admin, the import and the demo call these functions; nothing else
writes events or reviews. Refusals are the workflow's exceptions (``WorkflowError`` and its
kinds) or a ``ValidationError`` naming the field.

Events and reviews belong to a programme's lineage and to the keys of its planned activities,
goals and objectives, so that a revision keeps them; they are recorded against the version in
force (agreed), the only one that may take new records.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from programmes.delivery.models import (
    AnnualReview,
    Event,
    EventStatus,
    ObjectiveProgress,
    Progress,
    ReviewStatus,
)
from programmes.delivery.permissions import can_acknowledge, can_record_for
from programmes.menu.models import Activity
from programmes.models import (
    PROGRAMME_YEARS,
    Goal,
    PlannedActivity,
    Programme,
    ProgrammeStatus,
)
from programmes.workflow import (
    EditConflict,
    NotPermitted,
    WorkflowError,
    WrongStatus,
    _created_with,
)


class Step(models.TextChoices):
    """The reasons written on history rows."""

    RECORD = "record event", gettext_lazy("Record an event")
    CORRECT = "correct event", gettext_lazy("Correct an event")
    DELETE = "delete event", gettext_lazy("Delete an event")
    START_REVIEW = "start review", gettext_lazy("Start an annual review")
    EDIT_REVIEW = "edit review", gettext_lazy("Edit an annual review")
    SUBMIT_REVIEW = "submit review", gettext_lazy("Submit an annual review")
    ACKNOWLEDGE_REVIEW = "acknowledge review", gettext_lazy("Acknowledge an annual review")
    RETURN_REVIEW = "return review", gettext_lazy("Return an annual review")


# The fields of an event a caller gives; the rest (partner, lineage, keys) follow from them.
EVENT_FIELDS = (
    "year",
    "start_date",
    "end_date",
    "place",
    "online",
    "provider",
    "status",
    "cancellation_reason",
    "postponed_to",
    "participants",
    "women",
    "rating",
    "evaluation",
    "external_ref",
)


def calendar_year(programme: Programme, year: int) -> int:
    return programme.start_year + year - 1


# --- Locks and checks ----------------------------------------------------------------------


def in_force_version(lineage) -> Programme | None:
    """The agreed version of a programme's lineage, if there is one (not locked)."""
    return (
        Programme.objects.filter(lineage=lineage, status=ProgrammeStatus.AGREED)
        .select_related("partner")
        .first()
    )


def _lock_in_force(lineage) -> Programme:
    """Lock the version in force of ``lineage``, or refuse: only it takes delivery records."""
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(lineage=lineage, status=ProgrammeStatus.AGREED)
        .first()
    )
    if programme is None:
        raise _not_in_force()
    return programme


def _not_in_force() -> WrongStatus:
    return WrongStatus(
        _(
            "This programme is not in force: delivery is recorded only for a programme the "
            "partner agreed to, until it is superseded or closed."
        )
    )


def _check_recorder(actor, programme: Programme) -> None:
    decision = can_record_for(actor, programme.partner)
    if not decision:
        raise NotPermitted(str(decision.reason))


def _save(obj: models.Model, actor, reason: str) -> None:
    """Validate and save ``obj`` with a history row naming ``actor`` and ``reason``."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.full_clean()
    obj.save()


def _check_stamp(obj, seen_stamp: int | None, message: str) -> None:
    if seen_stamp is not None and int(seen_stamp) != obj.edit_stamp:
        raise EditConflict(message)


def _event_conflict() -> str:
    return _(
        "Someone changed this event after you opened the form. Your input is kept below: check "
        "the event's current state, then save again."
    )


def _review_conflict() -> str:
    return _(
        "Someone changed this review after you opened the form. Your input is kept below: check "
        "the review's current state, then save again."
    )


# --- Events --------------------------------------------------------------------------------


def _check_event(event: Event, programme: Programme, today: datetime.date) -> None:
    """The rules an event must follow beyond its constraints, each with a message that names
    its field. Checked before ``full_clean``, which then finds what is left."""
    errors = {}
    if not 1 <= (event.year or 0) <= PROGRAMME_YEARS:
        errors["year"] = _(
            "Choose a year of the programme: %(first)s to %(last)s (years 1 to %(years)s)."
        ) % {"first": programme.start_year, "last": programme.end_year, "years": PROGRAMME_YEARS}
    elif event.start_date and event.start_date.year != calendar_year(programme, event.year):
        errors["start_date"] = _(
            "Year %(year)s of the programme is %(calendar)s: the first day falls in %(given)s."
        ) % {
            "year": event.year,
            "calendar": calendar_year(programme, event.year),
            "given": event.start_date.year,
        }
    if event.start_date and event.end_date and event.end_date < event.start_date:
        errors["end_date"] = _("The last day cannot come before the first day.")
    if event.status == EventStatus.DELIVERED and event.start_date and event.start_date > today:
        errors["status"] = _("An event that has not started yet cannot be delivered.")
    if event.status == EventStatus.CANCELLED and not event.cancellation_reason:
        errors["cancellation_reason"] = _("Say why the event was cancelled.")
    if event.status != EventStatus.CANCELLED:
        event.cancellation_reason = ""
    if event.status == EventStatus.POSTPONED:
        if event.postponed_to is None:
            errors["postponed_to"] = _("Choose the later year the event is postponed to.")
        elif not (event.year or 0) < event.postponed_to <= PROGRAMME_YEARS:
            errors["postponed_to"] = _(
                "An event is postponed to a later year of the programme, %(after)s at the latest."
            ) % {"after": programme.end_year}
    else:
        event.postponed_to = None
    if event.women is not None and event.participants is None:
        errors["participants"] = _("Give the number of participants, of whom the women.")
    elif event.women is not None and event.women > event.participants:
        errors["women"] = _("The number of women cannot exceed the number of participants.")
    if event.rating is not None and event.status != EventStatus.DELIVERED:
        errors["rating"] = _("Only a delivered event is rated.")
    if not event.online and not event.place:
        errors["place"] = _("Give the place, or say that the event is online.")
    if errors:
        raise ValidationError(errors)


def _apply(event: Event, fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of an event: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(event, name, value)


def record_event(
    *,
    actor,
    programme: Programme,
    planned: PlannedActivity | None = None,
    activity: Activity | None = None,
    goal: Goal | None = None,
    token: uuid.UUID | None = None,
    **fields,
) -> Event:
    """Record an event of ``programme`` (the version in force): one delivering ``planned``, or,
    with ``activity`` and ``goal`` instead, an unplanned one serving that partnership goal.
    ``fields`` are those of ``EVENT_FIELDS``; the provider defaults to the activity's.

    ``token``, the form's one-time token, makes sending the same form twice record one event:
    the second gets the first's (under the programme's lock, so even at the same moment); a
    token already used for another programme is refused."""
    with transaction.atomic():
        programme = _lock_in_force(programme.lineage)
        _check_recorder(actor, programme)
        existing = _created_with(Event, token, lineage=programme.lineage)
        if existing is not None:
            return existing
        if planned is not None:
            planned = (
                PlannedActivity.objects.select_related("activity", "goal")
                .filter(programme=programme, pk=planned.pk)
                .first()
            )
            if planned is None:
                raise WorkflowError(_("This activity is not planned in the programme in force."))
            activity, goal_key, planned_key = planned.activity, planned.goal.key, planned.key
        else:
            if activity is None or goal is None:
                raise ValidationError(
                    _("An unplanned event needs the activity delivered and the goal it serves.")
                )
            goal = Goal.objects.filter(objective__programme=programme, pk=goal.pk).first()
            if goal is None:
                raise ValidationError({"goal": _("Choose a goal of the programme in force.")})
            activity = Activity.objects.get(pk=activity.pk)
            goal_key, planned_key = goal.key, None
        event = Event(
            partner=programme.partner,
            lineage=programme.lineage,
            planned_key=planned_key,
            goal_key=goal_key,
            activity=activity,
            provider=activity.provider,
            recorded_by=actor,
            recorded_at=timezone.now(),
            creation_token=token,
        )
        if planned is not None:
            event.year = planned.year
        _apply(event, fields)
        _check_event(event, programme, timezone.localdate())
        _save(event, actor, Step.RECORD)
    return event


@dataclass(frozen=True)
class EventRecord:
    """One event for ``record_events``: the planned activity it delivers, and the fields of
    ``EVENT_FIELDS`` that ``record_event`` takes."""

    planned: PlannedActivity
    fields: dict


def record_events(*, actor, programme: Programme, records: list[EventRecord]) -> list[Event]:
    """Record several events of planned activities of ``programme`` at once (a history, for
    the demo): all of them or none, under the rules of ``record_event``, in a number of queries
    that does not grow with ``records``.

    The programme is locked and the actor checked once; each event is checked by
    ``_check_event`` and its fields' validators as ``record_event`` checks it; the checks that
    would cost a query per event are made once for all (the planned activities read in one
    query, the external references already recorded in one), the database constraints behind
    them all.
    """
    with transaction.atomic():
        programme = _lock_in_force(programme.lineage)
        _check_recorder(actor, programme)
        planned_activities = (
            PlannedActivity.objects.select_related("activity__provider", "goal")
            .filter(programme=programme)
            .in_bulk([record.planned.pk for record in records])
        )
        references = [str(record.fields.get("external_ref") or "").strip() for record in records]
        taken = set(
            Event.objects.filter(
                partner=programme.partner, external_ref__in=[ref for ref in references if ref]
            ).values_list("external_ref", flat=True)
        )
        unique = next(
            c for c in Event._meta.constraints if c.name == "event_one_per_external_reference"
        )
        today, now = timezone.localdate(), timezone.now()
        events = []
        for record in records:
            planned = planned_activities.get(record.planned.pk)
            if planned is None:
                raise WorkflowError(_("This activity is not planned in the programme in force."))
            event = Event(
                partner=programme.partner,
                lineage=programme.lineage,
                planned_key=planned.key,
                goal_key=planned.goal.key,
                activity=planned.activity,
                provider=planned.activity.provider,
                year=planned.year,
                recorded_by=actor,
                recorded_at=now,
            )
            _apply(event, record.fields)
            _check_event(event, programme, today)
            if event.external_ref:
                if event.external_ref in taken:
                    raise ValidationError({"external_ref": unique.get_violation_error_message()})
                taken.add(event.external_ref)
            # The fields' own validators; the keys were read above, the constraints are the
            # database's.
            event.full_clean(
                exclude=["partner", "activity", "provider", "recorded_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            events.append(event)
        bulk_create_with_history(
            events,
            Event,
            batch_size=500,
            default_user=actor,
            default_change_reason=Step.RECORD,
            default_date=now,
        )
    return events


def _lock_event(event: Event | int) -> tuple[Event, Programme]:
    """Lock the programme in force, then the event; refuse a vanished event."""
    pk = event.pk if isinstance(event, Event) else event
    lineage = Event.objects.filter(pk=pk).values_list("lineage", flat=True).first()
    if lineage is None:
        raise WrongStatus(_("This event no longer exists."))
    programme = _lock_in_force(lineage)
    locked = Event.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise WrongStatus(_("This event no longer exists."))
    return locked, programme


def update_event(*, actor, event: Event, seen_stamp: int | None, **fields) -> Event:
    """Correct an event, or record what happened to it (delivered, cancelled, postponed, with
    participants and an evaluation). ``seen_stamp``: the ``edit_stamp`` the form showed."""
    with transaction.atomic():
        event, programme = _lock_event(event)
        _check_recorder(actor, programme)
        _check_stamp(event, seen_stamp, _event_conflict())
        _apply(event, fields)
        _check_event(event, programme, timezone.localdate())
        event.edit_stamp = F("edit_stamp") + 1
        _save_stamped(event, actor, Step.CORRECT)
    return event


def _save_stamped(obj, actor, reason: str) -> None:
    """``_save`` for a row whose ``edit_stamp`` is an expression: validated without it."""
    stamp = obj.edit_stamp
    obj._history_user = actor
    obj._change_reason = reason
    obj.full_clean(exclude=["edit_stamp"])
    obj.edit_stamp = stamp
    obj.save()
    obj.refresh_from_db(fields=["edit_stamp"])


def delete_event(*, actor, event: Event) -> None:
    """Remove an event recorded by mistake (its history keeps it)."""
    with transaction.atomic():
        event, programme = _lock_event(event)
        _check_recorder(actor, programme)
        event._history_user = actor
        event._change_reason = Step.DELETE
        event.delete()


def find_by_reference(partner_id: int, external_ref: str) -> Event | None:
    return Event.objects.filter(partner_id=partner_id, external_ref=external_ref).first()


# --- Annual reviews ------------------------------------------------------------------------


def review_can_start(programme: Programme, year: int, today: datetime.date) -> bool:
    """A year's review may be written once the year has begun; it is due from 1 January
    after it (``programmes.delivery.queries``)."""
    return 1 <= year <= PROGRAMME_YEARS and calendar_year(programme, year) <= today.year


def _year_not_begun(programme: Programme, year: int) -> ValidationError:
    return ValidationError(
        {
            "year": _(
                "Year %(year)s of the programme (%(calendar)s) has not begun: its review is "
                "written once it has."
            )
            % {"year": year, "calendar": calendar_year(programme, year)}
        }
    )


def start_review(*, actor, programme: Programme, year: int) -> AnnualReview:
    """Start the review of programme year ``year``, as a draft; the one already started, if
    any (two officers starting it at once get the same review)."""
    with transaction.atomic():
        programme = _lock_in_force(programme.lineage)
        _check_recorder(actor, programme)
        existing = AnnualReview.objects.filter(lineage=programme.lineage, year=year).first()
        if existing is not None:
            return existing
        if not review_can_start(programme, year, timezone.localdate()):
            raise _year_not_begun(programme, year)
        review = AnnualReview(
            partner=programme.partner,
            lineage=programme.lineage,
            year=year,
            created_by=actor,
            created_at=timezone.now(),
        )
        _save(review, actor, Step.START_REVIEW)
        review.writers.add(actor)
    return review


def _lock_review(review: AnnualReview | int) -> tuple[AnnualReview, Programme]:
    pk = review.pk if isinstance(review, AnnualReview) else review
    lineage = AnnualReview.objects.filter(pk=pk).values_list("lineage", flat=True).first()
    if lineage is None:
        raise WrongStatus(_("This review no longer exists."))
    programme = _lock_in_force(lineage)
    return AnnualReview.objects.select_for_update().get(pk=pk), programme


def _refuse_unless_editable(review: AnnualReview) -> None:
    if not review.is_editable:
        raise WrongStatus(
            _("This review is “%(status)s”: it can no longer be changed.")
            % {"status": review.get_status_display()}
        )


def _check_progress(objective_keys: set, progress: dict) -> None:
    """Refuse ratings of objectives the programme does not have, or of no known progress."""
    if any(key not in objective_keys for key in progress):
        raise WorkflowError(
            _("The programme's objectives changed since the form was opened; reload it.")
        )
    if any(value not in Progress.values for value, _narrative in progress.values()):
        raise ValidationError({"progress": _("Choose on track, at risk or off track.")})


def save_review(
    *,
    actor,
    review: AnnualReview,
    seen_stamp: int | None,
    overall: str,
    progress: dict,
) -> AnnualReview:
    """Write the review: ``overall`` and, per objective key of the programme in force,
    ``(progress, narrative)``. Objectives left out keep what they had."""
    with transaction.atomic():
        review, programme = _lock_review(review)
        _check_recorder(actor, programme)
        _refuse_unless_editable(review)
        _check_stamp(review, seen_stamp, _review_conflict())
        _check_progress(set(programme.objectives.values_list("key", flat=True)), progress)
        existing = {rating.objective_key: rating for rating in review.ratings.all()}
        for key, (value, narrative) in progress.items():
            rating = existing.get(key) or ObjectiveProgress(review=review, objective_key=key)
            narrative = (narrative or "").strip()
            if rating.pk and (rating.progress, rating.narrative) == (value, narrative):
                continue
            rating.progress, rating.narrative = value, narrative
            _save(rating, actor, Step.EDIT_REVIEW)
        review.overall = (overall or "").strip()
        review.edit_stamp = F("edit_stamp") + 1
        _save_stamped(review, actor, Step.EDIT_REVIEW)
        review.writers.add(actor)
    return review


def missing_for_review_submission(review: AnnualReview, programme: Programme) -> list[str]:
    """What the review still needs before it can be submitted, in words."""
    rated = set(review.ratings.values_list("objective_key", flat=True))
    return _missing(list(programme.objectives.order_by("order", "pk")), rated, review.overall)


def _missing(objectives: list, rated: set, overall: str) -> list[str]:
    """What a review rating ``rated`` (objective keys) with ``overall`` needs before it can be
    submitted, in words, for a programme of ``objectives`` (in their order)."""
    missing = [
        _("Rate the progress towards “%(objective)s”.") % {"objective": objective}
        for objective in objectives
        if objective.key not in rated
    ]
    if not overall.strip():
        missing.append(_("Write the overall assessment."))
    return missing


def submit_review(*, actor, review: AnnualReview, seen_stamp: int | None = None) -> AnnualReview:
    with transaction.atomic():
        review, programme = _lock_review(review)
        _check_recorder(actor, programme)
        _refuse_unless_editable(review)
        _check_stamp(review, seen_stamp, _review_conflict())
        missing = missing_for_review_submission(review, programme)
        if missing:
            raise ValidationError(missing)
        review.status = ReviewStatus.SUBMITTED
        review.submitted_by = actor
        review.submitted_at = timezone.now()
        review.edit_stamp = F("edit_stamp") + 1
        _save_stamped(review, actor, Step.SUBMIT_REVIEW)
    return review


def _locked_for_acknowledgement(actor, review) -> AnnualReview:
    review, _programme = _lock_review(review)
    _check_acknowledger(actor, review)
    return review


def _check_acknowledger(actor, review: AnnualReview) -> None:
    """Refuse unless ``review`` is submitted and ``actor`` may acknowledge or return it."""
    if review.status != ReviewStatus.SUBMITTED:
        raise WrongStatus(
            _("This review is “%(status)s”: only a submitted review is acknowledged or returned.")
            % {"status": review.get_status_display()}
        )
    decision = can_acknowledge(actor, review)
    if not decision:
        raise NotPermitted(str(decision.reason))


def acknowledge_review(*, actor, review: AnnualReview) -> AnnualReview:
    """An approver who did not write the review acknowledges it: it is final."""
    with transaction.atomic():
        review = _locked_for_acknowledgement(actor, review)
        review.status = ReviewStatus.ACKNOWLEDGED
        review.acknowledged_by = actor
        review.acknowledged_at = timezone.now()
        review.return_comment = ""
        review.edit_stamp = F("edit_stamp") + 1
        _save_stamped(review, actor, Step.ACKNOWLEDGE_REVIEW)
    return review


def return_review(*, actor, review: AnnualReview, comment: str) -> AnnualReview:
    """An approver who did not write the review returns it to its writers with a comment."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the review needs.")})
    with transaction.atomic():
        review = _locked_for_acknowledgement(actor, review)
        review.status = ReviewStatus.RETURNED
        review.return_comment = comment
        review.edit_stamp = F("edit_stamp") + 1
        _save_stamped(review, actor, Step.RETURN_REVIEW)
    return review


@dataclass(frozen=True)
class ReviewRecord:
    """One year's review for ``record_reviews``: the year, and the overall assessment and the
    progress per objective key ``(progress, narrative)`` that ``save_review`` takes."""

    year: int
    overall: str
    progress: dict


def record_reviews(
    *, actor, programme: Programme, records: list[ReviewRecord]
) -> list[AnnualReview]:
    """Write and submit several years' reviews of ``programme`` at once (a finished
    programme's history, for the demo): all of them or none, under the rules of
    ``start_review``, ``save_review`` and ``submit_review``, in a number of queries that does
    not grow with ``records``.

    Each review gets the history rows its three steps write (started empty, written,
    submitted), each rating the one its writing does, all dated now as the steps date theirs.
    """
    with transaction.atomic():
        programme = _lock_in_force(programme.lineage)
        _check_recorder(actor, programme)
        today, now = timezone.localdate(), timezone.now()
        objectives = list(programme.objectives.order_by("order", "pk"))
        keys = {objective.key for objective in objectives}
        unique = next(
            c for c in AnnualReview._meta.constraints if c.name == "review_one_per_programme_year"
        )
        taken = set(
            AnnualReview.objects.filter(lineage=programme.lineage).values_list("year", flat=True)
        )
        reviews = []
        for record in records:
            if not review_can_start(programme, record.year, today):
                raise _year_not_begun(programme, record.year)
            if record.year in taken:
                raise ValidationError(unique.get_violation_error_message())
            taken.add(record.year)
            _check_progress(keys, record.progress)
            missing = _missing(objectives, set(record.progress), record.overall or "")
            if missing:
                raise ValidationError(missing)
            review = AnnualReview(
                partner=programme.partner,
                lineage=programme.lineage,
                year=record.year,
                created_by=actor,
                created_at=now,
            )
            review.full_clean(
                exclude=["partner", "created_by"], validate_unique=False, validate_constraints=False
            )
            reviews.append(review)
        AnnualReview.objects.bulk_create(reviews, batch_size=500)
        AnnualReview.writers.through.objects.bulk_create(
            [AnnualReview.writers.through(annualreview=r, user=actor) for r in reviews],
            batch_size=500,
        )
        ratings = []
        for review, record in zip(reviews, records, strict=True):
            for key, (value, narrative) in record.progress.items():
                rating = ObjectiveProgress(
                    review=review, objective_key=key, progress=value, narrative=narrative.strip()
                )
                rating.full_clean(
                    exclude=["review"], validate_unique=False, validate_constraints=False
                )
                ratings.append(rating)
        bulk_create_with_history(
            ratings,
            ObjectiveProgress,
            batch_size=500,
            default_user=actor,
            default_change_reason=Step.EDIT_REVIEW,
            default_date=now,
        )
        # The history rows of the three steps, each as its step leaves the review.
        _review_history(reviews, actor, Step.START_REVIEW, now, update=False)
        for review, record in zip(reviews, records, strict=True):
            review.overall, review.edit_stamp = record.overall.strip(), 1
        _review_history(reviews, actor, Step.EDIT_REVIEW, now)
        for review in reviews:
            review.status, review.edit_stamp = ReviewStatus.SUBMITTED, 2
            review.submitted_by, review.submitted_at = actor, now
        _review_history(reviews, actor, Step.SUBMIT_REVIEW, now)
        AnnualReview.objects.bulk_update(
            reviews,
            ["overall", "status", "edit_stamp", "submitted_by", "submitted_at"],
            batch_size=500,
        )
    return reviews


def acknowledge_reviews(*, actor, reviews: list[AnnualReview]) -> list[AnnualReview]:
    """Acknowledge several submitted reviews at once (a finished programme's history, for the
    demo): all of them or none, under the rules of ``acknowledge_review``, in a number of
    queries that does not grow with ``reviews``."""
    pks = {review.pk for review in reviews}
    with transaction.atomic():
        lineages = set(AnnualReview.objects.filter(pk__in=pks).values_list("lineage", flat=True))
        in_force = Programme.objects.select_for_update(of=("self",)).filter(
            lineage__in=lineages, status=ProgrammeStatus.AGREED
        )
        if len(in_force) != len(lineages):
            raise _not_in_force()
        locked = list(
            AnnualReview.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .prefetch_related("writers")
            .order_by("pk")
        )
        if len(locked) != len(pks):
            raise WrongStatus(_("This review no longer exists."))
        now = timezone.now()
        for review in locked:
            _check_acknowledger(actor, review)
            review.status = ReviewStatus.ACKNOWLEDGED
            review.acknowledged_by, review.acknowledged_at = actor, now
            review.return_comment = ""
            review.edit_stamp += 1
        AnnualReview.objects.bulk_update(
            locked,
            ["status", "acknowledged_by", "acknowledged_at", "return_comment", "edit_stamp"],
            batch_size=500,
        )
        _review_history(locked, actor, Step.ACKNOWLEDGE_REVIEW, now)
    return locked


def _review_history(reviews, actor, step: str, now, *, update: bool = True) -> None:
    """A history row per review as it is now, naming ``actor`` and ``step``."""
    AnnualReview.history.bulk_history_create(
        reviews,
        batch_size=500,
        update=update,
        default_user=actor,
        default_change_reason=step,
        default_date=now,
    )
