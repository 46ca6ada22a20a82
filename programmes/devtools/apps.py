from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Development tools: the demo data (``seed_demo``), ``bench`` and ``loadtest``. Installed only
    when ``DJANGO_DEBUG`` or ``DJANGO_DEVTOOLS`` is on (``pfp.settings``); nothing at run time
    imports it."""

    name = "programmes.devtools"
    label = "devtools"
    verbose_name = _("Development tools")
