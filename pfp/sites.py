"""The product's admin site, the default one (``pfp.apps.PfpAdminConfig``).

Its own module, as Django's is (``django.contrib.admin.sites``): registering a model sets up the
default site, which imports this class, so this module registers nothing and imports no admin
module that does. The header and colours are in ``templates/admin/base_site.html``.
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from pfp.permissions import can_use_admin_site
from pfp.views import refuse_unless_allowed

# The admin home's groups, in order: a heading, what administrators correct there, and the models
# ("app_label.model_name"; names only, so that pfp imports no app above it). A registered model
# in no group is listed under "Other", last.
HOME_GROUPS = [
    (
        _("People and roles"),
        _(
            "Accounts, the roles they hold and their language; deactivate an account when its "
            "owner leaves."
        ),
        ["pfp.user", "auth.group"],
    ),
    (
        _("Partner register"),
        _("Partners, their framework and the dates they joined, were suspended or left."),
        ["partners.partner", "partners.representative"],
    ),
    (
        _("Cooperation menu"),
        _("Areas, providers and activities of the menu, and the record of its imports."),
        ["programmes.area", "programmes.provider", "programmes.activity", "programmes.menuimport"],
    ),
    (
        _("Programmes"),
        _(
            "Programmes, their objectives and planned activities: corrections the pages do not "
            "offer."
        ),
        ["programmes.programme", "programmes.objective", "programmes.plannedactivity"],
    ),
    (
        pgettext_lazy("delivery of a programme", "Delivery"),
        _("Events and annual reviews."),
        ["programmes.event", "programmes.annualreview"],
    ),
    (
        _("Background work"),
        _(
            "E-mails waiting, sent or failed (retry a failed one), the runs of the schedule and the "
            "task queue."
        ),
        ["outbox.message", "outbox.scheduledrun", "django_tasks_database.dbtaskresult"],
    ),
    (
        _("Sign-in protection"),
        _(
            "Failed sign-ins are counted per user name and address; delete a lockout to let its "
            "owner try again at once."
        ),
        ["axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"],
    ),
]


class AdminSite(admin.AdminSite):
    """Django's admin site with the product's header, doors and home.

    Only administrators (``pfp.permissions.can_use_admin_site``) are served. Anyone else never
    sees Django's admin login form: anonymous users are sent to the product's login page (then
    back), signed-in users get the product's 403 page with the rule's reason.
    """

    site_header = _("Partnership programmes administration")
    site_title = _("Partnership programmes")

    def has_permission(self, request):
        return bool(can_use_admin_site(request.user))

    def admin_view(self, view, cacheable=False):
        """Django's ``admin_view`` (not cached, CSRF-protected), refusing with the reason
        instead of redirecting to the admin's login form."""

        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            refuse_unless_allowed(request, can_use_admin_site, type(self).__qualname__)
            return view(request, *args, **kwargs)

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    def get_urls(self):
        urls = super().get_urls()
        for url in urls:
            # Django's site-wide views send anonymous users to the admin's login form (their
            # ``login_url``, which LoginRequiredMiddleware reads): the product's login page here.
            if hasattr(getattr(url, "callback", None), "login_url"):
                url.callback.login_url = settings.LOGIN_URL
        return urls

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """No login form of the admin's own: the product's login page for anonymous users, the
        403 page for anyone else who may not use the admin, else on to ``next``."""
        next_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        refuse_unless_allowed(request, can_use_admin_site, type(self).__qualname__)
        return HttpResponseRedirect(next_url)

    def get_app_list(self, request, app_label=None):
        """The models grouped as ``HOME_GROUPS`` says, for the home and the sidebar; an app's own
        page (``app_label``) lists its models as Django does.

        Each group is shaped like Django's entry for an app, its page the group's section of the
        home; groups with no model the user may see are left out.
        """
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {
            f"{app['app_label']}.{model['object_name'].lower()}": model
            for app in super().get_app_list(request)
            for model in app["models"]
        }
        groups = [
            (name, description, [models.pop(key) for key in keys if key in models])
            for name, description, keys in HOME_GROUPS
        ]
        groups.append((_("Other"), "", list(models.values())))
        home = reverse("admin:index", current_app=self.name)
        return [
            {
                "name": name,
                "description": description,
                "app_label": f"group-{number}",
                "app_url": f"{home}#group-{number}",
                "has_module_perms": True,
                "models": listed,
            }
            for number, (name, description, listed) in enumerate(groups, start=1)
            if listed
        ]
