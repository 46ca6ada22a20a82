"""Every change of a user's second-factor devices: adding an authenticator app, removing a
device, new recovery codes, an administrator's reset.

Each function takes the acting user, runs in one transaction with the account locked, checks its
rule and leaves a history row on the account (django-simple-history, naming the actor, with the
change as its reason). None takes a request: the views turn ``SecondFactorError`` into messages
and form errors.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pfp.mfa import devices
from pfp.mfa.permissions import can_reset_devices
from pfp.models import User

# The history reasons of an account's rows (codes, like pfp.models.PASSWORD_CHANGED).
DEVICE_ADDED = "second factor added"
KEY_ADDED = "security key added"
DEVICE_REMOVED = "second factor removed"
RECOVERY_CODES_GENERATED = "recovery codes generated"
DEVICES_RESET = "second factor reset"


class SecondFactorError(Exception):
    """A refused change, with the reason to show (translated)."""


class NotPermitted(SecondFactorError):
    pass


def _locked(user) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _record(account: User, *, actor, reason: str) -> None:
    """The account's history row for a change of its devices (which the row does not hold)."""
    account._history_user = actor
    account._change_reason = reason
    try:
        account.save()
    finally:
        del account._history_user, account._change_reason


@transaction.atomic
def add_authenticator(*, actor, name: str, key: str, code: str) -> TOTPDevice:
    """The actor's new authenticator app, once ``code`` proves the app holds ``key``. The code's
    time step is recorded, so the same code cannot sign in afterwards."""
    account = _locked(actor)
    step = devices.time_step_accepting(key, code)
    if step is None:
        raise SecondFactorError(_("This code does not match: check the app's clock and try again."))
    device = TOTPDevice.objects.create(
        user=account, name=name, key=key, confirmed=True, last_t=step
    )
    _record(account, actor=actor, reason=DEVICE_ADDED)
    return device


@transaction.atomic
def key_added(*, actor) -> None:
    """The account's history row for the security key (WebAuthn) that ``actor`` just registered
    (django-otp-webauthn saved the credential, in this request)."""
    _record(_locked(actor), actor=actor, reason=KEY_ADDED)


@transaction.atomic
def generate_recovery_codes(*, actor) -> list[str]:
    """New single-use recovery codes for the actor, replacing any left; returned to be shown once
    (django-otp keeps them to compare, never shows them again)."""
    account = _locked(actor)
    if not devices.has_factor(account):
        raise SecondFactorError(
            _("Add an authenticator app or a security key first: recovery codes stand in for it.")
        )
    device, _created = StaticDevice.objects.get_or_create(
        user=account, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(devices.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    _record(account, actor=actor, reason=RECOVERY_CODES_GENERATED)
    return codes


@transaction.atomic
def remove_device(*, actor, device: Device, password: str, code: str) -> Device:
    """Remove one of the actor's devices, given their password and a code of any of their
    devices (a recovery code when the app is lost). Returns the device that accepted the code.
    The account's other sessions end at their next request: the password is hashed anew (a
    session is bound to its hash)."""
    account = _locked(actor)
    if device.user_id != account.pk:
        raise NotPermitted(_("This device is not yours."))
    if not account.check_password(password):
        raise SecondFactorError(_("Your password is not correct."))
    verified_by = devices.verify(account, code)
    if verified_by is None:
        raise SecondFactorError(_("This code is not valid, or was already used."))
    device.delete()
    # Every other session of the account ends: a session is bound to the password's hash
    # (Django's session auth hash), and the same password hashed again with a new salt is a new
    # hash. The view keeps its own session (update_session_auth_hash).
    account.set_password(password)
    if not devices.has_factor(account):
        # Recovery codes stand in for an app or a key: without either, they go too (and a role
        # that needs a second factor enrols again).
        StaticDevice.objects.filter(user=account).delete()
    _record(account, actor=actor, reason=DEVICE_REMOVED)
    return verified_by


@transaction.atomic
def provision_authenticator(*, actor, user, key: str, name: str) -> TOTPDevice:
    """An authenticator app set up for ``user`` by a command (the demo), which shows ``key`` to
    the person who ran it: the user's devices are replaced by this one app. ``actor``: who acted
    (None from a command, as for the accounts the demo creates)."""
    account = _locked(user)
    for model in devices.KINDS.values():
        model.objects.filter(user=account).delete()
    device = TOTPDevice.objects.create(user=account, name=name, key=key, confirmed=True)
    _record(account, actor=actor, reason=DEVICE_ADDED)
    return device


@transaction.atomic
def reset_devices(*, actor, user) -> int:
    """An administrator removes every device of ``user`` (a lost phone and lost codes): their
    sessions end, and a role that needs a second factor enrols again at the next sign-in.
    Returns how many devices were removed."""
    decision = can_reset_devices(actor)
    if not decision:
        raise NotPermitted(decision.reason)
    account = _locked(user)
    removed = 0
    for model in devices.KINDS.values():
        removed += model.objects.filter(user=account).delete()[1].get(model._meta.label, 0)
    _record(account, actor=actor, reason=DEVICES_RESET)
    return removed
