"""Cooperation menu journeys in a real browser, each page checked with axe-core (WCAG 2.1 A, AA)."""

import csv
import re

import pytest

from programmes.menu.importing import COLUMNS
from programmes.menu.models import Activity, ActivityType, Area
from tests.support.browser import assert_accessible, expect, log_in
from tests.support.factories import ActivityFactory, ProviderFactory

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER = "NATO School Oberammergau"
NEW_CODE = "CYBER-0777"
NEW_TITLE = "Zero trust architecture — course"


def activity_rows(page):
    return page.get_by_role("table").locator("tbody tr")


@pytest.mark.browser
def test_menu_manager_imports_a_file_and_finds_the_new_activity(
    page, live_server, menu_manager, tmp_path
):
    ProviderFactory(name=PROVIDER)
    menu_file = tmp_path / "new-activities.csv"
    with menu_file.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "code": NEW_CODE,
                "title_en": NEW_TITLE,
                "area": "cyber",
                "type": "course",
                "provider": PROVIDER,
                "delivery_mode": "online",
                "length_days": "3",
                "first_offered": "2026",
            }
        )
    assert menu_file.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)

    log_in(page, live_server, menu_manager.username)
    page.goto(f"{live_server.url}/menu/")
    expect(page.get_by_role("heading", name="Cooperation menu", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Import a file").click()
    expect(page).to_have_url(f"{live_server.url}/menu/imports/new/")
    expect(page.get_by_role("heading", name="Import a menu file", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Menu file").set_input_files(str(menu_file))
    page.get_by_role("button", name="Check the file").click()

    expect(page).to_have_url(re.compile(r"/menu/imports/\d+/$"))
    expect(
        page.get_by_role("heading", name="Import of new-activities.csv", level=1)
    ).to_be_visible()
    expect(page.locator("#counts")).to_contain_text("1 to add, 0 to change, 0 to retire")
    expect(page.get_by_role("heading", name="1 activity to add")).to_be_visible()
    added = page.get_by_role("table", name="Activities the file adds").locator("tbody tr")
    expect(added).to_have_count(1)
    expect(added.first).to_contain_text(NEW_CODE)
    expect(added.first).to_contain_text(NEW_TITLE)
    assert not Activity.objects.filter(code=NEW_CODE).exists()
    assert_accessible(page)

    page.get_by_role("button", name="Apply these changes").click()

    expect(
        page.get_by_text("The import was applied: 1 added, 0 changed, 0 retired.")
    ).to_be_visible()
    expect(page.locator("#counts")).to_contain_text("1 added, 0 changed, 0 retired")
    expect(page.get_by_role("link", name=NEW_CODE)).to_be_visible()
    assert Activity.objects.filter(code=NEW_CODE).exists()
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Cooperation menu"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/menu/")
    page.get_by_role("searchbox", name="Search").fill("zero trust")
    page.get_by_role("button", name="Filter", exact=True).click()

    expect(page).to_have_url(re.compile(r"q=zero\+trust"))
    expect(page.get_by_text(re.compile(r"^1 activity\b"))).to_be_visible()
    expect(activity_rows(page)).to_have_count(1)
    expect(activity_rows(page).first).to_contain_text(NEW_TITLE)
    assert_accessible(page)

    page.get_by_role("link", name=NEW_CODE).click()

    expect(page).to_have_url(f"{live_server.url}/menu/{NEW_CODE}/")
    expect(page.get_by_role("heading", name=NEW_TITLE, level=1)).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_viewer_filters_the_menu_by_area_and_type(page, live_server, viewer):
    cyber = Area.objects.get(code="cyber")
    logistics = Area.objects.get(code="log")
    wanted = ActivityFactory(
        code="CYB-0101", title_en="Cyber incident handling", area=cyber, type=ActivityType.COURSE
    )
    ActivityFactory(
        code="CYB-0102", title_en="Cyber defence exercise", area=cyber, type=ActivityType.EXERCISE
    )
    ActivityFactory(
        code="LOG-0201", title_en="Logistics planning", area=logistics, type=ActivityType.COURSE
    )
    ActivityFactory(
        code="LOG-0202", title_en="Supply chain seminar", area=logistics, type=ActivityType.SEMINAR
    )

    log_in(page, live_server, viewer.username)
    page.goto(f"{live_server.url}/menu/")
    expect(page.get_by_role("heading", name="Cooperation menu", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^4 activities\b"))).to_be_visible()
    expect(activity_rows(page)).to_have_count(4)
    expect(page.get_by_role("link", name="Import a file")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Area of cooperation").select_option(label="Cyber defence")
    page.get_by_label("Type", exact=True).select_option(label="Course")
    page.get_by_role("button", name="Filter", exact=True).click()

    expect(page).to_have_url(re.compile(r"area=cyber"))
    expect(page).to_have_url(re.compile(r"type=course"))
    expect(page.get_by_text(re.compile(r"^1 activity\b"))).to_be_visible()
    rows = activity_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted.code)
    expect(rows.first).to_contain_text("Cyber defence")
    expect(rows.first).to_contain_text("Course")
    assert_accessible(page)

    page.get_by_role("link", name=wanted.code).click()

    expect(page).to_have_url(f"{live_server.url}/menu/{wanted.code}/")
    expect(page.get_by_role("heading", name=wanted.title_en, level=1)).to_be_visible()
    assert_accessible(page)
