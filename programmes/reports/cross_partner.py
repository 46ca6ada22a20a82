"""Reports across partners: what each one holds, as tables of typed cells.

``REPORTS`` maps a report's slug (its URL, ``/reports/<slug>/``) to its definition. A definition's
``tables(user, today, options)`` returns the report's tables; a table is a caption, its columns
and rows of typed cells (text, whole numbers, dates or ``None``), so that the page, the CSV and the
Excel workbook show the same rows from one source: the page formats them, the CSV writes them as
text, Excel keeps numbers and dates typed. A CSV file holds one table (``?table=<its slug>``),
a rectangle under one header row; the workbook holds them all, a sheet each. ``options`` are the cleaned data of the report's
``options_form`` (a form over the query string), or empty for a report without options.

Every report starts from what the user may see (``pfp.permissions``) and reuses the dashboard's
rules (``programmes.dashboard``) rather than writing them again; each costs a fixed number of
queries whatever the data size (counts are aggregated in the database). Views
(``programmes.reports.views.cross_partner``) import this module; nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Max, Min, Prefetch, QuerySet, Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partners.models import Framework, PartnerStatus, reading_order, shown_name
from programmes import dashboard
from programmes.delivery.models import Event
from programmes.delivery.permissions import visible_events
from programmes.menu.models import Activity, Area
from programmes.models import PlannedActivity, Programme, ProgrammeStatus
from programmes.permissions import visible_programmes
from programmes.reports import delivery as figures
from programmes.reports.partner import Chart, outcome_chart

# How many activities the menu-uptake report lists at each end.
UPTAKE_LIST_SIZE = 20

TEXT = "text"
NUMBER = "number"
DATE = "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT  # TEXT, NUMBER or DATE: how the page aligns and formats the cells


# The page's cells are built here rather than in the template, as the admin's change list builds
# its own (``items_for_result``): a report's page shows a thousand cells, which took some 30 µs
# each through the template's tags, and 3 here.
# The attributes of a <td> by the column's kind: numbers to the right, dates on one line.
BODY_CELL_ATTRIBUTES = {
    TEXT: "",
    NUMBER: ' class="text-end"',
    DATE: ' class="text-nowrap"',
}
TOTALS_CELL_ATTRIBUTES = {**BODY_CELL_ATTRIBUTES, DATE: ""}


def cell_content(value, kind: str) -> SafeString:
    """A cell's value as the page shows it, escaped: a date in the date format, a number as
    the reader's language writes it, and no value as a dash a screen reader reads as "none"."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>', _("none")
        )
    if kind == DATE:
        return conditional_escape(formats.date_format(value))
    return conditional_escape(formats.localize(value))


def row_html(
    row: list,
    columns: list[Column],
    contents: dict,
    *,
    link: str | None = None,
    link_column: int = 0,
    totals: bool = False,
) -> SafeString:
    """A row's cells as the page shows them: the first heads the row (<th>), the others are
    <td>; the cell of ``link_column`` links to ``link``. ``contents`` keeps the values
    formatted for the next rows (the same figures recur down a table)."""
    cells = []
    for index, (value, column) in enumerate(zip(row, columns, strict=True)):
        key = (type(value), value, column.kind)
        content = contents.get(key)
        if content is None:
            content = contents[key] = cell_content(value, column.kind)
        if link and index == link_column:
            content = format_html('<a href="{}">{}</a>', link, content)
        if index == 0:
            weight = "" if totals else ' class="fw-normal"'
            cells.append(f'<th scope="row"{weight}>{content}</th>')
        else:
            attributes = (TOTALS_CELL_ATTRIBUTES if totals else BODY_CELL_ATTRIBUTES)[column.kind]
            cells.append(f"<td{attributes}>{content}</td>")
    return mark_safe("".join(cells))  # noqa: S308 -- constants and escaped contents


@dataclass(frozen=True)
class Listing:
    """A long table's rows, one per object of a queryset: the page shows them a page at a time
    (``?page=``), the CSV and the Excel sheet hold every one."""

    objects: QuerySet
    row: Callable[[object], list]
    link: Callable[[object], str | None]
    page_size: int | None = None  # settings.PAGINATE_BY unless given


@dataclass(frozen=True)
class Table:
    slug: str  # its name among the report's tables, in the address of its CSV (``?table=``)
    caption: str
    sheet: str  # the Excel sheet's name: 31 characters at most
    columns: list[Column]
    rows: list[list] = field(default_factory=list)  # a table without ``listing``
    links: list[str | None] = field(default_factory=list)  # per row, where one cell leads
    link_column: int = 0  # the cell that carries the row's link on screen
    totals: list | None = None  # a last row of totals
    empty: str = ""  # what the page says instead of a table without rows
    listing: Listing | None = None  # the rows of a long table, paginated on screen
    page: Page | None = None  # the page of the listing the rows are (set by ``paged``)
    chart: Chart | None = None  # drawn before the table, which is its text alternative

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    @property
    def all_rows(self) -> list[list]:
        """The rows and the totals row: what the CSV and the Excel sheet hold under the header."""
        if self.listing is not None:
            rows = [self.listing.row(item) for item in self.listing.objects]
        else:
            rows = list(self.rows)
        return [*rows, self.totals] if self.totals is not None else rows

    def paged(self, number) -> Table:
        """The table as the page shows it: a long table's page ``number`` (a forgiving
        paginator: junk or out of range gives the nearest page), with its rows, links and
        ``page``; any other table as it is. Two queries for a long table (count and page)."""
        if self.listing is None:
            return self
        size = self.listing.page_size or settings.PAGINATE_BY
        page = Paginator(self.listing.objects, size).get_page(number)
        items = list(page.object_list)
        return replace(
            self,
            rows=[self.listing.row(item) for item in items],
            links=[self.listing.link(item) for item in items],
            listing=None,
            page=page,
        )

    @property
    def screen_rows(self) -> list[SafeString]:
        """The rows as the page shows them (``row_html``), each linked to its ``links``."""
        links = self.links or [None] * len(self.rows)
        contents = {}
        return [
            row_html(row, self.columns, contents, link=link, link_column=self.link_column)
            for row, link in zip(self.rows, links, strict=True)
        ]

    @property
    def screen_totals(self) -> SafeString | None:
        """The totals row as the page shows it (the template sets it in bold)."""
        if self.totals is None:
            return None
        return row_html(self.totals, self.columns, {}, totals=True)


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    tables: Callable[[object, datetime.date, dict], list[Table]]
    options_form: type[forms.Form] | None = None

    def get_absolute_url(self) -> str:
        return reverse("programmes:cross_report", kwargs={"slug": self.slug})


def table_named(tables: list[Table], slug: str | None) -> Table | None:
    """The table of a report's ``tables`` that ``slug`` names (the first one when ``slug`` is
    ``None``: the CSV of a report of one table needs no name); ``None`` for an unknown name."""
    if slug is None:
        return tables[0]
    return next((table for table in tables if table.slug == slug), None)


def _officers(partner) -> str:
    """The partner's assigned programme officers (prefetched), as one cell."""
    return ", ".join(str(officer) for officer in partner.officers.all())


FRAMEWORK_LABELS = dict(Framework.choices)


def _framework(value: str) -> str:
    return str(FRAMEWORK_LABELS.get(value, value))


# --- Programmes by status and framework -------------------------------------------------------


def programmes_by_status(user, today: datetime.date, options: dict) -> list[Table]:
    """How many visible versions are in each status, by the partner's framework; then the
    versions themselves, status by status (a page at a time on screen). Two queries, three on
    screen."""
    visible = visible_programmes(user)
    counts = {
        (framework, status): count
        for framework, status, count in visible.order_by()
        .values_list("partner__framework", "status")
        .annotate(count=Count("pk"))
    }
    statuses = list(ProgrammeStatus)
    rows, links = [], []
    for framework in Framework:
        by_status = [counts.get((framework.value, status.value), 0) for status in statuses]
        rows.append([str(framework.label), *by_status, sum(by_status)])
        links.append(
            reverse("programmes:programme_list") + "?" + urlencode({"framework": framework.value})
        )
    column_totals = [sum(row[index] for row in rows) for index in range(1, len(statuses) + 2)]
    matrix = Table(
        slug="by-framework-and-status",
        caption=_("Programme versions by framework and status"),
        sheet=_("By framework and status"),
        columns=[
            Column(_("Framework")),
            *(Column(str(status.label), NUMBER) for status in statuses),
            Column(_("Total"), NUMBER),
        ],
        rows=rows,
        links=links,
        totals=[_("Total"), *column_totals],
    )

    # Status by status (in the order of the statuses), then by partner, newest first.
    status_order = Case(
        *(When(status=status.value, then=Value(index)) for index, status in enumerate(statuses))
    )
    versions = (
        visible.select_related("partner")
        .annotate(status_order=status_order, partner_order=shown_name("partner__"))
        .order_by("status_order", "partner_order", "-start_year", "-version", "pk")
    )
    listing = Table(
        slug="versions",
        caption=_("Programme versions, status by status"),
        sheet=_("Versions"),
        columns=[
            Column(_("Partner")),
            Column(_("ISO code")),
            Column(_("Framework")),
            Column(_("Programme")),
            Column(_("Period")),
            Column(_("Version"), NUMBER),
            Column(_("Status")),
        ],
        listing=Listing(
            objects=versions,
            row=lambda programme: [
                programme.partner.name,
                programme.partner.code,
                programme.partner.get_framework_display(),
                programme.title,
                programme.period,
                programme.version,
                programme.get_status_display(),
            ],
            link=lambda programme: programme.get_absolute_url(),
        ),
        link_column=3,
        empty=_("There is no programme yet."),
    )
    return [matrix, listing]


# --- Ending within twelve months without a successor ------------------------------------------


def ending_soon(user, today: datetime.date, options: dict) -> list[Table]:
    """The dashboard's agreed programmes ending within twelve months with no successor, with
    the partner's officers. Two queries."""
    programmes = list(
        dashboard.ending_without_successor(user, today).prefetch_related("partner__officers")
    )
    return [
        Table(
            slug="programmes",
            caption=_("Agreed programmes ending within twelve months, with no successor"),
            sheet=_("Ending soon"),
            columns=[
                Column(_("Partner")),
                Column(_("ISO code")),
                Column(_("Framework")),
                Column(_("Programme")),
                Column(_("Period")),
                Column(_("Version"), NUMBER),
                Column(_("Agreed on"), DATE),
                Column(_("Ends on"), DATE),
                Column(_("Programme officers")),
            ],
            rows=[
                [
                    programme.partner.name,
                    programme.partner.code,
                    programme.partner.get_framework_display(),
                    programme.title,
                    programme.period,
                    programme.version,
                    programme.agreed_on,
                    datetime.date(programme.end_year, 12, 31),
                    _officers(programme.partner),
                ]
                for programme in programmes
            ],
            links=[programme.get_absolute_url() for programme in programmes],
            link_column=3,
            empty=_("No agreed programme ends within twelve months without a successor."),
        )
    ]


# --- Active partners with no programme in force -----------------------------------------------


def no_programme_in_force(user, today: datetime.date, options: dict) -> list[Table]:
    """The dashboard's active partners with no programme in force, with their newest visible
    version (if any) and their officers. Three queries."""
    partners = list(
        dashboard.partners_without_programme_in_force(user, today).prefetch_related(
            "officers",
            Prefetch(
                "programmes",
                queryset=visible_programmes(user).order_by("-start_year", "-version", "-pk"),
                to_attr="newest_first",
            ),
        )
    )
    rows, links = [], []
    for partner in partners:
        latest = partner.newest_first[0] if partner.newest_first else None
        rows.append(
            [
                partner.name,
                partner.code,
                partner.get_framework_display(),
                str(PartnerStatus(partner.status).label),
                latest.get_status_display() if latest else None,
                latest.period if latest else None,
                latest.version if latest else None,
                _officers(partner),
            ]
        )
        links.append(partner.get_absolute_url())
    return [
        Table(
            slug="partners",
            caption=_("Active partners with no programme in force"),
            sheet=_("No programme in force"),
            columns=[
                Column(_("Partner")),
                Column(_("ISO code")),
                Column(_("Framework")),
                Column(_("Partner status")),
                Column(_("Latest programme: status")),
                Column(_("Latest programme: period")),
                Column(_("Latest programme: version"), NUMBER),
                Column(_("Programme officers")),
            ],
            rows=rows,
            links=links,
            empty=_("Every active partner has a programme in force."),
        )
    ]


# --- Menu uptake ------------------------------------------------------------------------------


class UptakeScope:
    AGREED = "agreed"
    IN_FORCE = "in_force"
    ALL = "all"

    CHOICES = [
        (IN_FORCE, gettext_lazy("Programmes in force today")),
        (AGREED, gettext_lazy("Agreed programmes (the agreed version of each)")),
        (ALL, gettext_lazy("Every version, drafts and earlier versions included")),
    ]
    # What is being delivered now: the question the report answers first. The other scopes
    # reach back through every period, and cost more as the years go by.
    DEFAULT = IN_FORCE


class UptakeOptionsForm(forms.Form):
    """``?scope=``: which programme versions count."""

    scope = forms.ChoiceField(
        label=gettext_lazy("Count the activities planned in"),
        choices=UptakeScope.CHOICES,
        required=False,
    )

    def clean_scope(self):
        return self.cleaned_data["scope"] or UptakeScope.DEFAULT


def counted_programmes(user, scope: str, today: datetime.date):
    """The visible versions whose planned activities the menu-uptake report counts."""
    visible = visible_programmes(user)
    if scope == UptakeScope.ALL:
        return visible
    if scope == UptakeScope.IN_FORCE:
        return visible.in_force(today)
    return visible.agreed()


def _activity_rows(activities) -> list[list]:
    return [
        [activity.code, activity.title, activity.area.name, activity.times, activity.partners]
        for activity in activities
    ]


@dataclass
class Uptake:
    """What the counted versions planned: by active activity, how many times and by how many
    partners; by area of cooperation and calendar year, how many times (retired included)."""

    times: dict = field(default_factory=lambda: defaultdict(int))  # activity pk: times
    partners: dict = field(default_factory=lambda: defaultdict(set))  # activity pk: partner pks
    codes: dict = field(default_factory=dict)  # activity pk: code
    by_area_and_year: dict = field(default_factory=lambda: defaultdict(int))  # (area, year)


def count_uptake(planned) -> Uptake:
    """One query: the ``planned`` rows grouped by activity, partner and calendar year (no more
    groups than rows), summed up here rather than aggregated twice in the database."""
    uptake = Uptake()
    grouped = (
        planned.order_by()
        .annotate(calendar_year=F("programme__start_year") + F("year") - 1)
        .values_list(
            "activity",
            "activity__code",
            "activity__area",
            "activity__retired_in",
            "programme__partner",
            "calendar_year",
        )
        .annotate(count=Count("pk"))
    )
    for activity, code, area, retired_in, partner, year, count in grouped:
        uptake.by_area_and_year[area, year] += count
        if retired_in is None:
            uptake.times[activity] += count
            uptake.partners[activity].add(partner)
            uptake.codes[activity] = code
    return uptake


def _most_and_least_planned(uptake: Uptake, planned) -> tuple[list[Activity], list[Activity]]:
    """The ``UPTAKE_LIST_SIZE`` most and least planned active activities, each with ``times``
    and ``partners``. Two queries, whatever the size of the menu: the least planned are among
    the first never-planned activities by code (``planned``: the counted planned rows) and the
    least planned of the counted ones."""
    counts = {
        pk: (times, len(uptake.partners[pk]), uptake.codes[pk])
        for pk, times in uptake.times.items()
    }
    by_count = sorted(counts, key=lambda pk: counts[pk])
    most = sorted(counts, key=lambda pk: (-counts[pk][0], -counts[pk][1], counts[pk][2]))
    # The first active activities by code that no counted version plans: the planned ones are
    # read once (a hashed subquery), then the code index is walked to the twentieth.
    never_planned = list(
        Activity.objects.active()
        .exclude(pk__in=planned.values("activity"))
        .order_by("code")
        .values_list("pk", flat=True)[:UPTAKE_LIST_SIZE]
    )
    wanted = {*most[:UPTAKE_LIST_SIZE], *by_count[:UPTAKE_LIST_SIZE], *never_planned}
    activities = list(Activity.objects.select_related("area").filter(pk__in=wanted))
    for activity in activities:
        activity.times, activity.partners, _code = counts.get(activity.pk, (0, 0, ""))
    found = {activity.pk: activity for activity in activities}
    least = sorted(activities, key=lambda a: (a.times, a.partners, a.code))[:UPTAKE_LIST_SIZE]
    return [found[pk] for pk in most[:UPTAKE_LIST_SIZE]], least


def menu_uptake(user, today: datetime.date, options: dict) -> list[Table]:
    """How often each active menu activity is planned in the counted versions, the most and
    the least planned (never planned included), and every planned activity counted by area
    and calendar year. Four queries."""
    scope = options.get("scope") or UptakeScope.DEFAULT
    planned = PlannedActivity.objects.filter(
        programme__in=counted_programmes(user, scope, today).values("pk")
    )
    uptake = count_uptake(planned)
    most, least = _most_and_least_planned(uptake, planned)
    activity_columns = [
        Column(_("Code")),
        Column(_("Activity")),
        Column(_("Area of cooperation")),
        Column(_("Times planned"), NUMBER),
        Column(_("Partners"), NUMBER),
    ]

    counts = uptake.by_area_and_year
    years = sorted({year for _area, year in counts})
    area_rows = []
    for area in Area.objects.all():
        by_year = [counts.get((area.pk, year), 0) for year in years]
        area_rows.append([area.name, *by_year, sum(by_year)])
    year_totals = [sum(row[index] for row in area_rows) for index in range(1, len(years) + 2)]
    return [
        Table(
            slug="most-planned",
            caption=_("The %(count)s most planned activities") % {"count": UPTAKE_LIST_SIZE},
            sheet=_("Most planned"),
            columns=activity_columns,
            rows=_activity_rows(most),
            links=[activity.get_absolute_url() for activity in most],
            empty=_("No activity is planned in these programmes."),
        ),
        Table(
            slug="least-planned",
            caption=_("The %(count)s least planned activities (never planned included)")
            % {"count": UPTAKE_LIST_SIZE},
            sheet=_("Least planned"),
            columns=activity_columns,
            rows=_activity_rows(least),
            links=[activity.get_absolute_url() for activity in least],
            empty=_("The menu has no active activity."),
        ),
        Table(
            slug="by-area-and-year",
            caption=_("Planned activities by area of cooperation and year"),
            sheet=_("By area and year"),
            columns=[
                Column(_("Area of cooperation")),
                *(Column(str(year), NUMBER) for year in years),
                Column(_("Total"), NUMBER),
            ],
            rows=area_rows,
            totals=[_("Total"), *year_totals],
        ),
    ]


# --- Delivery in one calendar year -------------------------------------------------------------


def delivery_years(today: datetime.date) -> list[int]:
    """The calendar years of the agreed programmes (the years delivery can have data), and this
    year, newest first. One query."""
    span = Programme.objects.filter(status__in=figures.DELIVERING_STATUSES).aggregate(
        first=Min("start_year"), last=Max("end_year")
    )
    years = {today.year}
    if span["first"] is not None:
        years.update(range(span["first"], span["last"] + 1))
    return sorted(years, reverse=True)


class DeliveryOptionsForm(forms.Form):
    """``?year=``: the calendar year reported on, one of ``delivery_years`` (this one by
    default)."""

    year = forms.TypedChoiceField(label=gettext_lazy("Calendar year"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["year"].choices = [(year, str(year)) for year in delivery_years(self.today)]

    def clean_year(self):
        return self.cleaned_data["year"] or self.today.year


def _tally_columns(first: list[Column]) -> list[Column]:
    return [*first, *(Column(str(label), NUMBER) for label in figures.TALLY_COLUMNS)]


def delivery_in_year(user, today: datetime.date, options: dict) -> list[Table]:
    """Planned against delivered in one calendar year, by area, provider and partner (three
    queries), and the events of that year past their last day with nothing recorded (a page at
    a time on screen: two more queries; one in a download)."""
    year = options.get("year") or today.year
    result = figures.year_delivery(user, year)
    total = result.total
    totals = [_("Total"), *total.cells]
    by_area = sorted(result.by_area.items(), key=lambda item: (item[0].order, item[0].name_en))
    by_provider = sorted(result.by_provider.items(), key=lambda item: str(item[0][1]).lower())
    by_partner = sorted(result.by_partner.items(), key=lambda item: reading_order(item[0][1]))
    empty = _("Nothing is planned or delivered in %(year)s.") % {"year": year}
    area_table = Table(
        slug="by-area",
        caption=_("Delivery by area of cooperation, %(year)s") % {"year": year},
        sheet=_("By area"),
        columns=_tally_columns([Column(_("Area of cooperation"))]),
        rows=[[area.name, *tally.cells] for area, tally in by_area],
        totals=totals,
        empty=empty,
        chart=outcome_chart(
            [(area.name, tally.outcome_counts) for area, tally in by_area if tally.planned],
            slug="delivery-by-area-chart",
            title=_("Planned activities by area of cooperation and outcome, %(year)s")
            % {"year": year},
            description=_(
                "Horizontal bars, one per area of cooperation, each divided into the planned "
                "activities delivered, cancelled, postponed and not yet recorded, with the "
                "number in each part and the number planned at the end. The table after the "
                "chart gives the same figures."
            ),
        ),
    )
    provider_table = Table(
        slug="by-provider",
        caption=_("Delivery by provider, %(year)s") % {"year": year},
        sheet=_("By provider"),
        columns=_tally_columns([Column(_("Provider"))]),
        rows=[[name, *tally.cells] for (_pk, name), tally in by_provider],
        totals=totals,
        empty=empty,
    )
    partner_table = Table(
        slug="by-partner",
        caption=_("Delivery by partner, %(year)s") % {"year": year},
        sheet=_("By partner"),
        columns=_tally_columns([Column(_("Partner")), Column(_("ISO code"))]),
        rows=[[name, code, *tally.cells] for (_pk, name, code), tally in by_partner],
        links=[
            reverse("programmes:partner_report", kwargs={"code": code})
            for (_pk, _name, code), _tally in by_partner
        ],
        totals=[_("Total"), None, *total.cells],
        empty=empty,
    )
    overdue = (
        visible_events(user)
        .without_outcome(today)
        .filter(start_date__year=year)
        .select_related("partner", "activity", "provider")
        .annotate(partner_order=shown_name("partner__"))
        .order_by("end_date", "partner_order", "activity__code", "pk")
    )
    overdue_table = Table(
        slug="without-outcome",
        caption=_("Events of %(year)s past their last day with nothing recorded") % {"year": year},
        sheet=_("Nothing recorded"),
        columns=[
            Column(_("Partner")),
            Column(_("ISO code")),
            Column(_("Activity code")),
            Column(_("Activity")),
            Column(_("First day"), DATE),
            Column(_("Last day"), DATE),
            Column(_("Place")),
            Column(_("Provider")),
        ],
        listing=Listing(
            objects=overdue,
            row=_overdue_row,
            link=lambda event: reverse(
                "programmes:partner_report", kwargs={"code": event.partner.code}
            ),
        ),
        empty=_("Every event of %(year)s past its last day has its outcome recorded.")
        % {"year": year},
    )
    return [area_table, provider_table, partner_table, overdue_table]


def _overdue_row(event: Event) -> list:
    return [
        event.partner.name,
        event.partner.code,
        event.activity.code,
        event.activity.title,
        event.start_date,
        event.end_date,
        figures.place_of(event),
        event.provider.name if event.provider else "",
    ]


REPORTS: dict[str, Report] = {
    report.slug: report
    for report in [
        Report(
            slug="programmes-by-status",
            title=gettext_lazy("Programmes by status and framework"),
            description=gettext_lazy(
                "How many programme versions are in each status, by the partners' framework, "
                "and the versions themselves."
            ),
            tables=programmes_by_status,
        ),
        Report(
            slug="ending-soon",
            title=gettext_lazy("Programmes ending within twelve months without a successor"),
            description=gettext_lazy(
                "Agreed programmes whose last year ends within twelve months, with no later "
                "version agreed or on its way."
            ),
            tables=ending_soon,
        ),
        Report(
            slug="no-programme-in-force",
            title=gettext_lazy("Partners with no programme in force"),
            description=gettext_lazy(
                "Active partners without an agreed programme covering today, with their latest "
                "programme version, if any, and their programme officers."
            ),
            tables=no_programme_in_force,
        ),
        Report(
            slug="menu-uptake",
            title=gettext_lazy("Menu uptake"),
            description=gettext_lazy(
                "The most and the least planned activities of the cooperation menu, and the "
                "planned activities by area of cooperation and year."
            ),
            tables=menu_uptake,
            options_form=UptakeOptionsForm,
        ),
        Report(
            slug="delivery",
            title=pgettext_lazy("delivery of a programme", "Delivery"),
            description=gettext_lazy(
                "For one calendar year: the planned activities delivered, cancelled, postponed "
                "and not yet recorded, by area of cooperation, provider and partner, with the "
                "participants and the share of women among them; and the events past their last "
                "day with nothing recorded."
            ),
            tables=delivery_in_year,
            options_form=DeliveryOptionsForm,
        ),
    ]
}
