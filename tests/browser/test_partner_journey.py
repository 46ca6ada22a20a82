"""The partner's journey in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

An officer shares a draft with the partner; the partner's representative comments on it; the
officer submits it and an approver approves it; the representative declines it with a comment;
the officer submits it again and the approver approves it again; the representative accepts
it; the partner report shows both acceptances. Then the representative's home and programme
page in English and French, 1,280 and 390 px wide, each checked (and, with PFP_SCREENSHOT set,
kept as a screenshot under test-results/screenshots/, ignored by git).
"""

import pytest

from programmes import workflow
from programmes.models import ProgrammeStatus
from tests.support.browser import assert_accessible, expect, keep_screenshot, log_in
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    programme_in_status,
    representative_of,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Freedonia ITPP: resilient institutions"
PARTNER_COMMENT = "Our ministry asks for more language training in year 1."
DECLINE = "We cannot accept yet: the year 2 exercises are missing."


def messages(page):
    return page.get_by_role("status")


def status_badge(page):
    return page.locator("main .status-badge").first


def section(page, heading):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def signed_in(new_page, live_server, user):
    page = new_page()
    log_in(page, live_server, user.username)
    return page


def submit(page):
    page.get_by_role("link", name="Submit for approval").click()
    page.wait_for_url("**/submit/")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for approval").click()
    expect(status_badge(page)).to_have_text("Submitted")


def approve(page, url):
    page.goto(url)
    page.get_by_role("link", name="Approve", exact=True).click()
    page.wait_for_url("**/approve/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(status_badge(page)).to_have_text("Approved")
    assert_accessible(page)


@pytest.mark.browser
def test_shared_commented_declined_revised_and_accepted(new_page, live_server):
    partner = PartnerFactory(name="Freedonia", code="FD")
    officer = assigned_officer(partner, "olga")
    approver = UserFactory(username="amir", first_name="Amir", last_name="Tester", role="Approver")
    rita = representative_of(partner, "partner-fd")
    programme = draft_programme(officer=officer, partner=partner, title=TITLE)
    url = f"{live_server.url}{programme.get_absolute_url()}"

    # 1. The officer shares the draft.
    olga = signed_in(new_page, live_server, officer)
    olga.goto(url)
    expect(olga.locator("#partner-side")).to_have_text("Not shared with the partner yet")
    olga.get_by_role("link", name="Share with the partner").click()
    olga.wait_for_url("**/share/")
    assert_accessible(olga)
    olga.get_by_role("button", name="Share the draft").click()
    expect(messages(olga)).to_contain_text("is shared with the partner's representatives")
    expect(olga.locator("#partner-side")).to_have_text("Shared with the partner's representatives")
    assert_accessible(olga)

    # 2. The representative finds it and comments (always shared).
    page = signed_in(new_page, live_server, rita)
    expect(page.get_by_text("You represent Freedonia")).to_be_visible()
    assert_accessible(page)
    page.goto(url)
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Edit the overview")).to_have_count(0)
    assert_accessible(page)
    comments = section(page, "Comments")
    comments.get_by_role("textbox", name="Comment").fill(PARTNER_COMMENT)
    comments.get_by_role("button", name="Add the comment").click()
    expect(messages(page)).to_contain_text("Comment added, shared with the partner.")
    expect(section(page, "Comments")).to_contain_text(PARTNER_COMMENT)
    assert_accessible(page)

    # 3. The officer reads it, submits; the approver approves: offered to the partner.
    olga.goto(url)
    expect(section(olga, "Comments")).to_contain_text(PARTNER_COMMENT)
    submit(olga)
    amir = signed_in(new_page, live_server, approver)
    approve(amir, url)

    # 4. The representative declines, saying why.
    page.goto(url)
    page.get_by_role("link", name="Decline", exact=True).click()
    page.wait_for_url("**/decline/")
    assert_accessible(page)
    page.get_by_label("Why does the partner decline this version?").fill(DECLINE)
    page.get_by_role("button", name="Decline the programme").click()
    expect(messages(page)).to_contain_text("You declined")
    expect(status_badge(page)).to_have_text("Returned")
    assert_accessible(page)

    # 5. The officers read the refusal, submit again; NATO approves again.
    olga.goto(url)
    expect(section(olga, "Comments")).to_contain_text(DECLINE)
    expect(section(olga, "Comments")).to_contain_text("Reason for declining")
    submit(olga)
    approve(amir, url)

    # 6. The representative accepts.
    page.goto(url)
    page.get_by_role("link", name="Accept for the partner").click()
    page.wait_for_url("**/accept/")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the programme").click()
    expect(messages(page)).to_contain_text("You accepted")
    expect(status_badge(page)).to_have_text("Agreed")
    expect(page.locator("#partner-side")).to_contain_text(f"Accepted by {rita}")
    assert_accessible(page)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AGREED
    assert programme.partner_accepted_by == rita

    # 7. The report shows both acceptances.
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_text(f"by {rita}, the partner's representative")).to_be_visible()
    expect(page.locator("main")).to_contain_text(str(approver))
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_representatives_pages(browser, live_server, language, width):
    partner = PartnerFactory(name="Freedonia", name_fr="Freedonie", code="FD")
    officer = assigned_officer(partner, "olga")
    approver = UserFactory(username="amir", role="Approver")
    programme = programme_in_status(
        ProgrammeStatus.APPROVED, officer=officer, approver=approver, partner=partner
    )
    workflow.add_comment(actor=approver, programme=programme, text="Shared note", shared=True)
    rita = representative_of(partner, "partner-fd")
    rita.language = language
    rita.save()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server, rita.username)
        expect(page.locator("html")).to_have_attribute("lang", language)
        for name, path in (("home", "/"), ("programme", programme.get_absolute_url())):
            page.goto(f"{live_server.url}{path}")
            assert_accessible(page)
            keep_screenshot(page, f"screenshots/representative-{name}-{language}-{width}.png")
    finally:
        context.close()
