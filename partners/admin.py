from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partners import actions
from partners.models import (
    EventFacts,
    Partner,
    PartnerStatus,
    Representative,
    StatusEvent,
    status_history_errors,
)
from pfp.admin import LabelledInlineFormSet


class StatusEventFormSet(LabelledInlineFormSet):
    """Refuses an impossible history with the same rules as ``partners.actions``."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        events = [
            EventFacts(kind=form.cleaned_data["kind"], on=form.cleaned_data.get("on"))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = status_history_errors(events)
        if errors:
            raise ValidationError(errors)


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    formset = StatusEventFormSet
    extra = 0
    fields = ["kind", "on", "year_only", "note"]


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return PartnerStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PartnerStatus.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_fr", "code", "framework", "current_status_display"]
    list_filter = ["framework", CurrentStatusFilter, ("officers", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_fr", "code"]
    ordering = ["name"]
    filter_horizontal = ["officers"]
    inlines = [StatusEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusEvent:
            return super().save_formset(request, form, formset, change)
        # Corrections of recorded events are saved as the admin saves them (the formset checked
        # the whole history); a new event goes through partners.actions like everywhere else,
        # with the partner locked and the signal that closes agreed programmes, in the admin's
        # transaction.
        events = formset.save(commit=False)
        for event in formset.deleted_objects:
            event._history_user = request.user
            event.delete()
        for event in events:
            if event.pk is not None:
                event._history_user = request.user
                event.save()
        for event in sorted(formset.new_objects, key=lambda e: (e.on is None, e.on)):
            actions.record_status_event(
                partner=form.instance,
                kind=event.kind,
                on=event.on,
                year_only=event.year_only,
                note=event.note,
                actor=request.user,
            )
        formset.save_m2m()

    @admin.display(description=_("current status"), ordering="status")
    def current_status_display(self, obj):
        return obj.get_status_display()


class RepresentativeForm(forms.ModelForm):
    """Refuses, as ``partners.actions.appoint_representative`` does, a user who holds a NATO
    staff role or reaches the admin site."""

    class Meta:
        model = Representative
        fields = ["user", "partner", "position"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        problems = actions.representative_problems(user)
        if problems:
            raise ValidationError(problems)
        return user


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    """Who represents which partner: an administrator binds each user to one partner."""

    form = RepresentativeForm
    list_display = ["user", "partner", "position"]
    list_filter = [("partner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "partner__name"]
    autocomplete_fields = ["partner"]
    list_select_related = ["user", "partner"]

    def has_delete_permission(self, request, obj=None):
        # History points at representatives (acceptances, comments): a representative who
        # leaves is deactivated as a user, not deleted.
        return False

    def save_model(self, request, obj, form, change):
        # Through the action, as everywhere: the partner locked, the role given, a history row.
        saved = actions.appoint_representative(
            actor=request.user,
            user=form.cleaned_data["user"],
            partner=form.cleaned_data["partner"],
            position=form.cleaned_data.get("position", ""),
        )
        obj.pk = saved.pk
