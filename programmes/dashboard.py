"""What the home dashboard lists: one function per section, each taking the user.

Every function starts from what the user may see (``pfp.permissions``) and returns a queryset
(or a list) that owns its ``select_related``, so the dashboard costs one query per section
whatever the data size. Pages (``programmes.views.home.HomeView``, the review queue) import this module;
it never changes anything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from partners.models import Partner, PartnerStatus, shown_name
from partners.permissions import visible_partners
from pfp.permissions import is_administrator, roles_of
from pfp.roles import Role
from programmes.models import OPEN_STATUSES, Programme, ProgrammeStatus
from programmes.permissions import can_review, can_view_programmes, visible_programmes

# Versions that count as a programme's successor: agreed, or on their way to an agreement.
SUCCESSOR_STATUSES = sorted(OPEN_STATUSES | {ProgrammeStatus.AGREED})

# The roles whose work is about every partner, not a few of their own (administrators too).
ACROSS_PARTNERS_ROLES = frozenset({Role.VIEWER, Role.APPROVER, Role.MENU_MANAGER})


def follows_every_partner(user) -> bool:
    """Whether the home page lists every partner with no programme in force: for viewers,
    approvers, menu managers and administrators. A programme officer follows the partners they
    are assigned (their own section), a representative their partner's programme in force."""
    return is_administrator(user) or bool(roles_of(user) & ACROSS_PARTNERS_ROLES)


def my_drafts(user) -> QuerySet[Programme]:
    """Draft versions the user created, edited or submitted, newest first."""
    return (
        visible_programmes(user)
        .filter(pk__in=Programme.objects.drafted_by(user).values("pk"))
        .filter(status=ProgrammeStatus.DRAFT)
        .for_lists()
        .order_by("-created_at", "-pk")
    )


def returned_to(user) -> QuerySet[Programme]:
    """Returned versions the user drafted, the longest waiting first."""
    return (
        visible_programmes(user)
        .filter(pk__in=Programme.objects.drafted_by(user).values("pk"))
        .filter(status=ProgrammeStatus.RETURNED)
        .for_lists()
        .order_by("submitted_at", "pk")
    )


def submitted_by(user) -> QuerySet[Programme]:
    """Submitted versions the user drafted, awaiting an approver, the oldest submission first."""
    return (
        visible_programmes(user)
        .filter(pk__in=Programme.objects.drafted_by(user).values("pk"))
        .awaiting_approval()
        .for_lists()
        .order_by("submitted_at", "pk")
    )


def awaiting_agreement(user, *, drafted_only: bool = False) -> QuerySet[Programme]:
    """Approved versions awaiting the partner's agreement (only those the user drafted when
    ``drafted_only``), the oldest approval first."""
    programmes = visible_programmes(user).filter(status=ProgrammeStatus.APPROVED)
    if drafted_only:
        programmes = programmes.filter(pk__in=Programme.objects.drafted_by(user).values("pk"))
    return programmes.for_lists().order_by("approved_at", "pk")


def awaiting_approval_by(user) -> QuerySet[Programme]:
    """Submitted versions the user may approve: an approver's, and not drafted by them (the
    same four-eyes rule as ``can_approve``, as a query), the oldest submission
    first."""
    if not can_review(user):
        return Programme.objects.none()
    return (
        visible_programmes(user)
        .awaiting_approval()
        .exclude(pk__in=Programme.objects.drafted_by(user).values("pk"))
        .for_lists()
        .order_by("submitted_at", "pk")
    )


def last_end_year_within_a_year(today: datetime.date) -> int:
    """The latest ``end_year`` whose last day (31 December) is at most twelve months away."""
    try:
        a_year_on = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        a_year_on = today.replace(year=today.year + 1, day=28)
    return a_year_on.year if (a_year_on.month, a_year_on.day) == (12, 31) else today.year


def ending_without_successor(user, today: datetime.date | None = None) -> QuerySet[Programme]:
    """Agreed programmes whose last year ends within twelve months of ``today`` and that have
    no successor: no other version of the partner (of the same lineage or another) agreed or
    on its way to an agreement that goes on after the programme's last year."""
    today = today or timezone.localdate()
    successors = Programme.objects.filter(
        partner=OuterRef("partner"),
        status__in=SUCCESSOR_STATUSES,
        end_year__gt=OuterRef("end_year"),
    ).exclude(pk=OuterRef("pk"))
    return (
        visible_programmes(user)
        .agreed()
        .filter(end_year__gte=today.year, end_year__lte=last_end_year_within_a_year(today))
        .filter(~Exists(successors))
        .for_lists()
        .order_by("end_year", shown_name("partner__"), "pk")
    )


def partners_without_programme_in_force(
    user, today: datetime.date | None = None, *, assigned_only: bool = False
) -> QuerySet[Partner]:
    """Active partners (on ``today``) with no agreed programme covering ``today`` (only those
    the user is an officer of when ``assigned_only``)."""
    if not can_view_programmes(user):
        return Partner.objects.none()
    today = today or timezone.localdate()
    in_force = visible_programmes(user).in_force(today)
    partners = visible_partners(user)
    if assigned_only:
        partners = partners.assigned_to(user)
    return (
        partners.with_status(today)
        .filter(status=PartnerStatus.ACTIVE)
        .exclude(pk__in=in_force.values("partner"))
        .order_by("name")
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int

    @property
    def url(self) -> str:
        return f"{reverse('programmes:programme_list')}?status={self.status}"


def counts_by_status(user) -> list[StatusCount]:
    """How many visible programme versions are in each status (every status, zeros included)."""
    counts = dict(
        visible_programmes(user).order_by().values_list("status").annotate(count=Count("pk"))
    )
    return [
        StatusCount(status.value, str(status.label), counts.get(status.value, 0))
        for status in ProgrammeStatus
    ]
