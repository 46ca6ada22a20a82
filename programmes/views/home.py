"""The home page: a dashboard of what needs the user's attention, by role.

Its sections are read by ``programmes.dashboard`` and, for delivery (events and annual reviews),
by ``programmes.delivery.queries``, which the core dashboard may not import; it lives with the
programmes because that is where its data lives.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.views.generic import TemplateView

from pfp.permissions import is_administrator, roles_of
from programmes import dashboard
from programmes.delivery import queries as delivery
from programmes.permissions import can_draft_any, can_review, can_view_programmes

# How many rows each dashboard section shows before its "see all" link.
DASHBOARD_ROWS = 8


@dataclass(frozen=True)
class ShortList:
    """The first rows of a section, and whether there are more than shown."""

    rows: list
    more: bool


def _short(queryset, size: int = DASHBOARD_ROWS) -> ShortList:
    rows = list(queryset[: size + 1])  # one row more than shown says whether there are more
    return ShortList(rows[:size], len(rows) > size)


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
            context["my_drafts"] = _short(dashboard.my_drafts(user))
            context["returned"] = _short(dashboard.returned_to(user))
            context["upcoming_events"] = _short(delivery.upcoming_events(user, today))
            context["events_without_outcome"] = _short(delivery.events_without_outcome(user, today))
            context["reviews_due"] = _short(delivery.reviews_due_for(user, today))
        if context["reviewing"]:
            context["awaiting"] = _short(dashboard.awaiting_approval_by(user))
            context["reviews_to_acknowledge"] = _short(
                delivery.reviews_awaiting_acknowledgement_by(user)
            )
        if context["reading"]:
            context["ending"] = _short(dashboard.ending_without_successor(user, today))
            context["without_programme"] = _short(
                dashboard.partners_without_programme_in_force(user, today)
            )
            context["counts"] = dashboard.counts_by_status(user)
        return context
