"""Every page of the second factor in French, and the security keys' script messages too
(django-otp-webauthn ships no French: locale/fr/LC_MESSAGES/djangojs.po)."""

from html import unescape

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pfp.mfa import actions
from tests.mfa.conftest import sign_in_with_password
from tests.support.second_factor import code_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(client):
    client.cookies["django_language"] = "fr"
    return client


def test_the_code_page(french, enrolled_approver):
    sign_in_with_password(french, enrolled_approver)
    page = unescape(french.get(reverse("mfa:verify")).content.decode())
    assert "Saisissez le code que votre application d'authentification affiche" in page
    assert "Utiliser une clé de sécurité" not in page  # no key: not offered
    wrong = unescape(french.post(reverse("mfa:verify"), {"code": "000000"}).content.decode())
    assert "Ce code n'est pas valide, ou a déjà été utilisé." in wrong


def test_the_security_pages(french, enrolled_approver):
    sign_in_with_password(french, enrolled_approver)
    french.post(reverse("mfa:verify"), {"code": code_of(enrolled_approver.key)})
    actions.generate_recovery_codes(actor=enrolled_approver)
    device = TOTPDevice.objects.get(user=enrolled_approver)
    pages = {
        reverse("account"): ["Gérer le second facteur"],
        reverse("mfa:security"): [
            "Applications d'authentification",
            "Clés de sécurité et clés d'accès",
            "Ajouter une clé de sécurité",
            "10 codes restants.",
        ],
        reverse("mfa:authenticator_add"): [
            "Scannez ce code QR",
            "Nom de l'appareil",
            "Code affiché par l'application",
        ],
        reverse("mfa:authenticator_remove", args=[device.pk]): [
            "Confirmez avec votre mot de passe et un code actuel. Vos autres sessions prennent fin",
            "Votre mot de passe",
        ],
    }
    for url, words in pages.items():
        page = unescape(french.get(url).content.decode())
        for text in words:
            assert text in page, (url, text)
    french.post(reverse("mfa:recovery_codes"))
    shown = unescape(french.get(reverse("mfa:recovery_codes")).content.decode())
    assert "Ils ne sont affichés que cette fois." in shown


def test_the_keys_script_messages(french):
    catalogue = unescape(french.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode())
    assert "V\\u00e9rification r\\u00e9ussie" in catalogue or "Vérification réussie" in catalogue
