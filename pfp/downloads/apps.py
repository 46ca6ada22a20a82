from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    """Files built by the worker for one user (``PreparedFile``) and documents built once and
    kept until their contents change (``CachedFile``), both in the default storage."""

    name = "pfp.downloads"
    label = "downloads"
    verbose_name = _("Prepared downloads")
    default_auto_field = "django.db.models.BigAutoField"
