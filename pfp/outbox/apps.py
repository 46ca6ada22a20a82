from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every e-mail the site sends, as a row written with the step that caused it and sent by the
    worker (``pfp.outbox.sending``); the schedule of periodic tasks (``pfp.outbox.schedule``)."""

    name = "pfp.outbox"
    label = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"
