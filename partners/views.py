"""Staff pages of the partner register: the list and the partner page (read-only; the admin edits)."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView

from pfp import permissions
from pfp.views import ForgivingPaginationMixin, PermissionMixin

from .filters import PartnerFilter
from .forms import StatusDateForm
from .models import StatusEvent


class StatusDateMixin:
    """Reads ``?on=`` once per request: the date the page shows statuses for."""

    def dispatch(self, request, *args, **kwargs):
        self.date_form = StatusDateForm(request.GET)
        self.status_date = self.date_form.status_date()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            date_form=self.date_form, status_date=self.status_date, **kwargs
        )


class PartnerListView(PermissionMixin, ForgivingPaginationMixin, StatusDateMixin, FilterView):
    permission_rule = permissions.can_view_register
    filterset_class = PartnerFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return (
            permissions.visible_partners(self.request.user)
            .with_status(self.status_date)
            .order_by("name")
        )


class PartnerDetailView(PermissionMixin, StatusDateMixin, DetailView):
    permission_rule = permissions.can_view_register
    template_name = "partners/partner_detail.html"

    def get_object(self, queryset=None):
        partners = (
            permissions.visible_partners(self.request.user)
            .with_status(self.status_date)
            .prefetch_related(
                Prefetch("status_events", queryset=StatusEvent.objects.order_by("on")),
                "officers",
                Prefetch(
                    "programmes",
                    queryset=permissions.visible_programmes(self.request.user).order_by(
                        "-start_year", "-version"
                    ),
                    to_attr="visible_programmes",
                ),
            )
        )
        return get_object_or_404(partners, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_change_register=permissions.can_change_register(self.request.user),
            can_draft=permissions.can_draft_for(self.request.user, self.object),
            **kwargs,
        )
