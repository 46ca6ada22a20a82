"""Staff pages of the partner register: the list (read-only; the admin edits). The partner page,
which lists the partner's programmes too, is ``programmes.views.partner``."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from partners.filters import ANY_STATUS, DEFAULT_STATUS, PartnerFilter
from partners.forms import StatusDateForm
from partners.models import PartnerStatus
from partners.permissions import can_view_register, visible_partners
from pfp.views import ForgivingPaginationMixin, PermissionMixin

# The statuses one click away above the list, the default first.
STATUS_LINKS = [
    (DEFAULT_STATUS, _("Active partners")),
    (PartnerStatus.SUSPENDED, _("Suspended partners")),
    (PartnerStatus.NATO_MEMBER, _("NATO members")),
    (PartnerStatus.LEFT, _("Former partners")),
    (ANY_STATUS, _("All partners")),
]


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
        return visible_partners(self.request.user).with_status(self.status_date).in_name_order()

    def get_context_data(self, **kwargs):
        shown = self.filterset.form.data.get("status")
        return super().get_context_data(
            status_links=[(value, label, value == shown) for value, label in STATUS_LINKS],
            **kwargs,
        )
