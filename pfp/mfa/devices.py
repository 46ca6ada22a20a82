"""A user's second-factor devices, reading them and checking a code against them.

Devices are django-otp's: ``TOTPDevice`` (an authenticator app) and ``StaticDevice`` (the
recovery codes, each ``StaticToken`` good once). A TOTP code is refused once used (the device
keeps the last time step it accepted, ``last_t``); a recovery code is deleted when used. Every
check locks the user's devices (``select_for_update``), so that the same code sent twice at once
passes once.
"""

from __future__ import annotations

import segno
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

# The kinds of device: an authenticator app, a security key or passkey (WebAuthn), the recovery
# codes. Apps and keys are second factors; recovery codes stand in for them.
KINDS = {"app": TOTPDevice, "key": WebAuthnCredential, "codes": StaticDevice}
FACTORS = (TOTPDevice, WebAuthnCredential)
RECOVERY_CODE_COUNT = 10
# The longest code anyone types: a TOTP code has 6 digits, a recovery code 16 characters at most.
CODE_MAX_LENGTH = 16


def kind_of(device: Device) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(device, model))


def confirmed_devices(user) -> list[Device]:
    """The user's devices, authenticator apps first (one query per kind)."""
    return list(devices_for_user(user))


def has_device(user) -> bool:
    return user_has_device(user)


def device_of(user, kind: str, pk: int) -> Device | None:
    """One of the user's own apps or keys (another user's is None, as a missing one is)."""
    model = {"app": TOTPDevice, "key": WebAuthnCredential}[kind]
    return model.objects.devices_for_user(user, confirmed=True).filter(pk=pk).first()


def has_key(user) -> bool:
    """Whether the user has a security key or passkey (the code page then offers it)."""
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists()


def has_factor(user) -> bool:
    """Whether the user has an app or a key (recovery codes alone are not a second factor)."""
    return any(model.objects.devices_for_user(user, confirmed=True).exists() for model in FACTORS)


def recovery_codes_left(user) -> int | None:
    """How many unused recovery codes the user has; None without recovery codes."""
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return None if device is None else device.token_set.count()


def normalized(code: str) -> str:
    """What the user typed, without the spaces and dashes apps and printed codes show."""
    return "".join(code.split()).replace("-", "").lower()


def verify(user, code: str) -> Device | None:
    """The user's device that accepts ``code`` now, or None. Accepting spends the code (the TOTP
    step is recorded, the recovery code deleted); a failure counts toward each device's throttle
    (django-otp's growing delay between attempts)."""
    code = normalized(code)
    if not code or len(code) > CODE_MAX_LENGTH:
        return None
    # Digits are an app's code, anything else a recovery code: only the devices of that kind
    # spend an attempt of their throttle on it.
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def new_key() -> str:
    """A random TOTP secret (hex, as TOTPDevice stores it)."""
    return default_key()


def unsaved_authenticator(user, key: str, name: str = "") -> TOTPDevice:
    return TOTPDevice(user=user, key=key, name=name, confirmed=False)


def time_step_accepting(key: str, code: str) -> int | None:
    """The time step at which ``code`` is the key's TOTP code (within the device's tolerance of
    one step either way), or None: the first code of a new authenticator app."""
    device = unsaved_authenticator(None, key)
    code = normalized(code)
    if not code.isdigit() or len(code) != device.digits:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.verify(int(code), device.tolerance):
        return totp.t()
    return None


def base32_secret(key: str) -> str:
    """The secret as an app asks for it when typed (base32, in groups of four)."""
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(key)).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as a QR code, an inline SVG drawn here (no image service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False
    )
