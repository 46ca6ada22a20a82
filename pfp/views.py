"""Project-wide views: signing out, the language switch, the favicon, and the mixins every app's
views use (permission rules in front of a view, forgiving pagination)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

# Refused requests, for the audit trail: failed sign-ins are django-axes' (AccessFailureLog),
# refused workflow steps programmes.workflow's, refused pages this logger's.
access_log = logging.getLogger("pfp.access")


class PermissionMixin:
    """Refuse the view (403) unless ``permission_rule(user)`` allows it, and log the refusal."""

    permission_rule = None  # a function of pfp.permissions taking the user

    def dispatch(self, request, *args, **kwargs):
        refuse_unless_allowed(request, type(self).permission_rule, type(self).__qualname__)
        return super().dispatch(request, *args, **kwargs)


def refuse_unless_allowed(request, rule, where: str) -> None:
    """Raise ``PermissionDenied`` with the reason (the 403 page shows it) unless ``rule(user)``
    allows the request, and log the refusal; ``where`` names the view (or the admin site)."""
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
            where,
        )
        raise PermissionDenied(decision.reason)


class ForgivingPaginationMixin:
    """A malformed or out-of-range ``?page=`` shows the nearest real page instead of a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class SignOutView(LogoutView):
    """Django's ``LogoutView``, ending on the login page (``LOGOUT_REDIRECT_URL``) with a message
    that says so. A ``next`` this site does not serve leads there too, never back to the logout
    URL itself (which refuses GET: a link cannot sign anyone out)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone: the message travels in the messages cookie.
        messages.success(request, _("You are signed out."))
        return response


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


@login_not_required  # browsers ask for it by themselves, on the login page too
@require_safe
def favicon(request):
    """``/favicon.ico``, asked for by browsers that do not read the pages' icon link: the SVG icon
    in static. A temporary redirect, since the icon's static name changes with its contents."""
    return HttpResponseRedirect(static("pfp/favicon.svg"))


class AccountView(TemplateView):
    """The signed-in user's own page: who they are, their roles and language, and the settings
    that are theirs to change (password; each feature adds its section to the template)."""

    template_name = "registration/account.html"
