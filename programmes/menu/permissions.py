"""Who may read the cooperation menu and who may change it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pfp.permissions import ALLOW, Decision


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
