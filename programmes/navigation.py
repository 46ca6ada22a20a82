"""The navigation bar: what each user may reach, for every template (a context processor).

It composes the rules of every app (the partner register, the menu, the programmes), so it sits
in the programmes app, above the others; ``pfp`` knows none of them.
"""

from django.utils.translation import gettext_lazy as _

from partners.permissions import can_view_register
from pfp.permissions import can_use_admin_site, is_administrator, roles_of
from pfp.roles import Role
from programmes.menu.permissions import can_edit_menu, can_view_menu
from programmes.permissions import can_review, can_view_programmes


def navigation_for(user) -> dict[str, bool]:
    """What the navigation bar offers this user."""
    return {
        "partners": bool(can_view_register(user)),
        "menu": bool(can_view_menu(user)),
        "menu_edit": bool(can_edit_menu(user)),
        "programmes": bool(can_view_programmes(user)),
        "review": bool(can_review(user)),
        "admin_site": bool(can_use_admin_site(user)),
    }


def navigation(request):
    """Expose ``nav`` (what the user may reach) and ``user_roles`` to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "user_roles": []}
    roles = [Role(name).label for name in sorted(roles_of(user))]
    if is_administrator(user):
        roles.insert(0, _("Administrator"))
    return {"nav": navigation_for(user), "user_roles": roles}
