"""The admin site for the cooperation menu: areas, providers, activities and menu imports.

Every change of an activity goes through ``programmes.menu.actions``, as on the pages.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from pfp.admin import HistoryAdmin, ReadOnly
from programmes.menu import actions
from programmes.menu.models import Activity, Area, MenuImport, Provider


@admin.register(Area)
class AreaAdmin(HistoryAdmin):
    list_display = ["order", "code", "name_en", "name_fr"]
    list_display_links = ["code"]
    search_fields = ["code", "name_en", "name_fr"]
    ordering = ["order", "name_en"]


@admin.register(Provider)
class ProviderAdmin(HistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = ["name"]


class ActiveOrRetiredFilter(admin.SimpleListFilter):
    title = _("active or retired")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("retired", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "retired":
            return queryset.retired()
        return queryset


def _refusal_message(activity: Activity, error: ValidationError) -> str:
    """The refusal's text, starting with the activity's code unless the text names it."""
    text = " ".join(error.messages)
    return text if activity.code in text else f"{activity.code}: {text}"


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "title_en",
        "area",
        "type",
        "provider",
        "delivery_mode",
        "length_days",
        "first_offered",
        "retired_in",
    ]
    list_select_related = ["area", "provider"]
    list_filter = [
        ActiveOrRetiredFilter,
        "area",
        "type",
        "delivery_mode",
        "provider__kind",
    ]
    search_fields = ["code", "title_en", "title_fr", "description_en", "description_fr"]
    ordering = ["code"]
    actions = ["retire_selected"]

    def get_readonly_fields(self, request, obj=None):
        # The code identifies the activity for good: set once, never changed.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Activities are retired, not deleted: programmes and history refer to them.
        return False

    def get_search_results(self, request, queryset, search_term):
        # The menu's own search (every word, accents folded, through its index) rather than the
        # admin's reading of five columns one by one: the same answers as the menu page.
        queryset = queryset.search(search_term)
        # Choosing an activity to plan (the programme's autocomplete): retired ones are not
        # offered, as the workflow would refuse them.
        if request.GET.get("model_name") == "plannedactivity":
            queryset = queryset.active()
        return queryset, False

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in actions.EDITABLE_FIELDS}
        if change:
            actions.update_activity(activity=obj, actor=request.user, **fields)
        else:
            obj.pk = actions.create_activity(actor=request.user, code=obj.code, **fields).pk

    @admin.action(description=_("Retire selected activities"), permissions=["change"])
    def retire_selected(self, request, queryset):
        year = timezone.localdate().year
        retired = 0
        try:
            for activity in queryset.order_by("code"):
                try:
                    actions.retire_activity(activity=activity, year=year, actor=request.user)
                except ValidationError as refusal:
                    self.message_user(request, _refusal_message(activity, refusal), messages.ERROR)
                else:
                    retired += 1
        except PermissionDenied as refusal:
            # The same for every activity: say it once.
            self.message_user(request, str(refusal), messages.ERROR)
        if retired:
            self.message_user(
                request,
                ngettext(
                    "%(count)d activity retired from %(year)d.",
                    "%(count)d activities retired from %(year)d.",
                    retired,
                )
                % {"count": retired, "year": year},
                messages.SUCCESS,
            )


@admin.register(MenuImport)
class MenuImportAdmin(ReadOnly, admin.ModelAdmin):
    """What each uploaded file did; kept as it was, so nobody adds, changes or deletes here."""

    list_display = [
        "file_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "rows",
        "added",
        "changed",
        "retired",
        "unchanged",
        "error_count",
    ]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name"]
    date_hierarchy = "uploaded_at"
    # The file's bytes (``content``) and its preview are not shown: the digest identifies the file.
    fields = [
        "file_name",
        "digest",
        "uploaded_by",
        "uploaded_at",
        "status",
        "applied_at",
        "rows",
        "added",
        "changed",
        "retired",
        "unchanged",
        "error_count",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Nor are they read: a page of the log would otherwise load every file it lists.
        return super().get_queryset(request).defer("content", "preview")


# --- Programmes ------------------------------------------------------------------------------
#
# Every save of a programme, of its objectives, goals and planned activities goes through
# ``programmes.workflow``, like on the programme pages, and so does every transition (the
# actions below). Only draft and returned versions can be changed here; every other version is
# read-only, inlines included. Nothing is deleted from the admin: versions are withdrawn (an
# action), and objectives, goals and planned activities of a draft are removed through the
# workflow from their inlines. Reverting to an old version from the history is disabled, since
# it would skip the workflow's checks.
