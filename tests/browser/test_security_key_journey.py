"""A security key (WebAuthn) in a real browser: Chromium's virtual authenticator (DevTools
protocol, ``WebAuthn.addVirtualAuthenticator``) plays the key. An approver whose role requires a
second factor adds a key on the security page as their first device, reaches the other pages,
then signs in again with the password and the key. axe-core on each page."""

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from pfp.mfa.actions import KEY_ADDED
from tests.support.browser import assert_accessible, expect
from tests.support.factories import TEST_PASSWORD

pytestmark = [
    pytest.mark.browser,
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def required(settings, live_server):
    settings.MFA_REQUIRED_ROLES = ["approver", "administrator"]
    # The live server's origin, as the browser reports it (a key needs a host name: localhost).
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def virtual_key(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_key_as_the_first_device_then_signing_in_with_it(page, live_server, approver):
    assert live_server.url.startswith("http://localhost:")
    virtual_key(page)
    sign_in(page, live_server, approver.username)
    expect(page).to_have_url(f"{live_server.url}/accounts/security/")
    add = page.get_by_role("button", name="Add a security key")
    expect(add).to_be_visible()
    assert_accessible(page)
    add.click()
    expect(page.get_by_role("link", name="Remove")).to_have_count(1)
    credential = WebAuthnCredential.objects.get(user=approver)
    assert approver.history.latest("history_id").history_change_reason == KEY_ADDED
    assert_accessible(page)
    page.goto(f"{live_server.url}/programmes/")
    expect(page).to_have_url(f"{live_server.url}/programmes/")

    page.locator("form[action='/accounts/logout/'] button").click()
    sign_in(page, live_server, approver.username)
    key = page.get_by_role("button", name="Use a security key")
    expect(key).to_be_visible()
    assert_accessible(page)
    key.click()
    expect(page).to_have_url(f"{live_server.url}/")
    credential.refresh_from_db()
    assert credential.last_used_at is not None
