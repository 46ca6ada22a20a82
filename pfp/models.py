"""The project's user model, in place from the first migration so it can grow without pain, and
the history of accounts: users and groups (the roles), like every other change of ours."""

import simple_history
from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The change reason of a user's history row that changed the password (which the row itself does
# not hold). A code, like the workflow's step names in a programme's history.
PASSWORD_CHANGED = "password changed"  # noqa: S105 - a label, not a password


class AccountHistory(HistoricalRecords):
    """django-simple-history for accounts: no row for a save that touches only fields the
    history leaves out (a login's ``last_login``, a password rehashed at login)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


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

    # No password hash in the history, and no row per login. Roles (groups) and permissions
    # are recorded with each row.
    history = AccountHistory(
        excluded_fields=["password", "last_login"],
        m2m_fields=["groups", "user_permissions"],
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # set_password() keeps the new password until the save: this save changes an account's
        # password, whichever page or command asked. The history row says so, since it does not
        # hold the hash.
        reason_added = (
            self._password is not None
            and not self._state.adding
            and not hasattr(self, "_change_reason")
        )
        if reason_added:
            self._change_reason = PASSWORD_CHANGED
        try:
            super().save(*args, **kwargs)
        finally:
            if reason_added:
                self.__dict__.pop("_change_reason", None)


# Groups are Django's (auth.Group); their history model lives here, in pfp.
simple_history.register(Group, app="pfp", records_class=AccountHistory, m2m_fields=["permissions"])
