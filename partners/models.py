"""The partner register: partner countries and the dated events of their partnership.

A partner's status is never stored: it is derived from its status events, in Python for one
partner (``Partner.status_on``) and in SQL for lists (``PartnerQuerySet.with_status``). Both read
the same table, ``STATUS_AFTER``. The rules a history must obey live in ``status_history_errors``;
the admin, the loader and ``partners.actions`` all call it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pfp.constraints import ChecksInOneQuery


class Framework(models.TextChoices):
    EAPC_PFP = "eapc_pfp", _("Euro-Atlantic Partnership Council / Partnership for Peace")
    MEDITERRANEAN_DIALOGUE = "md", _("Mediterranean Dialogue")
    ISTANBUL_COOPERATION_INITIATIVE = "ici", _("Istanbul Cooperation Initiative")
    PARTNERS_ACROSS_THE_GLOBE = "global", _("Partners across the globe")


class PartnerStatus(models.TextChoices):
    NOT_YET_PARTNER = "not_yet", _("Not yet a partner")
    ACTIVE = "active", _("Active partner")
    SUSPENDED = "suspended", _("Suspended")
    NATO_MEMBER = "nato_member", _("NATO member")
    LEFT = "left", _("Left the partnership")


class EventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    SUSPENDED = "suspended", pgettext_lazy("partner event", "Suspended")
    REACTIVATED = "reactivated", _("Reactivated")
    BECAME_NATO_MEMBER = "became_member", _("Became a NATO member")
    LEFT = "left", _("Left")


# The status a partner has after each kind of event.
STATUS_AFTER: dict[str, str] = {
    EventKind.JOINED: PartnerStatus.ACTIVE,
    EventKind.SUSPENDED: PartnerStatus.SUSPENDED,
    EventKind.REACTIVATED: PartnerStatus.ACTIVE,
    EventKind.BECAME_NATO_MEMBER: PartnerStatus.NATO_MEMBER,
    EventKind.LEFT: PartnerStatus.LEFT,
}

# The events that may follow each status. Becoming a NATO member ends partner status for good.
ALLOWED_EVENTS: dict[str, set[str]] = {
    PartnerStatus.NOT_YET_PARTNER: {EventKind.JOINED},
    PartnerStatus.ACTIVE: {EventKind.SUSPENDED, EventKind.BECAME_NATO_MEMBER, EventKind.LEFT},
    PartnerStatus.SUSPENDED: {
        EventKind.REACTIVATED,
        EventKind.BECAME_NATO_MEMBER,
        EventKind.LEFT,
    },
    PartnerStatus.LEFT: {EventKind.REACTIVATED},
    PartnerStatus.NATO_MEMBER: set(),
}


@dataclass(frozen=True)
class EventFacts:
    """What the history rules need to know of one event, saved or not."""

    kind: str
    on: datetime.date | None


def _chronological(events: Iterable[EventFacts]) -> list[EventFacts]:
    # A joining date that was never recorded comes before everything else.
    return sorted(events, key=lambda e: (e.on is not None, e.on or datetime.date.min))


def status_history_errors(events: Iterable[EventFacts]) -> list[str]:
    """Return why a partner's list of status events is impossible (empty if it is possible)."""
    events = _chronological(events)
    errors: list[str] = []
    kinds = [event.kind for event in events]
    if kinds.count(EventKind.JOINED) > 1:
        errors.append(gettext("A partner joins only once; use “Reactivated” for a return."))
    if kinds.count(EventKind.BECAME_NATO_MEMBER) > 1:
        errors.append(gettext("A partner can become a NATO member only once."))
    dates = [event.on for event in events if event.on is not None]
    if len(dates) != len(set(dates)):
        errors.append(gettext("Two events cannot fall on the same date."))
    for event in events:
        if event.on is None and event.kind != EventKind.JOINED:
            errors.append(
                gettext("“%(kind)s” needs a date.") % {"kind": EventKind(event.kind).label}
            )
    if errors:
        return errors

    joined = next((event for event in events if event.kind == EventKind.JOINED), None)
    status = PartnerStatus.NOT_YET_PARTNER
    for event in events:
        if joined and joined.on and event.on and event.on < joined.on:
            errors.append(
                gettext("“%(kind)s” on %(date)s comes before the partner joined (%(joined)s).")
                % {
                    "kind": EventKind(event.kind).label,
                    "date": date_format(event.on),
                    "joined": date_format(joined.on),
                }
            )
            break
        if event.kind not in ALLOWED_EVENTS[status]:
            errors.append(
                gettext(
                    "“%(kind)s”%(when)s is not possible for a partner whose status is “%(status)s”."
                )
                % {
                    "kind": EventKind(event.kind).label,
                    "when": gettext(" on %(date)s") % {"date": date_format(event.on)}
                    if event.on
                    else "",
                    "status": PartnerStatus(status).label,
                }
            )
            break
        status = STATUS_AFTER[event.kind]
    return errors


def shown_name(path: str = ""):
    """The partner's name as the reader sees it, as a database expression to sort by:
    ``name_fr`` for French readers (the English name where it is empty, and the initial É and Î
    sorting as E and I whatever the database's collation), ``name`` for others. ``path`` leads
    to the partner from another model (``"partner__"``, ``"programme__partner__"``). The
    language is the one active when the expression is made (the request's)."""
    if (get_language() or "").startswith("fr"):
        shown = Coalesce(NullIf(f"{path}name_fr", Value("")), f"{path}name")
        for accented, plain in (("É", "E"), ("Î", "I")):
            shown = Replace(shown, Value(accented), Value(plain))
        return shown
    return models.F(f"{path}name")


def reading_order(shown: str) -> str:
    """The key that sorts names already in the reader's language as ``shown_name`` does in the
    database: the initial É and Î as E and I."""
    for accented, plain in (("É", "E"), ("Î", "I")):
        shown = shown.replace(accented, plain)
    return shown


class PartnerQuerySet(models.QuerySet):
    def with_status(self, on: datetime.date | None = None) -> PartnerQuerySet:
        """Annotate ``status``: the partner's status on date ``on`` (today by default)."""
        on = on or timezone.localdate()
        latest_kind = Subquery(
            StatusEvent.objects.filter(partner=OuterRef("pk"))
            .filter(Q(on__lte=on) | Q(on__isnull=True))
            .order_by(models.F("on").desc(nulls_last=True))
            .values("kind")[:1]
        )
        return self.annotate(
            last_event_kind=latest_kind,
            status=Case(
                *[
                    When(last_event_kind=kind, then=Value(status))
                    for kind, status in STATUS_AFTER.items()
                ],
                default=Value(PartnerStatus.NOT_YET_PARTNER),
                output_field=models.CharField(max_length=20, choices=PartnerStatus.choices),
            ),
        )

    def in_name_order(self) -> PartnerQuerySet:
        """Annotate ``name_order`` (the name the reader sees) and sort by it.

        French readers see ``name_fr`` (the English name where it is empty). The initial É and Î
        of French names (Égypte, Émirats arabes unis) sort as E and I, as a French reader
        expects, whatever the database's collation.
        """
        return self.annotate(name_order=shown_name()).order_by("name_order", "name")

    def assigned_to(self, user) -> PartnerQuerySet:
        return self.filter(officers=user)


class Partner(ChecksInOneQuery):
    """A partner country. Its ``name`` is the English one, the register's key; ``name_fr`` is
    what French readers see (``display_name``), as NATO's French pages write it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(
        _("name in French"),
        max_length=100,
        blank=True,
        help_text=_(
            "As NATO's French pages write it, for example “Géorgie” or “République de Moldova”; "
            "left empty, French pages show the English name."
        ),
    )
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}\Z", _("Enter the ISO 3166-1 alpha-2 code: two capital letters.")
            )
        ],
        help_text=_("ISO 3166-1 alpha-2 code, for example MT for Malta."),
    )
    framework = models.CharField(_("framework"), max_length=10, choices=Framework.choices)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned programme officers"),
        related_name="assigned_partners",
        limit_choices_to={"groups__name": "Programme officer"},
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[officers])

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z]$"), name="partner_code_iso_alpha2"
            ),
            models.CheckConstraint(
                condition=Q(framework__in=Framework.values), name="partner_framework_valid"
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("partners:detail", kwargs={"code": self.code})

    @property
    def display_name(self) -> str:
        """The name in the active language: the French name for French readers (when known)."""
        if self.name_fr and (get_language() or "").startswith("fr"):
            return self.name_fr
        return self.name

    def timeline(self) -> list[StatusEvent]:
        """Status events, oldest first (uses prefetched events when there are some)."""
        return sorted(
            self.status_events.all(),
            key=lambda e: (e.on is not None, e.on or datetime.date.min),
        )

    def status_on(self, on: datetime.date) -> str:
        """The partner's status on date ``on``, derived from its status events."""
        status = PartnerStatus.NOT_YET_PARTNER
        for event in self.timeline():
            if event.on is not None and event.on > on:
                break
            status = STATUS_AFTER[event.kind]
        return status

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        """Label of ``status``, the status annotated by ``PartnerQuerySet.with_status``."""
        return PartnerStatus(self.status).label


class StatusEvent(ChecksInOneQuery):
    """One dated change in a partner's relationship with NATO."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="status_events",
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    on = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Leave empty only for a joining date that was never recorded."),
    )
    year_only = models.BooleanField(
        _("year only"),
        default=False,
        help_text=_("Only the year is known; the date is the first of January of that year."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["partner", models.F("on").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(kind=EventKind.JOINED),
                name="status_event_one_joining",
                violation_error_message=_("A partner joins only once."),
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(kind=EventKind.BECAME_NATO_MEMBER),
                name="status_event_one_membership",
                violation_error_message=_("A partner can become a NATO member only once."),
            ),
            models.UniqueConstraint(
                fields=["partner", "on"],
                name="status_event_one_per_date",
                violation_error_message=_("Two events cannot fall on the same date."),
            ),
            models.CheckConstraint(
                condition=Q(on__isnull=False) | Q(kind=EventKind.JOINED, year_only=False),
                name="status_event_date_required",
                violation_error_message=_("Only a joining date may be left unrecorded."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="status_event_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_kind_display()} {self.display_date()}"

    def display_date(self) -> str:
        if self.on is None:
            return gettext("date not recorded")
        if self.year_only:
            return str(self.on.year)
        return date_format(self.on)

    def facts(self) -> EventFacts:
        return EventFacts(kind=self.kind, on=self.on)


class Representative(models.Model):
    """A member of a partner's mission to NATO who uses the product: one user, one partner, set
    by an administrator. The user reads that partner's shared programmes and nothing of any other
    partner (``partners.permissions.visible_partners``), in the ``Partner representative`` role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="representative",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    position = models.CharField(
        _("position"),
        max_length=200,
        blank=True,
        help_text=_("For example “Head of Mission” or “Defence Adviser”."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner representative")
        verbose_name_plural = _("partner representatives")
        ordering = ["partner__name", "user__username"]
        # Held by the partner representative role's group: read with the user's other
        # permissions (one query per request, which every page makes anyway).
        permissions = [("represent_partner", "Represents a partner")]

    def __str__(self):
        return gettext("%(user)s, representative of %(partner)s") % {
            "user": self.user.get_full_name() or self.user.get_username(),
            "partner": self.partner,
        }
