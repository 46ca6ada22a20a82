"""The demo's second factor: each demo user whose role requires one (``MFA_REQUIRED_ROLES``) gets
an authenticator app, its secret printed with their password by ``seed_demo``, so that
``make run`` stays usable: type the secret into an authenticator app (or compute its codes), then
sign in with the password and the app's code.
"""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth import get_user_model

from pfp.mfa import actions, devices
from pfp.mfa.permissions import second_factor_required
from programmes.devtools.users import DemoUser


def enrol_demo_users(users: list[DemoUser]) -> list[DemoUser]:
    """``users`` with the secret of a new authenticator app for those whose role requires a
    second factor (their former devices replaced); the others as they were."""
    accounts = get_user_model().objects.in_bulk(
        [user.username for user in users], field_name="username"
    )
    for demo in users:
        account = accounts[demo.username]
        if not second_factor_required(account):
            continue
        key = devices.new_key()
        actions.provision_authenticator(actor=None, user=account, key=key, name="Demo")
        demo.secret = b32encode(bytes.fromhex(key)).decode()
    return users
