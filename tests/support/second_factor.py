"""Codes of an authenticator app, computed as the app would, and enrolling a test user.

``enrol`` adds the app with the code of the previous time step (django-otp accepts one step
either way), so that a test may then sign in with the current code and once more with the next
one: each code is good once.
"""

import time

from django_otp.oath import TOTP

from pfp.mfa import actions, devices

STEP = 30


def code_of(key: str, offset: int = 0) -> str:
    """The app's code for ``key`` now, or ``offset`` time steps away (-1, 0 or 1 are accepted)."""
    totp = TOTP(bytes.fromhex(key), step=STEP)
    totp.time = time.time() + offset * STEP
    return f"{totp.token():06d}"


def enrol(user, key: str | None = None) -> str:
    """Give ``user`` an authenticator app; returns its key (hex)."""
    key = key or devices.new_key()
    actions.add_authenticator(actor=user, name="Phone", key=key, code=code_of(key, -1))
    return key
