"""Staff journeys in a real browser, each page checked with axe-core against WCAG 2.1 A and AA."""

import os
import re
from pathlib import Path

import pytest

from tests.support.browser import assert_accessible, expect, log_in, sign_in_with_form
from tests.support.factories import TEST_PASSWORD

pytestmark = [
    # live_server makes the tests transactional; the flush after each test would also empty the
    # role groups made by a data migration, so they are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "partner-list.png"


def partner_count(page, text):
    """The line that counts the partners listed, e.g. ``partner_count(page, "7 partners")``."""
    return page.get_by_text(re.compile(rf"^{text}\b"))


@pytest.mark.browser
def test_login_filter_partner_page_and_logout(page, live_server, viewer, register):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username").fill(viewer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")  # the dashboard
    page.get_by_role("link", name="Partners", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/partners/")
    expect(page.get_by_role("heading", name="Partners", level=1)).to_be_visible()
    expect(partner_count(page, "36 partners")).to_be_visible()  # the active ones
    assert_accessible(page)
    page.get_by_role("link", name="All partners", exact=True).click()
    expect(partner_count(page, "53 partners")).to_be_visible()

    page.get_by_label("Framework").select_option(label="Mediterranean Dialogue")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"framework=md"))
    expect(partner_count(page, "7 partners")).to_be_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.filter(has_text="Mediterranean Dialogue")).to_have_count(7)
    assert_accessible(page)

    page.get_by_label("Name or code").fill("malta")
    page.get_by_label("Framework").select_option(label="All frameworks")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(partner_count(page, "1 partner")).to_be_visible()
    page.get_by_role("link", name="Malta").click()

    expect(page).to_have_url(f"{live_server.url}/partners/MT/")
    expect(page.get_by_role("heading", name="Malta", level=1)).to_be_visible()
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Joined")
    expect(timeline.nth(1)).to_contain_text("Suspended")
    expect(timeline.nth(2)).to_contain_text("Reactivated")
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    expect(page.get_by_text("Not signed in")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_failed_login_shows_an_error(page, live_server, viewer):
    sign_in_with_form(page, live_server, viewer.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.get_by_text("Not signed in")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_not_found_page_is_accessible(page, live_server, viewer, register):
    log_in(page, live_server, viewer.username)
    expect(page).to_have_url(f"{live_server.url}/")

    response = page.goto(f"{live_server.url}/partners/ZZ/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_account_and_password_change_pages_are_accessible(page, live_server, viewer):
    log_in(page, live_server, viewer.username)
    expect(page.get_by_text("Signed in as")).to_be_visible()

    page.get_by_role("link", name="Your account").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text(viewer.username, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change password").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/password/")
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_partner_list_screenshot(page, live_server, viewer, register):
    """The README's screenshot: written to docs/ only when PFP_SCREENSHOT is set."""
    log_in(page, live_server, viewer.username)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/partners/")
    expect(partner_count(page, "36 partners")).to_be_visible()
    assert_accessible(page)

    image = page.screenshot()

    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    if os.environ.get("PFP_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(image)
