"""The admin site in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

An administrator signs in on the product's login page, opens the admin home (grouped by what
administrators correct), a change list and a change form, in English and then in French (chosen
in the product's footer); an officer who opens the admin gets the product's 403 page saying why.
With PFP_SCREENSHOT set, screenshots of each admin page are written to ``test-results/`` (ignored
by git) for a look.
"""

import re

import pytest

from pfp.roles import Role
from tests.support.browser import assert_accessible, expect, keep_screenshot, log_in
from tests.support.factories import PartnerFactory, UserFactory

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNER = "Freedonia"

WORDS = {
    "en": {
        "header": "Partnership programmes administration",
        "groups": ["People and roles", "Partner register", "Sign-in protection"],
        "lockouts": "Sign-in lockouts",
        "partners": "Partners",
        "change_partner": "Change partner",
        "areas": "Areas of cooperation",
        "change_area": "Change area of cooperation",
        "save": "Save",
    },
    "fr": {
        "header": "Administration des programmes de partenariat",
        "groups": ["Personnes et rôles", "Registre des partenaires", "Protection des connexions"],
        "lockouts": "Blocages de connexion",
        "partners": "Partenaires",
        "change_partner": "Modification de partenaire",
        "areas": "Domaines de coopération",
        "change_area": "Modification de domaine de coopération",
        "save": "Enregistrer",
    },
}


def checked(page, name, language):
    """The page's language is declared right, it passes axe, and a screenshot may be kept."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    keep_screenshot(page, f"admin-{name}-{language}.png")


def open_from_home(page, live_server, link):
    """The change list ``link`` opens from the admin's home, once it is there."""
    page.goto(f"{live_server.url}/admin/")
    page.locator("#content-main").get_by_role("link", name=link, exact=True).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/admin/\w+/\w+/$"))


def admin_journey(page, live_server, language):
    words = WORDS[language]
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_have_text(words["header"])
    for heading in words["groups"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=words["lockouts"], exact=True)).to_be_visible()
    checked(page, "home", language)

    open_from_home(page, live_server, words["partners"])
    expect(page.get_by_role("link", name=PARTNER, exact=True)).to_be_visible()
    checked(page, "partner-list", language)
    page.get_by_role("link", name=PARTNER, exact=True).click()
    expect(page.get_by_role("heading", name=words["change_partner"])).to_be_visible()
    expect(page.get_by_role("button", name=words["save"], exact=True)).to_be_visible()
    # Django's own widgets, named (pfp.admin.LabelledInlineFormSet, pfp/static/pfp/admin.js):
    # the tabular inline of status events, the officers' two-box selector once it is built.
    expect(page.locator("#id_officers_input")).to_be_visible()
    checked(page, "partner-form", language)

    open_from_home(page, live_server, words["areas"])
    checked(page, "area-list", language)
    page.get_by_role("link", name="cyber", exact=True).click()
    expect(page.get_by_role("heading", name=words["change_area"])).to_be_visible()
    expect(page.get_by_role("button", name=words["save"], exact=True)).to_be_visible()
    checked(page, "area-form", language)


@pytest.mark.browser
def test_an_administrator_uses_the_admin_in_english_and_in_french(page, live_server):
    PartnerFactory(name=PARTNER, code="FD")
    UserFactory(username="ada", first_name="Ada", last_name="Admin", administrator=True)
    log_in(page, live_server, "ada")
    admin_journey(page, live_server, "en")

    # French, chosen in the product's footer: the admin follows.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    admin_journey(page, live_server, "fr")


@pytest.mark.browser
def test_an_officer_who_opens_the_admin_is_told_why_not(page, live_server):
    UserFactory(username="olivia", role=Role.PROGRAMME_OFFICER)
    log_in(page, live_server, "olivia")
    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Access refused")).to_be_visible()
    expect(page.get_by_text("Only administrators use the admin site.")).to_be_visible()
    assert_accessible(page)
