"""Reads that feed delivery's pages, the delivery section of the programme page and the
dashboard, each in a fixed number of queries whatever the number of events, reviews or
programmes.

What a version "plans" is the planned activities of the version shown: an event whose planned
key is not among them is *no longer planned* (a revision removed the activity), one without a
planned key is *unplanned*. The figures of a year count the version's planned activities by what
became of them (``YearFigures``), and the events outside that plan apart.

Views (``programmes.delivery.views``, ``programmes.views.drafting``, ``programmes.views.home``)
import this module; it never writes. Every function starts from what the user may see
(``programmes.delivery.permissions``) or from a programme already fetched that way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import Exact
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import shown_name
from partners.permissions import assigned_partner_ids
from pfp.permissions import is_approver
from programmes.delivery import actions
from programmes.delivery.models import AnnualReview, Event, EventStatus, ReviewStatus
from programmes.delivery.permissions import can_record_for, visible_events, visible_reviews
from programmes.models import (
    AGREED_STATUSES,
    PROGRAMME_YEARS,
    Goal,
    Objective,
    PlannedActivity,
    Programme,
    ProgrammeStatus,
)
from programmes.permissions import visible_programmes

# How an event stands to the version shown.
PLANNED = "planned"
UNPLANNED = "unplanned"
NO_LONGER_PLANNED = "no_longer_planned"
# The reports' words for the same (``programmes.reports.delivery.PlanState``).
PLAN_LABELS = {
    PLANNED: pgettext_lazy("outcome", "Planned"),
    UNPLANNED: pgettext_lazy("outcome", "Unplanned"),
    NO_LONGER_PLANNED: _("No longer planned"),
}

# Reviews that count as done for "reviews due": written and sent, or accepted.
DONE_REVIEW_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.ACKNOWLEDGED)

# The dashboard's look-ahead for events.
UPCOMING_DAYS = 30


# --- One version and its lineage -------------------------------------------------------------


def programme_for_delivery(user, pk) -> Programme:
    """One visible programme version with what its delivery page shows: its objectives and
    goals (the goals unplanned events serve) and its planned activities (404 when not
    visible)."""
    programmes = (
        visible_programmes(user)
        .select_related("partner")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("goals", queryset=Goal.objects.order_by("order", "pk"))
                ),
            ),
            Prefetch(
                "planned_activities",
                queryset=PlannedActivity.objects.select_related("activity", "goal").order_by(
                    "year", "activity__code"
                ),
            ),
        )
    )
    return get_object_or_404(programmes, pk=pk)


def lineage_version(user, lineage) -> Programme | None:
    """The version of ``lineage`` that delivery is shown against: the one in force (agreed),
    else the latest the partner agreed to (superseded or closed); None when the partner never
    agreed to one (or the user may not see it). One query."""
    versions = list(
        visible_programmes(user)
        .filter(lineage=lineage, status__in=sorted(AGREED_STATUSES))
        .select_related("partner")
        .order_by("-version")
    )
    in_force = [version for version in versions if version.status == ProgrammeStatus.AGREED]
    return (in_force or versions or [None])[0]


# --- Events by year, and the year's figures --------------------------------------------------


@dataclass
class YearFigures:
    """One programme year of a version: what became of its planned activities, and the events
    outside its plan.

    Each activity planned in the year counts once, by what its events (of any year: a postponed
    one is delivered later) say (``outcome_of``), so that ``planned`` is the sum of delivered,
    cancelled, postponed and not yet recorded.
    ``outside_plan`` counts the year's delivered events that deliver none of the version's
    planned activities (unplanned, or no longer planned); ``participants`` and ``women`` add up
    the year's delivered events, all of them.
    """

    year: int  # 1 to 4
    calendar_year: int
    planned: int = 0
    delivered: int = 0
    cancelled: int = 0
    postponed: int = 0
    not_recorded: int = 0
    outside_plan: int = 0
    participants: int = 0
    women: int = 0


@dataclass
class DeliveryYear:
    """A programme year of a lineage: its figures, its events (each with ``plan``, one of
    ``PLANNED``, ``UNPLANNED``, ``NO_LONGER_PLANNED``, ``planned``: the version's planned activity
    or None, and ``goal``: the version's goal it serves or None) and its annual review."""

    figures: YearFigures
    events: list[Event] = field(default_factory=list)
    review: AnnualReview | None = None
    may_write_review: bool = False

    @property
    def year(self) -> int:
        return self.figures.year

    @property
    def calendar_year(self) -> int:
        return self.figures.calendar_year


def outcome_of(statuses: list[str]) -> str | None:
    """What became of a planned activity, from its events' statuses, oldest event first:
    delivered once one event is; not yet recorded (None) while one is scheduled or none is
    recorded; else what its latest event became (cancelled or postponed)."""
    if EventStatus.DELIVERED in statuses:
        return EventStatus.DELIVERED
    if not statuses or EventStatus.SCHEDULED in statuses:
        return None
    return EventStatus.CANCELLED if statuses[-1] == EventStatus.CANCELLED else EventStatus.POSTPONED


def outcome_expression(events: QuerySet[Event]) -> Case:
    """``outcome_of`` as a database expression, for a queryset of planned activities
    (``PlannedActivity``): the same rule over ``events`` (those the user may see) whose planned
    key is the row's, the same values (None: not yet recorded). What the reports aggregate with
    (``programmes.reports.delivery.year_delivery``); tests hold the two to the same answers."""
    of_planned = events.filter(planned_key=OuterRef("key")).order_by()
    latest = of_planned.order_by("-start_date", "-pk").values("status")[:1]
    return Case(
        When(
            Exists(of_planned.filter(status=EventStatus.DELIVERED)),
            then=Value(EventStatus.DELIVERED.value),
        ),
        When(
            ~Exists(of_planned) | Exists(of_planned.filter(status=EventStatus.SCHEDULED)),
            then=Value(None),
        ),
        When(
            Exact(Subquery(latest), EventStatus.CANCELLED.value),
            then=Value(EventStatus.CANCELLED.value),
        ),
        default=Value(EventStatus.POSTPONED.value),
        output_field=CharField(),
    )


def _goals_by_key(programme: Programme) -> dict:
    """The version's goals by key, numbered ``number`` ("1.2"); from prefetched rows."""
    goals = {}
    for o, objective in enumerate(programme.objectives.all(), start=1):
        for g, goal in enumerate(objective.goals.all(), start=1):
            goal.number = f"{o}.{g}"
            goals[goal.key] = goal
    return goals


def lineage_years(programme: Programme, events: list[Event] | None = None) -> list[DeliveryYear]:
    """The four years of ``programme``'s lineage, each with its figures against this version,
    its events (in order) and its review. ``programme`` comes from ``programme_for_delivery`` or
    ``programmes.queries.programme_for_page`` (its objectives, goals and planned activities
    prefetched); two queries: the events, the reviews."""
    if events is None:
        events = list(Event.objects.of_lineage(programme.lineage).for_lists())
    planned = list(programme.planned_activities.all())
    planned_by_key = {item.key: item for item in planned}
    goals = _goals_by_key(programme)
    years = [
        DeliveryYear(YearFigures(year=number, calendar_year=calendar_year))
        for number, calendar_year in enumerate(programme.years, start=1)
    ]
    statuses_by_key = defaultdict(list)
    for event in events:
        event.planned = planned_by_key.get(event.planned_key)
        if event.planned_key is None:
            event.plan = UNPLANNED
        else:
            event.plan = PLANNED if event.planned else NO_LONGER_PLANNED
            statuses_by_key[event.planned_key].append(event.status)
        event.plan_label = PLAN_LABELS[event.plan]
        event.goal = goals.get(event.goal_key)
        year = years[event.year - 1]
        year.events.append(event)
        if event.status == EventStatus.DELIVERED:
            year.figures.participants += event.participants or 0
            year.figures.women += event.women or 0
            if event.plan != PLANNED:
                year.figures.outside_plan += 1
    for item in planned:
        figures = years[item.year - 1].figures
        figures.planned += 1
        outcome = outcome_of(statuses_by_key.get(item.key, []))
        if outcome == EventStatus.DELIVERED:
            figures.delivered += 1
        elif outcome == EventStatus.CANCELLED:
            figures.cancelled += 1
        elif outcome == EventStatus.POSTPONED:
            figures.postponed += 1
        else:
            figures.not_recorded += 1
    for review in AnnualReview.objects.filter(lineage=programme.lineage):
        if 1 <= review.year <= PROGRAMME_YEARS:
            years[review.year - 1].review = review
    return years


@dataclass
class DeliverySection:
    """What the programme page shows of delivery: the years, and what the user may do."""

    years: list[DeliveryYear]
    in_force: bool  # the version takes new records
    may_record: bool  # the user may record events (and write reviews) for it now

    @property
    def has_events(self) -> bool:
        return any(year.events for year in self.years)


def delivery_section(
    user, programme: Programme, today: datetime.date | None = None
) -> DeliverySection | None:
    """The delivery section of a version the partner agreed to (in force, superseded or
    closed: read-only but for the version in force), or None for any other version. Two
    queries (``lineage_years``); the permission rule reads what the page already cached."""
    if programme.status not in AGREED_STATUSES:
        return None
    today = today or timezone.localdate()
    in_force = programme.status == ProgrammeStatus.AGREED
    may_record = in_force and bool(can_record_for(user, programme.partner))
    years = lineage_years(programme)
    if may_record:
        for year in years:
            year.may_write_review = actions.review_can_start(programme, year.year, today) and (
                year.review is None or year.review.is_editable
            )
    return DeliverySection(years=years, in_force=in_force, may_record=may_record)


def year_figures(programme: Programme, year: int) -> YearFigures:
    """The figures of one year of ``programme`` (see ``YearFigures``), for the review page."""
    return lineage_years(programme)[year - 1].figures


# --- Reviews due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    """A programme year that is over without a submitted or acknowledged review."""

    programme: Programme
    year: int
    review: AnnualReview | None  # a draft, or a returned review, when one was started

    @property
    def calendar_year(self) -> int:
        return actions.calendar_year(self.programme, self.year)


def reviews_due(programmes: QuerySet[Programme], today: datetime.date) -> list[ReviewDue]:
    """For the programmes in force (agreed) among ``programmes``: each programme year whose
    calendar year is over (a review is due from 1 January after it) and that has no submitted
    or acknowledged review, the longest overdue first. Two queries."""
    in_force = programmes.filter(status=ProgrammeStatus.AGREED, start_year__lt=today.year)
    reviews = {
        (review.lineage, review.year): review
        for review in AnnualReview.objects.filter(lineage__in=in_force.values("lineage"))
    }
    due = []
    for programme in in_force.select_related("partner").order_by(shown_name("partner__"), "pk"):
        for year in range(1, PROGRAMME_YEARS + 1):
            if actions.calendar_year(programme, year) >= today.year:
                break
            review = reviews.get((programme.lineage, year))
            if review is None or review.status not in DONE_REVIEW_STATUSES:
                due.append(ReviewDue(programme, year, review))
    due.sort(key=lambda item: (item.calendar_year, item.programme.partner.name))
    return due


# --- The dashboard -------------------------------------------------------------------------


def _my_partners_events(user) -> QuerySet[Event]:
    return visible_events(user).filter(partner_id__in=assigned_partner_ids(user)).for_lists()


def upcoming_events(user, today: datetime.date) -> QuerySet[Event]:
    """Scheduled events of the user's partners under way or starting within the next 30 days,
    the soonest first."""
    return _my_partners_events(user).filter(
        status=EventStatus.SCHEDULED,
        end_date__gte=today,
        start_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
    )


def events_without_outcome(user, today: datetime.date) -> QuerySet[Event]:
    """Events of the user's partners whose last day is past and whose outcome nobody recorded,
    the oldest first."""
    return _my_partners_events(user).without_outcome(today).order_by("end_date", "pk")


def reviews_due_for(user, today: datetime.date) -> list[ReviewDue]:
    """``reviews_due`` for the programmes of the user's partners."""
    mine = visible_programmes(user).filter(partner_id__in=assigned_partner_ids(user))
    return reviews_due(mine, today)


def reviews_awaiting_acknowledgement_by(user) -> QuerySet[AnnualReview]:
    """Submitted reviews the user may acknowledge: an approver's, and not written or submitted
    by them (the same four-eyes rule as ``can_acknowledge``, as a query), the oldest first."""
    if not is_approver(user):
        return AnnualReview.objects.none()
    written = AnnualReview.writers.through.objects.filter(user=user).values("annualreview")
    return (
        visible_reviews(user)
        .filter(status=ReviewStatus.SUBMITTED)
        .exclude(created_by=user)
        .exclude(submitted_by=user)
        .exclude(pk__in=written)
        .select_related("partner", "submitted_by")
        .order_by("submitted_at", "pk")
    )
