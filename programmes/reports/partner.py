"""The per-partner report: everything it shows, read in a fixed number of queries.

``partner_report(user, code, version_pk)`` gathers the partner's profile and status timeline, the
chosen version of its programme (by default the one in force, else the newest), its objectives,
goals and planned activities, the matrix of planned activities by year and area (and the same as a
bar chart drawn on the server), the version history, what the latest revision changed and the
partner's other programmes. The functions after it turn a report into the rows of the CSV and
Excel downloads.

Costs eight queries (three more when the chosen version revises another: the comparison's),
whatever the number of versions and activities. The report pages and downloads
(``programmes.reports.views.partner``) import this module; nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partners.models import Partner, PartnerStatus, StatusEvent
from partners.permissions import visible_partners
from programmes.comparison import Comparison, compare_versions
from programmes.menu.models import Area
from programmes.models import (
    Document,
    Goal,
    Objective,
    PlannedActivity,
    Programme,
    ProgrammeStatus,
)
from programmes.permissions import visible_documents, visible_programmes
from programmes.queries import REASON_LABELS
from programmes.reports import delivery as delivery_figures
from programmes.reports.delivery import OUTCOME_COLOURS, LineageDelivery, Outcome, lineage_delivery
from programmes.workflow import PARTNER_EVENT_REASON, Action

# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSection:
    number: str  # "1.2": the objective's number and the goal's
    goal: Goal
    planned: list[PlannedActivity]  # by year, then activity code


@dataclass(frozen=True)
class ObjectiveSection:
    number: int
    objective: Objective
    goals: list[GoalSection]

    @property
    def planned_count(self) -> int:
        return sum(len(section.planned) for section in self.goals)


@dataclass(frozen=True)
class MatrixRow:
    area: Area
    counts: list[int]  # one per programme year
    total: int


@dataclass(frozen=True)
class Matrix:
    """Planned activities by area of cooperation (rows) and programme year (columns)."""

    years: list[int]  # calendar years
    rows: list[MatrixRow]
    totals: list[int]  # one per year
    total: int


@dataclass(frozen=True)
class Step:
    """A step in the life of one version: created, submitted, returned, approved..."""

    version: int
    when: datetime.datetime
    who: object  # a user, or None for the system
    what: str
    detail: str = ""


@dataclass
class PartnerReport:
    partner: Partner  # with its status events and officers
    versions: list[Programme]  # every visible version of its programmes, newest first
    programme: Programme | None  # the version reported on
    is_default: bool  # whether it is the version chosen when none is asked for
    generated_by: object
    generated_at: datetime.datetime
    objectives: list[ObjectiveSection] = field(default_factory=list)
    planned: list[PlannedActivity] = field(default_factory=list)  # in the objectives' order
    matrix: Matrix | None = None
    chart: Chart | None = None
    history: list[Step] = field(default_factory=list)  # the programme's versions, oldest first
    comparison: Comparison | None = None  # from the version it revises to this one
    delivery: LineageDelivery | None = None  # what the programme (every version) delivered
    delivery_chart: Chart | None = None
    # The documents of the version the user may read (the shared ones for a representative).
    documents: list[Document] = field(default_factory=list)

    @property
    def status_today(self) -> str:
        return str(
            PartnerStatus(self.partner.status_on(timezone.localdate(self.generated_at))).label
        )

    @property
    def status_events(self) -> list[StatusEvent]:
        return self.partner.timeline()

    @property
    def lineage(self) -> list[Programme]:
        """The versions of the programme reported on, oldest first."""
        if self.programme is None:
            return []
        same = [v for v in self.versions if v.lineage == self.programme.lineage]
        return sorted(same, key=lambda version: version.version)

    @property
    def previous(self) -> Programme | None:
        """The version the one reported on revises (when visible)."""
        if self.programme is None or self.programme.revises_id is None:
            return None
        return next((v for v in self.versions if v.pk == self.programme.revises_id), None)

    @property
    def revised_by(self) -> list[Programme]:
        if self.programme is None:
            return []
        return [v for v in self.lineage if v.revises_id == self.programme.pk]

    @property
    def earlier_programmes(self) -> list[Programme]:
        """Versions of the partner's other programmes that began before this one, newest first."""
        return [v for v in self._others() if v.start_year < self.programme.start_year]

    @property
    def later_programmes(self) -> list[Programme]:
        return [v for v in self._others() if v.start_year >= self.programme.start_year]

    def _others(self) -> list[Programme]:
        if self.programme is None:
            return []
        return [v for v in self.versions if v.lineage != self.programme.lineage]

    def filename(self, extension: str) -> str:
        """``ITPP-MD-2027-2030-v1.pdf``: partner, programme years and version."""
        if self.programme is None:
            return f"ITPP-{self.partner.code}-profile.{extension}"
        programme = self.programme
        return (
            f"ITPP-{self.partner.code}-{programme.start_year}-{programme.end_year}"
            f"-v{programme.version}.{extension}"
        )


def default_version(versions: list[Programme], today: datetime.date) -> Programme | None:
    """The version in force today; else the newest, a withdrawn one only when nothing else is."""
    in_force = [version for version in versions if version.is_in_force(today)]
    if in_force:
        return in_force[0]
    if not versions:
        return None
    return max(
        versions,
        key=lambda v: (v.status != ProgrammeStatus.WITHDRAWN, v.start_year, v.version, v.pk),
    )


def partner_report(user, partner_code: str, version_pk: int | None = None) -> PartnerReport:
    """The report on a visible partner (404 otherwise) for its version ``version_pk`` (404 when
    that is not one of the partner's visible versions), or for the default version."""
    partner = get_object_or_404(
        visible_partners(user).prefetch_related(
            Prefetch("status_events", queryset=StatusEvent.objects.order_by("on")),
            "officers",
        ),
        code=partner_code.upper(),
    )
    planned_count = Subquery(
        PlannedActivity.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=IntegerField(),
    )
    versions = list(
        visible_programmes(user)
        .filter(partner=partner)
        .select_related(
            "created_by",
            "submitted_by",
            "approved_by",
            "agreement_recorded_by",
            "partner_accepted_by",
        )
        .annotate(planned_count=Coalesce(planned_count, 0))
        .order_by("-start_year", "-version", "-pk")
    )
    for version in versions:
        version.partner = partner  # already loaded: no query per version for its partner
    now = timezone.now()
    default = default_version(versions, timezone.localdate(now))
    programme = default
    if version_pk is not None:
        programme = next((v for v in versions if v.pk == version_pk), None)
        if programme is None:
            raise Http404(_("This partner has no such programme version."))
    report = PartnerReport(
        partner=partner,
        versions=versions,
        programme=programme,
        is_default=programme == default,
        generated_by=user,
        generated_at=now,
    )
    if programme is not None:
        _read_contents(report)
        report.history = _history(report.lineage)
        report.documents = list(
            visible_documents(user)
            .filter(programme=programme)
            .select_related("added_by", "superseded_by")
            .order_by("added_at", "pk")
        )
        if report.previous is not None:
            report.comparison = compare_versions(report.previous, programme)
        report.delivery = lineage_delivery(user, programme)
        report.delivery_chart = outcome_chart(
            [(row.label, row.tally.outcome_counts) for row in report.delivery.by_year],
            slug="delivery-chart",
            title=_("Planned activities by year and outcome"),
            description=_(
                "Horizontal bars, one per programme year, each divided into the planned "
                "activities delivered, cancelled, postponed and not yet recorded, with the "
                "number in each part and the number planned at the end. The table after the "
                "chart gives the same figures."
            ),
        )
    return report


def _read_contents(report: PartnerReport) -> None:
    """Objectives, goals and planned activities of the version, in three queries."""
    programme = report.programme
    objectives = list(Objective.objects.filter(programme=programme).order_by("order", "pk"))
    goals = list(Goal.objects.filter(objective__programme=programme).order_by("order", "pk"))
    planned = list(
        PlannedActivity.objects.filter(programme=programme)
        .select_related("activity__area", "activity__provider")
        .order_by("year", "activity__code", "pk")
    )
    goals_of = defaultdict(list)
    for goal in goals:
        goals_of[goal.objective_id].append(goal)
    planned_for = defaultdict(list)
    goal_by_pk = {goal.pk: goal for goal in goals}
    for item in planned:
        item.programme = programme  # calendar_year reads it
        item.goal = goal_by_pk[item.goal_id]
        planned_for[item.goal_id].append(item)
    for objective in objectives:
        for goal in goals_of[objective.pk]:
            goal.objective = objective
    report.objectives = [
        ObjectiveSection(
            number=number,
            objective=objective,
            goals=[
                GoalSection(f"{number}.{goal_number}", goal, planned_for[goal.pk])
                for goal_number, goal in enumerate(goals_of[objective.pk], start=1)
            ],
        )
        for number, objective in enumerate(objectives, start=1)
    ]
    report.planned = [
        item for section in report.objectives for goal in section.goals for item in goal.planned
    ]
    report.matrix = activity_matrix(programme, planned)
    report.chart = bar_chart(report.matrix)


def activity_matrix(programme: Programme, planned: list[PlannedActivity]) -> Matrix:
    """Counts by area (the areas with at least one activity, in the menu's order) and year."""
    counts = Counter((item.activity.area_id, item.year) for item in planned)
    areas = {item.activity.area_id: item.activity.area for item in planned}
    numbers = range(1, len(programme.years) + 1)
    rows = []
    for area in sorted(areas.values(), key=lambda area: (area.order, area.name_en)):
        row = [counts[area.pk, year] for year in numbers]
        rows.append(MatrixRow(area=area, counts=row, total=sum(row)))
    totals = [sum(row.counts[index] for row in rows) for index in range(len(numbers))]
    return Matrix(years=programme.years, rows=rows, totals=totals, total=sum(totals))


def _history(lineage: list[Programme]) -> list[Step]:
    """Each version's creation and each change of its status, oldest first (one query)."""
    numbers = {version.pk: version.version for version in lineage}
    rows = (
        Programme.history.filter(id__in=numbers)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    steps = []
    status_before = {}
    for row in rows:
        created = row.history_type == "+"
        if not created and status_before.get(row.id) == row.status:
            continue  # an edit of the overview: not a step
        status_before[row.id] = row.status
        reason = row.history_change_reason or ""
        detail = ""
        if created and row.revises_id in numbers:
            what = _("Version %(version)s started, revising version %(previous)s") % {
                "version": row.version,
                "previous": numbers[row.revises_id],
            }
        elif created:
            what = _("Version %(version)s created") % {"version": row.version}
        elif reason in REASON_LABELS:
            what = str(REASON_LABELS[reason])
        else:
            what = _("Status changed to “%(status)s”") % {
                "status": ProgrammeStatus(row.status).label
            }
        if reason == Action.RECORD_AGREEMENT:
            detail = _("Signed by %(signatory)s on %(date)s.") % {
                "signatory": row.partner_signatory,
                "date": date_format(row.agreed_on) if row.agreed_on else "",
            }
        elif reason in (Action.CLOSE, PARTNER_EVENT_REASON):
            detail = row.closed_reason
        steps.append(Step(row.version, row.history_date, row.history_user, what, detail))
    return steps


# --- The chart: horizontal bars, one per area, divided by year ---------------------------------

CHART_WIDTH = 720
BAR_SPACE = 640  # the longest bar's length; the rest of the width holds its total
ROW_HEIGHT = 42
BAR_HEIGHT = 18
LEGEND_HEIGHT = 34
AXIS_HEIGHT = 28
# One colour per programme year: each at least 4.5:1 against white (so white figures on it are
# readable, and the bars stand out from the page), told apart further by white gaps and figures.
YEAR_COLOURS = ["#002d62", "#b35900", "#00695c", "#c2185b"]
TICK_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
AREA_LABEL_LENGTH = 100


@dataclass(frozen=True)
class Series:
    """One kind of segment of the bars: what it counts, its colour in the bars and the legend."""

    key: object  # a calendar year, an outcome...
    label: str
    colour: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    count: int
    colour: str
    series: object  # the key of its ``Series``
    show_count: bool  # whether the figure fits inside

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Bar:
    label: str
    label_y: float
    y: float
    segments: list[Segment]
    total: int
    total_x: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 5


@dataclass(frozen=True)
class LegendItem:
    x: float
    colour: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 20


@dataclass(frozen=True)
class Tick:
    x: float
    value: int


@dataclass(frozen=True)
class Chart:
    slug: str  # the prefix of its elements' ids, unique on a page
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    legend: list[LegendItem]
    ticks: list[Tick]
    top: float  # where the bars begin
    axis_y: float
    bar_height: int = BAR_HEIGHT
    scale_width: int = BAR_SPACE
    # The view box starts left of zero so that the axis's first figure is not cut in half.
    view_x: int = -10

    @property
    def view_width(self) -> int:
        return self.width - self.view_x

    @property
    def grid_top(self) -> float:
        return self.top - 6

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 18


def _tick_step(largest: int) -> int:
    return next((step for step in TICK_STEPS if largest / step <= 6), TICK_STEPS[-1])


def stacked_bar_chart(
    bars: list[tuple[str, list[int]]],
    series: list[Series],
    *,
    slug: str,
    title: str,
    description: str,
) -> Chart | None:
    """The geometry of a chart of horizontal bars, one per ``(label, counts)``, each divided into
    ``series`` (one count each), with the total at the end; the template's ``chart`` partial
    (``partner_report_body.html``) draws it. None when there is nothing to draw."""
    largest = max((sum(counts) for _label, counts in bars), default=0)
    if not largest:
        return None
    step = _tick_step(largest)
    scale_end = -(-largest // step) * step  # rounded up to a whole step
    unit = BAR_SPACE / scale_end
    top = LEGEND_HEIGHT
    drawn = []
    for index, (label, counts) in enumerate(bars):
        row_top = top + index * ROW_HEIGHT
        x = 0.0
        segments = []
        for kind, count in zip(series, counts, strict=True):
            if not count:
                continue
            width = count * unit
            segments.append(
                Segment(
                    x=round(x, 2),
                    width=round(width, 2),
                    count=count,
                    colour=kind.colour,
                    series=kind.key,
                    show_count=width >= 8 * len(str(count)) + 6,
                )
            )
            x += width
        drawn.append(
            Bar(
                label=Truncator(label).chars(AREA_LABEL_LENGTH),
                label_y=row_top + 13,
                y=row_top + 18,
                segments=segments,
                total=sum(counts),
                total_x=round(x + 6, 2),
            )
        )
    axis_y = top + len(drawn) * ROW_HEIGHT
    legend = [
        LegendItem(x=index * 175, colour=kind.colour, label=kind.label)
        for index, kind in enumerate(series)
    ]
    ticks = [Tick(round(value * unit, 2), value) for value in range(0, scale_end + 1, step)]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        width=CHART_WIDTH,
        height=axis_y + AXIS_HEIGHT,
        bars=drawn,
        legend=legend,
        ticks=ticks,
        top=top,
        axis_y=axis_y,
    )


def bar_chart(matrix: Matrix) -> Chart | None:
    """The planned activities by area, each bar divided by year."""
    series = [
        Series(
            key=year,
            label=_("%(calendar_year)s (year %(year)s)")
            % {"calendar_year": year, "year": index + 1},
            colour=YEAR_COLOURS[index % len(YEAR_COLOURS)],
        )
        for index, year in enumerate(matrix.years)
    ]
    return stacked_bar_chart(
        [(row.area.name, row.counts) for row in matrix.rows],
        series,
        slug="chart",
        title=_("Planned activities by area of cooperation and year"),
        description=_(
            "Horizontal bars, one per area of cooperation, each divided into the programme's "
            "years, with the number of activities in each part and the total at the end. The "
            "table after the chart gives the same figures."
        ),
    )


def outcome_chart(
    bars: list[tuple[str, list[int]]], *, slug: str, title: str, description: str
) -> Chart | None:
    """Bars of planned activities divided by outcome (``Tally.outcome_counts``)."""
    series = [
        Series(key=outcome, label=str(outcome.label), colour=OUTCOME_COLOURS[outcome])
        for outcome in Outcome
    ]
    return stacked_bar_chart(bars, series, slug=slug, title=title, description=description)


# --- The downloads' rows ------------------------------------------------------------------------

PLANNED_COLUMNS = [
    gettext_lazy("Partner code"),
    gettext_lazy("Partner"),
    gettext_lazy("Programme"),
    gettext_lazy("Programme period"),
    gettext_lazy("Version"),
    gettext_lazy("Status"),
    gettext_lazy("Objective"),
    gettext_lazy("Goal"),
    gettext_lazy("Calendar year"),
    gettext_lazy("Programme year"),
    gettext_lazy("Activity code"),
    gettext_lazy("Activity title"),
    gettext_lazy("Area of cooperation"),
    gettext_lazy("Type"),
    gettext_lazy("Provider"),
    gettext_lazy("Delivery mode"),
    gettext_lazy("Length (days)"),
    gettext_lazy("Priority"),
    gettext_lazy("Notes"),
    pgettext_lazy("delivery of a programme", "Delivery"),
    gettext_lazy("Events recorded"),
]


def planned_rows(report: PartnerReport) -> list[list]:
    """One row per planned activity, in the report's order; numbers stay numbers."""
    programme = report.programme
    outcomes = report.delivery.outcomes if report.delivery else {}
    rows = []
    for item in report.planned:
        activity = item.activity
        outcome, recorded = outcomes.get(item.key, (None, None))
        rows.append(
            [
                report.partner.code,
                report.partner.name,
                programme.title,
                programme.period,
                programme.version,
                programme.get_status_display(),
                item.goal.objective.title,
                item.goal.title,
                item.calendar_year,
                item.year,
                activity.code,
                activity.title,
                activity.area.name,
                activity.get_type_display(),
                activity.provider.name,
                activity.get_delivery_mode_display(),
                activity.length_days,
                item.get_priority_display(),
                item.notes,
                str(outcome.label) if outcome else "",
                recorded,
            ]
        )
    return rows


SUMMARY_COLUMNS = [gettext_lazy("Item"), gettext_lazy("Value")]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive local date and time, as spreadsheets hold them."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _name(user) -> str:
    return str(user) if user is not None else ""


def summary_rows(report: PartnerReport) -> list[list]:
    partner = report.partner
    rows = [
        [_("Partner"), partner.name],
        [_("ISO code"), partner.code],
        [_("Framework"), partner.get_framework_display()],
        [_("Status today"), report.status_today],
        [
            _("Assigned programme officers"),
            ", ".join(str(officer) for officer in partner.officers.all()),
        ],
    ]
    programme = report.programme
    if programme is None:
        rows.append([_("Programme"), _("No programme has been recorded for this partner.")])
    else:
        rows += [
            [_("Programme"), programme.title],
            [_("First year"), programme.start_year],
            [_("Last year"), programme.end_year],
            [_("Version"), programme.version],
            [_("Status"), programme.get_status_display()],
            [_("Approved by"), _name(programme.approved_by)],
            [_("Approved on"), _local(programme.approved_at)],
            [_("Agreed by the partner on"), programme.agreed_on],
            [_("Partner's signatory"), programme.partner_signatory],
            [_("Accepted for the partner by"), _name(programme.partner_accepted_by)],
            [_("Accepted by the partner at"), _local(programme.partner_accepted_at)],
            [_("Acceptance on paper recorded by"), _name(programme.agreement_recorded_by)],
            [
                _("Documents"),
                "; ".join(
                    f"{document.title} ({document.get_kind_display()}, {document.original_name})"
                    for document in report.documents
                ),
            ],
            [_("Strategic objectives"), len(report.objectives)],
            [_("Partnership goals"), sum(len(section.goals) for section in report.objectives)],
            [_("Planned activities"), len(report.planned)],
        ]
    rows += [
        [_("Generated on"), _local(report.generated_at)],
        [_("Generated by"), _name(report.generated_by)],
    ]
    return rows


OBJECTIVE_COLUMNS = [
    gettext_lazy("Number"),
    gettext_lazy("Objective"),
    gettext_lazy("Objective description"),
    gettext_lazy("Goal number"),
    gettext_lazy("Goal"),
    gettext_lazy("Goal description"),
    gettext_lazy("Planned activities"),
]


def objective_rows(report: PartnerReport) -> list[list]:
    """One row per goal (an objective without goals gets a row of its own)."""
    rows = []
    for section in report.objectives:
        objective = [section.number, section.objective.title, section.objective.description]
        if not section.goals:
            rows.append([*objective, None, None, None, 0])
        for goal in section.goals:
            rows.append(
                [*objective, goal.number, goal.goal.title, goal.goal.description, len(goal.planned)]
            )
    return rows


HISTORY_COLUMNS = [
    gettext_lazy("Version"),
    gettext_lazy("When"),
    gettext_lazy("Who"),
    gettext_lazy("Step"),
    gettext_lazy("Detail"),
]


def history_rows(report: PartnerReport) -> list[list]:
    return [
        [step.version, _local(step.when), _name(step.who) or _("system"), step.what, step.detail]
        for step in report.history
    ]


# --- The CSV files: one table each (``?table=``) -----------------------------------------------


@dataclass(frozen=True)
class CsvTable:
    slug: str  # in the address (``?table=``) and the file's name
    label: str  # the link's text
    columns: list
    rows: object  # report -> rows


def _delivery(rows):
    """Rows of the report's delivery; none for a partner without a programme."""
    return lambda report: rows(report.delivery) if report.delivery else []


CSV_TABLES = {
    table.slug: table
    for table in [
        CsvTable("planned", gettext_lazy("Planned activities"), PLANNED_COLUMNS, planned_rows),
        CsvTable(
            "delivery-by-year",
            gettext_lazy("Delivery by year"),
            delivery_figures.BY_YEAR_COLUMNS,
            _delivery(lambda d: delivery_figures.tally_rows(d.by_year, d.total)),
        ),
        CsvTable(
            "delivery-by-area",
            gettext_lazy("Delivery by area"),
            delivery_figures.BY_AREA_COLUMNS,
            _delivery(lambda d: delivery_figures.tally_rows(d.by_area, d.total)),
        ),
        CsvTable(
            "events",
            gettext_lazy("Events"),
            delivery_figures.EVENT_COLUMNS,
            _delivery(lambda d: delivery_figures.event_rows(d.events)),
        ),
        CsvTable(
            "reviews",
            gettext_lazy("Annual reviews"),
            delivery_figures.REVIEW_COLUMNS,
            _delivery(lambda d: delivery_figures.review_rows(d.reviews)),
        ),
    ]
}
DEFAULT_CSV_TABLE = "planned"
