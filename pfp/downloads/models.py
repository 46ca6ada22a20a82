"""Files built off the request, kept in the default storage (``STORAGES["default"]``).

``PreparedFile``: a download one user asked for, built by the worker (the builders are the
reports', ``programmes.reports.prepared``), offered to that user alone, deleted by the scheduled
cleanup (``pfp.downloads.tasks.delete_old_files``). Documents built once and kept
(``pfp.downloads.storage.cached``) have no row: their name in the storage is their key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pfp.constraints import ChecksInOneQuery


class PreparedFile(ChecksInOneQuery):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="prepared_files",
    )
    # What to build, and with what (read by the builder named by ``kind``).
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="prepared/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="prepared_file_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""),
                name="prepared_file_ready_has_file",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
