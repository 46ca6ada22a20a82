from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PfpConfig(AppConfig):
    name = "pfp"
    verbose_name = _("Accounts and roles")
