"""Who may do what: the one place that decides.

Views (through ``pfp.views.PermissionMixin``), templates (through the ``navigation`` context
processor) and the admin ask these functions; none of them checks a group or a permission by
itself. Each rule returns a ``Decision`` that is truthy when allowed and carries the reason when
it is not, so a refusal can be explained to the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner

from .roles import Role


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
    return user._pfp_roles


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def can_view_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.view_partner"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the partner register."))


def can_change_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.change_partner"):
        return ALLOW
    return Decision(False, _("Only an administrator may change the partner register."))


def can_use_admin_site(user) -> Decision:
    if is_administrator(user) and user.is_staff:
        return ALLOW
    return Decision(False, _("Only administrators use the admin site."))


def can_view_menu(user) -> Decision:
    if user.is_authenticated and user.has_perm("programmes.view_activity"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the cooperation menu."))


def can_edit_menu(user) -> Decision:
    """Create, edit, retire and import activities: menu managers and administrators."""
    if user.is_authenticated and user.has_perms(
        ["programmes.add_activity", "programmes.change_activity", "programmes.add_menuimport"]
    ):
        return ALLOW
    return Decision(False, _("Only menu managers may change the cooperation menu."))


def visible_partners(user) -> QuerySet[Partner]:
    """The partners this user may see; every page and report starts from here."""
    if can_view_register(user):
        return Partner.objects.all()
    return Partner.objects.none()


def navigation_for(user) -> dict[str, bool]:
    """What the navigation bar offers this user."""
    return {
        "partners": bool(can_view_register(user)),
        "menu": bool(can_view_menu(user)),
        "menu_edit": bool(can_edit_menu(user)),
        "admin_site": bool(can_use_admin_site(user)),
    }
