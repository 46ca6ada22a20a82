"""Staff pages of the cooperation menu: list, activity page, create, edit, retire and export.

Views validate input, call ``programmes.menu.actions`` and render; they hold no rule of their own.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView

from pfp import exports
from pfp.views import ForgivingPaginationMixin, PermissionMixin
from programmes.menu import actions
from programmes.menu.filters import ActivityFilter
from programmes.menu.forms import ActivityForm, RetireForm
from programmes.menu.importing import COLUMNS, activity_to_row
from programmes.menu.models import Activity
from programmes.menu.permissions import can_edit_menu, can_view_menu

MENU_PAGE_SIZE = 50


class MenuListView(PermissionMixin, ForgivingPaginationMixin, FilterView):
    permission_rule = can_view_menu
    filterset_class = ActivityFilter
    paginate_by = MENU_PAGE_SIZE
    template_name = "programmes/activity_list.html"

    def get_queryset(self):
        return Activity.objects.for_pages().order_by("code")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit_menu=can_edit_menu(self.request.user), **kwargs)


class ActivityMixin:
    def get_activity(self) -> Activity:
        return get_object_or_404(Activity.objects.for_pages(), code=self.kwargs["code"])


class ActivityCreateView(PermissionMixin, FormView):
    permission_rule = can_edit_menu
    form_class = ActivityForm
    template_name = "programmes/activity_form.html"

    def form_valid(self, form):
        try:
            activity = actions.create_activity(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Activity %(code)s added to the menu.") % {"code": activity.code}
        )
        return redirect(activity)


class ActivityUpdateView(PermissionMixin, ActivityMixin, FormView):
    permission_rule = can_edit_menu
    form_class = ActivityForm
    template_name = "programmes/activity_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.activity = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.activity = self.get_activity()
        return {**super().get_form_kwargs(), "instance": self.activity}

    def get_context_data(self, **kwargs):
        # FormView makes the form (and so finds the activity) only inside get_context_data.
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        return context

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "code"}
        try:
            activity = actions.update_activity(
                activity=self.activity, actor=self.request.user, **changes
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if changes:
            messages.success(self.request, _("Activity %(code)s saved.") % {"code": activity.code})
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(activity)


class ActivityRetireView(PermissionMixin, ActivityMixin, View):
    permission_rule = can_edit_menu
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        activity = self.get_activity()
        form = RetireForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(activity)
        try:
            actions.retire_activity(
                activity=activity, year=form.cleaned_data["year"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(code)s is retired from the %(year)s menu.")
                % {"code": activity.code, "year": form.cleaned_data["year"]},
            )
        return redirect(activity)


class MenuExportView(PermissionMixin, View):
    """The list as filtered on screen, as CSV or Excel, in the import's columns."""

    permission_rule = can_view_menu

    def get(self, request, *args, fmt, **kwargs):
        activities = ActivityFilter(
            request.GET, queryset=Activity.objects.for_pages().order_by("code")
        ).qs
        rows = (activity_to_row(activity) for activity in activities.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            return exports.csv_response(f"menu-{stamp}.csv", COLUMNS, rows)
        return exports.single_sheet_xlsx_response(f"menu-{stamp}.xlsx", _("Menu"), COLUMNS, rows)
