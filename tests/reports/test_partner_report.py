"""The per-partner report: the page for every role, the version shown, bad input, the PDF, CSV
and Excel downloads (contents, types, neutralised formulas, names), the chart, and query counts
pinned at two sizes."""

import copy
import csv
import datetime
import io
import re

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Partner
from programmes import workflow
from programmes.models import Goal, PlannedActivity, Programme, ProgrammeStatus
from programmes.reports.partner import (
    BAR_SPACE,
    PLANNED_COLUMNS,
    YEAR_COLOURS,
    activity_matrix,
    bar_chart,
    default_version,
)
from programmes.reports.pdf import StaticFileFetcher
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    agree,
    assigned_officer,
    draft_programme,
    drafter_of,
    partnerland,
    programme_in_status,
    role_user,
)
from tests.support.pages import messages_of

THIS_YEAR = timezone.localdate().year
# A programme that started last year is in force whatever the date the tests run on.
CURRENT = THIS_YEAR - 1
DASH = "\N{EN DASH}"


def page(partner, **query):
    url = reverse("programmes:partner_report", kwargs={"code": partner.code})
    return (url, query)


def download(partner, fmt):
    return reverse("programmes:partner_report_download", kwargs={"code": partner.code, "fmt": fmt})


def get_page(client, partner, **query):
    url, query = page(partner, **query)
    return client.get(url, query)


def revised(programme, *, officer, approver):
    """A new agreed version of ``programme`` with one activity more in its first year."""
    revision = workflow.revise(actor=officer, programme=programme)
    goal = Goal.objects.filter(objective__programme=revision).order_by("pk").first()
    workflow.plan_activity(
        actor=officer, programme=revision, activity=ActivityFactory(), year=1, goal=goal
    )
    return agree(revision, officer=officer, approver=approver)


@pytest.fixture(scope="class")
def programme_in_force(class_transaction):
    """Partnerland's agreed programme in force: 2 objectives of 2 goals, 6 planned activities;
    drafted by the ``drafter``, approved by the ``approver``. Built once for a class."""
    partner = partnerland()
    return programme_in_status(
        ProgrammeStatus.AGREED,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        start_year=CURRENT,
        objectives=2,
        goals=2,
        activities=6,
    )


@pytest.fixture
def in_force(programme_in_force, db):
    return copy.deepcopy(programme_in_force)


def planned_of(programme):
    return list(
        PlannedActivity.objects.filter(programme=programme).select_related(
            "activity__area", "activity__provider", "goal__objective"
        )
    )


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    def test_every_staff_role_reads_the_report(self, client_as, any_role_user, in_force):
        response = get_page(client_as(any_role_user), in_force.partner)
        assert response.status_code == 200
        assert response.context["report"].programme == in_force

    def test_user_without_a_role_is_refused(self, client_as, no_role_user, in_force):
        client = client_as(no_role_user)
        assert get_page(client, in_force.partner).status_code == 403
        for fmt in ("pdf", "csv", "xlsx"):
            assert client.get(download(in_force.partner, fmt)).status_code == 403

    def test_code_in_lower_case_works(self, client_as, viewer, in_force):
        response = client_as(viewer).get("/reports/partners/pl/")
        assert response.status_code == 200

    def test_invisible_partner_is_404_everywhere(
        self, client_as, viewer, in_force, partner, monkeypatch
    ):
        monkeypatch.setattr(
            "programmes.reports.partner.visible_partners",
            lambda user: Partner.objects.exclude(pk=partner.pk),
        )
        client = client_as(viewer)
        assert get_page(client, partner).status_code == 404
        for fmt in ("pdf", "csv", "xlsx"):
            assert client.get(download(partner, fmt)).status_code == 404

    def test_invisible_version_is_404(
        self, client_as, viewer, in_force, partner, drafter, monkeypatch
    ):
        draft = draft_programme(officer=drafter, partner=partner, start_year=CURRENT + 4)
        monkeypatch.setattr(
            "programmes.reports.partner.visible_programmes",
            lambda user: Programme.objects.exclude(pk=draft.pk),
        )
        client = client_as(viewer)
        assert get_page(client, partner, version=draft.pk).status_code == 404
        response = get_page(client, partner)
        assert draft not in response.context["report"].versions


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, partner):
    response = get_page(client, partner)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_unknown_partner_is_404(client_as, viewer, db):
    assert get_page(client_as(viewer), Partner(code="ZZ")).status_code == 404


@pytest.mark.django_db
class TestContents:
    def test_profile_programme_and_contents(self, client_as, viewer, approver, in_force):
        response = get_page(client_as(viewer), in_force.partner)
        text = response.text
        for expected in [
            "Report on Partnerland",
            "Euro-Atlantic Partnership Council",
            "Active partner",
            "Joined",
            f"{CURRENT}{DASH}{CURRENT + 3}",
            "Minister of Defence",  # who signed
            f"{in_force.approved_at:%b}",  # when it was approved
            str(approver),  # who approved it
            "Objective 1",
            "Goal 2.2",
            "Version history",
            "Partner&#x27;s agreement recorded",
        ]:
            assert expected in text, expected
        for planned in planned_of(in_force):
            assert planned.activity.code in text
        report = response.context["report"]
        assert [section.objective.title for section in report.objectives] == [
            "Objective 1",
            "Objective 2",
        ]
        assert len(report.planned) == 6
        assert report.comparison is None
        assert [step.what for step in report.history] == [
            "Version 1 created",
            "Submitted for approval",
            "Approved",
            "Partner's agreement recorded",
        ]

    def test_matrix_by_year_and_area_with_totals(self, client_as, viewer, in_force):
        report = get_page(client_as(viewer), in_force.partner).context["report"]
        matrix = report.matrix
        assert matrix.years == [CURRENT, CURRENT + 1, CURRENT + 2, CURRENT + 3]
        # draft_programme plans activity n in year n % 4 + 1, all in the factories' one area.
        assert [row.counts for row in matrix.rows] == [[2, 2, 1, 1]]
        assert [row.total for row in matrix.rows] == [6]
        assert matrix.totals == [2, 2, 1, 1]
        assert matrix.total == 6

    def test_chart_is_inline_svg_with_a_text_alternative(self, client_as, viewer, in_force):
        response = get_page(client_as(viewer), in_force.partner)
        text = response.text
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
        assert 'role="img"' in text
        assert '<title id="chart-title">' in text
        assert '<desc id="chart-desc">' in text
        assert "<caption>Planned activities by area of cooperation and year</caption>" in text
        # The CSP forbids inline styles and scripts: presentation attributes only.
        assert "style=" not in text
        assert "<script>" not in text.replace("<script src=", "")

    def test_chart_numbers_are_never_localised(self, client_as, viewer, in_force):
        client = client_as(viewer)
        client.cookies["django_language"] = "fr"
        text = get_page(client, in_force.partner, version=in_force.pk).text
        svg = text[text.index("<svg") : text.index("</svg>")]
        assert 'viewBox="-10 0 730 ' in svg
        for attribute in svg.split('"')[1::2]:
            assert "," not in attribute or " " in attribute  # no decimal commas in numbers

    def test_links_to_the_downloads_name_the_version_shown(self, client_as, viewer, in_force):
        text = get_page(client_as(viewer), in_force.partner).text
        for fmt in ("pdf", "csv", "xlsx"):
            assert f'href="{download(in_force.partner, fmt)}?version={in_force.pk}"' in text

    def test_earlier_programmes_are_listed(self, client_as, viewer, approver, drafter, in_force):
        earlier = programme_in_status(
            ProgrammeStatus.CLOSED,
            officer=drafter,
            approver=approver,
            partner=in_force.partner,
            start_year=CURRENT - 4,
        )
        report = get_page(client_as(viewer), in_force.partner).context["report"]
        assert report.programme == in_force
        assert report.earlier_programmes == [earlier]
        assert report.later_programmes == []

    def test_links_from_the_partner_and_programme_pages(self, client_as, viewer, in_force):
        client = client_as(viewer)
        report_url = reverse("programmes:partner_report", kwargs={"code": "PL"})
        partner_page = client.get(reverse("partners:detail", kwargs={"code": "PL"}))
        assert f'href="{report_url}"' in partner_page.text
        programme_page = client.get(in_force.get_absolute_url())
        assert f'href="{report_url}?version={in_force.pk}"' in programme_page.text


@pytest.mark.django_db
def test_partner_without_a_programme(client_as, viewer, db):
    lonely = PartnerFactory(name="Lonely Partner", code="LP")
    client = client_as(viewer)
    response = get_page(client, lonely)
    assert response.status_code == 200
    assert "No programme has been recorded for this partner." in response.text
    assert response.context["report"].programme is None
    pdf = client.get(download(lonely, "pdf"))
    assert pdf["Content-Disposition"] == 'attachment; filename="ITPP-LP-profile.pdf"'
    assert "Lonely Partner" in pdf_text(pdf)
    assert csv_rows(client.get(download(lonely, "csv"))) == []
    summary = workbook(client.get(download(lonely, "xlsx")))["Summary"]
    assert ["Programme", "No programme has been recorded for this partner."] in [
        [cell.value for cell in row] for row in summary.iter_rows()
    ]


@pytest.mark.django_db
class TestVersions:
    def test_default_is_the_version_in_force_and_another_can_be_chosen(
        self, client_as, viewer, drafter, approver, in_force
    ):
        revision = workflow.revise(actor=drafter, programme=in_force)  # a draft, newer
        client = client_as(viewer)
        report = get_page(client, in_force.partner).context["report"]
        assert report.programme == in_force
        assert report.is_default
        assert [version.pk for version in report.revised_by] == [revision.pk]

        response = get_page(client, in_force.partner, version=revision.pk)
        report = response.context["report"]
        assert report.programme == revision
        assert not report.is_default
        assert report.previous == in_force
        assert report.comparison is not None
        assert "What version 2 changed from version 1" in response.text
        assert "Show the default version" in response.text

    def test_revision_shows_what_it_changed(self, client_as, viewer, drafter, approver, in_force):
        second = revised(in_force, officer=drafter, approver=approver)
        response = get_page(client_as(viewer), in_force.partner)
        report = response.context["report"]
        assert report.programme == second  # the agreed revision is now in force
        assert len(report.comparison.activities.added) == 1
        added = report.comparison.activities.added[0]
        assert f"Added: {added.activity.code}" in response.text
        assert [(step.version, step.what) for step in report.history][-2:] == [
            (1, "Superseded by a newer agreed version"),
            (2, "Partner's agreement recorded"),
        ]

    @pytest.mark.parametrize(
        "junk", ["abc", "0", "-3", "1.5", "99999999999999999999", "1e3", " ", "%00"]
    )
    def test_junk_version_shows_the_default_with_a_message(self, client_as, viewer, in_force, junk):
        client = client_as(viewer)
        response = get_page(client, in_force.partner, version=junk)
        assert response.status_code == 200
        assert response.context["report"].programme == in_force
        assert messages_of(response) == [
            "The version asked for was not understood: the report shows the default one."
        ]
        # A download never gives another version than the one asked for.
        for fmt in ("pdf", "csv", "xlsx"):
            response = client.get(download(in_force.partner, fmt), {"version": junk})
            assert response.status_code == 404

    def test_empty_version_is_the_default_without_a_message(self, client_as, viewer, in_force):
        response = get_page(client_as(viewer), in_force.partner, version="")
        assert response.context["report"].programme == in_force
        assert messages_of(response) == []

    def test_version_of_another_partner_or_none_is_404(self, client_as, viewer, approver, in_force):
        other = PartnerFactory(name="Otherland", code="OT")
        theirs = draft_programme(officer=assigned_officer(other), partner=other)
        client = client_as(viewer)
        for version in (theirs.pk, 2**31 - 1):
            assert get_page(client, in_force.partner, version=version).status_code == 404
            for fmt in ("pdf", "csv", "xlsx"):
                url = download(in_force.partner, fmt)
                assert client.get(url, {"version": version}).status_code == 404

    def test_the_report_changes_nothing(self, client_as, viewer, in_force):
        before = (
            Programme.history.count(),
            PlannedActivity.objects.count(),
            Programme.objects.values_list("pk", "status", "edit_stamp").get(pk=in_force.pk),
        )
        client = client_as(viewer)
        get_page(client, in_force.partner)
        for fmt in ("pdf", "csv", "xlsx"):
            client.get(download(in_force.partner, fmt))
        after = (
            Programme.history.count(),
            PlannedActivity.objects.count(),
            Programme.objects.values_list("pk", "status", "edit_stamp").get(pk=in_force.pk),
        )
        assert after == before


@pytest.mark.django_db
def test_default_without_one_in_force_is_the_newest(client_as, viewer, drafter, approver, partner):
    old = programme_in_status(
        ProgrammeStatus.AGREED,
        officer=drafter,
        approver=approver,
        partner=partner,
        start_year=CURRENT - 8,
    )
    newest = draft_programme(officer=drafter, partner=partner, start_year=CURRENT + 3)
    report = get_page(client_as(viewer), partner).context["report"]
    assert report.programme == newest
    assert [version.pk for version in report.versions] == [newest.pk, old.pk]


@pytest.mark.django_db
def test_a_withdrawn_version_is_the_default_only_when_nothing_else_is(drafter, approver, partner):
    kept = draft_programme(officer=drafter, partner=partner, start_year=CURRENT + 3)
    withdrawn = workflow.withdraw(
        actor=drafter,
        # Later than the kept draft, and clear of its years while it was on its way.
        programme=draft_programme(officer=drafter, partner=partner, start_year=CURRENT + 7),
    )
    today = timezone.localdate()
    assert default_version([withdrawn, kept], today) == kept
    assert default_version([withdrawn], today) == withdrawn
    assert default_version([], today) is None


# --- The downloads -------------------------------------------------------------------------------


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.fixture
def formulas(drafter, in_force, partner):
    """A revision whose goal, objective and notes begin like spreadsheet formulas."""
    programme = draft_programme(
        officer=drafter,
        partner=partner,
        start_year=CURRENT + 4,
        title="@SUM(A1:A9)",
        activities=2,
    )
    goal = Goal.objects.filter(objective__programme=programme).first()
    workflow.update_goal(
        actor=drafter, goal=goal, seen_stamp=None, title='=HYPERLINK("http://x.invalid","y")'
    )
    objective = goal.objective
    workflow.update_objective(
        actor=drafter, objective=objective, seen_stamp=None, title="-2+3 objective"
    )
    for planned in PlannedActivity.objects.filter(programme=programme):
        workflow.update_planned_activity(
            actor=drafter,
            planned=planned,
            seen_stamp=None,
            year=planned.year,
            goal=goal,
            priority=planned.priority,
            notes="+1 more seat",
        )
    return programme


@pytest.mark.django_db
class TestPdf:
    def test_pdf_holds_the_partner_objectives_and_every_activity(self, client_as, viewer, in_force):
        response = client_as(viewer).get(download(in_force.partner, "pdf"))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="ITPP-PL-{CURRENT}-{CURRENT + 3}-v1.pdf"'
        )
        text = pdf_text(response)
        assert "Partnerland" in text
        for title in ("Objective 1", "Objective 2", "Goal 1.1", "Goal 2.2"):
            assert title in text
        for planned in planned_of(in_force):
            assert planned.activity.code in text
        assert "Page 1 of 2" in text or "Page 1 of 3" in text
        assert "Generated on" in text
        assert "by viewer" in text or f"by {viewer.get_full_name()}" in text

    def test_pdf_draws_the_chart_as_vectors(self, client_as, viewer, in_force):
        response = client_as(viewer).get(download(in_force.partner, "pdf"))
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        fills = set()
        for pdf_page in reader.pages:
            content = pdf_page.get_contents().get_data().decode("latin-1")
            for red, green, blue in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
                fills.add(tuple(round(float(part) * 255) for part in (red, green, blue)))
        # One filled bar colour per programme year (the bars are drawn, not pasted as a picture).
        for colour in YEAR_COLOURS:
            assert tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) in fills
        for pdf_page in reader.pages:
            for xobject in pdf_page["/Resources"].get("/XObject", {}).values():
                assert xobject.get_object()["/Subtype"] != "/Image"


@pytest.mark.django_db
def test_pdf_of_a_large_programme_repeats_headers_on_every_page(
    client_as, viewer, drafter, partner
):
    programme = draft_programme(officer=drafter, partner=partner, start_year=CURRENT, activities=60)
    response = client_as(viewer).get(download(partner, "pdf"), {"version": programme.pk})
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 3
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "Partnerland" in text  # the running header


@pytest.mark.django_db
def test_accented_names_are_set_in_fonts_that_have_them(client_as, viewer, db):
    name = "Türkiye Côte d'Ivoire Čačak Łódź Ærø"
    partner = PartnerFactory(name=name, code="TC")
    response = client_as(viewer).get(download(partner, "pdf"))
    assert name in pdf_text(response)
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for pdf_page in reader.pages
        for font in pdf_page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all(font.startswith(("Noto-Sans", "DejaVu-Sans")) for font in fonts), fonts


@pytest.mark.django_db
def test_static_files_come_from_disk_and_nothing_else_is_fetched():
    fetcher = StaticFileFetcher()
    response = fetcher("http://testserver/static/pfp/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    # Whatever the host, a static file's URL is read from disk, never over the network.
    assert b"@page" in fetcher("https://example.org/static/pfp/report.css").read()
    for refused in [
        "https://example.org/evil.css",
        "http://testserver/static/../pfp/settings.py",
        "http://testserver/static/pfp/nothing-here.css",
        "file:///etc/passwd",
    ]:
        with pytest.raises(ValueError, match="Not a static file"):
            fetcher(refused)


@pytest.mark.django_db
class TestCsv:
    def test_one_row_per_planned_activity_with_every_column(self, client_as, viewer, in_force):
        response = client_as(viewer).get(download(in_force.partner, "csv"))
        assert response["Content-Disposition"] == (
            f'attachment; filename="ITPP-PL-{CURRENT}-{CURRENT + 3}-v1.csv"'
        )
        rows = csv_rows(response)
        assert list(rows[0]) == [str(column) for column in PLANNED_COLUMNS]
        expected = sorted(
            (
                {
                    "Partner code": "PL",
                    "Partner": "Partnerland",
                    "Programme": in_force.title,
                    "Programme period": in_force.period,
                    "Version": "1",
                    "Status": "Agreed",
                    "Objective": planned.goal.objective.title,
                    "Goal": planned.goal.title,
                    "Calendar year": str(CURRENT + planned.year - 1),
                    "Programme year": str(planned.year),
                    "Activity code": planned.activity.code,
                    "Activity title": planned.activity.title_en,
                    "Area of cooperation": planned.activity.area.name_en,
                    "Type": planned.activity.get_type_display(),
                    "Provider": planned.activity.provider.name,
                    "Delivery mode": planned.activity.get_delivery_mode_display(),
                    "Length (days)": str(planned.activity.length_days),
                    "Priority": planned.get_priority_display(),
                    "Notes": planned.notes,
                    "Delivery": "Not yet recorded",  # tests/reports/test_delivery_report.py
                    "Events recorded": "0",
                }
                for planned in planned_of(in_force)
            ),
            key=lambda row: row["Activity code"],
        )
        assert sorted(rows, key=lambda row: row["Activity code"]) == expected

    def test_rows_follow_objectives_then_goals_then_years(self, client_as, viewer, in_force):
        rows = csv_rows(client_as(viewer).get(download(in_force.partner, "csv")))
        keys = [(row["Goal"], row["Calendar year"], row["Activity code"]) for row in rows]
        assert keys == sorted(keys)

    def test_formulas_are_neutralised(self, client_as, viewer, formulas):
        response = client_as(viewer).get(
            download(formulas.partner, "csv"), {"version": formulas.pk}
        )
        rows = csv_rows(response)
        assert rows
        for row in rows:
            assert row["Programme"] == "'@SUM(A1:A9)"
            assert row["Notes"] == "'+1 more seat"
            assert row["Goal"] == """'=HYPERLINK("http://x.invalid","y")"""
            assert row["Objective"] == "'-2+3 objective"


@pytest.mark.django_db
class TestExcel:
    def test_sheets_headers_values_and_types(self, client_as, viewer, in_force):
        response = client_as(viewer).get(download(in_force.partner, "xlsx"))
        assert response["Content-Disposition"] == (
            f'attachment; filename="ITPP-PL-{CURRENT}-{CURRENT + 3}-v1.xlsx"'
        )
        book = workbook(response)
        assert book.sheetnames == [
            "Summary",
            "Objectives and goals",
            "Planned activities",
            "History",
            "Delivery by year",  # tests/reports/test_delivery_report.py
            "Delivery by area",
            "Events",
            "Annual reviews",
        ]
        for sheet in book.worksheets:
            assert all(cell.font.bold for cell in sheet[1])
            assert sheet.freeze_panes == "A2"
            assert sheet.auto_filter.ref == sheet.dimensions

        planned = book["Planned activities"]
        header = [cell.value for cell in planned[1]]
        assert header == [str(column) for column in PLANNED_COLUMNS]
        rows = [
            dict(zip(header, row, strict=True)) for row in planned.iter_rows(2, values_only=True)
        ]
        assert len(rows) == 6
        by_code = {planned.activity.code: planned for planned in planned_of(in_force)}
        assert set(by_code) == {row["Activity code"] for row in rows}
        for row in rows:
            item = by_code[row["Activity code"]]
            assert row["Calendar year"] == CURRENT + item.year - 1
            assert row["Programme year"] == item.year
            assert row["Version"] == 1
            assert row["Length (days)"] == item.activity.length_days
            assert row["Goal"] == item.goal.title
            for column in ("Calendar year", "Programme year", "Version", "Length (days)"):
                assert isinstance(row[column], int), column

        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(2, values_only=True)}
        assert summary["Partner"] == "Partnerland"
        assert summary["First year"] == CURRENT
        assert summary["Planned activities"] == 6
        assert summary["Agreed by the partner on"] == datetime.datetime(2025, 12, 1)
        assert isinstance(summary["Approved on"], datetime.datetime)
        assert summary["Partner's signatory"] == "Minister of Defence"
        date_cell = next(
            row[1]
            for row in book["Summary"].iter_rows(2)
            if row[0].value == "Agreed by the partner on"
        )
        assert date_cell.is_date

        objectives = list(book["Objectives and goals"].iter_rows(2, values_only=True))
        assert [(row[0], row[1], row[3], row[4], row[6]) for row in objectives] == [
            (1, "Objective 1", "1.1", "Goal 1.1", 2),
            (1, "Objective 1", "1.2", "Goal 1.2", 2),
            (2, "Objective 2", "2.1", "Goal 2.1", 1),
            (2, "Objective 2", "2.2", "Goal 2.2", 1),
        ]

        history = list(book["History"].iter_rows(2, values_only=True))
        assert [row[3] for row in history] == [
            "Version 1 created",
            "Submitted for approval",
            "Approved",
            "Partner's agreement recorded",
        ]
        assert all(isinstance(row[1], datetime.datetime) for row in history)

    def test_formulas_are_neutralised(self, client_as, viewer, formulas):
        response = client_as(viewer).get(
            download(formulas.partner, "xlsx"), {"version": formulas.pk}
        )
        book = workbook(response)
        planned = book["Planned activities"]
        header = [cell.value for cell in planned[1]]
        for row in planned.iter_rows(2):
            cells = dict(zip(header, row, strict=True))
            assert cells["Goal"].value == """'=HYPERLINK("http://x.invalid","y")"""
            assert cells["Notes"].value == "'+1 more seat"
            assert cells["Objective"].value == "'-2+3 objective"
            assert all(cell.data_type != "f" for cell in row)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(2, values_only=True)}
        assert summary["Programme"] == "'@SUM(A1:A9)"
        goals = book["Objectives and goals"]
        assert goals["E2"].value == """'=HYPERLINK("http://x.invalid","y")"""


# --- The chart, on its own ---------------------------------------------------------------------


@pytest.mark.django_db
def test_chart_geometry(drafter, partner):
    programme = draft_programme(
        officer=drafter, partner=partner, start_year=CURRENT, objectives=1, goals=1, activities=10
    )
    planned = planned_of(programme)
    for item in planned:
        item.programme = programme
    matrix = activity_matrix(programme, planned)
    chart = bar_chart(matrix)
    [bar] = chart.bars
    assert [segment.count for segment in bar.segments] == [3, 3, 2, 2]
    assert [segment.series for segment in bar.segments] == programme.years
    assert bar.total == 10
    # Ticks every 2 up to 10: the longest bar spans the whole scale.
    assert [tick.value for tick in chart.ticks] == [0, 2, 4, 6, 8, 10]
    end = bar.segments[-1].x + bar.segments[-1].width
    assert end == pytest.approx(BAR_SPACE)
    assert len({segment.colour for segment in bar.segments}) == 4
    assert chart.legend[0].label == f"{CURRENT} (year 1)"
    assert bar_chart(activity_matrix(programme, [])) is None


# --- Query counts ------------------------------------------------------------------------------


def four_programmes(officer, approver, partner, activities=150):
    """Four agreed programmes (one in force), ``activities`` planned activities each."""
    programmes = []
    for start in (CURRENT - 12, CURRENT - 8, CURRENT - 4, CURRENT):
        programme = draft_programme(
            officer=officer,
            partner=partner,
            start_year=start,
            objectives=5,
            goals=3,
            activities=activities,
        )
        programmes.append(agree(programme, officer=officer, approver=approver))
    return programmes


def four_versions(officer, approver, partner, activities=150):
    """One programme in four agreed versions, the last one in force."""
    programme = draft_programme(
        officer=officer,
        partner=partner,
        start_year=CURRENT,
        objectives=5,
        goals=3,
        activities=activities,
    )
    programme = agree(programme, officer=officer, approver=approver)
    for _ in range(3):
        programme = revised(programme, officer=officer, approver=approver)
    return programme


# The page, with session, user, permissions and navigation; 4 of delivery; 1 of documents.
REPORT_QUERIES = 21
# 4 of delivery: planned activities in force, events, reviews, ratings; 1 of documents.
DOWNLOAD_QUERIES = 20
COMPARISON_QUERIES = 3  # compare_versions, when the version shown revises another


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.fixture
    def small(self, approver):
        partner = PartnerFactory(name="Smallland", code="SM")
        officer = assigned_officer(partner)
        return programme_in_status(
            ProgrammeStatus.AGREED,
            officer=officer,
            approver=approver,
            partner=partner,
            start_year=CURRENT,
        )

    def test_page_and_downloads_cost_the_same_at_any_size(
        self, client_as, viewer, approver, small, django_assert_num_queries
    ):
        large = PartnerFactory(name="Largeland", code="LA")
        programmes = four_programmes(assigned_officer(large), approver, large)
        client = client_as(viewer)
        for partner, planned in ((small.partner, 1), (large, 150)):
            with django_assert_num_queries(REPORT_QUERIES):
                response = get_page(client, partner)
            assert len(response.context["report"].planned) == planned
            for fmt in ("csv", "xlsx", "pdf"):
                with django_assert_num_queries(DOWNLOAD_QUERIES):
                    assert client.get(download(partner, fmt)).status_code == 200
        assert response.context["report"].programme == programmes[-1]
        assert len(response.context["report"].earlier_programmes) == 3

    def test_a_revision_costs_the_comparison_more_at_any_size(
        self, client_as, viewer, approver, small, django_assert_num_queries
    ):
        small_revision = revised(small, officer=small.created_by, approver=approver)
        large = PartnerFactory(name="Largeland", code="LA")
        latest = four_versions(assigned_officer(large), approver, large)
        client = client_as(viewer)
        for partner, version in ((small.partner, small_revision), (large, latest)):
            with django_assert_num_queries(REPORT_QUERIES + COMPARISON_QUERIES):
                response = get_page(client, partner)
            assert response.context["report"].programme == version
            assert response.context["report"].comparison is not None
            for fmt in ("csv", "xlsx", "pdf"):
                with django_assert_num_queries(DOWNLOAD_QUERIES + COMPARISON_QUERIES):
                    client.get(download(partner, fmt))
        assert len(response.context["report"].planned) == 153
        assert len(response.context["report"].lineage) == 4


@pytest.mark.django_db
class TestBothSidesAndTheDocuments:
    """The report says who accepted on each side and lists the documents the reader may see."""

    def test_acceptance_online_and_documents(self, client_as, drafter, approver, partner):
        from programmes import workflow
        from programmes.documents import actions as documents
        from programmes.models import ProgrammeStatus
        from tests.support.factories import (
            programme_in_status,
            representative_of,
            signed_agreement_pdf,
        )

        programme = programme_in_status(
            ProgrammeStatus.APPROVED, officer=drafter, approver=approver, partner=partner
        )
        documents.attach(
            actor=drafter,
            programme=programme,
            kind="concept_note",
            title="Concept note",
            name="concept.pdf",
            content=signed_agreement_pdf(),
            shared=True,
        )
        representative = representative_of(partner)
        workflow.accept(actor=representative, programme=programme)
        url = reverse("programmes:partner_report", args=[partner.code])
        for reader in (approver, representative):
            page = client_as(reader).get(f"{url}?version={programme.pk}").text
            assert f"by {representative}, the partner's representative" in page
            assert str(approver) in page  # NATO's approval
            assert "Concept note" in page
        # The signed agreement the factory attached is internal: staff see it, not the partner.
        assert "Agreement as signed" in client_as(approver).get(url).text
        assert "Agreement as signed" not in client_as(representative).get(url).text
