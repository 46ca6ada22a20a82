"""Delivery: what happened to an agreed programme over its four years.

An ``Event`` (a course session, a workshop, an exercise) delivers a planned activity, or, when the
programme did not plan it, serves one of its partnership goals. An ``AnnualReview`` rates, after
each programme year, the progress made towards each strategic objective.

Both belong to the programme's lineage (``Programme.lineage``, shared by all its versions) and to
the stable keys of its planned activities, goals and objectives (kept by the copy a revision
makes), not to one version: a revision keeps what was delivered under the version it replaces,
and an event whose planned activity a revision removed stays, shown as no longer planned.

Every change goes through ``programmes.delivery.actions``; the rules a row can express are
database constraints here as well.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Partner
from pfp.constraints import ChecksInOneQuery
from programmes.menu.models import Activity, Provider
from programmes.models import PROGRAMME_YEARS

RATINGS = (1, 5)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class EventQuerySet(models.QuerySet):
    def of_lineage(self, lineage):
        return self.filter(lineage=lineage)

    def planned(self):
        return self.filter(planned_key__isnull=False)

    def unplanned(self):
        return self.filter(planned_key__isnull=True)

    def without_outcome(self, today):
        """Scheduled events whose last day is past: nobody recorded what happened."""
        return self.filter(status=EventStatus.SCHEDULED, end_date__lt=today)

    def for_lists(self):
        return self.select_related("partner", "activity__area", "provider")


class Event(ChecksInOneQuery):
    """One event delivering a planned activity (``planned_key``), or an unplanned one serving a
    partnership goal (``goal_key`` only)."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="events"
    )
    lineage = models.UUIDField(_("programme"), db_index=True)
    planned_key = models.UUIDField(_("planned activity"), null=True, blank=True, db_index=True)
    goal_key = models.UUIDField(_("partnership goal"))
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="events"
    )
    year = models.PositiveSmallIntegerField(
        _("programme year"),
        validators=[MinValueValidator(1), MaxValueValidator(PROGRAMME_YEARS)],
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    postponed_to = models.PositiveSmallIntegerField(
        _("postponed to programme year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(PROGRAMME_YEARS)],
    )
    participants = models.PositiveIntegerField(
        _("participants from the partner"), null=True, blank=True
    )
    women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATINGS[0]), MaxValueValidator(RATINGS[1])],
    )
    evaluation = models.TextField(_("evaluation"), max_length=2000, blank=True)
    # The event-management system's reference: an import that finds it updates the event.
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    edit_stamp = models.PositiveIntegerField(_("edit stamp"), default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), editable=False)
    # The one-time token of the form that recorded this event: the same form sent twice (a
    # double click, a retry) finds the event it recorded instead of recording another.
    creation_token = models.UUIDField(
        _("creation token"), null=True, blank=True, unique=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["creation_token"])

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "activity__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1, year__lte=PROGRAMME_YEARS),
                name="event_within_programme_years",
                violation_error_message=_("The year must be one of the programme's four years."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("The last day cannot come before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(place=""),
                name="event_has_a_place",
                violation_error_message=_("Give the place, or say that the event is online."),
            ),
            models.CheckConstraint(
                condition=Q(women__isnull=True)
                | Q(participants__isnull=False, women__lte=F("participants")),
                name="event_women_among_participants",
                violation_error_message=_(
                    "The number of women cannot exceed the number of participants."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=EventStatus.CANCELLED, cancellation_reason__gt="")
                | (~Q(status=EventStatus.CANCELLED) & Q(cancellation_reason="")),
                name="event_cancelled_with_a_reason",
                violation_error_message=_("A cancelled event needs a reason, and only it."),
            ),
            models.CheckConstraint(
                condition=Q(status=EventStatus.POSTPONED, postponed_to__gt=F("year"))
                | (~Q(status=EventStatus.POSTPONED) & Q(postponed_to__isnull=True)),
                name="event_postponed_to_a_later_year",
                violation_error_message=_(
                    "A postponed event goes to a later year of the programme."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(status=EventStatus.DELIVERED, rating__gte=RATINGS[0], rating__lte=RATINGS[1]),
                name="event_rated_once_delivered",
                violation_error_message=_("Only a delivered event is rated, from 1 to 5."),
            ),
            models.UniqueConstraint(
                fields=["partner", "external_ref"],
                condition=~Q(external_ref=""),
                name="event_one_per_external_reference",
                violation_error_message=_(
                    "An event with this external reference is already recorded."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "start_date"]),
            # The events of a year across partners (the API's, the delivery report's), in order.
            models.Index(fields=["start_date"], name="event_start_date"),
        ]

    def __str__(self):
        return f"{self.activity.code} {self.start_date:%Y-%m-%d}"

    @property
    def is_planned(self) -> bool:
        return self.planned_key is not None

    @property
    def share_of_women(self) -> float | None:
        if not self.participants or self.women is None:
            return None
        return self.women / self.participants


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


# Only these change; a submitted review waits for an approver, an acknowledged one is final.
EDITABLE_REVIEW_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class AnnualReview(ChecksInOneQuery):
    """The review of one programme year: a rating per strategic objective and an overall note,
    written by the partner's officers and acknowledged by an approver who did not write it."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="reviews"
    )
    lineage = models.UUIDField(_("programme"), db_index=True)
    year = models.PositiveSmallIntegerField(
        _("programme year"),
        validators=[MinValueValidator(1), MaxValueValidator(PROGRAMME_YEARS)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    overall = models.TextField(_("overall assessment"), max_length=4000, blank=True)
    return_comment = models.TextField(_("comment on returning"), max_length=2000, blank=True)
    edit_stamp = models.PositiveIntegerField(_("edit stamp"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), editable=False)
    writers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writers"),
        related_name="+",
        blank=True,
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["partner", "lineage", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "year"],
                name="review_one_per_programme_year",
                violation_error_message=_("This year of the programme already has its review."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1, year__lte=PROGRAMME_YEARS),
                name="review_within_programme_years",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True)
                | (~Q(acknowledged_by=F("created_by")) & ~Q(acknowledged_by=F("submitted_by"))),
                name="review_not_acknowledged_by_its_writer",
                violation_error_message=_(
                    "A review cannot be acknowledged by someone who wrote or submitted it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.ACKNOWLEDGED)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="review_acknowledged_says_by_whom",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReviewStatus.SUBMITTED, ReviewStatus.ACKNOWLEDGED])
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="review_submitted_says_by_whom",
            ),
        ]

    def __str__(self):
        return _("Review of year %(year)s") % {"year": self.year}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REVIEW_STATUSES


class ObjectiveProgress(models.Model):
    """The progress towards one strategic objective (``objective_key``) in a review."""

    review = models.ForeignKey(
        AnnualReview,
        verbose_name=_("annual review"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    objective_key = models.UUIDField(_("strategic objective"))
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices)
    narrative = models.TextField(_("narrative"), max_length=4000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress towards an objective")
        verbose_name_plural = _("progress towards the objectives")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "objective_key"], name="review_one_rating_per_objective"
            ),
            models.CheckConstraint(
                condition=Q(progress__in=Progress.values), name="review_progress_valid"
            ),
        ]

    def __str__(self):
        return self.get_progress_display()


class EventImport(ChecksInOneQuery):
    """One uploaded file of events from the event-management system: previewed, then applied (or
    left), with what it did (``programmes.delivery.importing``).

    The file is kept in the database, so that the preview and the confirmation may be served by
    different application servers; what the page shows is kept at upload (``preview``) and once
    applied (``result``): only applying reads the file again.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="event_imports",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("events recorded"), default=0)
    updated = models.PositiveIntegerField(_("events corrected"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # What the file would do, as its page shows it, kept at upload.
    preview = models.JSONField(_("preview"), default=dict, editable=False)
    # What applying did, as its page shows it.
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event import")
        verbose_name_plural = _("event imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "applied", "rejected"]),
                name="event_import_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False, applied_by__isnull=False)
                | (~Q(status="applied") & Q(applied_at__isnull=True, applied_by__isnull=True)),
                name="event_import_applied_says_by_whom",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("programmes:event_import_detail", kwargs={"pk": self.pk})
