"""The second factor in a real browser, each page checked with axe-core (WCAG 2.1 A, AA).

An approver whose role requires a second factor, reading in French, signs in with the password
only and is held on the security page; adds an authenticator app from its QR code page (the code
computed from the secret the page shows, as an app would); keeps the recovery codes shown once;
signs out and in again with a recovery code, then with the app's code. An administrator signs in
with the password and a code, and resets the approver's second factor from the admin's user list;
the approver's session ends. With PFP_SCREENSHOT set, screenshots go to ``test-results/``.
"""

from base64 import b32decode

import pytest

from tests.support.browser import assert_accessible, expect, keep_screenshot
from tests.support.factories import TEST_PASSWORD
from tests.support.second_factor import code_of, enrol

pytestmark = [
    pytest.mark.browser,
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def required(settings):
    settings.MFA_REQUIRED_ROLES = ["approver", "administrator"]


def checked(page, name, language="fr"):
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    keep_screenshot(page, f"second-factor-{name}.png")


def sign_out(page):
    page.locator("form[action='/accounts/logout/'] button").click()


def sign_in(page, live_server, username):
    """The login form, in whichever language the page is."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


def type_code(page, code, button="Vérifier"):
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name=button).click()


def test_enrolment_sign_in_recovery_and_reset(page, new_page, live_server, approver, administrator):
    approver.language = "fr"
    approver.save(update_fields=["language"])

    # The password alone: the security page only, whatever is asked for.
    sign_in(page, live_server, approver.username)
    expect(page).to_have_url(f"{live_server.url}/accounts/security/")
    expect(page.get_by_role("heading", name="Second facteur", level=1)).to_be_visible()
    expect(page.get_by_text("Votre rôle exige un second facteur").first).to_be_visible()
    checked(page, "enrolment")
    page.goto(f"{live_server.url}/programmes/")
    expect(page).to_have_url(f"{live_server.url}/accounts/security/")

    # The QR code page: drawn here, with the secret to type.
    page.get_by_role("link", name="Ajouter une application d'authentification").click()
    expect(
        page.get_by_role("img", name="Code QR du secret pour votre application d'authentification")
    ).to_be_visible()
    checked(page, "add-app")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret).hex()
    type_code(page, "000000", button="Ajouter l'application")
    expect(page.locator(".invalid-feedback")).to_contain_text("Ce code ne correspond pas")
    checked(page, "add-app-error")
    page.locator("input[name=name]").fill("Téléphone")
    # This step's code, good for the step after too (one step either way): however long the
    # browser takes to send it, it is still good when the server checks it.
    type_code(page, code_of(key, 0), button="Ajouter l'application")

    # The recovery codes, once.
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    checked(page, "recovery-codes")
    page.get_by_role("link", name="Je les ai conservés").click()
    expect(page.get_by_role("link", name="Retirer Téléphone")).to_be_visible()
    expect(page.get_by_text("10 codes restants.")).to_be_visible()
    checked(page, "security")
    page.goto(f"{live_server.url}/programmes/")
    expect(page).to_have_url(f"{live_server.url}/programmes/")

    # Signing in again: a recovery code, then the app's code.
    sign_out(page)
    sign_in(page, live_server, approver.username)
    expect(page.get_by_role("heading", name="Second facteur")).to_be_visible()
    checked(page, "code")
    type_code(page, "123456")
    expect(page.locator(".invalid-feedback")).to_contain_text("Ce code n'est pas valide")
    checked(page, "code-error")
    type_code(page, codes[0])
    expect(page).to_have_url(f"{live_server.url}/")
    expect(
        page.get_by_text("Vous vous êtes connecté avec un code de secours : il en reste 9.")
    ).to_be_visible()
    checked(page, "signed-in-with-recovery-code")
    sign_out(page)
    sign_in(page, live_server, approver.username)
    # The next step's code: later than the one the app was added with (each is good once), and
    # still good if the step turns before the server checks it.
    type_code(page, code_of(key, 1))
    expect(page).to_have_url(f"{live_server.url}/")

    # An administrator resets the approver's second factor.
    admin_key = enrol(administrator)
    admin_page = new_page()
    sign_in(admin_page, live_server, administrator.username)
    admin_page.locator("input[name=code]").fill(code_of(admin_key, 0))
    admin_page.get_by_role("button", name="Verify").click()
    checked_url = f"{live_server.url}/admin/pfp/user/"
    admin_page.goto(checked_url)
    row = admin_page.locator("#result_list tr", has_text=approver.username)
    row.locator("input[type=checkbox]").check()
    admin_page.locator("select[name=action]").select_option("reset_second_factor")
    admin_page.locator("button[name=index]").click()
    expect(admin_page.locator(".messagelist")).to_contain_text(
        "2 devices removed; their sessions end."
    )
    checked(admin_page, "admin-reset", language="en")

    # The approver's session has ended; signing in again leads to enrolment.
    page.goto(f"{live_server.url}/programmes/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/programmes/")
    sign_in(page, live_server, approver.username)
    expect(page).to_have_url(f"{live_server.url}/accounts/security/")
