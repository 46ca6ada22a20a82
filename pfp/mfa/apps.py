from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "pfp.mfa"
    label = "mfa"
    verbose_name = _("Second factor")

    def ready(self):
        from pfp.mfa import checks  # noqa: F401 - registers the check of MFA_REQUIRED_ROLES
