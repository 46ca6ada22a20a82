"""The demo's delivery history: events of the programmes in force and two annual reviews, recorded
through ``programmes.delivery.actions`` by the partners' officers and the demo approvers.

For each programme in force (agreed), each activity planned in a year that has begun gets an event
on a day of that year (and a fifth of next year's, scheduled in its first quarter): past years mostly delivered (participants, a plausible share of women, a
rating and a note), some cancelled with a reason or postponed to a later year, a few with no
outcome recorded although their last day is past; this year's events delivered when past,
scheduled when to come, and a quarter of this year's activities not scheduled yet. The first
programme in force of the current cycle whose first year is over has its year-1 review
acknowledged; the second has it submitted, awaiting acknowledgement (the same two at every scale).

A programme whose four years are over (a larger demo's earlier programmes) has the history a
finished programme has: every past event with its outcome, and each year's review written and
submitted by the partner's officer and acknowledged by the approver who approved the programme,
so that what it leaves to do (on the officer's home, in the reminders) is nothing.

Deterministic (a random generator of its own per programme: seed, partner, first year) and
idempotent: a programme with events already, or a review already, is left alone. A larger demo
(``seed_demo --scale N``) has more agreed programmes, whose periods ended before the current
cycle: each gets its four years of history, and the years of the current cycle have the same
events at every scale. The events of a programme are recorded at once (``record_events``: the
rules of ``record_event``, in a number of queries that does not grow with the events).

The actions date what they record now; like ``programmes.devtools.demo.clock`` does for the
workflow's steps, the events and reviews are then moved to a plausible moment (never after
today): an event recorded some weeks before it began and its outcome the day after it ended, a
review written in January after its year and acknowledged in February.

Used by ``seed_demo`` and tests.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from programmes.delivery import actions
from programmes.delivery.actions import calendar_year
from programmes.delivery.models import (
    AnnualReview,
    Event,
    EventStatus,
    ObjectiveProgress,
    Progress,
)
from programmes.delivery.permissions import can_record_for
from programmes.devtools.demo.clock import DemoClock
from programmes.devtools.demo.plans import AGREED_START_YEARS, DEMO_APPROVERS
from programmes.models import PROGRAMME_YEARS, Objective, Programme, ProgrammeStatus

DELIVERY_SEED = 2026

PLACES = [
    "Brussels",
    "Oberammergau",
    "Rome",
    "Tallinn",
    "Ankara",
    "Sarajevo",
    "Tbilisi",
    "Chisinau",
    "Vienna",
    "Geneva",
]
CANCELLATION_REASONS = [
    "Too few participants nominated.",
    "The instructors were not available.",
    "The host nation withdrew the venue.",
    "Merged with a later session at the partner's request.",
]
EVALUATIONS = [
    "Well organised; the exercises matched the partner's needs.",
    "Useful, though the course could be shorter.",
    "Participants asked for a follow-up workshop.",
    "Good mix of theory and practice.",
    "Interpretation was uneven on the second day.",
]
OVERALL = (
    "Year {year} went broadly as planned: most activities took place, two were cancelled for "
    "lack of participants and will be planned again."
)
NARRATIVES = {
    Progress.ON_TRACK: "The courses planned for the year took place and were well rated.",
    Progress.AT_RISK: "Some activities were postponed; the objective needs them next year.",
    Progress.OFF_TRACK: "Too few participants attended for the objective to advance.",
}
# How a finished programme's objectives progressed, year by year: on track, at risk, off track.
FINISHED_PROGRESS_WEIGHTS = (6, 3, 1)
# Share of this year's activities scheduled so far.
CURRENT_YEAR_SCHEDULED = 0.75
# Share of next year's activities scheduled already (in its first quarter).
NEXT_YEAR_SCHEDULED = 0.2


@dataclass
class DemoDelivery:
    """What ``seed_demo_delivery`` created."""

    events: int = 0
    reviews: int = 0


def seed_demo_delivery(*, seed: int = DELIVERY_SEED) -> DemoDelivery:
    """Give the programmes in force without events a delivery history, and two of them a review
    of their first year (one acknowledged, one awaiting acknowledgement)."""
    clock = DemoClock(today=timezone.localdate())
    result = DemoDelivery()
    users = {user.username: user for user in get_user_model().objects.all()}
    with_events = set(Event.objects.values_list("lineage", flat=True).distinct())
    in_force = (
        Programme.objects.filter(status=ProgrammeStatus.AGREED)
        .select_related("partner", "created_by", "approved_by")
        .order_by("partner__code", "start_year")
    )
    with transaction.atomic():
        mark = _last_history_id(Event)
        for programme in in_force:
            if programme.lineage in with_events:
                continue
            officer = programme.created_by
            if not can_record_for(officer, programme.partner):
                continue
            rng = random.Random(f"{seed}:{programme.partner.code}:{programme.start_year}")  # noqa: S311
            records = _plan_events(programme, rng, clock.today)
            actions.record_events(actor=officer, programme=programme, records=records)
            result.events += len(records)
        _redate_events(mark, clock)
        result.reviews = _seed_reviews(in_force, users, clock)
        result.reviews += _seed_finished_reviews(in_force, clock, seed=seed)
    return result


def _finished(programme: Programme, today: datetime.date) -> bool:
    """Whether the programme's four years are over."""
    return calendar_year(programme, PROGRAMME_YEARS) < today.year


def _plan_events(programme: Programme, rng: random.Random, today: datetime.date) -> list:
    """The events of each planned activity whose year has begun (and of some of next year's),
    for ``record_events``."""
    events = []
    finished = _finished(programme, today)
    planned_activities = programme.planned_activities.select_related("activity", "goal").order_by(
        "year", "activity__code", "pk"
    )
    for number, planned in enumerate(planned_activities, start=1):
        year = programme.start_year + planned.year - 1
        if year > today.year + 1:
            continue
        first_day = datetime.date(year, 1, 15) + datetime.timedelta(days=rng.randint(0, 335))
        if year == today.year + 1:
            # Next year's first quarter is being scheduled.
            first_day = datetime.date(year, 1, 12) + datetime.timedelta(days=rng.randint(0, 75))
            if rng.random() > NEXT_YEAR_SCHEDULED:
                continue
        elif year == today.year and rng.random() > CURRENT_YEAR_SCHEDULED:
            continue
        days = max(1, min(planned.activity.length_days, 10))
        last_day = min(first_day + datetime.timedelta(days=days - 1), datetime.date(year, 12, 31))
        online = planned.activity.delivery_mode == "online"
        fields = {
            "start_date": first_day,
            "end_date": last_day,
            "online": online,
            "place": "" if online else rng.choice(PLACES),
            "external_ref": f"EMS-{programme.partner.code}-{year}-{number:04d}",
        }
        if last_day < today:
            fields |= _outcome(planned.year, rng, finished=finished)
        events.append(actions.EventRecord(planned, fields))
    return events


def _outcome(year: int, rng: random.Random, *, finished: bool = False) -> dict:
    """What happened to a past event: mostly delivered; some cancelled or postponed; a few with
    nothing recorded, unless the programme is ``finished`` (those delivered instead)."""
    draw = rng.random()
    if draw < 0.06 and not finished:
        return {}  # still "scheduled": no outcome recorded
    if draw < 0.14:
        return {
            "status": EventStatus.CANCELLED,
            "cancellation_reason": rng.choice(CANCELLATION_REASONS),
        }
    if draw < 0.20 and year < PROGRAMME_YEARS:
        return {"status": EventStatus.POSTPONED, "postponed_to": rng.randint(year + 1, 4)}
    participants = rng.randint(6, 32)
    share = min(max(rng.gauss(0.32, 0.12), 0.0), 0.9)
    return {
        "status": EventStatus.DELIVERED,
        "participants": participants,
        "women": round(participants * share),
        "rating": rng.choice([3, 4, 4, 4, 5, 5]),
        "evaluation": rng.choice(EVALUATIONS),
    }


def _last_history_id(model) -> int:
    return model.history.aggregate(last=Max("history_id"))["last"] or 0


def _moment(day: datetime.date, clock: DemoClock, hour: int = 10) -> datetime.datetime:
    """``hour`` on ``day``, never after today, nor after now when it is today."""
    moment = timezone.make_aware(
        datetime.datetime.combine(min(day, clock.today), datetime.time(hour))
    )
    return min(moment, timezone.now())


def _recorded_on(event: Event, clock: DemoClock) -> datetime.date:
    """An event with an outcome is recorded the day after it ended, one to come or without its
    outcome some weeks before it began (after the programme's first of January at the earliest)."""
    if event.status != EventStatus.SCHEDULED:
        return event.end_date + datetime.timedelta(days=1)
    before = event.start_date - datetime.timedelta(days=40)
    return max(before, datetime.date(event.start_date.year, 1, 2))


def _redate_events(mark: int, clock: DemoClock) -> None:
    """Move the events recorded since history row ``mark``, and their history rows, to the day
    they would have been recorded."""
    history = list(Event.history.filter(history_id__gt=mark))
    if not history:
        return
    events = Event.objects.in_bulk({row.id for row in history})
    moments = {pk: _moment(_recorded_on(event, clock), clock) for pk, event in events.items()}
    for pk, event in events.items():
        event.recorded_at = moments[pk]
    Event.objects.bulk_update(events.values(), ["recorded_at"], batch_size=500)
    for row in history:
        row.history_date = row.recorded_at = moments[row.id]
    Event.history.model.objects.bulk_update(
        history, ["history_date", "recorded_at"], batch_size=500
    )


# Annual reviews -------------------------------------------------------------------------------


def _seed_reviews(in_force, users: dict, clock: DemoClock) -> int:
    """Year 1's review of the first two programmes in force of the current cycle whose first
    year is over: the first acknowledged, the second awaiting acknowledgement."""
    # Of the current cycle, which a larger demo leaves as it is: the same two programmes have
    # the reviews at every scale (``bench`` times the page of one).
    candidates = [p for p in in_force if AGREED_START_YEARS[0] <= p.start_year < clock.today.year]
    if AnnualReview.objects.filter(lineage__in=[p.lineage for p in candidates]).exists():
        return 0  # the demo's reviews exist already
    approver = users.get(DEMO_APPROVERS[0])
    marks = _review_marks()
    dates = {}
    for index, programme in enumerate(candidates[:2]):
        officer = programme.created_by
        if approver is None or not can_record_for(officer, programme.partner):
            continue
        review = actions.start_review(actor=officer, programme=programme, year=1)
        progress = {}
        for number, objective in enumerate(programme.objectives.order_by("order", "pk")):
            value = [Progress.ON_TRACK, Progress.AT_RISK, Progress.ON_TRACK][number % 3]
            progress[objective.key] = (value, NARRATIVES[value])
        review = actions.save_review(
            actor=officer,
            review=review,
            seen_stamp=None,
            overall=OVERALL.format(year=1),
            progress=progress,
        )
        review = actions.submit_review(actor=officer, review=review)
        written = datetime.date(programme.start_year + 1, 1, 20)
        acknowledged = None
        if index == 0:
            review = actions.acknowledge_review(actor=approver, review=review)
            acknowledged = written + datetime.timedelta(days=24)
        dates[review.pk] = (written, acknowledged)
    _redate_reviews(marks, dates, clock)
    return len(dates)


def _seed_finished_reviews(in_force, clock: DemoClock, *, seed: int) -> int:
    """Each year's review of the programmes whose four years are over, written and submitted by
    the programme's officer in the January after the year (``record_reviews``) and acknowledged
    some weeks later by the approver who approved the programme (``acknowledge_reviews``); a
    programme with reviews already is left alone."""
    finished = [p for p in in_force if _finished(p, clock.today)]
    reviewed = set(
        AnnualReview.objects.filter(lineage__in=[p.lineage for p in finished]).values_list(
            "lineage", flat=True
        )
    )
    marks = _review_marks()
    dates, by_approver = {}, {}
    objectives = _objective_keys([p for p in finished if p.lineage not in reviewed])
    for programme in finished:
        officer, approver = programme.created_by, programme.approved_by
        if (
            programme.lineage in reviewed
            or approver is None
            or not can_record_for(officer, programme.partner)
        ):
            continue
        # Demo data must be reproducible, not secret.
        rng = random.Random(f"{seed}:{programme.partner.code}:{programme.start_year}:reviews")  # noqa: S311
        records = []
        for year in range(1, PROGRAMME_YEARS + 1):
            progress = {}
            for key in objectives[programme.pk]:
                value = rng.choices(list(NARRATIVES), weights=FINISHED_PROGRESS_WEIGHTS)[0]
                progress[key] = (value, NARRATIVES[value])
            records.append(actions.ReviewRecord(year, OVERALL.format(year=year), progress))
        reviews = actions.record_reviews(actor=officer, programme=programme, records=records)
        by_approver.setdefault(approver, []).extend(reviews)
        for review in reviews:
            written = datetime.date(
                calendar_year(programme, review.year) + 1, 1, 12
            ) + datetime.timedelta(days=rng.randint(0, 20))
            dates[review.pk] = (written, written + datetime.timedelta(days=rng.randint(7, 35)))
    for approver, reviews in by_approver.items():
        actions.acknowledge_reviews(actor=approver, reviews=reviews)
    _redate_reviews(marks, dates, clock)
    return len(dates)


def _objective_keys(programmes: list[Programme]) -> dict[int, list]:
    """The keys of each programme's objectives, in their order (one query)."""
    keys: dict[int, list] = {programme.pk: [] for programme in programmes}
    rows = Objective.objects.filter(programme__in=programmes).order_by("programme", "order", "pk")
    for programme_id, key in rows.values_list("programme_id", "key"):
        keys[programme_id].append(key)
    return keys


def _review_marks() -> dict:
    return {model: _last_history_id(model) for model in (AnnualReview, ObjectiveProgress)}


def _redate_reviews(marks: dict, dates: dict, clock: DemoClock) -> None:
    """Each review of ``dates`` (pk: the day written, the day acknowledged or None) started,
    written and submitted on the day written, a minute apart, and acknowledged on its day: its
    stamps and the history rows written since ``marks`` (its own, one per step, and its
    ratings', written with it)."""
    if not dates:
        return
    starts = {pk: _moment(written, clock, hour=9) for pk, (written, _ack) in dates.items()}
    acknowledged = {
        pk: _moment(day, clock, hour=11) for pk, (_written, day) in dates.items() if day
    }
    reviews = AnnualReview.objects.in_bulk(list(dates))
    for pk, review in reviews.items():
        review.created_at = starts[pk]
        review.submitted_at = starts[pk] + datetime.timedelta(minutes=2)  # start, save, submit
        review.acknowledged_at = acknowledged.get(pk, review.acknowledged_at)
    AnnualReview.objects.bulk_update(
        reviews.values(), ["created_at", "submitted_at", "acknowledged_at"], batch_size=500
    )
    history = AnnualReview.history.filter(history_id__gt=marks[AnnualReview], id__in=list(dates))
    steps: dict[int, int] = {}
    rows = list(history.order_by("history_id"))
    for row in rows:
        step = steps[row.id] = steps.get(row.id, -1) + 1
        row.history_date = starts[row.id] + datetime.timedelta(minutes=step)
        if row.history_change_reason == actions.Step.ACKNOWLEDGE_REVIEW:
            row.history_date = acknowledged[row.id]
    AnnualReview.history.model.objects.bulk_update(rows, ["history_date"], batch_size=500)
    ratings = list(
        ObjectiveProgress.history.filter(
            history_id__gt=marks[ObjectiveProgress], review_id__in=list(dates)
        )
    )
    for row in ratings:
        row.history_date = starts[row.review_id] + datetime.timedelta(minutes=1)
    ObjectiveProgress.history.model.objects.bulk_update(ratings, ["history_date"], batch_size=500)
