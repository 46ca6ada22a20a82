"""The admin of accounts and roles (the site itself is ``pfp.sites.AdminSite``)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from pfp.models import User


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin for a model without foreign keys of its own."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple_history's own adds select_related() with the model's foreign keys, none here:
        # without arguments Django 6.1 deprecates it (and the suite makes warnings errors).
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")


class ReadOnlyHistory:
    """For a SimpleHistoryAdmin: old versions may be looked at, not restored."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnly:
    """For a ModelAdmin or an inline whose rows are only looked at here (a record kept as it
    was, rows changed elsewhere): nobody adds, changes or deletes them. Who may view the model
    still sees them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountHistoryAdmin(ReadOnlyHistory, HistoryAdmin):
    """The history of an account (a user, a group), read-only: reverting to an old version would
    quietly give back roles, permissions or flags since taken away; change them in the form."""


@admin.register(User)
class UserAdmin(AccountHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups"]
    # Django's sections, with the saved language among the personal information.
    fieldsets = (
        DjangoUserAdmin.fieldsets[0],
        (
            DjangoUserAdmin.fieldsets[1][0],
            {"fields": (*DjangoUserAdmin.fieldsets[1][1]["fields"], "language")},
        ),
        *DjangoUserAdmin.fieldsets[2:],
    )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AccountHistoryAdmin, DjangoGroupAdmin):
    pass
