"""Personal API tokens (see the package's docstring)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pfp.constraints import ChecksInOneQuery

# What every token starts with: a secret scanner (or a person) recognises it.
PREFIX = "pfp_"
# The characters of a token shown on the account page to tell tokens apart (never enough to use).
SHOWN_CHARS = 8


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(ChecksInOneQuery):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, for example “BI reports”.")
    )
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    shown = models.CharField(_("first characters"), max_length=20, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    # Written without a history row (an update of this column alone), at most once a minute.
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_named"),
        ]

    def __str__(self):
        return f"{self.name} ({self.shown}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
