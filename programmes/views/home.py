"""The home page: a dashboard of what needs the user's attention, by role.

Its sections are read by ``programmes.dashboard`` and, for delivery (events and annual reviews),
by ``programmes.delivery.queries``, which the core dashboard may not import; it lives with the
programmes because that is where its data lives.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from partners.permissions import is_representative, visible_partners
from pfp.permissions import is_administrator, roles_of
from programmes import dashboard
from programmes.delivery import queries as delivery
from programmes.delivery.models import EventStatus
from programmes.delivery.permissions import visible_events
from programmes.permissions import (
    can_draft_any,
    can_review,
    can_view_programmes,
    visible_comments,
    visible_programmes,
)

# How many rows each dashboard section shows before its "see all" link.
DASHBOARD_ROWS = 8


@dataclass(frozen=True)
class ShortList:
    """The first rows of a section, and whether there are more than shown; for a counted
    section, how many rows it has in all and the programme list showing them (``url``)."""

    rows: list
    more: bool
    count: int | None = None
    url: str = ""


def _short(queryset, size: int = DASHBOARD_ROWS) -> ShortList:
    rows = list(queryset[: size + 1])  # one row more than shown says whether there are more
    return ShortList(rows[:size], len(rows) > size)


def _counted(queryset, query: str = "", size: int = DASHBOARD_ROWS) -> ShortList:
    """``_short`` with the section's total, read in the same query (a window over every row,
    computed before the slice), and the programme list filtered the same way (``query``)."""
    rows = list(queryset.annotate(section_total=Window(Count("pk")))[: size + 1])
    url = f"{reverse('programmes:programme_list')}?{query}" if query else ""
    count = rows[0].section_total if rows else 0
    return ShortList(rows[:size], len(rows) > size, count, url)


def partner_side(user, today) -> dict:
    """A representative's sections: their partner, the versions awaiting their acceptance, the
    programme in force, the latest shared comments and the coming events; each read through the
    visibility functions, one query each."""
    programmes = visible_programmes(user).select_related("partner")
    soon = today + datetime.timedelta(days=delivery.UPCOMING_DAYS)
    return {
        "representing": visible_partners(user).first(),
        "awaiting_acceptance": _short(programmes.awaiting_partner().order_by("approved_at", "pk")),
        "partner_in_force": programmes.in_force(today).order_by("-start_year").first(),
        "shared_comments": _short(
            visible_comments(user)
            .select_related("author", "programme__partner")
            .order_by("-created_at", "-pk")
        ),
        "partner_events": _short(
            visible_events(user)
            .filter(status=EventStatus.SCHEDULED, end_date__gte=today, start_date__lte=soon)
            .select_related("activity", "partner")
            .order_by("start_date", "pk")
        ),
    }


class HomeView(TemplateView):
    """Where login lands: a dashboard of what needs the user's attention, by role (a short page
    for an account with no role yet)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not (roles_of(user) or is_administrator(user)):
            return {**context, "no_role": True}
        today = timezone.localdate()
        context.update(
            drafting=bool(can_draft_any(user)),
            reviewing=bool(can_review(user)),
            reading=bool(can_view_programmes(user)),
        )
        if context["drafting"]:
            context["my_drafts"] = _counted(dashboard.my_drafts(user), "mine=drafted&status=draft")
            context["returned"] = _counted(
                dashboard.returned_to(user), "mine=drafted&status=returned"
            )
            context["submitted"] = _counted(
                dashboard.submitted_by(user), "mine=drafted&status=submitted"
            )
            context["my_partners_idle"] = _counted(
                dashboard.partners_without_programme_in_force(user, today, assigned_only=True)
            )
            context["upcoming_events"] = _short(delivery.upcoming_events(user, today))
            context["events_without_outcome"] = _short(delivery.events_without_outcome(user, today))
            context["reviews_due"] = _short(delivery.reviews_due_for(user, today))
        if context["reviewing"]:
            # An approver follows every approved version; an officer, those they drafted.
            context["approved"] = _counted(dashboard.awaiting_agreement(user), "status=approved")
        elif context["drafting"]:
            context["approved"] = _counted(
                dashboard.awaiting_agreement(user, drafted_only=True),
                "mine=drafted&status=approved",
            )
        if context["reviewing"]:
            context["awaiting"] = _counted(dashboard.awaiting_approval_by(user), "awaiting=me")
            context["reviews_to_acknowledge"] = _short(
                delivery.reviews_awaiting_acknowledgement_by(user)
            )
        if is_representative(user):
            context.update(partner_side(user, today))
        if context["reading"]:
            context["ending"] = _counted(
                dashboard.ending_without_successor(user, today), "ending=soon"
            )
            if dashboard.follows_every_partner(user):
                context["without_programme"] = _counted(
                    dashboard.partners_without_programme_in_force(user, today)
                )
            context["counts"] = dashboard.counts_by_status(user)
        return context
