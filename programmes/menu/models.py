"""The Partnership Cooperation Menu: areas of cooperation, providers, activities and menu imports.

Changes to it go through ``programmes.menu.actions`` (single activities) and
``programmes.menu.importing`` (files). These models belong to the ``programmes`` app (same tables
and migrations); this package sits below the programmes and may not import them.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pfp.constraints import ChecksInOneQuery
from programmes.menu import search_index

# Menu years the product accepts: the PfP began in 1994.
FIRST_MENU_YEAR = 1994
LAST_MENU_YEAR = 2100
ACTIVITY_CODE_PATTERN = r"^[A-Z]{2,6}-[0-9]{3,6}\Z"


def in_french() -> bool:
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
        return self.name_fr if in_french() and self.name_fr else self.name_en


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
        ``programmes.menu.search_index``."""
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


class Activity(ChecksInOneQuery):
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
        indexes = [
            # The menu's lists (its page, the API) show the active activities, or the retired
            # ones, in code order, a page at a time, and count them: counted from this index,
            # not from the rows with their texts in two languages (on SQLite, a scan of the
            # whole table: 3 to 4 ms for the 5,600 activities of the demo at scale 4, 0.3 ms
            # from the index).
            models.Index(fields=["retired_in", "code"], name="activity_state_code"),
        ]
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
        return self.title_fr if in_french() and self.title_fr else self.title_en

    @property
    def description(self) -> str:
        return self.description_fr if in_french() and self.description_fr else self.description_en

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
    served by different application servers; only applying it reads it again.
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
    # What the file would do as its page shows it, kept at upload (``importing.preview_import``)
    # so that the page never reads the file again; empty for an import checked before it was kept.
    preview = models.JSONField(_("preview"), null=True, blank=True, editable=False)

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
