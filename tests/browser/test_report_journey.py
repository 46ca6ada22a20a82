"""The reports in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

A viewer opens a partner's report from Reports in the navigation, sees the version in force,
switches to the version it superseded, and downloads that version as PDF and Excel; on paper
(print media) the navigation, footer and controls are gone; each report across partners opens
from the reports index.
"""

import io
import os
import re
from pathlib import Path

import openpyxl
import pypdf
import pytest
from django.utils import timezone

from pfp.roles import Role
from programmes import workflow
from programmes.menu.models import Area
from programmes.models import ProgrammeStatus
from tests.support.browser import assert_accessible, expect, log_in
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    agree,
    assigned_officer,
    programme_in_status,
)

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "partner-report-print.png"
# About an A4 page's width at 96 dpi: the screenshot looks like the printed page.
A4_VIEWPORT = {"width": 794, "height": 1123}

PARTNER = "République de Freedonie"  # accented: the PDF's fonts must show it
CODE = "FD"
THIS_YEAR = timezone.localdate().year
# Started last year: in force whatever the date the tests run on.
START = THIS_YEAR - 1
PERIOD = f"{START}\N{EN DASH}{START + 3}"
NEW_OBJECTIVE = "Resilient civil preparedness"
NEW_GOAL = "A national crisis management centre"
NEW_CODES = ["CYB-0301", "LOG-0302"]
CROSS_REPORTS = [
    ("programmes-by-status", "Programmes by status and framework"),
    ("ending-soon", "Programmes ending within twelve months without a successor"),
    ("no-programme-in-force", "Partners with no programme in force"),
    ("menu-uptake", "Menu uptake"),
    ("delivery", "Delivery"),
]


@pytest.fixture
def versions(db):
    """Freedonia's programme: version 1 (2 objectives, 4 goals, 6 activities) agreed, then
    superseded by version 2, agreed today, which adds an objective, a goal and two activities.
    Also a partner whose programme ends this year and one with no programme at all."""
    partner = PartnerFactory(name=PARTNER, code=CODE)
    officer = assigned_officer(partner, username="olivia")
    approver = UserFactory(username="amir", role=Role.APPROVER)
    first = programme_in_status(
        ProgrammeStatus.AGREED,
        officer=officer,
        approver=approver,
        partner=partner,
        start_year=START,
        objectives=2,
        goals=2,
        activities=6,
    )
    second = workflow.revise(actor=officer, programme=first)
    objective = workflow.add_objective(actor=officer, programme=second, title=NEW_OBJECTIVE)
    goal = workflow.add_goal(actor=officer, objective=objective, title=NEW_GOAL)
    for year, (code, area) in enumerate(zip(NEW_CODES, ["cyber", "log"], strict=True), start=2):
        activity = ActivityFactory(code=code, area=Area.objects.get(code=area))
        workflow.plan_activity(
            actor=officer, programme=second, activity=activity, year=year, goal=goal
        )
    agree(
        second,
        officer=officer,
        approver=approver,
        on=timezone.localdate(),
        signatory="Minister of Foreign Affairs",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ProgrammeStatus.SUPERSEDED, ProgrammeStatus.AGREED)

    ending = PartnerFactory(name="Ruritania", code="RU")
    programme_in_status(
        ProgrammeStatus.AGREED,
        officer=assigned_officer(ending, username="rudolf"),
        approver=approver,
        partner=ending,
        start_year=THIS_YEAR - 3,
    )
    PartnerFactory(name="Syldavia", code="SY")
    return first, second


def main_navigation(page):
    return page.get_by_role("navigation", name="Main navigation")


def version_selector(page):
    return page.get_by_role("combobox", name="Version reported on")


def lead(page):
    """The line under the report's heading: title, period, version and status."""
    return page.locator("main p.lead")


def objectives_section(page):
    return page.locator("section[aria-labelledby='objectives-heading']")


def download(page, link, tmp_path):
    """Click the download link ``link``; the saved file's path and its suggested name."""
    with page.expect_download() as info:
        page.locator("main a.btn", has_text=re.compile(rf"^{link}$")).click()
    name = info.value.suggested_filename
    path = tmp_path / name
    info.value.save_as(path)
    return path, name


def open_partner_report(page, live_server):
    """From the navigation's Reports, choose Freedonia: its report, default version."""
    main_navigation(page).get_by_role("link", name="Reports", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("combobox", name="Partner").select_option(label=PARTNER)
    page.get_by_role("button", name="Open the report").click()
    expect(page).to_have_url(f"{live_server.url}/reports/partners/{CODE}/")
    expect(page.get_by_role("heading", name=f"Report on {PARTNER}", level=1)).to_be_visible()


@pytest.mark.browser
def test_viewer_switches_version_and_downloads_pdf_and_excel(
    page, live_server, viewer, versions, tmp_path
):
    first, second = versions
    log_in(page, live_server, viewer.username)
    expect(page).to_have_url(f"{live_server.url}/")
    assert_accessible(page)

    open_partner_report(page, live_server)
    # By default, the version in force: version 2, with what it changed from version 1.
    expect(lead(page)).to_have_text(
        f"Individually Tailored Partnership Programme · {PERIOD} · version 2 · Agreed"
    )
    expect(version_selector(page)).to_have_value(str(second.pk))
    expect(page.get_by_text("This is not the version the report shows by default.")).to_have_count(
        0
    )
    expect(
        objectives_section(page).get_by_role("heading", name=f"3. {NEW_OBJECTIVE}", level=3)
    ).to_be_visible()
    for code in NEW_CODES:
        expect(objectives_section(page).get_by_role("cell", name=code, exact=True)).to_be_visible()
    expect(
        page.get_by_role("heading", name="What version 2 changed from version 1", level=2)
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Planned activities by area of cooperation and year")
    ).to_be_visible()
    assert_accessible(page)

    # The version it superseded, chosen with the version selector.
    version_selector(page).select_option(label=f"{PERIOD} · version 1 · Superseded")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/partners/{CODE}/?version={first.pk}")
    expect(lead(page)).to_have_text(
        f"Individually Tailored Partnership Programme · {PERIOD} · version 1 · Superseded"
    )
    expect(version_selector(page)).to_have_value(str(first.pk))
    expect(page.get_by_text("This is not the version the report shows by default.")).to_be_visible()
    expect(objectives_section(page).get_by_role("heading", level=3)).to_have_text(
        ["1. Objective 1", "2. Objective 2"]
    )
    expect(objectives_section(page)).not_to_contain_text(NEW_OBJECTIVE)
    for code in NEW_CODES:
        expect(page.locator("main")).not_to_contain_text(code)
    expect(page.get_by_role("heading", name=re.compile("^What version"))).to_have_count(0)
    expect(page.locator("main")).to_contain_text("revised by version 2 (Agreed)")
    assert_accessible(page)

    # The PDF of the version shown: named by partner, years and version.
    path, name = download(page, "PDF", tmp_path)
    assert re.fullmatch(r"ITPP-[A-Z]{2}-\d{4}-\d{4}-v\d+\.pdf", name)
    assert name == f"ITPP-{CODE}-{START}-{START + 3}-v1.pdf"
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(page_.extract_text() for page_ in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert PARTNER in text
    assert "version 1" in text
    codes = list(first.planned_activities.values_list("activity__code", flat=True))
    assert len(codes) == 6
    for expected in ("Objective 1", "Objective 2", "Goal 2.2", *codes):
        assert expected in text
    assert NEW_OBJECTIVE not in text

    # The Excel workbook of the same version.
    path, name = download(page, "Excel", tmp_path)
    assert name == f"ITPP-{CODE}-{START}-{START + 3}-v1.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "Summary",
        "Objectives and goals",
        "Planned activities",
        "History",
        "Delivery by year",
        "Delivery by area",
        "Events",
        "Annual reviews",
    ]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Partner"] == PARTNER
    assert summary["Version"] == 1
    assert summary["Status"] == "Superseded"
    assert workbook["Planned activities"].max_row == 1 + 6  # the header and six activities
    # Downloading changed nothing: still on version 1's report.
    expect(lead(page)).to_contain_text("version 1 · Superseded")


@pytest.mark.browser
def test_printed_report_has_no_navigation(page, live_server, viewer, versions, tmp_path):
    log_in(page, live_server, viewer.username)
    expect(page).to_have_url(f"{live_server.url}/")
    open_partner_report(page, live_server)
    assert_accessible(page)

    navbar = page.locator("header nav.navbar")
    footer = page.locator("body > footer")
    breadcrumb = page.locator("main nav[aria-label='Breadcrumb']")
    version_form = page.locator("main form[aria-label='Version reported on']")
    buttons = [
        page.locator("main a.btn", has_text=re.compile(rf"^{label}$"))
        for label in ("PDF", "CSV", "Excel")
    ]
    on_screen_only = [navbar, footer, breadcrumb, version_form, *buttons]
    for locator in on_screen_only:
        expect(locator).to_be_visible()

    page.set_viewport_size(A4_VIEWPORT)
    page.emulate_media(media="print")
    for locator in on_screen_only:
        expect(locator).to_be_hidden()
    expect(page.get_by_text("Download this report")).to_be_hidden()
    # What the report says is all printed.
    expect(page.get_by_role("heading", name=f"Report on {PARTNER}", level=1)).to_be_visible()
    expect(lead(page)).to_contain_text("version 2 · Agreed")
    expect(
        page.get_by_role("img", name="Planned activities by area of cooperation and year")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Planned activities by area of cooperation and year")
    ).to_be_visible()
    expect(
        objectives_section(page).get_by_role("heading", name=f"3. {NEW_OBJECTIVE}", level=3)
    ).to_be_visible()
    assert_accessible(page)

    image = page.screenshot(full_page=True)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    target = SCREENSHOT if os.environ.get("PFP_SCREENSHOT") else tmp_path / SCREENSHOT.name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(image)


@pytest.mark.browser
def test_each_report_across_partners_opens_from_the_index(page, live_server, viewer, versions):
    log_in(page, live_server, viewer.username)
    expect(page).to_have_url(f"{live_server.url}/")
    main_navigation(page).get_by_role("link", name="Reports", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/")
    assert_accessible(page)
    index = page.locator("section[aria-labelledby='across-heading']")
    expect(index.get_by_role("link")).to_have_text([title for _, title in CROSS_REPORTS])

    expected = {
        "programmes-by-status": PARTNER,
        "ending-soon": "Ruritania",
        "no-programme-in-force": "Syldavia",
        "menu-uptake": NEW_CODES[0],
        # No event is recorded here: the report says so, under its area table.
        "delivery": "Delivery by area of cooperation",
    }
    for slug, title in CROSS_REPORTS:
        index.get_by_role("link", name=title, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/reports/{slug}/")
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(page.get_by_role("table").first).to_be_visible()
        expect(page.locator("main")).to_contain_text(expected[slug])
        assert_accessible(page)
        page.get_by_role("navigation", name="Breadcrumb").get_by_role(
            "link", name="Reports"
        ).click()
        expect(page).to_have_url(f"{live_server.url}/reports/")
