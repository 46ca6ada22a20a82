"""Who must have a second factor, and who may change whose devices."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pfp.permissions import ALLOW, Decision, is_administrator, roles_of
from pfp.roles import Role

ADMINISTRATOR = "administrator"
# The names DJANGO_MFA_REQUIRED_ROLES uses: each role's, and the administrators (superusers).
ROLE_NAMES = {
    "viewer": Role.VIEWER,
    "programme_officer": Role.PROGRAMME_OFFICER,
    "approver": Role.APPROVER,
    "menu_manager": Role.MENU_MANAGER,
    ADMINISTRATOR: None,
}


def requirement_on() -> bool:
    """Whether any role must have a second factor (empty ``MFA_REQUIRED_ROLES``: a local trial)."""
    return bool(settings.MFA_REQUIRED_ROLES)


def second_factor_required(user) -> bool:
    """Whether ``user`` holds a role of ``MFA_REQUIRED_ROLES``."""
    names = settings.MFA_REQUIRED_ROLES
    if not names or not user.is_authenticated:
        return False
    if ADMINISTRATOR in names and is_administrator(user):
        return True
    required = {ROLE_NAMES[name] for name in names if ROLE_NAMES.get(name)}
    return bool(required & roles_of(user))


def is_verified(user) -> bool:
    """Whether this request's session was verified with a second factor (django-otp)."""
    return user.is_authenticated and getattr(user, "otp_device", None) is not None


def has_verified_second_factor_if_required(user) -> Decision:
    """For actions a role that needs a second factor may take only after one (the API's personal
    tokens): allowed unless the role requires it and this session was not verified."""
    if second_factor_required(user) and not is_verified(user):
        return Decision(
            False, _("Your role requires signing in with a second factor before doing this.")
        )
    return ALLOW


def can_reset_devices(actor) -> Decision:
    if is_administrator(actor):
        return ALLOW
    return Decision(False, _("Only administrators reset another user's second factor."))
