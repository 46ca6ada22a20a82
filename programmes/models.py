"""The Partnership Cooperation Menu and the four-year partnership programmes (ITPPs).

The menu: areas of cooperation, providers and activities. Changes to it go through
``programmes.menu`` (single activities) and ``programmes.importing`` (files).

A programme (``Programme``) belongs to a partner and covers four consecutive years; inside it are
ordered strategic objectives, ordered partnership goals under each, and activities of the menu
planned for one programme year to serve a goal. Every change of a programme, of its contents or
of its status goes through ``programmes.workflow``; the rules that can be written as database
constraints are written here as well, so that no path around the workflow can break them.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import search_index

# Menu years the product accepts: the PfP began in 1994.
FIRST_MENU_YEAR = 1994
LAST_MENU_YEAR = 2100
ACTIVITY_CODE_PATTERN = r"^[A-Z]{2,6}-[0-9]{3,6}\Z"


def _in_french() -> bool:
    return (get_language() or "en").startswith("fr")


class Area(models.Model):
    """An area of cooperation: the menu's taxonomy."""

    code = models.SlugField(_("code"), max_length=10, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area of cooperation")
        verbose_name_plural = _("areas of cooperation")
        ordering = ["order", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if _in_french() and self.name_fr else self.name_en


class ProviderKind(models.TextChoices):
    NATO_BODY = "nato_body", _("NATO body")
    ALLIED_NATION = "allied_nation", _("Allied nation")
    PARTNER = "partner", _("Partner")
    TRAINING_CENTRE = "training_centre", _("Training centre")


class ActivityType(models.TextChoices):
    COURSE = "course", _("Course")
    EXERCISE = "exercise", _("Exercise")
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    EXPERT_VISIT = "expert_visit", _("Expert visit")
    TRAINING_EVENT = "training_event", _("Training event")
    OTHER = "other", _("Other")


class DeliveryMode(models.TextChoices):
    IN_RESIDENCE = "in_residence", _("In residence")
    MOBILE_TEAM = "mobile_team", _("Mobile team")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


class Provider(models.Model):
    """Who delivers an activity: a NATO body, an Allied nation, a partner or a training centre."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values),
                name="provider_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name


# What the menu search looks in.
SEARCHED_FIELDS = ("code", "title_en", "title_fr", "description_en", "description_fr")


def fold_for_search(text: str) -> str:
    """``text`` as the menu search compares it: without accents, in lower case (casefolded),
    so that "securite" finds "Sécurité" and "CYB" finds "cyb" on every database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# A search's terms: a phrase in double quotes, or a run of anything but spaces and quotes.
SEARCH_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')


def search_terms(text: str) -> list[str]:
    """The terms of a menu search, folded (``fold_for_search``): its words, each of which an
    activity must hold (a part of a word will do), and its phrases in double quotes, held as
    they are written. ``cyber exercise`` finds "Cyber coalition — exercise";
    ``"cyber exercise"`` does not."""
    terms = []
    for phrase, word in SEARCH_TERM.findall(text):
        term = fold_for_search(phrase or word).strip()
        if term and term not in terms:
            terms.append(term)
    return terms


class ActivityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_in__isnull=True)

    def retired(self):
        return self.filter(retired_in__isnull=False)

    def search(self, text: str):
        """Activities whose code, title or description holds every term of ``text``
        (``search_terms``), in either language, found through the trigram index of
        ``programmes.search_index``."""
        terms = search_terms(text)
        if any("\x00" in term for term in terms):
            # No text holds one: PostgreSQL refuses them, and SQLite's LIKE would stop at it.
            return self.none()
        queryset = self
        if connections[self.db].vendor == "sqlite":
            indexed = [term for term in terms if len(term) >= search_index.MINIMUM_LENGTH]
            if indexed:
                queryset = queryset.filter(pk__in=search_index.sqlite_matches(indexed))
            terms = [term for term in terms if term not in indexed]
        # PostgreSQL's planner takes its index for these LIKEs by itself.
        for term in terms:
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def for_pages(self):
        """What every list and export row shows, in a fixed number of queries."""
        return self.select_related("area", "provider")

    # Bulk writes skip ``Activity.save``: they fill the search text themselves.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for activity in objs:
            activity.search_text = activity.text_for_search()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if set(fields) & set(SEARCHED_FIELDS):
            for activity in objs:
                activity.search_text = activity.text_for_search()
            fields = [*fields, "search_text"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Activity(models.Model):
    """One cooperation activity of the menu, identified for good by its code."""

    code = models.CharField(
        _("code"),
        max_length=13,
        unique=True,
        validators=[
            RegexValidator(
                ACTIVITY_CODE_PATTERN,
                _("A code is 2 to 6 capital letters, a hyphen and 3 to 6 digits, like CYB-0042."),
            )
        ],
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    description_fr = models.TextField(_("description (French)"), max_length=4000, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area of cooperation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="activities"
    )
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices
    )
    length_days = models.PositiveSmallIntegerField(
        _("length (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    first_offered = models.PositiveSmallIntegerField(
        _("first offered in"),
        validators=[MinValueValidator(FIRST_MENU_YEAR), MaxValueValidator(LAST_MENU_YEAR)],
        help_text=_("The menu year the activity was first offered."),
    )
    retired_in = models.PositiveSmallIntegerField(
        _("retired in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_MENU_YEAR), MaxValueValidator(LAST_MENU_YEAR)],
        help_text=_("The menu year from which the activity is no longer offered."),
    )
    # What the menu search reads: the code, titles and descriptions folded for searching
    # (``fold_for_search``), kept by ``save`` and by the bulk writes of ``ActivityQuerySet``.
    # One column read once, instead of five upper-cased for every search.
    search_text = models.TextField(_("search text"), editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=ACTIVITY_CODE_PATTERN.replace(r"\Z", "$")),
                name="activity_code_format",
            ),
            models.CheckConstraint(
                condition=Q(length_days__gte=1, length_days__lte=365),
                name="activity_length_positive",
                violation_error_message=_("The length must be between 1 and 365 days."),
            ),
            models.CheckConstraint(
                condition=Q(first_offered__gte=FIRST_MENU_YEAR, first_offered__lte=LAST_MENU_YEAR),
                name="activity_first_offered_plausible",
            ),
            models.CheckConstraint(
                condition=Q(retired_in__isnull=True) | Q(retired_in__gte=F("first_offered")),
                name="activity_retired_after_first_offer",
                violation_error_message=_(
                    "An activity cannot be retired before the year it was first offered."
                ),
            ),
            models.CheckConstraint(
                condition=Q(type__in=ActivityType.values),
                name="activity_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery_mode__in=DeliveryMode.values),
                name="activity_delivery_mode_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = self.text_for_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programmes:activity_detail", kwargs={"code": self.code})

    @property
    def title(self) -> str:
        return self.title_fr if _in_french() and self.title_fr else self.title_en

    @property
    def description(self) -> str:
        return self.description_fr if _in_french() and self.description_fr else self.description_en

    @property
    def is_retired(self) -> bool:
        return self.retired_in is not None

    def text_for_search(self) -> str:
        """What ``search_text`` holds: the searched fields, folded, one per line."""
        return fold_for_search("\n".join(getattr(self, name) or "" for name in SEARCHED_FIELDS))

    def can_be_chosen(self) -> bool:
        """A retired activity stays on the programmes that chose it but is not chosen again."""
        return not self.is_retired


class MenuImport(models.Model):
    """One uploaded menu file: previewed, then applied (or left), with what it did.

    The file itself is kept in the database, so that the preview and the confirmation may be
    served by different application servers.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    digest = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="menu_imports",
        null=True,
        blank=True,
        help_text=_("Empty for an import run from the command line."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    retired = models.PositiveIntegerField(_("retired"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)

    class Meta:
        verbose_name = _("menu import")
        verbose_name_plural = _("menu imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False)
                | (~Q(status="applied") & Q(applied_at__isnull=True)),
                name="menu_import_applied_at_when_applied",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("programmes:import_detail", kwargs={"pk": self.pk})


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
            | Q(partner__code__iexact=text)
        )

    def for_lists(self):
        return self.select_related("partner", "created_by", "submitted_by", "approved_by")


class Programme(models.Model):
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


class Objective(models.Model):
    """A strategic objective of a programme (an end)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="objectives"
    )
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
    history = HistoricalRecords(excluded_fields=["creation_token"])

    class Meta:
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        ordering = ["programme", "order", "pk"]

    def __str__(self):
        return self.title


class Goal(models.Model):
    """A partnership goal under a strategic objective (a way)."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="goals"
    )
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
    history = HistoricalRecords(excluded_fields=["creation_token"])

    class Meta:
        verbose_name = _("partnership goal")
        verbose_name_plural = _("partnership goals")
        ordering = ["objective", "order", "pk"]

    def __str__(self):
        return self.title


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class PlannedActivity(models.Model):
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


class Comment(models.Model):
    """A remark on one version of a programme: a review remark or a general note."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        REVIEW = "review", _("Review remark")
        RETURN = "return", _("Reason for return")

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
    text = models.TextField(_("text"), max_length=4000)
    # The one-time token of the form that created this row: the same form sent twice (a double
    # click, a retry) finds the row it created instead of creating another.
    creation_token = models.UUIDField(
        _("creation token"), null=True, blank=True, unique=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["creation_token"])

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["programme", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["note", "review", "return"]), name="comment_kind_valid"
            ),
        ]

    def __str__(self):
        return self.text[:60]
