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
    # Staff of a partner's mission to NATO, each bound to one partner (partners.Representative):
    # they read that partner's shared programmes, comment and accept, and see nothing else.
    PARTNER_REPRESENTATIVE = "Partner representative", _("Partner representative")


# The groups and their permissions are created by data migrations (pfp/migrations), which
# keep their own frozen lists; tests/security/test_access.py checks what each role may do.
