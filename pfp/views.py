"""Project-wide views: the home page and the mixin that puts ``pfp.permissions`` in front of views."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView

from . import permissions


class PermissionMixin:
    """Refuse the view (403) unless ``permission_rule(user)`` allows it."""

    permission_rule = None  # a function of pfp.permissions taking the user

    def dispatch(self, request, *args, **kwargs):
        decision = type(self).permission_rule(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)


class ForgivingPaginationMixin:
    """A malformed or out-of-range ``?page=`` shows the nearest real page instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(TemplateView):
    """Where login lands: the partner register for those who may read it, else a short page."""

    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        if permissions.can_view_register(request.user):
            return redirect("partners:list")
        return super().get(request, *args, **kwargs)
