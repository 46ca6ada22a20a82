"""The four-year partnership programmes (ITPPs).

A programme (``Programme``) belongs to a partner and covers four consecutive years; inside it are
ordered strategic objectives, ordered partnership goals under each, and activities of the menu
(``programmes.menu.models``) planned for one programme year to serve a goal. Every change of a
programme, of its contents or of its status goes through ``programmes.workflow``; the rules that
can be written as database constraints are written here as well, so that no path around the
workflow can break them.
"""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pfp.constraints import ChecksInOneQuery
from programmes.menu.models import Activity

# A programme covers four consecutive years: its first year and the three after it.
PROGRAMME_YEARS = 4
FIRST_PROGRAMME_YEAR = 1994
LAST_PROGRAMME_YEAR = 2100


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Superseded")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Only these may change; every other version is read-only everywhere.
EDITABLE_STATUSES = frozenset({ProgrammeStatus.DRAFT, ProgrammeStatus.RETURNED})
# Versions still on their way to an agreement.
OPEN_STATUSES = frozenset(
    {
        ProgrammeStatus.DRAFT,
        ProgrammeStatus.RETURNED,
        ProgrammeStatus.SUBMITTED,
        ProgrammeStatus.APPROVED,
    }
)
# Versions that were approved on the NATO side (and so carry who approved them).
APPROVED_STATUSES = frozenset(
    {
        ProgrammeStatus.APPROVED,
        ProgrammeStatus.AGREED,
        ProgrammeStatus.SUPERSEDED,
        ProgrammeStatus.CLOSED,
    }
)
# Versions the partner agreed to (and so carry the date and the signatory).
AGREED_STATUSES = frozenset(
    {ProgrammeStatus.AGREED, ProgrammeStatus.SUPERSEDED, ProgrammeStatus.CLOSED}
)


class ProgrammeQuerySet(models.QuerySet):
    def for_partner(self, partner):
        return self.filter(partner=partner)

    def editable(self):
        return self.filter(status__in=EDITABLE_STATUSES)

    def awaiting_approval(self):
        return self.filter(status=ProgrammeStatus.SUBMITTED)

    def agreed(self):
        return self.filter(status=ProgrammeStatus.AGREED)

    def in_force(self, on=None):
        """Agreed programmes whose four years include the date ``on`` (today by default)."""
        year = (on or timezone.localdate()).year
        return self.agreed().filter(start_year__lte=year, end_year__gte=year)

    def overlapping(self, start_year: int, end_year: int):
        return self.filter(start_year__lte=end_year, end_year__gte=start_year)

    def planning(self, code: str):
        """Versions that plan the menu activity ``code`` (in any year); none for an unknown
        code. A subquery, so that each version appears once."""
        code = code.strip().upper()
        return self.filter(
            pk__in=PlannedActivity.objects.filter(activity__code=code).values("programme")
        )

    def drafted_by(self, user):
        """Versions the user created, edited or submitted."""
        return self.filter(Q(created_by=user) | Q(editors=user) | Q(submitted_by=user)).distinct()

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(partner__name__icontains=text)
            | Q(partner__name_fr__icontains=text)
            | Q(partner__code__iexact=text)
        )

    def for_lists(self):
        return self.select_related("partner", "created_by", "submitted_by", "approved_by")

    def shared_with_partner(self):
        return self.filter(shared_with_partner=True)

    def awaiting_partner(self):
        """Approved by NATO, offered to the partner, not yet accepted."""
        return self.filter(status=ProgrammeStatus.APPROVED)


class Programme(ChecksInOneQuery):
    """One version of a partner's four-year Individually Tailored Partnership Programme."""

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    # The one-time token of the form that created this row: the same form sent twice (a double
    # click, a retry) finds the row it created instead of creating another.
    creation_token = models.UUIDField(
        _("creation token"), null=True, blank=True, unique=True, editable=False
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"),
        validators=[
            MinValueValidator(FIRST_PROGRAMME_YEAR),
            MaxValueValidator(LAST_PROGRAMME_YEAR - PROGRAMME_YEARS + 1),
        ],
    )
    end_year = models.PositiveSmallIntegerField(_("last year"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    # Versions of one programme share a lineage; version 1 revises nothing.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("revises"),
        on_delete=models.PROTECT,
        related_name="revisions",
        null=True,
        blank=True,
        editable=False,
    )
    # Raised by every change of the programme or its contents: an edit form carries the value it
    # was loaded with, and saving over a newer change is refused as a conflict.
    edit_stamp = models.PositiveIntegerField(_("edit stamp"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        related_name="edited_programmes",
        blank=True,
        editable=False,
        help_text=_("Everyone who changed this version while it was a draft."),
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
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    agreed_on = models.DateField(_("agreed by the partner on"), null=True, blank=True)
    partner_signatory = models.CharField(_("partner's signatory"), max_length=200, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreement recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    # The partner's side. A version is shown to the partner's representatives once it is
    # shared: when submitted, or earlier when an officer shares the draft (``workflow.share``).
    shared_with_partner = models.BooleanField(
        _("shared with the partner"), default=False, editable=False
    )
    # The partner's acceptance given in the product by one of its representatives; an
    # acceptance on paper is recorded by staff instead (``agreement_recorded_by``).
    partner_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted for the partner by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    partner_accepted_at = models.DateTimeField(
        _("accepted by the partner at"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_reason = models.CharField(_("reason for closing"), max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["edit_stamp", "creation_token"])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["partner__name", "-start_year", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year=F("start_year") + PROGRAMME_YEARS - 1),
                name="programme_covers_four_years",
                violation_error_message=_("A programme covers four consecutive years."),
            ),
            models.CheckConstraint(
                condition=Q(
                    start_year__gte=FIRST_PROGRAMME_YEAR,
                    start_year__lte=LAST_PROGRAMME_YEAR - PROGRAMME_YEARS + 1,
                ),
                name="programme_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values), name="programme_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(revises__isnull=True, version=1)
                | Q(revises__isnull=False, version__gt=1),
                name="programme_version_follows_revision",
            ),
            models.UniqueConstraint(
                fields=["lineage", "version"], name="programme_one_number_per_version"
            ),
            # At most one revision of a version on its way (or agreed); withdrawn ones do not count.
            models.UniqueConstraint(
                fields=["revises"],
                condition=~Q(status=ProgrammeStatus.WITHDRAWN),
                name="programme_one_revision_at_a_time",
                violation_error_message=_("This version already has a revision."),
            ),
            # The four-eyes rule, as far as a row can express it: the approver neither created
            # nor submitted this version (editors are checked by the workflow).
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("created_by")) & ~Q(approved_by=F("submitted_by"))),
                name="programme_not_approved_by_its_drafter",
                violation_error_message=_(
                    "A programme cannot be approved by someone who created or submitted it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(APPROVED_STATUSES))
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="programme_approval_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(AGREED_STATUSES))
                | (Q(agreed_on__isnull=False) & ~Q(partner_signatory="")),
                name="programme_agreement_recorded",
            ),
            # In force only with both acceptances: NATO's approval (above) and the partner's,
            # given in the product by a representative or recorded from paper by staff.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(AGREED_STATUSES))
                | Q(partner_accepted_by__isnull=False, partner_accepted_at__isnull=False)
                | Q(agreement_recorded_by__isnull=False),
                name="programme_partner_acceptance_recorded",
            ),
            # What the partner was shown stays shown: every version from its submission on.
            models.CheckConstraint(
                condition=Q(status__in=[ProgrammeStatus.DRAFT, ProgrammeStatus.WITHDRAWN])
                | Q(shared_with_partner=True)
                | Q(submitted_at__isnull=True),
                name="programme_shared_once_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgrammeStatus.SUBMITTED)
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="programme_submission_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgrammeStatus.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(closed_reason="")),
                name="programme_closure_recorded",
            ),
            # A backstop for the overlap rule the workflow enforces under a lock on the partner.
            models.UniqueConstraint(
                fields=["partner", "start_year"],
                condition=Q(status=ProgrammeStatus.AGREED),
                name="programme_one_agreed_per_period",
                violation_error_message=_("The partner already has an agreed programme then."),
            ),
            # At most one version on its way per partner and period. A revision is on its way
            # while the version it revises is agreed (not open), so this holds for revisions
            # too. The workflow refuses any overlap of open versions under the partner's lock;
            # a row can only say "the same first year", so on PostgreSQL an exclusion
            # constraint (migration 0008, ``programme_open_periods_apart``) refuses any
            # overlapping years as well.
            models.UniqueConstraint(
                fields=["partner", "start_year"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="programme_one_open_version_per_period",
                violation_error_message=_(
                    "The partner already has a version on its way for these years."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "end_year"], name="programme_status_end")]

    def __str__(self):
        return gettext("%(title)s (%(period)s, version %(version)s)") % {
            "title": self.title,
            "period": self.period,
            "version": self.version,
        }

    def save(self, *args, **kwargs):
        # The end year is derived, never entered.
        if self.start_year is not None:
            self.end_year = self.start_year + PROGRAMME_YEARS - 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", kwargs={"pk": self.pk})

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.start_year + PROGRAMME_YEARS))

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.start_year + PROGRAMME_YEARS - 1}"  # noqa: RUF001

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_in_force(self, on=None) -> bool:
        year = (on or timezone.localdate()).year
        return self.status == ProgrammeStatus.AGREED and self.start_year <= year <= self.end_year


class OrderedItem(models.Model):
    """What strategic objectives and partnership goals share: a title and a description, a
    place (``order``) among the items of their container (an objective's programme, a goal's
    objective), and a key that the copy a revision makes keeps.

    A subclass declares the foreign key to its container and names it in ``ordered_within``.
    """

    # Kept by the copy a revision makes, so that two versions can be compared item by item.
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    # The one-time token of the form that created this row: the same form sent twice (a double
    # click, a retry) finds the row it created instead of creating another.
    creation_token = models.UUIDField(
        _("creation token"), null=True, blank=True, unique=True, editable=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)

    # The name of the foreign key to the container the item is ordered within.
    ordered_within: str

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def siblings(self) -> models.QuerySet[Self]:
        """The items of the same container, this one included (once saved), in their order."""
        container = f"{self.ordered_within}_id"
        items = type(self)._default_manager.filter(**{container: getattr(self, container)})
        return items.order_by("order", "pk")

    def next_order(self) -> int:
        """The place after the container's last item: where an item new to it goes."""
        return (self.siblings().aggregate(top=Max("order"))["top"] or 0) + 1

    def reordered(self, direction: int) -> list[Self]:
        """Swap this item with its neighbour above (-1) or below (+1), numbering the items of
        its container 1, 2, 3...: the items whose ``order`` changed, not saved yet (none when
        the item is already first, or last)."""
        ordered = list(self.siblings())
        index = next(i for i, sibling in enumerate(ordered) if sibling.pk == self.pk)
        target = index + direction
        if not 0 <= target < len(ordered):
            return []
        ordered[index], ordered[target] = ordered[target], ordered[index]
        changed = []
        for position, sibling in enumerate(ordered, start=1):
            if sibling.order != position:
                sibling.order = position
                changed.append(sibling)
        return changed

    def copy_into(self, container) -> Self:
        """An unsaved copy of this item in ``container`` (the revision's programme or objective),
        with the same key, place and text."""
        return type(self)(
            **{self.ordered_within: container},
            key=self.key,
            order=self.order,
            title=self.title,
            description=self.description,
        )


class Objective(OrderedItem):
    """A strategic objective of a programme (an end)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="objectives"
    )
    ordered_within = "programme"
    history = HistoricalRecords(excluded_fields=["creation_token"])

    class Meta:
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        ordering = ["programme", "order", "pk"]


class Goal(OrderedItem):
    """A partnership goal under a strategic objective (a way)."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="goals"
    )
    ordered_within = "objective"
    history = HistoricalRecords(excluded_fields=["creation_token"])

    class Meta:
        verbose_name = _("partnership goal")
        verbose_name_plural = _("partnership goals")
        ordering = ["objective", "order", "pk"]


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class PlannedActivity(ChecksInOneQuery):
    """An activity of the menu planned in one year of a programme, to serve one of its goals.

    ``year`` is the programme year, 1 to 4, so that "within the programme's years" is a plain
    database constraint; ``calendar_year`` gives the year it falls in.
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="planned_activities",
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="planned"
    )
    year = models.PositiveSmallIntegerField(
        _("programme year"),
        validators=[MinValueValidator(1), MaxValueValidator(PROGRAMME_YEARS)],
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.RESTRICT, related_name="planned_activities"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["programme", "year", "activity__code"]
        indexes = [
            # An event names the planned activity it delivers by its key (``Event.planned_key``,
            # the same in every version of the programme): the reports look keys up.
            models.Index(fields=["key"], name="planned_activity_key"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "activity", "year"],
                name="planned_activity_once_per_year",
                violation_error_message=_(
                    "This activity is already planned for that year of the programme."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1, year__lte=PROGRAMME_YEARS),
                name="planned_activity_within_programme_years",
                violation_error_message=_("The year must be one of the programme's four years."),
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="planned_activity_priority_valid"
            ),
        ]

    def __str__(self):
        return f"{self.activity.code} ({self.calendar_year})"

    @property
    def calendar_year(self) -> int:
        return self.programme.start_year + self.year - 1


class CommentQuerySet(models.QuerySet):
    def shared(self):
        """Those the partner's representatives read."""
        return self.filter(audience=Comment.Audience.SHARED)


class Comment(ChecksInOneQuery):
    """A remark on one version of a programme: a review remark or a general note."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        REVIEW = "review", _("Review remark")
        RETURN = "return", _("Reason for return")
        DECLINE = "decline", _("Reason for declining")

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("NATO staff only")
        SHARED = "shared", _("Shared with the partner")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="programme_comments",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    # Who reads it: NATO staff only, or the partner's representatives too.
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL
    )
    text = models.TextField(_("text"), max_length=4000)
    # The one-time token of the form that created this row: the same form sent twice (a double
    # click, a retry) finds the row it created instead of creating another.
    creation_token = models.UUIDField(
        _("creation token"), null=True, blank=True, unique=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["creation_token"])

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["programme", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["note", "review", "return", "decline"]),
                name="comment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["internal", "shared"]), name="comment_audience_valid"
            ),
            # The partner declines in writing, to NATO: what it wrote is shared.
            models.CheckConstraint(
                condition=~Q(kind="decline") | Q(audience="shared"),
                name="comment_decline_shared",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_shared(self) -> bool:
        return self.audience == self.Audience.SHARED


def _document_path(document, filename: str) -> str:
    """Where a document's bytes are kept: a fresh name, never the uploader's (which is kept as
    ``original_name`` and given back on download)."""
    return f"documents/{document.programme.lineage}/{uuid.uuid4().hex}{document.extension}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """Those no newer document supersedes."""
        return self.filter(superseded_by__isnull=True)

    def shared(self):
        return self.filter(audience=Comment.Audience.SHARED)


class Document(ChecksInOneQuery):
    """A file attached to one version of a programme: the signed agreement (required to record
    an acceptance given on paper) or a supporting document. Never changed once added: a newer
    document supersedes it (``supersedes``), and both stay on record. Added through
    ``programmes.documents.actions``, after ``programmes.documents.checks`` read its bytes."""

    class Kind(models.TextChoices):
        SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other supporting document")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Comment.Audience.choices,
        default=Comment.Audience.INTERNAL,
    )
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    extension = models.CharField(_("extension"), max_length=10, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        related_name="superseded_by",
        null=True,
        blank=True,
        editable=False,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["programme", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["signed_agreement", "concept_note", "letter", "other"]),
                name="document_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["internal", "shared"]), name="document_audience_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="document_has_a_title"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:document_download", kwargs={"pk": self.pk})

    @property
    def is_shared(self) -> bool:
        return self.audience == Comment.Audience.SHARED
