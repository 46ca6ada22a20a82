"""The admin of accounts and roles (the site itself is ``pfp.sites.AdminSite``)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
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


class RefusedOnSave(Exception):
    """A refusal (of the workflow, of an app's actions) met while saving an admin form: the
    whole save is undone and the form shown again with it (``RefusalShownOnForm``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal_text(error: Exception) -> str:
    """What the user reads of a refusal: a ``ValidationError``'s messages, or a refusal's
    ``message`` with its ``problems`` (``programmes.workflow.WorkflowError``)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    message = getattr(error, "message", None)
    if message is None:
        return str(error)
    return " ".join([str(message), *getattr(error, "problems", ())])


class RefusalShownOnForm:
    """For a ModelAdmin whose saves may raise ``RefusedOnSave``: everything the request saved
    is rolled back (the admin saves inside one transaction), then the form is shown again with
    the user's input and the refusal as its error, instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedOnSave as refusal:
            # Validate the same input again, now failing with the refusal: nothing is saved.
            request._admin_refusal = refusal.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_admin_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                super().clean()
                raise ValidationError(refusal)

        return RefusedForm


class LabelledInlineFormSet(BaseInlineFormSet):
    """An inline formset whose every field has an accessible name. A tabular inline heads its
    columns with the fields' labels but labels no field, so each row's inputs and selects have no
    name (axe-core's ``label`` and ``select-name``; WCAG 1.3.1, 4.1.2): each visible widget, the
    deletion box too, gets its field's label as ``aria-label``."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", form[name].label)


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
