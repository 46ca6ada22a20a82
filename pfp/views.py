"""Project-wide views: the home page, the language switch and the mixin that puts
``pfp.permissions`` in front of views."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import i18n
from django.views.generic import TemplateView

from programmes import dashboard

from . import permissions

# Refused requests, for the audit trail: failed sign-ins are django-axes' (AccessFailureLog),
# refused workflow steps programmes.workflow's, refused pages this logger's.
access_log = logging.getLogger("pfp.access")


class PermissionMixin:
    """Refuse the view (403) unless ``permission_rule(user)`` allows it, and log the refusal."""

    permission_rule = None  # a function of pfp.permissions taking the user

    def dispatch(self, request, *args, **kwargs):
        rule = type(self).permission_rule
        decision = rule(request.user)
        if not decision:
            # Who, which rule of which view, and where (repr: a path may hold a line break). The
            # rule names the reason, in no user's language.
            access_log.warning(
                "Refused %s %r to user %s (%s): %s of %s",
                request.method,
                request.path,
                request.user.pk,
                request.user.get_username(),
                getattr(rule, "__qualname__", rule),
                type(self).__qualname__,
            )
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)


class ForgivingPaginationMixin:
    """A malformed or out-of-range ``?page=`` shows the nearest real page instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


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
        if not (permissions.roles_of(user) or permissions.is_administrator(user)):
            return {**context, "no_role": True}
        today = timezone.localdate()
        context.update(
            drafting=bool(permissions.can_draft_any(user)),
            reviewing=bool(permissions.can_review(user)),
            reading=bool(permissions.can_view_programmes(user)),
        )
        if context["drafting"]:
            context["my_drafts"] = _short(dashboard.my_drafts(user))
            context["returned"] = _short(dashboard.returned_to(user))
        if context["reviewing"]:
            context["awaiting"] = _short(dashboard.awaiting_approval_by(user))
        if context["reading"]:
            context["ending"] = _short(dashboard.ending_without_successor(user, today))
            context["without_programme"] = _short(
                dashboard.partners_without_programme_in_force(user, today)
            )
            context["counts"] = dashboard.counts_by_status(user)
        return context


@login_not_required  # the switch is in the footer of the login page too
def set_language(request):
    """Django's ``set_language`` (the language cookie, then back to ``next``), and for a signed-in
    user the choice saved on the account: ``pfp.middleware.UserLanguageMiddleware`` applies it on
    every request from then on, in any browser."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and language != user.language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
