"""The outbox: one row per e-mail, and one row per run of a scheduled task.

A message is written in the transaction of the step that causes it, so a step rolled back leaves
none; its ``key`` is unique, so writing the same message twice (a step retried, a reminder for an
occasion already reminded of) keeps one. ``pfp.outbox.sending`` moves it from *pending* to
*sending* (claimed by one worker) to *sent*, or back to *pending* with the relay's error and a
later attempt, or to *failed* after ``OUTBOX_MAX_TRIES``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pfp.constraints import ChecksInOneQuery


class Delivery(models.TextChoices):
    """How a user wants one kind of message (``Preference``)."""

    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NEVER = "never", _("Never")


class Message(ChecksInOneQuery):
    class Status(models.TextChoices):
        HELD = "held", _("Held for a digest")
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    digest = models.CharField(
        _("digest"),
        max_length=10,
        blank=True,
        choices=[(Delivery.DAILY, Delivery.DAILY.label), (Delivery.WEEKLY, Delivery.WEEKLY.label)],
    )
    in_digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in the digest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gathered",
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="sending", claimed_at__isnull=False) | ~Q(status="sending"),
                name="outbox_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=Q(status="held", digest__in=["daily", "weekly"]) | ~Q(status="held"),
                name="outbox_held_for_a_digest",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.address}"


class Preference(models.Model):
    """How one user receives one kind of message; without a row, at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="message_preferences",
    )
    kind = models.CharField(_("kind"), max_length=50)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="outbox_one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.delivery}"


class ScheduledRun(models.Model):
    """One run of a scheduled task for one occasion (``daily:2026-12-06``): the unique pair is
    what keeps several schedulers, on several machines, from enqueueing it twice."""

    name = models.CharField(_("name"), max_length=100)
    occasion = models.CharField(_("occasion"), max_length=50)
    enqueued_at = models.DateTimeField(_("enqueued"), default=timezone.now)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "occasion"], name="outbox_one_run_per_occasion")
        ]

    def __str__(self):
        return f"{self.name} {self.occasion}"
