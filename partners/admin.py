from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programmes.workflow import close_for_partner_event

from .models import EventFacts, Partner, PartnerStatus, StatusEvent, status_history_errors


class StatusEventFormSet(BaseInlineFormSet):
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
    list_display = ["name", "code", "framework", "current_status_display"]
    list_filter = ["framework", CurrentStatusFilter, ("officers", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    ordering = ["name"]
    filter_horizontal = ["officers"]
    inlines = [StatusEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # The same consequence as partners.actions.record_status_event, in the admin's
        # transaction: a suspension or NATO membership closes the agreed programmes.
        for event in formset.new_objects:
            if isinstance(event, StatusEvent) and event.on is not None:
                close_for_partner_event(
                    partner=event.partner, kind=event.kind, on=event.on, actor=request.user
                )

    @admin.display(description=_("current status"), ordering="status")
    def current_status_display(self, obj):
        return obj.get_status_display()
