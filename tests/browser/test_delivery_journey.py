"""The delivery journey in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

On a programme in force since last year, an officer schedules an event of a planned activity of
that year, records that it was delivered (participants, women, a rating, an evaluation), writes
the review of the year and submits it; an approver acknowledges it; the programme page shows
the delivery and the acknowledged review. With ``PFP_SCREENSHOT`` set, the delivery section and
the review page are written to docs/screenshots/ (English, 1280 px wide).
"""

import os
from pathlib import Path

import pytest

from pfp.roles import Role
from tests.support.browser import assert_accessible, expect, log_in
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    programme_in_force,
)

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EVALUATION = "Well run; the partner asks for a follow-up course on incident handling."


def messages(page):
    return page.get_by_role("status")


def screenshot(locator_or_page, name):
    """Written to docs/screenshots/ only when PFP_SCREENSHOT is set."""
    image = locator_or_page.screenshot()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    if os.environ.get("PFP_SCREENSHOT"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(image)


@pytest.mark.browser
def test_schedule_deliver_review_and_acknowledge(new_page, live_server):
    partner = PartnerFactory(name="Freedonia", code="FD")
    officer = UserFactory(
        username="olivia", first_name="Olivia", last_name="Tester", role=Role.PROGRAMME_OFFICER
    )
    partner.officers.add(officer)
    drafter_approver = UserFactory(username="amir", first_name="Amir", role=Role.APPROVER)
    approver = UserFactory(
        username="beatrix", first_name="Beatrix", last_name="Tester", role=Role.APPROVER
    )
    programme = programme_in_force(officer=officer, approver=drafter_approver, partner=partner)
    first_year = programme.start_year
    planned = programme.planned_activities.filter(year=1).order_by("activity__code").first()
    code = planned.activity.code

    # 1. The officer schedules an event from the programme page.
    page = new_page()
    log_in(page, live_server, officer.username)
    expect(page.get_by_role("heading", name="Annual reviews due")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    delivery = page.locator("#delivery")
    expect(delivery.get_by_role("heading", name="Delivery")).to_be_visible()
    assert_accessible(page)
    delivery.get_by_role("link", name="Schedule an event").click()
    expect(page.get_by_role("heading", name="Schedule an event", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Planned activity").select_option(value=str(planned.pk))
    page.get_by_label("First day").fill(f"{first_year}-05-12")
    page.get_by_label("Last day").fill(f"{first_year}-05-14")
    page.get_by_label("Place").fill("Chisinau")
    page.get_by_role("button", name="Record the event").click()

    # 2. The event is past: the page asks what happened; it was delivered.
    expect(messages(page)).to_contain_text("now record what happened")
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Delivered")
    page.get_by_label("Participants from the partner").fill("18")
    page.get_by_label("Of whom women").fill("7")
    page.get_by_label("Rating").select_option("5")
    page.get_by_label("Evaluation").fill(EVALUATION)
    page.get_by_role("button", name="Save").click()
    expect(messages(page)).to_contain_text(f"{code} of")
    expect(messages(page)).to_contain_text("saved: delivered")
    row = page.locator("tr", has=page.get_by_role("link", name=code))
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("18 (7)")
    assert_accessible(page)

    # 3. The review of year 1, written and submitted.
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    figures = page.locator("#figures-year-1")
    expect(figures).to_contain_text("18 (7)")
    page.get_by_role("button", name="Write the review of year 1").click()
    expect(
        page.get_by_role("heading", name=f"Write the review of {first_year} (year 1)")
    ).to_be_visible()
    assert_accessible(page)
    for number, objective in enumerate(programme.objectives.order_by("order"), start=1):
        page.get_by_label(f"Progress towards {number}. {objective.title}").select_option(
            label="On track"
        )
        page.get_by_label(f"What happened towards {number}. {objective.title}").fill(
            f"The courses of {first_year} took place as planned ({number})."
        )
    page.get_by_label("Overall assessment").fill("A good first year: the plan holds.")
    page.get_by_role("button", name="Save and submit").click()
    expect(messages(page)).to_contain_text("is submitted: an approver will acknowledge it")
    expect(page.locator("main .status-badge").first).to_have_text("Submitted")
    assert_accessible(page)
    review_url = page.url

    # 4. An approver acknowledges it from the dashboard.
    other = new_page()
    log_in(other, live_server, approver.username)
    panel = other.locator("section").filter(
        has=other.get_by_role("heading", name="Annual reviews awaiting my acknowledgement")
    )
    panel.get_by_role("link", name="Freedonia — review of year 1").click()
    expect(other.get_by_role("heading", name="Planned and delivered in " + str(first_year)))
    expect(other.get_by_text("A good first year: the plan holds.")).to_be_visible()
    assert_accessible(other)
    other.get_by_role("button", name="Acknowledge the review").click()
    expect(messages(other)).to_contain_text("is acknowledged")
    expect(other.locator("main .status-badge").first).to_have_text("Acknowledged")
    assert_accessible(other)
    screenshot(other, "annual-review.png")

    # 5. The programme page shows the delivery and the acknowledged review.
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    delivery = page.locator("#delivery")
    expect(delivery.locator("#figures-year-1")).to_contain_text("Acknowledged")
    expect(delivery.get_by_role("link", name=f"Review of {first_year}")).to_have_attribute(
        "href", review_url.removeprefix(live_server.url)
    )
    assert_accessible(page)
    delivery.scroll_into_view_if_needed()
    screenshot(delivery, "delivery-section.png")
