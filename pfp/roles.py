"""The roles of the product: names and the model permissions each one holds.

Roles are ``auth.Group`` rows created by a data migration; this module names them so that code
never spells a group name twice. Administrators are superusers, not a group.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "Viewer", _("Viewer")
    PROGRAMME_OFFICER = "Programme officer", _("Programme officer")
    APPROVER = "Approver", _("Approver")
    MENU_MANAGER = "Menu manager", _("Menu manager")


# Reading the register is common to every role; later issues add each role's own permissions.
READ_REGISTER = [
    ("partners", "view_partner"),
    ("partners", "view_statusevent"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.VIEWER: READ_REGISTER,
    Role.PROGRAMME_OFFICER: READ_REGISTER,
    Role.APPROVER: READ_REGISTER,
    Role.MENU_MANAGER: READ_REGISTER,
}
