"""The successor and bulk-planning journeys in a real browser, each page checked with axe-core.

An officer opens an agreed programme whose first activity has since been retired, drafts its
successor with the activities, reads what was not copied, then plans three activities in every
year of the new period at once and reads what was added and what was skipped.
"""

import pytest

from pfp.roles import Role
from programmes.menu.models import Activity
from programmes.models import Programme, ProgrammeStatus
from tests.support.browser import assert_accessible, expect, log_in
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    assigned_officer,
    programme_in_status,
)

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.browser
def test_successor_then_bulk_planning(new_page, live_server):
    partner = PartnerFactory(name="Freedonia", code="FD")
    officer = assigned_officer(partner, "olivia")
    approver = UserFactory(username="amir", role=Role.APPROVER)
    agreed = programme_in_status(
        ProgrammeStatus.AGREED,
        officer=officer,
        approver=approver,
        partner=partner,
        start_year=2026,
        activities=4,
    )
    planned = list(agreed.planned_activities.select_related("activity").order_by("year"))
    retired, kept = planned[0].activity, [p.activity for p in planned[1:]]
    Activity.objects.filter(pk=retired.pk).update(retired_in=2027)
    fresh = ActivityFactory()
    goal = agreed.objectives.get().goals.get().title

    page = new_page()
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}{agreed.get_absolute_url()}")
    page.get_by_role("link", name="Draft the successor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft the successor of")
    expect(page.get_by_text("Retired from the menu, so not copied:")).to_be_visible()
    expect(page.get_by_label("Copy the planned activities")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Draft the successor").click()

    successor = Programme.objects.get(partner=partner, start_year=2030)
    expect(page).to_have_url(f"{live_server.url}{successor.get_absolute_url()}")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Successor drafted for 2030–2033")  # noqa: RUF001
    expect(status).to_contain_text(f"Not copied, retired from the menu: {retired.code} (2030)")
    assert_accessible(page)
    assert successor.planned_activities.count() == 3

    page.goto(f"{live_server.url}/programmes/{successor.pk}/activities/add/")
    expect(page.get_by_role("heading", name="Plan several at once")).to_be_visible()
    assert_accessible(page)
    for activity in (*kept[:2], fresh):
        page.get_by_label(f"Tick {activity.code}").check()
    page.get_by_label("Every year of the period").check()
    page.locator("#bulk-goal").select_option(label=goal)
    page.get_by_role("button", name="Plan the ticked activities").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text(f"10 activities planned for “{goal}”")
    expect(status).to_contain_text(
        f"Skipped, already planned that year: {kept[0].code} (2031), {kept[1].code} (2032)."
    )
    assert_accessible(page)
    assert successor.planned_activities.count() == 13
