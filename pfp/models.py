"""The project's user model, in place from the first migration so it can grow without pain."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Roles are the groups of ``pfp.roles``; administrators are superusers."""

    # Chosen in the page footer and applied at every request by pfp.middleware; empty means the
    # browser's language (Accept-Language), as for a visitor who is not signed in.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the pages; empty to follow the browser's."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username
