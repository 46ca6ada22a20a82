"""Staff pages of the partner register: the list (read-only; the admin edits). The partner page,
which lists the partner's programmes too, is ``programmes.views.partner``."""

from django.conf import settings
from django_filters.views import FilterView

from partners.filters import PartnerFilter
from partners.forms import StatusDateForm
from partners.permissions import can_view_register, visible_partners
from pfp.views import ForgivingPaginationMixin, PermissionMixin


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
    permission_rule = can_view_register
    filterset_class = PartnerFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return visible_partners(self.request.user).with_status(self.status_date).order_by("name")
