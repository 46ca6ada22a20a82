"""The partner page: the register's record of a partner (status on a date, history, officers) and
the programmes the user may see of it, with "new programme" for its officers.

It lives with the programmes because it reads them; ``partners`` knows nothing of programmes. Its
route keeps its name (``partners:detail``), assembled in ``pfp.urls``.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from partners.models import StatusEvent
from partners.permissions import can_change_register, can_view_register, visible_partners
from partners.views import StatusDateMixin
from pfp.views import PermissionMixin
from programmes.permissions import can_draft_for, visible_programmes


class PartnerDetailView(PermissionMixin, StatusDateMixin, DetailView):
    permission_rule = can_view_register
    template_name = "partners/partner_detail.html"

    def get_object(self, queryset=None):
        partners = (
            visible_partners(self.request.user)
            .with_status(self.status_date)
            .prefetch_related(
                Prefetch("status_events", queryset=StatusEvent.objects.order_by("on")),
                "officers",
                Prefetch(
                    "programmes",
                    queryset=visible_programmes(self.request.user).order_by(
                        "-start_year", "-version"
                    ),
                    to_attr="visible_programmes",
                ),
            )
        )
        return get_object_or_404(partners, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_change_register=can_change_register(self.request.user),
            can_draft=can_draft_for(self.request.user, self.object),
            # What "New programme" must not overlap (the workflow refuses it): versions on
            # their way take their years until they are agreed or withdrawn.
            open_versions=[p for p in self.object.visible_programmes if p.is_open],
            **kwargs,
        )
