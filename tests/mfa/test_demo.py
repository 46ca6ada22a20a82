"""The demo (``seed_demo``): the users whose role requires a second factor get an authenticator
app, its key printed with their password, and sign in with a code computed from it; the others
get none. ``--reset-passwords`` gives them new keys too."""

import re
from base64 import b32decode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Partner
from programmes.devtools.demo.programmes import DemoProgrammes
from programmes.devtools.management.commands import seed_demo
from tests.support.second_factor import code_of

ROW = re.compile(r"^  (\S+)\s+(\S+)\s+.+?(?::\s+([A-Z2-7]+))?$")


@pytest.fixture
def register(register_loaded_for_the_class, db):
    return Partner.objects.all()


@pytest.fixture(autouse=True)
def no_demo_menu_or_programmes(monkeypatch):
    monkeypatch.setattr(seed_demo, "seed_demo_menu", lambda size: 0)
    monkeypatch.setattr(seed_demo, "seed_demo_programmes", DemoProgrammes)
    monkeypatch.setattr(
        seed_demo, "seed_demo_delivery", lambda: type("D", (), {"events": 0, "reviews": 0})()
    )


def printed(out: str) -> dict[str, tuple[str, str | None]]:
    """username: (password, key or None), from the printed rows."""
    return {m[1]: (m[2], m[3]) for line in out.splitlines() if (m := ROW.match(line))}


@pytest.mark.usefixtures("required")
class TestDemoUsers:
    def test_approvers_and_the_administrator_get_a_key_and_sign_in_with_its_code(
        self, register, capsys, client
    ):
        call_command("seed_demo", if_empty=True)
        users = printed(capsys.readouterr().out)
        with_keys = {name for name, (_password, key) in users.items() if key}
        assert with_keys == {"approver", "approver2", "admin"}
        assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == with_keys
        password, key = users["approver"]
        client.post(reverse("login"), {"username": "approver", "password": password})
        code = code_of(b32decode(key).hex())
        response = client.post(reverse("mfa:verify"), {"code": code})
        assert response.status_code == 302
        assert client.get("/").status_code == 200

    def test_new_passwords_come_with_new_keys(self, register, capsys):
        call_command("seed_demo", if_empty=True)
        first = printed(capsys.readouterr().out)
        call_command("seed_demo", reset_passwords=True)
        second = printed(capsys.readouterr().out)
        assert second["admin"][1]
        assert second["admin"][1] != first["admin"][1]
        assert TOTPDevice.objects.filter(user__username="admin").count() == 1


def test_without_the_requirement_no_key_is_printed(register, capsys, settings):
    settings.MFA_REQUIRED_ROLES = []
    call_command("seed_demo", if_empty=True)
    assert not any(key for _password, key in printed(capsys.readouterr().out).values())
    assert not TOTPDevice.objects.exists()
