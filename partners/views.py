"""Staff pages of the partner register: the list and the partner page. Read-only for now."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView

from pfp import permissions
from pfp.views import PermissionMixin

from .filters import PartnerFilter
from .models import StatusEvent


class PartnerListView(PermissionMixin, FilterView):
    permission_rule = permissions.can_view_register
    filterset_class = PartnerFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return permissions.visible_partners(self.request.user).with_status().order_by("name")

    def paginate_queryset(self, queryset, page_size):
        # An out-of-range or malformed ?page= shows the nearest real page instead of an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class PartnerDetailView(PermissionMixin, DetailView):
    permission_rule = permissions.can_view_register
    template_name = "partners/partner_detail.html"

    def get_object(self, queryset=None):
        partners = (
            permissions.visible_partners(self.request.user)
            .with_status()
            .prefetch_related(
                Prefetch("status_events", queryset=StatusEvent.objects.order_by("on")),
                "officers",
            )
        )
        return get_object_or_404(partners, code=self.kwargs["code"])
