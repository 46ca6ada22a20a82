"""The activity page: a menu activity, its history, and the programme years that planned it.

It lives with the programmes, not in ``programmes.menu.actions``, because it reads programmes (what the
user may see of them); the menu's own pages know nothing of programmes.
"""

from django.db.models import Count
from django.utils import timezone
from django.views.generic import DetailView

from partners.models import shown_name
from pfp.views import PermissionMixin
from programmes.menu.forms import RetireForm
from programmes.menu.permissions import can_edit_menu, can_view_menu
from programmes.menu.views.activities import ActivityMixin
from programmes.models import PlannedActivity
from programmes.permissions import visible_programmes

# How many of the programme years that planned an activity its page lists (the newest periods
# first); the programme list, filtered by the activity, shows them all.
PLANNED_ROWS = 20


class ActivityDetailView(PermissionMixin, ActivityMixin, DetailView):
    permission_rule = can_view_menu
    template_name = "programmes/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset=None):
        return self.get_activity()

    def get_context_data(self, **kwargs):
        planned = self.planned_in_visible_programmes()
        return super().get_context_data(
            can_edit_menu=can_edit_menu(self.request.user),
            retire_form=RetireForm(initial={"year": timezone.localdate().year}),
            history=self.object.history.select_related("history_user")[:20],
            planned=planned.select_related("programme__partner")[:PLANNED_ROWS],
            uptake=planned.aggregate(
                times=Count("pk"),
                versions=Count("programme", distinct=True),
                partners=Count("programme__partner", distinct=True),
            ),
            **kwargs,
        )

    def planned_in_visible_programmes(self):
        """Where the visible programmes planned this activity, one row per programme year: the
        newest periods first."""
        visible = visible_programmes(self.request.user)
        return PlannedActivity.objects.filter(activity=self.object, programme__in=visible).order_by(
            "-programme__start_year",
            shown_name("programme__partner__"),
            "-programme__version",
            "year",
        )
