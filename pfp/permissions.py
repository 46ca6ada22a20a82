"""The ground every permission rule stands on: ``Decision``, the user's roles, administrators.

Each app owns its rules next to its models (``partners.permissions``,
``programmes.menu.permissions``, ``programmes.permissions``); views (through
``pfp.views.PermissionMixin``), templates (through the navigation context processor) and the admin
ask those functions; none of them checks a group or a permission by itself. Each rule returns a
``Decision`` that is truthy when allowed and carries the reason when it is not, so a refusal can be
explained to the user. This module imports no app above ``pfp``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pfp.roles import Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def roles_of(user) -> set[str]:
    """The user's role names (``Role`` values); administrators are superusers, not a group."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_pfp_roles"):
        user._pfp_roles = set(user.groups.values_list("name", flat=True)) & set(Role.values)
        # A partner's representative is that and nothing else, whatever other group they are in.
        if Role.PARTNER_REPRESENTATIVE in user._pfp_roles:
            user._pfp_roles = {Role.PARTNER_REPRESENTATIVE}
    return user._pfp_roles


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def is_approver(user) -> bool:
    return is_administrator(user) or Role.APPROVER in roles_of(user)


def can_use_admin_site(user) -> Decision:
    if is_administrator(user) and user.is_staff:
        return ALLOW
    return Decision(False, _("Only administrators use the admin site."))
