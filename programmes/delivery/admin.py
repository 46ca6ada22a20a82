"""The admin site for delivery: events and annual reviews, listed and searched by
administrators, changed through ``programmes.delivery.actions`` as on the pages (registered by
``programmes.admin``, since Django discovers one ``admin`` module per app).

Events are recorded from the programme page (they need a planned activity or a goal of the
version in force) and deleted there; here an administrator corrects one. A review's overall
assessment is corrected here, and submitted reviews are acknowledged (an action). A refusal of
the actions (the programme is not in force, the four-eyes rule, a contradiction) shows the form
again with the refusal, the whole save undone. Old versions may be looked at, not restored:
saving one would go around the actions.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from pfp.admin import ReadOnly, ReadOnlyHistory, RefusalShownOnForm, RefusedOnSave, refusal_text
from programmes.delivery import actions
from programmes.delivery.models import AnnualReview, Event, ObjectiveProgress
from programmes.workflow import WorkflowError


class SavedThroughActions(RefusalShownOnForm, ReadOnlyHistory):
    """For admins whose saves call ``programmes.delivery.actions``: nothing is added or deleted
    here; a refusal while saving rolls back the request's transaction (the admin saves inside
    one), then the form is shown again with the user's input and the refusal as its error."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_actions(self, function, **kwargs):
        try:
            return function(**kwargs)
        except (WorkflowError, ValidationError) as error:
            raise RefusedOnSave(refusal_text(error)) from error


class StampedForm(forms.ModelForm):
    """Carries the row's edit stamp, so that saving over a newer change is refused."""

    seen_stamp = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_stamp"].initial = self.instance.edit_stamp


class EventAdminForm(StampedForm):
    class Meta:
        model = Event
        fields = list(actions.EVENT_FIELDS)


# Set when the event is recorded; shown, never entered.
EVENT_RECORD_FIELDS = ["partner", "activity", "lineage", "planned_key", "goal_key"]
EVENT_STAMP_FIELDS = ["recorded_by", "recorded_at", "edit_stamp"]


@admin.register(Event)
class EventAdmin(SavedThroughActions, SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = ["start_date", "partner", "activity", "year", "status", "participants"]
    list_display_links = ["start_date", "activity"]
    list_select_related = ["partner", "activity"]
    list_filter = ["status", "year", "online", "partner"]
    search_fields = [
        "activity__code",
        "activity__title_en",
        "activity__title_fr",
        "partner__name",
        "=partner__code",
        "place",
        "evaluation",
        "=external_ref",
    ]
    ordering = ["-start_date", "pk"]
    date_hierarchy = "start_date"
    readonly_fields = [*EVENT_RECORD_FIELDS, *EVENT_STAMP_FIELDS]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": [*EVENT_RECORD_FIELDS, *actions.EVENT_FIELDS, "seen_stamp"]}),
            (_("Recorded"), {"fields": EVENT_STAMP_FIELDS}),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "activity", "recorded_by")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in actions.EVENT_FIELDS}
        for name in ("place", "cancellation_reason", "evaluation", "external_ref"):
            fields[name] = fields[name] or ""
        self.save_through_actions(
            actions.update_event,
            actor=request.user,
            event=obj,
            seen_stamp=form.cleaned_data.get("seen_stamp"),
            **fields,
        )


class ObjectiveProgressInline(ReadOnly, admin.TabularInline):
    """The ratings of a review, as the review's writers left them (changed on its page)."""

    model = ObjectiveProgress
    fields = ["objective_key", "progress", "narrative"]
    readonly_fields = fields
    extra = 0


class AnnualReviewAdminForm(StampedForm):
    class Meta:
        model = AnnualReview
        fields = ["overall"]


# Set by the steps of a review; shown, never entered.
REVIEW_STEP_FIELDS = [
    "partner",
    "lineage",
    "year",
    "status",
    "return_comment",
    "created_by",
    "created_at",
    "submitted_by",
    "submitted_at",
    "acknowledged_by",
    "acknowledged_at",
]


@admin.register(AnnualReview)
class AnnualReviewAdmin(SavedThroughActions, SimpleHistoryAdmin):
    form = AnnualReviewAdminForm
    inlines = [ObjectiveProgressInline]
    list_display = ["partner", "year", "status", "created_by", "submitted_at", "acknowledged_by"]
    list_select_related = ["partner", "created_by", "acknowledged_by"]
    list_filter = ["status", "year", "partner"]
    search_fields = ["partner__name", "=partner__code", "overall", "return_comment"]
    ordering = ["partner__name", "lineage", "year"]
    readonly_fields = REVIEW_STEP_FIELDS
    actions = ["acknowledge_selected"]

    def get_fields(self, request, obj=None):
        return [*REVIEW_STEP_FIELDS, "overall", "seen_stamp"]

    def has_change_permission(self, request, obj=None):
        # Only a draft or a returned review changes; the others are looked at.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partner", "created_by", "submitted_by", "acknowledged_by")
        )

    def save_model(self, request, obj, form, change):
        self.save_through_actions(
            actions.save_review,
            actor=request.user,
            review=obj,
            seen_stamp=form.cleaned_data.get("seen_stamp"),
            overall=form.cleaned_data.get("overall", obj.overall),
            progress={},
        )

    def save_formset(self, request, form, formset, change):
        # The ratings are read-only here: nothing to save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("Acknowledge selected reviews"), permissions=["change"])
    def acknowledge_selected(self, request, queryset):
        done = 0
        for review in queryset.select_related("partner").order_by("partner__name", "year", "pk"):
            try:
                actions.acknowledge_review(actor=request.user, review=review)
            except (WorkflowError, ValidationError) as refusal:
                self.message_user(
                    request,
                    _("%(partner)s, %(review)s: %(reason)s")
                    % {
                        "partner": review.partner,
                        "review": review,
                        "reason": refusal_text(refusal),
                    },
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d review acknowledged.", "%(count)d reviews acknowledged.", done)
                % {"count": done},
                messages.SUCCESS,
            )
