from django.utils.translation import gettext_lazy as _

from . import permissions
from .roles import Role


def navigation(request):
    """Expose ``nav`` (what the user may reach) and ``user_roles`` to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "user_roles": []}
    roles = [Role(name).label for name in sorted(permissions.roles_of(user))]
    if permissions.is_administrator(user):
        roles.insert(0, _("Administrator"))
    return {"nav": permissions.navigation_for(user), "user_roles": roles}
