"""Delivery in figures: what a programme planned against what happened, for the reports.

The unit of "planned" is a planned activity of the version that delivers the lineage: the version
in force (agreed), else, for a programme closed early, its closed version. Its events
(``Event.planned_key``) give its outcome by the rule of ``programmes.delivery.queries``
(``outcome_of``, and ``outcome_expression`` for the database): delivered once one event is
delivered; not yet recorded while one is scheduled or none is recorded; else what its latest
event became (cancelled or postponed). Events the plan does not hold are counted apart: unplanned ones
(recorded against a goal) and those of planned activities a revision removed (no longer
planned). Participants and women are those of the delivered events, planned or not; the share of
women is taken over the events whose women were counted.

``lineage_delivery`` reads one programme's delivery for the per-partner report
(``programmes.reports.partner``) in four queries; ``year_delivery`` reads every visible
programme's delivery in one calendar year for the report across partners
(``programmes.reports.cross_partner``) in three, counted in the database (a row per area,
provider, partner and outcome, never one per event). Both start from what the user may see
(``programmes.delivery.permissions``). Nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from programmes.delivery.models import (
    AnnualReview,
    Event,
    EventStatus,
    ObjectiveProgress,
    ReviewStatus,
)
from programmes.delivery.permissions import visible_events, visible_reviews
from programmes.delivery.queries import outcome_expression, outcome_of
from programmes.menu.models import Activity, Area
from programmes.models import Objective, PlannedActivity, Programme, ProgrammeStatus
from programmes.permissions import visible_programmes

# The versions whose planned activities are "planned": the one in force, else a closed one.
DELIVERING_STATUSES = (ProgrammeStatus.AGREED, ProgrammeStatus.CLOSED)


class Outcome(models.TextChoices):
    # In their own context: an event's statuses (programmes.delivery.models) have the same words.
    DELIVERED = "delivered", pgettext_lazy("outcome", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("outcome", "Cancelled")
    POSTPONED = "postponed", pgettext_lazy("outcome", "Postponed")
    NOT_RECORDED = "not_recorded", gettext_lazy("Not yet recorded")


# The outcomes in the order of the tables' columns and the charts' segments, with their colours
# (each at least 4.5:1 against white, as the chart of planned activities).
OUTCOME_COLOURS = {
    Outcome.DELIVERED: "#00695c",
    Outcome.CANCELLED: "#c2185b",
    Outcome.POSTPONED: "#b35900",
    Outcome.NOT_RECORDED: "#5c636a",
}


class PlanState(models.TextChoices):
    """Where an event stands against the plan in force."""

    PLANNED = "planned", pgettext_lazy("outcome", "Planned")
    UNPLANNED = "unplanned", pgettext_lazy("outcome", "Unplanned")
    NO_LONGER_PLANNED = "no_longer_planned", gettext_lazy("No longer planned")


def outcome_from(statuses: list[str]) -> Outcome:
    """A planned activity's outcome from its events' statuses, oldest event first: the rule of
    ``programmes.delivery.queries.outcome_of``, in the reports' words."""
    return Outcome(outcome_of(statuses) or Outcome.NOT_RECORDED)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Tally:
    """Planned activities by outcome, and the delivered events' participants."""

    planned: int = 0
    delivered: int = 0
    cancelled: int = 0
    postponed: int = 0
    not_recorded: int = 0
    outside_plan: int = 0  # delivered events the plan does not hold
    participants: int = 0  # of the delivered events
    women: int = 0
    counted_for_women: int = 0  # the participants of the delivered events whose women are known

    def count_planned(self, outcome: Outcome, times: int = 1) -> None:
        self.planned += times
        name = "not_recorded" if outcome == Outcome.NOT_RECORDED else str(outcome)
        setattr(self, name, getattr(self, name) + times)

    def count_event(self, status: str, participants, women, *, in_plan: bool) -> None:
        if status != EventStatus.DELIVERED:
            return
        if not in_plan:
            self.outside_plan += 1
        self.participants += participants or 0
        if women is not None and participants:
            self.women += women
            self.counted_for_women += participants

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
            }
        )

    @property
    def outcome_counts(self) -> list[int]:
        """In the order of ``Outcome``: what the charts draw."""
        return [self.delivered, self.cancelled, self.postponed, self.not_recorded]

    @property
    def rate(self) -> int | None:
        """Delivered planned activities, in percent of the planned ones."""
        return percent(self.delivered, self.planned)

    @property
    def share_of_women(self) -> int | None:
        return percent(self.women, self.counted_for_women)

    @property
    def cells(self) -> list:
        return [
            self.planned,
            *self.outcome_counts,
            self.rate,
            self.outside_plan,
            self.participants,
            self.women,
            self.share_of_women,
        ]


TALLY_COLUMNS = [
    pgettext_lazy("outcome", "Planned"),
    *Outcome.labels,
    gettext_lazy("Delivery rate (%)"),
    gettext_lazy("Delivered outside the plan"),
    gettext_lazy("Participants"),
    gettext_lazy("Women"),
    gettext_lazy("Share of women (%)"),
]


def total_of(tallies) -> Tally:
    return sum(tallies, Tally())


# --- One programme -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyRow:
    label: str
    tally: Tally
    year: int | None = None  # the programme year, in the rows by year


@dataclass
class LineageDelivery:
    """The delivery of one programme (every version of it), for the per-partner report."""

    delivering: Programme | None  # the version whose planned activities count; None: never agreed
    by_year: list[TallyRow] = field(default_factory=list)
    by_area: list[TallyRow] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    outcomes: dict = field(default_factory=dict)  # planned key: (Outcome, events recorded)
    events: list[Event] = field(default_factory=list)  # each with ``plan_state``, by date
    reviews: list[AnnualReview] = field(default_factory=list)  # each with ``progress``, by year

    @property
    def unplanned(self) -> list[Event]:
        return [event for event in self.events if event.plan_state == PlanState.UNPLANNED]

    @property
    def no_longer_planned(self) -> list[Event]:
        return [event for event in self.events if event.plan_state == PlanState.NO_LONGER_PLANNED]

    columns = TALLY_COLUMNS

    @property
    def cancelled_or_postponed(self) -> list[Event]:
        kept = (EventStatus.CANCELLED, EventStatus.POSTPONED)
        return [event for event in self.events if event.status in kept]

    @property
    def has_figures(self) -> bool:
        return bool(self.total.planned or self.events)


def lineage_delivery(user, programme: Programme) -> LineageDelivery:
    """The delivery of ``programme``'s lineage as ``user`` may see it. Four queries: the planned
    activities of the delivering version, the events, the reviews and their ratings."""
    lineage = programme.lineage
    planned = list(
        PlannedActivity.objects.filter(
            programme__lineage=lineage, programme__status__in=DELIVERING_STATUSES
        )
        .select_related("programme", "activity__area")
        .order_by("year", "activity__code", "pk")
    )
    if any(item.programme.status == ProgrammeStatus.AGREED for item in planned):
        planned = [item for item in planned if item.programme.status == ProgrammeStatus.AGREED]
    events = list(
        visible_events(user)
        .filter(lineage=lineage)
        .select_related("activity__area", "provider")
        .order_by("start_date", "activity__code", "pk")
    )
    reviews = _reviews(user, lineage)
    delivering = planned[0].programme if planned else None

    statuses = defaultdict(list)
    planned_keys = {item.key for item in planned}
    for event in events:
        if event.planned_key is None:
            event.plan_state = PlanState.UNPLANNED
        elif event.planned_key in planned_keys:
            event.plan_state = PlanState.PLANNED
            statuses[event.planned_key].append(event.status)
        else:
            event.plan_state = PlanState.NO_LONGER_PLANNED

    by_year = defaultdict(Tally)
    by_area = defaultdict(Tally)
    areas = {}
    outcomes = {}
    for item in planned:
        outcome = outcome_from(statuses[item.key])
        outcomes[item.key] = (outcome, len(statuses[item.key]))
        area = item.activity.area
        areas[area.pk] = area
        by_year[item.year].count_planned(outcome)
        by_area[area.pk].count_planned(outcome)
    for event in events:
        in_plan = event.plan_state == PlanState.PLANNED
        area = event.activity.area
        areas[area.pk] = area
        by_year[event.year].count_event(
            event.status, event.participants, event.women, in_plan=in_plan
        )
        by_area[area.pk].count_event(event.status, event.participants, event.women, in_plan=in_plan)

    start_year = programme.start_year
    year_rows = [
        TallyRow(
            _("%(calendar_year)s (year %(year)s)")
            % {"calendar_year": start_year + year - 1, "year": year},
            by_year[year],
            year,
        )
        for year in range(1, len(programme.years) + 1)
    ]
    area_rows = [
        TallyRow(area.name, by_area[area.pk])
        for area in sorted(areas.values(), key=lambda area: (area.order, area.name_en))
    ]
    return LineageDelivery(
        delivering=delivering,
        by_year=year_rows,
        by_area=area_rows,
        total=total_of(row.tally for row in year_rows),
        outcomes=outcomes,
        events=events,
        reviews=reviews,
    )


def _reviews(user, lineage) -> list[AnnualReview]:
    """The lineage's reviews, oldest year first, each with ``progress``: its ratings in the
    objectives' order, each with ``objective_title`` (from the newest version holding it)."""
    reviews_of_lineage = visible_reviews(user).filter(lineage=lineage)
    reviews = list(
        reviews_of_lineage.select_related("created_by", "submitted_by", "acknowledged_by").order_by(
            "year"
        )
    )
    objective = Objective.objects.filter(
        programme__lineage=lineage, key=OuterRef("objective_key")
    ).order_by("-programme__version")
    ratings = (
        ObjectiveProgress.objects.filter(review__in=reviews_of_lineage)
        .annotate(
            objective_title=Subquery(objective.values("title")[:1]),
            objective_order=Subquery(objective.values("order")[:1]),
        )
        .order_by("review", "objective_order", "pk")
    )
    progress = defaultdict(list)
    for rating in ratings:
        progress[rating.review_id].append(rating)
    for review in reviews:
        review.progress = progress[review.pk]
    return reviews


# --- The downloads' rows of one programme -----------------------------------------------------

BY_YEAR_COLUMNS = [gettext_lazy("Year"), *TALLY_COLUMNS]
BY_AREA_COLUMNS = [gettext_lazy("Area of cooperation"), *TALLY_COLUMNS]


def tally_rows(rows: list[TallyRow], total: Tally) -> list[list]:
    """The rows and a last row of totals."""
    return [*([row.label, *row.tally.cells] for row in rows), [_("Total"), *total.cells]]


EVENT_COLUMNS = [
    gettext_lazy("Programme year"),
    gettext_lazy("First day"),
    gettext_lazy("Last day"),
    gettext_lazy("Activity code"),
    gettext_lazy("Activity title"),
    gettext_lazy("Area of cooperation"),
    gettext_lazy("Provider"),
    gettext_lazy("Against the plan"),
    gettext_lazy("Status"),
    gettext_lazy("Reason for cancelling"),
    gettext_lazy("Postponed to programme year"),
    gettext_lazy("Place"),
    gettext_lazy("Participants"),
    gettext_lazy("Women"),
    gettext_lazy("Rating"),
    gettext_lazy("Evaluation"),
    gettext_lazy("External reference"),
]


def place_of(event: Event) -> str:
    if event.online and event.place:
        return _("%(place)s and online") % {"place": event.place}
    return event.place or _("Online")


def event_rows(events: list[Event]) -> list[list]:
    return [
        [
            event.year,
            event.start_date,
            event.end_date,
            event.activity.code,
            event.activity.title,
            event.activity.area.name,
            event.provider.name if event.provider else "",
            str(PlanState(event.plan_state).label),
            event.get_status_display(),
            event.cancellation_reason,
            event.postponed_to,
            place_of(event),
            event.participants,
            event.women,
            event.rating,
            event.evaluation,
            event.external_ref,
        ]
        for event in events
    ]


REVIEW_COLUMNS = [
    gettext_lazy("Programme year"),
    gettext_lazy("Status"),
    gettext_lazy("Overall assessment"),
    gettext_lazy("Submitted by"),
    gettext_lazy("Submitted on"),
    gettext_lazy("Acknowledged by"),
    gettext_lazy("Acknowledged on"),
    gettext_lazy("Objective"),
    gettext_lazy("Progress"),
    gettext_lazy("Narrative"),
]


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def review_rows(reviews: list[AnnualReview]) -> list[list]:
    """One row per objective rated (a review without ratings gets one row)."""
    rows = []
    for review in reviews:
        head = [
            review.year,
            review.get_status_display(),
            review.overall,
            str(review.submitted_by or ""),
            _day(review.submitted_at),
            str(review.acknowledged_by or "") if review.status == ReviewStatus.ACKNOWLEDGED else "",
            _day(review.acknowledged_at),
        ]
        if not review.progress:
            rows.append([*head, None, None, None])
        for rating in review.progress:
            rows.append(
                [*head, rating.objective_title, rating.get_progress_display(), rating.narrative]
            )
    return rows


# --- Every programme, one calendar year ---------------------------------------------------------


@dataclass
class YearDelivery:
    """Every visible programme's delivery in one calendar year, by area, provider and partner;
    each key is ``(pk, label)`` (providers and partners) or an ``Area``."""

    year: int
    by_area: dict = field(default_factory=lambda: defaultdict(Tally))  # Area: Tally
    by_provider: dict = field(default_factory=lambda: defaultdict(Tally))  # (pk, name): Tally
    by_partner: dict = field(default_factory=lambda: defaultdict(Tally))  # (pk, name, code)

    @property
    def total(self) -> Tally:
        return total_of(self.by_area.values())


# A planned activity's outcome as ``outcome_expression`` gives it (None: not yet recorded).
OUTCOME_OF_VALUE = {None: Outcome.NOT_RECORDED, **{outcome.value: outcome for outcome in Outcome}}


def year_delivery(user, year: int) -> YearDelivery:
    """Three queries, each aggregated in the database (never a row per event): the planned
    activities of the visible programmes in force whose calendar year is ``year``, counted by
    area, provider, partner and outcome (``outcome_expression``, the rule of ``outcome_of``);
    the visible events that began that year, by area, provider and partner, their delivered
    ones' participants summed; and the areas. Here, each row is added to its area's, provider's
    and partner's tallies."""
    events = visible_events(user)
    planned = (
        PlannedActivity.objects.filter(
            programme__in=visible_programmes(user).filter(status=ProgrammeStatus.AGREED),
            programme__start_year__lte=year,
            programme__end_year__gte=year,
        )
        .annotate(
            calendar_year=F("programme__start_year") + F("year") - 1,
            outcome=outcome_expression(events),
        )
        .filter(calendar_year=year)
        .order_by()
        # Grouped by the outcome, its subqueries run once per planned activity (a count per
        # outcome, ``Count(filter=...)``, ran all of them again for each count).
        .values_list(*PLANNED_GROUP, "outcome")
        .annotate(count=Count("pk"))
    )
    # A planned key belongs to one lineage; found through the index of planned activities' keys.
    in_plan = PlannedActivity.objects.filter(
        key=OuterRef("planned_key"),
        programme__lineage=OuterRef("lineage"),
        programme__status=ProgrammeStatus.AGREED,
    ).values("pk")[:1]
    delivered = Q(status=EventStatus.DELIVERED)
    women_counted = delivered & Q(women__isnull=False, participants__gt=0)
    held = (
        events.filter(start_date__gte=datetime.date(year, 1, 1))
        .filter(start_date__lte=datetime.date(year, 12, 31))
        # The area and the planned activity of each event of the year, each looked up by its
        # index: a join or an ``Exists`` lets PostgreSQL read and hash the whole menu and every
        # programme's plan, which grow with the data, for the few hundred events of a year.
        .annotate(
            area=Subquery(Activity.objects.filter(pk=OuterRef("activity")).values("area")),
            planned_activity=Subquery(in_plan),
        )
        .order_by()
        .values_list(*EVENT_GROUP)
        .annotate(
            outside_plan=Count("pk", filter=delivered & Q(planned_activity__isnull=True)),
            # Not named after the fields they sum (an aggregate cannot shadow its own field).
            delivered_participants=Sum("participants", filter=delivered, default=0),
            delivered_women=Sum("women", filter=women_counted, default=0),
            counted_for_women=Sum("participants", filter=women_counted, default=0),
        )
    )
    areas = {area.pk: area for area in Area.objects.all()}

    result = YearDelivery(year=year)
    # The partner's name as the reader sees it (``Partner.display_name``'s rule).
    french = (get_language() or "").startswith("fr")
    no_provider = _("No provider")

    def tallies(area, provider, provider_name, partner, name, name_fr, code) -> tuple:
        """The area's, provider's and partner's tallies of a row grouped by ``*_GROUP``."""
        return (
            result.by_area[areas[area]],
            result.by_provider[provider, provider_name or no_provider],
            result.by_partner[partner, name_fr if french and name_fr else name, code],
        )

    for *group, outcome, count in planned:
        for tally in tallies(*group):
            tally.count_planned(OUTCOME_OF_VALUE[outcome], count)
    for *group, outside_plan, participants, women, counted_for_women in held:
        for tally in tallies(*group):
            tally.outside_plan += outside_plan
            tally.participants += participants
            tally.women += women
            tally.counted_for_women += counted_for_women
    return result


# What the rows of ``year_delivery`` are grouped by: area, provider (pk, name), partner (pk,
# name, code); for a planned activity, its activity's provider; for an event, its own.
PLANNED_GROUP = (
    "activity__area",
    "activity__provider",
    "activity__provider__name",
    "programme__partner",
    "programme__partner__name",
    "programme__partner__name_fr",
    "programme__partner__code",
)
EVENT_GROUP = (
    "area",
    "provider",
    "provider__name",
    "partner",
    "partner__name",
    "partner__name_fr",
    "partner__code",
)
