"""The programme journey in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

An officer drafts a programme from the menu and submits it; an approver returns it with a
comment; the officer fixes and resubmits it and cannot approve it; a second approver approves it
and records the partner's agreement. Each user works in a browser context of their own.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from pfp.roles import Role
from programmes import workflow
from programmes.menu.models import Area
from programmes.models import Comment, Goal, PlannedActivity, Priority, Programme, ProgrammeStatus
from tests.support.browser import assert_accessible, expect, log_in
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    draft_programme,
    signed_agreement_pdf,
)

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNER = "Freedonia"
TITLE = "Freedonia ITPP: resilient defence institutions"
OBJECTIVES = ["Modern cyber defence", "Interoperable logistics"]
GOALS = ["A national cyber incident response team", "Deployable supply chains"]
NEW_GOAL = "Fuel handling to NATO standards"
CYBER_TOPICS = [
    "incident handling",
    "threat intelligence",
    "network forensics",
    "secure architecture",
    "crisis exercise",
    "malware analysis",
    "awareness for leaders",
    "red teaming",
    "cloud security",
    "policy and law",
]
LOGISTICS_TOPICS = [
    "planning",
    "supply chain management",
    "fuel handling",
    "medical logistics",
    "movement control",
    "host nation support",
    "petroleum quality",
    "warehouse management",
    "ammunition safety",
    "contracting",
]
RETURN_COMMENT = "Please add a goal on fuel handling: the partner asked for it in March."


def make_user(username, first_name, *roles):
    user = UserFactory(username=username, first_name=first_name, last_name="Tester", role=roles[0])
    for role in roles[1:]:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_menu():
    """Twenty active activities: ten in cyber defence, ten in logistics."""
    for area_code, prefix, topics, number in (
        ("cyber", "CYB", CYBER_TOPICS, 100),
        ("log", "LOG", LOGISTICS_TOPICS, 200),
    ):
        area = Area.objects.get(code=area_code)
        for offset, topic in enumerate(topics, start=1):
            ActivityFactory(
                code=f"{prefix}-{number + offset:04d}",
                title_en=f"{area.name_en}: {topic}",
                area=area,
            )


def messages(page):
    return page.get_by_role("status")


def status_badge(page):
    """The programme's status, beside its partner and period under the page heading."""
    return page.locator("main .status-badge").first


def section(page, heading):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def pick(page, code, *, year, goal, priority=None):
    """Add ``code`` from the picker's results, in ``year`` for ``goal``."""
    row = page.get_by_role("form", name=f"Add {code}")
    row.get_by_label("Year").select_option(str(year))
    row.get_by_label("Goal").select_option(label=goal)
    if priority:
        row.get_by_label("Priority").select_option(label=priority)
    row.get_by_role("button", name=f"Add {code}").click()
    expect(messages(page)).to_contain_text(f"{code} planned in {year} for “{goal}”.")
    assert_accessible(page)


def search_menu(page, text="", area="All areas"):
    page.get_by_role("searchbox", name="Search").fill(text)
    page.get_by_label("Area of cooperation").select_option(label=area)
    page.get_by_role("button", name="Search", exact=True).click()


def planned_in(page, year):
    """The rows of the table of activities planned in calendar ``year``."""
    return page.get_by_role("table", name=f"Activities planned in {year}").locator("tbody tr")


def submit(page):
    page.get_by_role("link", name="Submit for approval").click()
    expect(page.get_by_role("heading", name=f"Submit “{TITLE}” for approval?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for approval").click()
    expect(messages(page)).to_contain_text("Submitted for approval: approvers have been told.")
    expect(status_badge(page)).to_have_text("Submitted")
    expect(page.get_by_role("link", name="Submit for approval")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_programme_from_draft_to_agreement(new_page, live_server):
    partner = PartnerFactory(name=PARTNER, code="FD")
    officer = make_user("olivia", "Olivia", Role.PROGRAMME_OFFICER)
    partner.officers.add(officer)
    first_approver = make_user("amir", "Amir", Role.APPROVER)
    second_approver = make_user("beatrix", "Beatrix", Role.APPROVER)
    make_menu()
    start = timezone.localdate().year + 1
    period = f"{start}–{start + 3}"  # noqa: RUF001 (the en dash of Programme.period)

    # 1. The officer drafts the programme and submits it.
    page = new_page()
    log_in(page, live_server, officer.username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("You have no draft in progress.")).to_be_visible()
    assert_accessible(page)

    section(page, "My partners with no programme in force").get_by_role(
        "link", name=PARTNER, exact=True
    ).click()
    expect(page).to_have_url(f"{live_server.url}/partners/FD/")
    expect(page.get_by_role("heading", name=PARTNER, level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="New programme").click()
    expect(page.get_by_role("heading", name="New programme", level=1)).to_be_visible()
    expect(page.get_by_label("Partner")).to_have_value("FD")
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("First year").fill(str(start))
    page.get_by_label("Summary").fill("Four years of institution building, cyber first.")
    page.get_by_role("button", name="Create the draft").click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(messages(page)).to_contain_text("Programme created as a draft")
    expect(status_badge(page)).to_have_text("Draft")
    checklist = section(page, "Before submitting")
    expect(checklist).to_contain_text("The programme has no strategic objective.")
    programme_url = page.url
    assert_accessible(page)

    for objective, goal in zip(OBJECTIVES, GOALS, strict=True):
        page.get_by_role("link", name="Add an objective").click()
        expect(page.get_by_role("heading", name="New strategic objective", level=1)).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Title").fill(objective)
        page.get_by_role("button", name="Add the objective").click()
        expect(messages(page)).to_contain_text(objective)
        expect(page.get_by_role("heading", name=re.compile(rf"\d\. {objective}$"))).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name=f"Add a goal under “{objective}”").click()
        expect(page.get_by_role("heading", name="New partnership goal", level=1)).to_be_visible()
        expect(page.get_by_text(f"Under the objective “{objective}”.")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Title").fill(goal)
        page.get_by_role("button", name="Add the goal").click()
        expect(messages(page)).to_contain_text(f"Goal “{goal}” added")
        assert_accessible(page)

    expect(checklist).to_contain_text(f"The goal “{GOALS[0]}” has no planned activity.")
    expect(checklist).to_contain_text("No activity is planned.")

    page.get_by_role("link", name="Add activities from the menu").click()
    expect(page.get_by_role("heading", name=f"Add activities to “{TITLE}”")).to_be_visible()
    expect(page.get_by_text("20 activities on offer")).to_be_visible()
    assert_accessible(page)

    search_menu(page, "cyber")
    expect(page.get_by_text("10 activities on offer")).to_be_visible()
    assert_accessible(page)
    pick(page, "CYB-0101", year=start, goal=GOALS[0], priority="High")
    # The search stays, and the year and goal just used are chosen again in every row.
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("cyber")
    first_goal = Goal.objects.get(title=GOALS[0])
    expect(page.get_by_role("form", name="Add CYB-0106").get_by_label("Goal")).to_have_value(
        str(first_goal.pk)
    )
    pick(page, "CYB-0106", year=start + 2, goal=GOALS[0])

    search_menu(page, area="Logistics")
    expect(page.get_by_text("10 activities on offer")).to_be_visible()
    assert_accessible(page)
    pick(page, "LOG-0202", year=start + 1, goal=GOALS[1])

    page.get_by_role("link", name="Back to the programme").click()
    expect(checklist).to_contain_text("Nothing is missing")
    expect(planned_in(page, start)).to_have_count(1)
    expect(planned_in(page, start + 1)).to_have_count(1)
    expect(planned_in(page, start + 2)).to_have_count(1)
    expect(planned_in(page, start).first).to_contain_text("High")
    assert_accessible(page)

    page.get_by_role("link", name="Edit CYB-0101").click()
    expect(
        page.get_by_role("heading", name="Edit CYB-0101 in this programme", level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Priority").select_option(label="Low")
    page.get_by_label("Notes").fill("Two places for the national CERT.")
    page.get_by_role("button", name="Save").click()
    expect(messages(page)).to_contain_text(f"CYB-0101 saved, planned in {start}.")
    expect(planned_in(page, start).first).to_contain_text("Low")
    expect(planned_in(page, start).first).to_contain_text("Two places for the national CERT.")
    assert_accessible(page)

    # The officer may not approve: no button for it.
    expect(page.get_by_role("link", name="Approve", exact=True)).to_have_count(0)
    submit(page)
    programme = Programme.objects.get(partner=partner)
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert programme.planned_activities.count() == 3

    # 2. An approver finds it waiting and returns it with a comment.
    amir = new_page()
    log_in(amir, live_server, first_approver.username)
    expect(amir).to_have_url(f"{live_server.url}/")
    awaiting = section(amir, "Awaiting my approval")
    expect(awaiting.get_by_role("link", name=f"{PARTNER} {period}")).to_be_visible()
    assert_accessible(amir)

    amir.get_by_role("link", name="Awaiting approval", exact=True).click()
    expect(amir.get_by_role("heading", name="Awaiting approval", level=1)).to_be_visible()
    expect(amir.get_by_text("1 programme awaits approval.")).to_be_visible()
    assert_accessible(amir)
    amir.get_by_role("link", name=TITLE).click()
    expect(amir).to_have_url(programme_url)
    assert_accessible(amir)

    amir.get_by_role("link", name="Return to the drafters").click()
    expect(
        amir.get_by_role("heading", name=f"Return the programme of {PARTNER}", level=1)
    ).to_be_visible()
    assert_accessible(amir)
    amir.get_by_label("Why is the programme returned?").fill(RETURN_COMMENT)
    amir.get_by_role("button", name="Return the programme").click()
    expect(messages(amir)).to_contain_text("is returned to its drafters with your comment.")
    expect(status_badge(amir)).to_have_text("Returned")
    assert_accessible(amir)

    # 3. The officer finds it returned, reads why, fixes it and submits it again.
    page = new_page()
    log_in(page, live_server, officer.username)
    returned = section(page, "Returned to me")
    expect(returned).to_contain_text(TITLE)
    assert_accessible(page)
    returned.get_by_role("link", name=f"{PARTNER} {period}").click()
    expect(page).to_have_url(programme_url)
    expect(status_badge(page)).to_have_text("Returned")
    expect(section(page, "Comments")).to_contain_text(RETURN_COMMENT)
    expect(section(page, "Comments")).to_contain_text("Amir Tester")
    assert_accessible(page)

    page.get_by_role("link", name=f"Add a goal under “{OBJECTIVES[1]}”").click()
    expect(page.get_by_role("button", name="Add the goal")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill(NEW_GOAL)
    page.get_by_role("button", name="Add the goal").click()
    expect(section(page, "Before submitting")).to_contain_text(
        f"The goal “{NEW_GOAL}” has no planned activity."
    )
    assert_accessible(page)

    page.get_by_role("link", name="Add activities from the menu").click()
    expect(page.get_by_text("20 activities on offer")).to_be_visible()
    assert_accessible(page)
    search_menu(page, "fuel")
    expect(page.get_by_text("1 activity on offer")).to_be_visible()
    assert_accessible(page)
    pick(page, "LOG-0203", year=start + 3, goal=NEW_GOAL)
    page.get_by_role("link", name="Back to the programme").click()
    expect(section(page, "Before submitting")).to_contain_text("Nothing is missing")
    expect(planned_in(page, start + 3)).to_contain_text(NEW_GOAL)
    submit(page)

    # 5. The officer cannot approve it: no button, and the URL itself is refused.
    expect(page.get_by_role("link", name="Approve", exact=True)).to_have_count(0)
    response = page.goto(f"{programme_url}approve/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Access refused", level=1)).to_be_visible()
    expect(page.get_by_text("You do not have permission to open this page.")).to_be_visible()
    assert_accessible(page)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert programme.approved_by is None

    # The approver who returned it did not draft it: he may approve it (but leaves it).
    amir.goto(f"{live_server.url}/")
    expect(
        section(amir, "Awaiting my approval").get_by_role("link", name=f"{PARTNER} {period}")
    ).to_be_visible()
    assert_accessible(amir)
    amir.goto(programme_url)
    expect(amir.get_by_role("link", name="Approve", exact=True)).to_be_visible()
    assert_accessible(amir)

    # 4. A second approver approves it and records the partner's agreement.
    beatrix = new_page()
    log_in(beatrix, live_server, second_approver.username)
    expect(beatrix).to_have_url(f"{live_server.url}/")
    assert_accessible(beatrix)
    section(beatrix, "Awaiting my approval").get_by_role("link", name=f"{PARTNER} {period}").click()
    expect(
        beatrix.get_by_role("heading", name=f"Approve the programme of {PARTNER}", level=1)
    ).to_be_visible()
    expect(beatrix.locator("main")).to_contain_text(
        "2 strategic objectives, 3 partnership goals, 4 planned activities"
    )
    assert_accessible(beatrix)
    beatrix.get_by_role("button", name="Approve", exact=True).click()
    expect(messages(beatrix)).to_contain_text("is approved.")
    expect(status_badge(beatrix)).to_have_text("Approved")
    assert_accessible(beatrix)

    # An acceptance given on paper is recorded with the signed agreement attached first.
    beatrix.get_by_role("link", name="Attach a document").click()
    beatrix.get_by_label("Kind").select_option(label="Signed agreement")
    beatrix.get_by_label("Title").fill("Signed ITPP")
    beatrix.get_by_label("File").set_input_files(
        {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": signed_agreement_pdf()}
    )
    assert_accessible(beatrix)
    beatrix.get_by_role("button", name="Attach").click()
    expect(beatrix.locator("main")).to_contain_text("Signed ITPP")
    beatrix.get_by_role("link", name="Record an acceptance on paper").click()
    expect(
        beatrix.get_by_role("heading", name=f"Record the agreement of {PARTNER}", level=1)
    ).to_be_visible()
    assert_accessible(beatrix)
    beatrix.get_by_label("Agreed by the partner on").fill(timezone.localdate().isoformat())
    beatrix.get_by_label("Partner's signatory").fill("Minister of Defence")
    beatrix.get_by_role("button", name="Record the agreement").click()
    expect(messages(beatrix)).to_contain_text("it is now agreed.")
    expect(status_badge(beatrix)).to_have_text("Agreed")
    expect(beatrix.locator("main")).to_contain_text("signed by Minister of Defence")
    assert_accessible(beatrix)

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AGREED
    assert programme.approved_by == second_approver
    assert programme.partner_signatory == "Minister of Defence"
    assert programme.comments.filter(author=first_approver).get().text == RETURN_COMMENT
    edited = PlannedActivity.objects.get(programme=programme, activity__code="CYB-0101")
    assert (edited.priority, edited.notes) == (Priority.LOW, "Two places for the national CERT.")

    # The officer sees it agreed; still no way to approve anything.
    page.goto(programme_url)
    expect(status_badge(page)).to_have_text("Agreed")
    expect(page.get_by_role("link", name="Approve", exact=True)).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_an_approver_who_drafted_a_version_may_not_approve_it(new_page, live_server):
    """The four-eyes rule: an officer who is also an approver sees why, and is refused."""
    partner = PartnerFactory(name=PARTNER, code="FD")
    drafter = make_user("dana", "Dana", Role.PROGRAMME_OFFICER, Role.APPROVER)
    partner.officers.add(drafter)
    programme = draft_programme(officer=drafter, partner=partner, title=TITLE)
    workflow.submit(actor=drafter, programme=programme)

    page = new_page()
    log_in(page, live_server, drafter.username)
    expect(section(page, "Awaiting my approval")).to_contain_text("Nothing awaits your approval.")
    assert_accessible(page)

    page.get_by_role("link", name="All programmes awaiting approval").click()
    row = page.get_by_role("table", name="Programmes awaiting approval").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("You drafted it: another approver must approve it.")
    expect(row.get_by_role("link", name=re.compile("^Review and approve"))).to_have_count(0)
    assert_accessible(page)

    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("link", name="Approve", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Return to the drafters")).to_be_visible()
    assert_accessible(page)

    response = page.goto(f"{live_server.url}{programme.get_absolute_url()}approve/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Access refused", level=1)).to_be_visible()
    expect(
        page.get_by_text(
            "You created, edited or submitted this version: another approver must approve it."
        )
    ).to_be_visible()
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    assert_accessible(page)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert not Comment.objects.filter(programme=programme).exists()
