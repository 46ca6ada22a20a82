"""Reports across partners (``programmes.cross_reports``) and their pages, CSV and Excel files.

The data set is built relative to this year, so that "in force" and "ending within twelve
months" hold whatever day the tests run (no programme ends next year: that would be within twelve
months only on 31 December).
"""

import copy
import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from partners.models import Framework
from programmes import dashboard, workflow
from programmes.menu.models import Activity, Area
from programmes.models import Programme, ProgrammeStatus
from programmes.reports import cross_partner as cross_reports
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    assigned_officer,
    attach_signed_agreement,
    draft_programme,
    role_user,
)

S = ProgrammeStatus
TODAY = timezone.localdate()
Y = TODAY.year
AGREED_ON = datetime.date(2025, 12, 1)
INDEX = reverse("programmes:report_index")
TITLE = "Partnership programme"
EAPC = str(Framework.EAPC_PFP.label)
MD = str(Framework.MEDITERRANEAN_DIALOGUE.label)
ICI = str(Framework.ISTANBUL_COOPERATION_INITIATIVE.label)
GLOBAL = str(Framework.PARTNERS_ACROSS_THE_GLOBE.label)
SLUGS = list(cross_reports.REPORTS)


def page_url(slug):
    return reverse("programmes:cross_report", kwargs={"slug": slug})


def export_url(slug, fmt):
    return reverse("programmes:cross_report_export", kwargs={"slug": slug, "fmt": fmt})


def period(start):
    return f"{start}–{start + 3}"  # noqa: RUF001


def build(partner, status, *, approver, start_year, plans, title=TITLE):
    """A programme of ``partner`` with exactly ``plans`` ((activity, programme year), ...),
    walked through the workflow to ``status``."""
    officer = assigned_officer(partner)
    programme = draft_programme(
        officer=officer, partner=partner, start_year=start_year, activities=0, title=title
    )
    goal = programme.objectives.get().goals.get()
    for activity, year in plans:
        workflow.plan_activity(
            actor=officer, programme=programme, activity=activity, year=year, goal=goal
        )
    if status == S.DRAFT:
        return programme
    programme = workflow.submit(actor=officer, programme=programme)
    if status == S.SUBMITTED:
        return programme
    programme = workflow.approve(actor=approver, programme=programme)
    attach_signed_agreement(programme, actor=approver)
    return workflow.record_agreement(
        actor=approver, programme=programme, agreed_on=AGREED_ON, signatory="Minister"
    )


@pytest.fixture(scope="class")
def built_world(class_transaction):
    """Five active partners and a suspended one; three menu activities and a retired one; built
    once for a class, the programmes approved by the ``approver``.

    - "=cmd" (EAPC/PfP): agreed "+1", Y-3 to Y: in force, ends this year with no successor;
      plans popular (years 1 and 2) and medium (year 4).
    - Bravo (Mediterranean Dialogue): agreed, Y-1 to Y+2, in force; plans popular (year 2) and
      the retired activity (year 1); a draft Y+3 to Y+6 plans medium (year 1).
    - Charlie (across the globe): no programme, no officer.
    - Delta (Istanbul): submitted, Y+1 to Y+4, plans popular (year 1).
    - Echo (EAPC/PfP): agreed, Y-6 to Y-3, over; plans medium (year 1).
    - Suspended: nothing.
    """
    approver = role_user("approver")
    cyber, med = Area.objects.get(code="cyber"), Area.objects.get(code="med")
    popular = ActivityFactory(code="CYB-0001", title_en="Incident handling — course", area=cyber)
    medium = ActivityFactory(code="MED-0001", title_en="Field hospital — seminar", area=med)
    never = ActivityFactory(code="MED-0002", title_en="Triage — workshop", area=med)
    old = ActivityFactory(code="MED-0003", title_en="Old course", area=med)
    cmd = PartnerFactory(code="EQ", name="=cmd", framework=Framework.EAPC_PFP)
    bravo = PartnerFactory(code="BR", name="Bravo", framework=Framework.MEDITERRANEAN_DIALOGUE)
    charlie = PartnerFactory(
        code="CH", name="Charlie", framework=Framework.PARTNERS_ACROSS_THE_GLOBE
    )
    delta = PartnerFactory(
        code="DE", name="Delta", framework=Framework.ISTANBUL_COOPERATION_INITIATIVE
    )
    echo = PartnerFactory(code="EC", name="Echo", framework=Framework.EAPC_PFP)
    PartnerFactory(code="SU", name="Suspended", suspended=True)
    programmes = {
        "cmd": build(
            cmd,
            S.AGREED,
            approver=approver,
            start_year=Y - 3,
            plans=[(popular, 1), (popular, 2), (medium, 4)],
            title="+1",
        ),
        "bravo": build(
            bravo, S.AGREED, approver=approver, start_year=Y - 1, plans=[(popular, 2), (old, 1)]
        ),
        "bravo_draft": build(
            bravo, S.DRAFT, approver=approver, start_year=Y + 3, plans=[(medium, 1)]
        ),
        "delta": build(
            delta, S.SUBMITTED, approver=approver, start_year=Y + 1, plans=[(popular, 1)]
        ),
        "echo": build(echo, S.AGREED, approver=approver, start_year=Y - 6, plans=[(medium, 1)]),
    }
    Activity.objects.filter(pk=old.pk).update(retired_in=Y)
    return {
        "activities": {"popular": popular, "medium": medium, "never": never, "old": old},
        "partners": {"cmd": cmd, "bravo": bravo, "charlie": charlie, "delta": delta, "echo": echo},
        "programmes": programmes,
        "areas": {"cyber": cyber, "med": med},
    }


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


def tables(slug, user, **options):
    return cross_reports.REPORTS[slug].tables(user, TODAY, options)


def officers_of(partner):
    return ", ".join(str(officer) for officer in partner.officers.order_by("username"))


# --- What each report holds -------------------------------------------------------------------


@pytest.mark.django_db
class TestProgrammesByStatus:
    def test_matrix(self, viewer, world):
        matrix, _listing = tables("programmes-by-status", viewer)
        assert matrix.header == [
            "Framework",
            "Draft",
            "Submitted",
            "Returned",
            "Approved",
            "Agreed",
            "Superseded",
            "Closed",
            "Withdrawn",
            "Total",
        ]
        assert matrix.rows == [
            [EAPC, 0, 0, 0, 0, 2, 0, 0, 0, 2],
            [MD, 1, 0, 0, 0, 1, 0, 0, 0, 2],
            [ICI, 0, 1, 0, 0, 0, 0, 0, 0, 1],
            [GLOBAL, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ]
        assert matrix.totals == ["Total", 1, 1, 0, 0, 3, 0, 0, 0, 5]
        # The same counts as the dashboard's, which this report does not re-count its own way.
        assert matrix.totals[1:-1] == [row.count for row in dashboard.counts_by_status(viewer)]

    def test_versions_status_by_status(self, viewer, world):
        _matrix, listing = tables("programmes-by-status", viewer)
        assert listing.all_rows == [
            ["Bravo", "BR", MD, TITLE, period(Y + 3), 1, "Draft"],
            ["Delta", "DE", ICI, TITLE, period(Y + 1), 1, "Submitted"],
            ["=cmd", "EQ", EAPC, "+1", period(Y - 3), 1, "Agreed"],
            ["Bravo", "BR", MD, TITLE, period(Y - 1), 1, "Agreed"],
            ["Echo", "EC", EAPC, TITLE, period(Y - 6), 1, "Agreed"],
        ]
        assert listing.paged(1).links[0] == world["programmes"]["bravo_draft"].get_absolute_url()

    def test_the_versions_a_page_at_a_time_on_screen(self, client_as, viewer, world, settings):
        officer = world["programmes"]["cmd"].partner.officers.get()
        for start_year in range(Y + 10, Y + 70, 4):  # 15 more drafts: 20 versions
            draft_programme(
                officer=officer, partner=world["partners"]["cmd"], start_year=start_year
            )
        settings.PAGINATE_BY = 8
        client = client_as(viewer)
        first = client.get(page_url("programmes-by-status"))
        last = client.get(page_url("programmes-by-status"), {"page": "3"})
        junk = client.get(page_url("programmes-by-status"), {"page": "abc"})
        beyond = client.get(page_url("programmes-by-status"), {"page": "-1"})
        csv_rows = parsed_csv(
            client.get(export_url("programmes-by-status", "csv"), {"table": "versions"})
        )
        _matrix, listing = first.context["tables"]
        assert len(listing.rows) == 8
        assert listing.page.paginator.count == 20
        assert "Rows 1 to 8 of 20; the CSV and Excel downloads hold them all." in first.text
        assert 'href="?page=2"' in first.text
        _matrix, listing = last.context["tables"]
        # The submitted version, then the agreed ones: after the sixteen drafts.
        assert [row[4] for row in listing.rows] == [
            period(Y + 1),
            period(Y - 3),
            period(Y - 1),
            period(Y - 6),
        ]
        assert "not understood" not in last.text
        # A page that is not one shows the first, one out of range the last, with no notice.
        assert junk.context["tables"][1].rows == first.context["tables"][1].rows
        assert beyond.context["tables"][1].rows == listing.rows
        assert "not understood" not in junk.text
        # The download holds every version under its header.
        assert len(csv_rows) == 1 + 20

    def test_a_revision_counts_both_versions(self, viewer, approver, world):
        cmd = world["programmes"]["cmd"]
        officer = cmd.partner.officers.get()
        workflow.revise(actor=officer, programme=cmd)
        matrix, _listing = tables("programmes-by-status", viewer)
        assert matrix.rows[0][1] == 1  # the revision, a draft
        assert matrix.totals[-1] == 6


@pytest.mark.django_db
class TestEndingSoon:
    def test_the_dashboard_rule_with_details(self, viewer, world):
        (table,) = tables("ending-soon", viewer)
        cmd = world["partners"]["cmd"]
        assert table.rows == [
            [
                "=cmd",
                "EQ",
                EAPC,
                "+1",
                period(Y - 3),
                1,
                AGREED_ON,
                datetime.date(Y, 12, 31),
                officers_of(cmd),
            ]
        ]
        assert officers_of(cmd)  # an officer is named
        assert table.links == [world["programmes"]["cmd"].get_absolute_url()]
        assert [p.pk for p in dashboard.ending_without_successor(viewer, TODAY)] == [
            world["programmes"]["cmd"].pk
        ]

    def test_a_successor_takes_it_off(self, viewer, approver, world):
        build(
            world["partners"]["cmd"],
            S.DRAFT,
            approver=approver,
            start_year=Y + 1,
            plans=[(world["activities"]["never"], 1)],
        )
        (table,) = tables("ending-soon", viewer)
        assert table.rows == []
        assert table.empty


@pytest.mark.django_db
class TestNoProgrammeInForce:
    def test_active_partners_with_their_latest_version(self, viewer, world):
        (table,) = tables("no-programme-in-force", viewer)
        delta, echo = world["partners"]["delta"], world["partners"]["echo"]
        active = "Active partner"
        assert table.rows == [
            ["Charlie", "CH", GLOBAL, active, None, None, None, ""],
            ["Delta", "DE", ICI, active, "Submitted", period(Y + 1), 1, officers_of(delta)],
            ["Echo", "EC", EAPC, active, "Agreed", period(Y - 6), 1, officers_of(echo)],
        ]
        assert table.links[0] == world["partners"]["charlie"].get_absolute_url()

    def test_latest_is_the_newest_period_then_version(self, viewer, approver, world):
        echo = world["partners"]["echo"]
        build(echo, S.DRAFT, approver=approver, start_year=Y + 2, plans=[])
        (table,) = tables("no-programme-in-force", viewer)
        assert table.rows[2][4:7] == ["Draft", period(Y + 2), 1]


def uptake_rows(table):
    return [(row[0], row[3], row[4]) for row in table.rows]


@pytest.mark.django_db
class TestMenuUptake:
    def test_in_force_by_default(self, viewer, world):
        assert tables("menu-uptake", viewer) == tables("menu-uptake", viewer, scope="in_force")

    def test_agreed_versions(self, viewer, world):
        most, least, by_area = tables("menu-uptake", viewer, scope="agreed")
        assert uptake_rows(most) == [("CYB-0001", 3, 2), ("MED-0001", 2, 2)]
        # Active activities only (the retired one is left out), the never planned first.
        assert uptake_rows(least) == [("MED-0002", 0, 0), ("MED-0001", 2, 2), ("CYB-0001", 3, 2)]
        assert most.rows[0][1:3] == ["Incident handling — course", world["areas"]["cyber"].name]
        assert most.links[0] == world["activities"]["popular"].get_absolute_url()
        assert by_area.header == [
            "Area of cooperation",
            *[str(year) for year in (Y - 6, Y - 3, Y - 2, Y - 1, Y)],
            "Total",
        ]
        rows = {row[0]: row[1:] for row in by_area.rows}
        assert len(rows) == Area.objects.count()  # every area, planned or not
        assert rows[world["areas"]["cyber"].name] == [0, 1, 1, 0, 1, 3]
        # The retired activity still counts among what was planned.
        assert rows[world["areas"]["med"].name] == [1, 0, 0, 1, 1, 3]
        assert by_area.totals == ["Total", 1, 1, 1, 1, 2, 6]

    def test_in_force_only(self, viewer, world):
        most, _least, by_area = tables("menu-uptake", viewer, scope="in_force")
        assert uptake_rows(most) == [("CYB-0001", 3, 2), ("MED-0001", 1, 1)]
        assert by_area.header[1:-1] == [str(year) for year in (Y - 3, Y - 2, Y - 1, Y)]
        assert by_area.totals == ["Total", 1, 1, 1, 2, 5]

    def test_every_version(self, viewer, world):
        most, _least, by_area = tables("menu-uptake", viewer, scope="all")
        assert uptake_rows(most) == [("CYB-0001", 4, 3), ("MED-0001", 3, 3)]
        assert by_area.totals[-1] == 8


@pytest.mark.django_db
def test_menu_uptake_with_nothing_planned(viewer, db):
    ActivityFactory(code="CYB-0009")
    most, least, by_area = tables("menu-uptake", viewer, scope="agreed")
    assert most.rows == []
    assert uptake_rows(least) == [("CYB-0009", 0, 0)]
    assert by_area.header == ["Area of cooperation", "Total"]
    assert by_area.totals == ["Total", 0]


@pytest.mark.django_db
def test_menu_uptake_keeps_most_and_least_to_twenty(viewer, approver, db):
    partner = PartnerFactory(code="ZZ", name="Zulu")
    activities = ActivityFactory.create_batch(45)
    build(
        partner,
        S.AGREED,
        approver=approver,
        start_year=Y,
        plans=[(activity, 1) for activity in activities[:30]]
        + [(activity, 2) for activity in activities[:5]],
    )
    most, least, _by_area = tables("menu-uptake", viewer, scope="agreed")
    assert len(most.rows) == len(least.rows) == cross_reports.UPTAKE_LIST_SIZE
    assert {row[0] for row in most.rows[:5]} == {a.code for a in activities[:5]}
    assert [row[3] for row in least.rows] == [0] * 15 + [1] * 5


@pytest.mark.django_db
def test_a_user_without_role_sees_no_programme(no_role_user, world):
    matrix, listing = tables("programmes-by-status", no_role_user)
    assert matrix.totals == ["Total"] + [0] * 9
    assert listing.rows == []
    assert tables("ending-soon", no_role_user)[0].rows == []
    assert tables("no-programme-in-force", no_role_user)[0].rows == []
    most, least, by_area = tables("menu-uptake", no_role_user)
    assert most.rows == []
    assert {row[3] for row in least.rows} == {0}  # the menu itself is no secret
    assert by_area.totals == ["Total", 0]


# --- Pages and files --------------------------------------------------------------------------


def parsed_csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def as_csv_cells(row):
    """What the CSV holds for a row of typed cells."""
    cells = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, datetime.date):
            cells.append(value.isoformat())
        elif isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
            cells.append("'" + value)
        else:
            cells.append(str(value))
    return cells


@pytest.mark.django_db
class TestPages:
    def test_index_lists_every_report_and_the_partners(self, client_as, viewer, world):
        response = client_as(viewer).get(INDEX)
        assert response.status_code == 200
        for report in cross_reports.REPORTS.values():
            assert str(report.title) in response.text
            assert page_url(report.slug) in response.text
        assert '<option value="CH">Charlie</option>' in response.text
        assert 'aria-current="page">Reports</a>' in response.text

    def test_index_opens_a_partners_report(self, client_as, viewer, world):
        response = client_as(viewer).get(INDEX, {"partner": "BR"})
        assert response.status_code == 302
        assert response["Location"] == reverse("programmes:partner_report", kwargs={"code": "BR"})

    @pytest.mark.parametrize(
        "query",
        [{"partner": "XX"}, {"partner": ""}, {"partner": "\x00" * 3}, {"partner": "B" * 5000}],
    )
    def test_index_refuses_an_unknown_partner_gently(self, client_as, viewer, world, query):
        response = client_as(viewer).get(INDEX, query)
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_index_ignores_junk_with_a_notice(self, client_as, viewer, world):
        response = client_as(viewer).get(INDEX, {"junk": "1"})
        assert response.status_code == 200
        assert "not understood" in response.text
        assert "not understood" not in client_as(viewer).get(INDEX).text

    @pytest.mark.parametrize("slug", SLUGS)
    def test_each_report_on_screen(self, client_as, viewer, world, slug):
        response = client_as(viewer).get(page_url(slug))
        assert response.status_code == 200
        assert response.context["report"].slug == slug
        for table in response.context["tables"]:
            assert f"{table.caption}</caption>" in response.text or table.empty in response.text
        assert f'href="{export_url(slug, "csv")}' in response.text
        assert f'href="{export_url(slug, "xlsx")}' in response.text
        assert "not understood" not in response.text

    def test_screen_shows_rows_with_links_dates_and_blanks(self, client_as, viewer, world):
        text = client_as(viewer).get(page_url("ending-soon")).text
        programme = world["programmes"]["cmd"]
        assert '<th scope="row" class="fw-normal">=cmd</th>' in text
        assert f'<td><a href="{programme.get_absolute_url()}">+1</a></td>' in text
        assert f"31 Dec {Y}" in text  # day, month, year (pfp/formats/en)
        text = client_as(viewer).get(page_url("no-programme-in-force")).text
        assert '<span class="visually-hidden">none</span>' in text
        text = client_as(viewer).get(page_url("programmes-by-status")).text
        assert "<tfoot>" in text

    def test_buttons_and_forms_are_not_printed(self, client_as, viewer, world):
        text = client_as(viewer).get(page_url("menu-uptake")).text
        assert '<div class="d-flex flex-wrap gap-2 no-print">' in text
        assert 'class="row g-3 align-items-end mb-4 no-print"' in text

    def test_scope_is_chosen_and_carried_to_the_downloads(self, client_as, viewer, world):
        response = client_as(viewer).get(page_url("menu-uptake"), {"scope": "all"})
        assert response.context["tables"][0].rows[0][3] == 4
        assert f"{export_url('menu-uptake', 'csv')}?scope=all" in response.text
        assert "Every version, drafts and earlier versions included." in response.text

    @pytest.mark.parametrize(
        "query",
        [
            {"scope": "junk"},
            {"scope": ["agreed", "x" * 3000]},
            {"scope": "\x00"},
            {"other": "1"},
            {"scope": "in_force", "page": "-1"},
        ],
    )
    def test_junk_is_ignored_with_a_notice(self, client_as, viewer, world, query):
        client = client_as(viewer)
        default = client.get(page_url("menu-uptake")).context["tables"]
        response = client.get(page_url("menu-uptake"), query)
        assert response.status_code == 200
        assert "not understood" in response.text
        assert response.context["tables"] == default
        assert response.context["form"]["scope"].value() == "in_force"
        for fmt in ("csv", "xlsx"):
            assert client.get(export_url("menu-uptake", fmt), query).status_code == 200

    def test_junk_on_a_report_without_options(self, client_as, viewer, world):
        response = client_as(viewer).get(page_url("ending-soon"), {"scope": "all"})
        assert response.status_code == 200
        assert "not understood" in response.text

    def test_in_french(self, client_as, viewer, world, settings):
        client = client_as(viewer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = client.get(page_url("menu-uptake"))
        assert response.status_code == 200
        assert world["areas"]["cyber"].name_fr in response.text
        assert escape(world["activities"]["popular"].title_fr) in response.text

    def test_menu_uptake_names_what_it_counts(self, client_as, viewer, world):
        text = client_as(viewer).get(page_url("menu-uptake")).text
        assert "Count the activities planned in: Programmes in force today." in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/reports/nope/", "/reports/nope.csv", "/reports/nope.xlsx"])
def test_unknown_report_is_404(client_as, viewer, url):
    assert client_as(viewer).get(url).status_code == 404


@pytest.mark.django_db
class TestCsv:
    @pytest.mark.parametrize("slug", ["ending-soon", "no-programme-in-force"])
    def test_one_table_parses_back_to_the_rows_on_screen(self, client_as, viewer, world, slug):
        client = client_as(viewer)
        (table,) = client.get(page_url(slug)).context["tables"]
        response = client.get(export_url(slug, "csv"))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="pfp-{slug}-{TODAY.isoformat()}.csv"'
        )
        assert parsed_csv(response) == [table.header] + [as_csv_cells(r) for r in table.rows]

    @pytest.mark.parametrize("slug", ["programmes-by-status", "menu-uptake"])
    def test_a_report_of_several_tables_offers_one_csv_per_table(
        self, client_as, viewer, world, slug
    ):
        """Each file is one rectangular table (RFC 4180): one header row, every record as wide."""
        client = client_as(viewer)
        page = client.get(page_url(slug))
        tables_on_screen = page.context["tables"]
        assert len(tables_on_screen) > 1
        for table in tables_on_screen:
            link = next(url for _label, url in page.context["csv_downloads"] if table.slug in url)
            assert f'href="{escape(link)}"' in page.text
            response = client.get(link)
            assert response["Content-Disposition"] == (
                f'attachment; filename="pfp-{slug}-{table.slug}-{TODAY.isoformat()}.csv"'
            )
            rows = parsed_csv(response)
            assert rows == [table.header] + [as_csv_cells(row) for row in table.all_rows]
            assert {len(row) for row in rows} == {len(table.columns)}

    def test_the_links_name_each_table_and_keep_the_options(self, client_as, viewer, world):
        client = client_as(viewer)
        text = client.get(page_url("menu-uptake"), {"scope": "all"}).text
        csv_url = export_url("menu-uptake", "csv")
        for slug, name in [
            ("most-planned", "Most planned"),
            ("least-planned", "Least planned"),
            ("by-area-and-year", "By area and year"),
        ]:
            assert f'href="{csv_url}?scope=all&amp;table={slug}">CSV: {name}</a>' in text
        text = client.get(page_url("ending-soon")).text
        assert f'href="{export_url("ending-soon", "csv")}">Download CSV</a>' in text

    def test_the_first_table_without_a_name_and_404_for_an_unknown_one(
        self, client_as, viewer, world
    ):
        client = client_as(viewer)
        matrix, _listing = tables("programmes-by-status", viewer)
        rows = parsed_csv(client.get(export_url("programmes-by-status", "csv")))
        assert rows == [matrix.header] + [as_csv_cells(row) for row in matrix.all_rows]
        for name in ["nope", "", "versions\x00"]:
            response = client.get(export_url("programmes-by-status", "csv"), {"table": name})
            assert response.status_code == 404
        (table,) = tables("ending-soon", viewer)
        response = client.get(export_url("ending-soon", "csv"), {"table": table.slug})
        assert parsed_csv(response)[0] == table.header
        # The workbook holds every table, a sheet each, whatever the address names.
        response = client.get(export_url("programmes-by-status", "xlsx"), {"table": "versions"})
        assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == [
            "By framework and status",
            "Versions",
            "About",
        ]

    def test_formulas_are_neutralised(self, client_as, viewer, world):
        rows = parsed_csv(client_as(viewer).get(export_url("ending-soon", "csv")))
        assert rows[1][:4] == ["'=cmd", "EQ", EAPC, "'+1"]
        listing = parsed_csv(
            client_as(viewer).get(export_url("programmes-by-status", "csv"), {"table": "versions"})
        )
        assert ["'=cmd", "EQ", EAPC, "'+1"] in [row[:4] for row in listing]

    @pytest.mark.parametrize("name", ["-1", "@SUM(A1)"])
    def test_other_triggers_are_neutralised(self, client_as, viewer, world, name):
        world["partners"]["charlie"].name = name
        world["partners"]["charlie"].save()
        rows = parsed_csv(client_as(viewer).get(export_url("no-programme-in-force", "csv")))
        assert "'" + name in [row[0] for row in rows]


@pytest.mark.django_db
class TestExcel:
    def workbook(self, response):
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def test_cells_hold_values_of_their_type(self, client_as, viewer, world):
        response = client_as(viewer).get(export_url("ending-soon", "xlsx"))
        assert response["Content-Disposition"] == (
            f'attachment; filename="pfp-ending-soon-{TODAY.isoformat()}.xlsx"'
        )
        book = self.workbook(response)
        assert book.sheetnames == ["Ending soon", "About"]
        sheet = book["Ending soon"]
        assert [cell.value for cell in sheet[1]][:3] == ["Partner", "ISO code", "Framework"]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
        row = [cell.value for cell in sheet[2]]
        assert row[:6] == ["'=cmd", "EQ", EAPC, "'+1", period(Y - 3), 1]
        assert isinstance(row[5], int)
        assert row[6] == datetime.datetime(2025, 12, 1)
        assert row[7] == datetime.datetime(Y, 12, 31)
        assert sheet.max_row == 2

    def test_one_sheet_per_table_with_totals(self, client_as, viewer, world):
        response = client_as(viewer).get(export_url("menu-uptake", "xlsx"), {"scope": "agreed"})
        book = self.workbook(response)
        assert book.sheetnames == ["Most planned", "Least planned", "By area and year", "About"]
        most = book["Most planned"]
        assert [cell.value for cell in most[2]] == [
            "CYB-0001",
            "Incident handling — course",
            world["areas"]["cyber"].name,
            3,
            2,
        ]
        by_area = book["By area and year"]
        assert [cell.value for cell in by_area[1]][1] == str(Y - 6)
        assert [cell.value for cell in by_area[by_area.max_row]] == ["Total", 1, 1, 1, 1, 2, 6]

    def test_about_sheet_says_what_when_who_and_scope(self, client_as, viewer, world):
        response = client_as(viewer).get(export_url("menu-uptake", "xlsx"), {"scope": "in_force"})
        about = {row[0]: row[1] for row in self.workbook(response)["About"].values}
        assert about["Report"] == "Menu uptake"
        assert about["Generated on"] == datetime.datetime.combine(TODAY, datetime.time())
        assert about["Generated by"] == str(viewer)
        assert about["Count the activities planned in"] == "Programmes in force today"

    def test_matrix_counts_are_numbers(self, client_as, viewer, world):
        book = self.workbook(client_as(viewer).get(export_url("programmes-by-status", "xlsx")))
        sheet = book["By framework and status"]
        assert [cell.value for cell in sheet[sheet.max_row]] == [
            "Total",
            1,
            1,
            0,
            0,
            3,
            0,
            0,
            0,
            5,
        ]
        assert "'=cmd" in [row[0] for row in book["Versions"].values]


# --- Who may read them ------------------------------------------------------------------------


def every_report_url():
    return (
        [INDEX]
        + [page_url(slug) for slug in SLUGS]
        + [export_url(slug, fmt) for slug in SLUGS for fmt in ("csv", "xlsx")]
    )


@pytest.mark.django_db
class TestAccess:
    def test_every_role_reads_every_report(self, client_as, any_role_user, world):
        client = client_as(any_role_user)
        for url in every_report_url():
            assert client.get(url).status_code == 200, url

    def test_no_role_is_refused(self, client_as, no_role_user, world):
        client = client_as(no_role_user)
        for url in every_report_url():
            assert client.get(url).status_code == 403, url
        assert client.get("/reports/nope/").status_code == 403

    def test_logged_out_goes_to_login(self, client, world):
        for url in every_report_url():
            response = client.get(url)
            assert response.status_code == 302
            assert reverse("login") in response["Location"]

    def test_reports_change_nothing(self, client_as, approver, world):
        before = list(Programme.objects.values_list("pk", "status", "edit_stamp"))
        client = client_as(approver)
        for url in every_report_url():
            client.post(url)
            client.get(url)
        assert list(Programme.objects.values_list("pk", "status", "edit_stamp")) == before


@pytest.mark.django_db
def test_navigation_offers_reports_to_readers_only(client_as, viewer, no_role_user):
    assert f'href="{INDEX}"' in client_as(viewer).get(reverse("home")).text
    assert f'href="{INDEX}"' not in client_as(no_role_user).get(reverse("home")).text


# --- Queries: the same number whatever the data size ------------------------------------------

# Seven of every request here (session, user, permissions, the session saved), one more on screen
# (the roles in the footer); the rest is the report's own: three on screen (the versions' page
# and their count) and two in a download, two, three and four queries; the index's one is its
# list of partners.
PINNED = {
    ("programmes-by-status", "page"): 11,
    ("programmes-by-status", "csv"): 8,  # the first table, the matrix
    ("programmes-by-status", "csv versions"): 9,
    ("programmes-by-status", "xlsx"): 9,
    ("ending-soon", "page"): 10,
    ("ending-soon", "csv"): 9,
    ("ending-soon", "xlsx"): 9,
    ("no-programme-in-force", "page"): 11,
    ("no-programme-in-force", "csv"): 10,
    ("no-programme-in-force", "xlsx"): 10,
    ("menu-uptake", "page"): 12,
    ("menu-uptake", "csv"): 11,
    ("menu-uptake", "csv least-planned"): 11,
    ("menu-uptake", "csv by-area-and-year"): 11,
    ("menu-uptake", "xlsx"): 11,
    # The years to choose from (twice: read, then shown), three of the figures, and the events
    # with nothing recorded (their count, and their page when there are some, on screen).
    ("delivery", "page"): 14,
    ("delivery", "csv"): 12,
    ("delivery", "csv by-provider"): 12,
    ("delivery", "csv by-partner"): 12,
    ("delivery", "csv without-outcome"): 13,
    ("delivery", "xlsx"): 13,
    ("index", "page"): 9,
}


def grow(approver, world):
    """Ten more partners: agreed programmes ending this year, drafts, partners with nothing,
    and fifty more activities planned."""
    activities = ActivityFactory.create_batch(50)
    for n in range(10):
        partner = PartnerFactory(code=f"Q{chr(65 + n)}", name=f"Quebec {n}")
        if n % 3 == 0:
            continue
        build(
            partner,
            S.AGREED,
            approver=approver,
            start_year=Y - 3,
            plans=[(activity, n % 4 + 1) for activity in activities[n : n + 20]],
        )
        if n % 3 == 1:
            build(partner, S.DRAFT, approver=approver, start_year=Y + 1, plans=[])


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(
    client_as, viewer, approver, world, django_assert_num_queries
):
    client = client_as(viewer)

    def urls():
        for slug in SLUGS:
            yield (slug, "page"), page_url(slug)
            yield (slug, "csv"), export_url(slug, "csv")
            for table in tables(slug, viewer)[1:]:
                yield (slug, f"csv {table.slug}"), f"{export_url(slug, 'csv')}?table={table.slug}"
            yield (slug, "xlsx"), export_url(slug, "xlsx")
        yield ("index", "page"), INDEX

    for size in ("small", "large"):
        if size == "large":
            grow(approver, world)
        for key, url in urls():
            with django_assert_num_queries(PINNED[key]):
                assert client.get(url).status_code == 200
