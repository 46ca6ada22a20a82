"""The admin site for the programmes; the menu's admin (``programmes.menu.admin``) is registered
from here, since Django discovers one ``admin`` module per app.

Programmes, their contents and their transitions go through ``programmes.workflow``, as on the
pages, so the two entry points cannot drift; the admin only turns the refusals into messages.
"""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

import programmes.delivery.admin  # registers delivery's models
import programmes.menu.admin  # noqa: F401  (registers the menu's models)
from pfp.admin import (
    LabelledInlineFormSet,
    ReadOnly,
    ReadOnlyHistory,
    RefusalShownOnForm,
    RefusedOnSave,
    refusal_text,
)
from programmes import workflow
from programmes.forms.review import AgreementForm, CloseForm, ReturnForm
from programmes.models import Comment, Goal, Objective, PlannedActivity, Programme
from programmes.workflow import WorkflowError


@contextmanager
def refused_as_form_error():
    try:
        yield
    except (WorkflowError, ValidationError) as error:
        raise RefusedOnSave(refusal_text(error)) from error


class SavedThroughWorkflow(RefusalShownOnForm, ReadOnlyHistory):
    """For admins whose saves call ``programmes.workflow``.

    A refusal raised by the workflow while saving rolls back everything this request saved
    (the admin saves inside one transaction), then the form is shown again with the user's
    input and the refusal as its error, instead of a server error. Old versions may be looked
    at, not restored: saving one would bypass the workflow.

    Only draft and returned versions change, contents included; nothing is deleted here:
    versions are withdrawn (an action), and a draft's contents are removed from its inlines.
    """

    def programme_of(self, obj) -> Programme:
        return obj.programme

    def stamp_fields(self, obj) -> list[str]:
        """The edit stamp's field, where the form may be saved."""
        return ["seen_stamp"] if obj is not None and self.programme_of(obj).is_editable else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.programme_of(obj).is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The history refers to every version and its contents.
        return False

    def save_formset(self, request, form, formset, change):
        with refused_as_form_error():
            formset.save_through_workflow(actor=request.user)


class StampedForm(forms.ModelForm):
    """Carries the programme's edit stamp, so that saving over a newer change is refused."""

    seen_stamp = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def programme_of(self, instance) -> Programme:
        return instance.programme

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_stamp"].initial = self.programme_of(self.instance).edit_stamp


class WorkflowInlineFormSet(LabelledInlineFormSet):
    """Rows saved by ``programmes.workflow`` instead of ``formset.save()``, each field named.

    Sets ``new_objects``, ``changed_objects`` and ``deleted_objects`` as ``save()`` would, for
    the admin's change message.
    """

    # Whether existing rows are edited in the inline (or only added and removed).
    rows_change = True

    def save_through_workflow(self, actor) -> None:
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        deleted = self.deleted_forms if self.can_delete else []
        for form in self.initial_forms:
            if form in deleted:
                self.remove_row(form.instance, actor=actor)
                self.deleted_objects.append(form.instance)
            elif self.rows_change and form.has_changed():
                self.change_row(form, actor=actor)
                self.changed_objects.append((form.instance, form.changed_data))
        for form in self.extra_forms:
            if form.has_changed() and form not in deleted:
                self.new_objects.append(self.add_row(form, actor=actor))

    def add_row(self, form, *, actor):
        raise NotImplementedError

    def change_row(self, form, *, actor):
        raise NotImplementedError

    def remove_row(self, instance, *, actor):
        raise NotImplementedError


class ReadOnlyFormSet(WorkflowInlineFormSet):
    def save_through_workflow(self, actor) -> None:
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []


class ObjectiveFormSet(WorkflowInlineFormSet):
    def add_row(self, form, *, actor):
        return workflow.add_objective(
            actor=actor,
            programme=self.instance,
            title=form.cleaned_data["title"],
            description=form.cleaned_data.get("description", ""),
        )

    def change_row(self, form, *, actor):
        workflow.update_objective(
            actor=actor,
            objective=form.instance,
            seen_stamp=None,
            title=form.cleaned_data["title"],
            description=form.cleaned_data.get("description", ""),
        )

    def remove_row(self, instance, *, actor):
        workflow.delete_objective(actor=actor, objective=instance)


class GoalFormSet(WorkflowInlineFormSet):
    def add_row(self, form, *, actor):
        return workflow.add_goal(
            actor=actor,
            objective=self.instance,
            title=form.cleaned_data["title"],
            description=form.cleaned_data.get("description", ""),
        )

    def change_row(self, form, *, actor):
        workflow.update_goal(
            actor=actor,
            goal=form.instance,
            seen_stamp=None,
            title=form.cleaned_data["title"],
            description=form.cleaned_data.get("description", ""),
        )

    def remove_row(self, instance, *, actor):
        workflow.delete_goal(actor=actor, goal=instance)


def goal_choices(programme: Programme) -> list[tuple[object, str]]:
    """The programme's goals as numbered choices ("2.1 Title"), read in one query."""
    goals = Goal.objects.filter(objective__programme=programme).select_related("objective")
    return [("", "---------")] + [
        (goal.pk, f"{goal.objective.order}.{goal.order} {goal.title}")
        for goal in goals.order_by("objective__order", "objective", "order", "pk")
    ]


class PlannedActivityFormSet(WorkflowInlineFormSet):
    """Planned activities are added and removed here, and changed on their own page: a
    programme plans up to 150 of them, too many fields for one form."""

    rows_change = False

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The goals of this programme only, read once for all the rows.
        if not hasattr(self, "_goal_choices"):
            self._goal_choices = goal_choices(self.instance) if self.instance.pk else []
        if "goal" in form.fields:
            form.fields["goal"].queryset = Goal.objects.filter(objective__programme=self.instance)
            form.fields["goal"].choices = self._goal_choices

    def add_row(self, form, *, actor):
        return workflow.plan_activity(
            actor=actor,
            programme=self.instance,
            activity=form.cleaned_data["activity"],
            year=form.cleaned_data["year"],
            goal=form.cleaned_data["goal"],
            priority=form.cleaned_data["priority"],
            notes=form.cleaned_data.get("notes", ""),
        )

    def remove_row(self, instance, *, actor):
        workflow.remove_planned_activity(actor=actor, planned=instance)


class EditableWhileDraftInline(admin.TabularInline):
    """Rows of a programme that change only while the programme is a draft (or returned)."""

    extra = 1

    @staticmethod
    def editable(obj) -> bool:
        """``obj`` is the parent: a programme, or an objective."""
        programme = obj.programme if isinstance(obj, Objective) else obj
        return programme is not None and programme.is_editable

    def has_add_permission(self, request, obj):
        return self.editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(obj) and super().has_delete_permission(request, obj)


class ObjectiveInline(EditableWhileDraftInline):
    model = Objective
    formset = ObjectiveFormSet
    fields = ["order", "title", "description", "goal_list"]
    readonly_fields = ["order", "goal_list"]
    show_change_link = True  # goals are edited on the objective's page

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("goals")

    @admin.display(description=_("partnership goals"))
    def goal_list(self, objective):
        return format_html_join(
            mark_safe("<br>"),
            "{}.{} {}",
            ((objective.order, goal.order, goal.title) for goal in objective.goals.all()),
        )


class PlannedActivityInline(EditableWhileDraftInline):
    model = PlannedActivity
    formset = PlannedActivityFormSet
    fields = ["activity", "year", "goal", "priority", "notes"]
    autocomplete_fields = ["activity"]
    show_change_link = True  # year, goal, priority and notes change on the row's own page
    extra = 3

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("activity", "programme", "goal__objective")
        )

    def has_change_permission(self, request, obj=None):
        # Rows are changed on their own page; here they are only added and removed.
        return False


class CommentInline(ReadOnly, admin.TabularInline):
    model = Comment
    formset = ReadOnlyFormSet
    fields = ["created_at", "author", "kind", "text"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class ProgrammeAdminForm(StampedForm):
    class Meta:
        model = Programme
        fields = ["partner", "title", "summary", "start_year"]

    def programme_of(self, instance):
        return instance


# The fields only the workflow's steps set: shown, never entered.
PROGRAMME_STEP_FIELDS = [
    "status",
    "version",
    "revises",
    "end_year",
    "created_by",
    "created_at",
    "drafters",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_at",
    "agreed_on",
    "partner_signatory",
    "agreement_recorded_by",
    "closed_at",
    "closed_reason",
]


class AdminStepForm(forms.Form):
    """A review page's form, asked by an admin action: a missing answer gets Django's own
    "This field is required.", as everywhere in the admin, instead of the page's sentence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = forms.Field.default_error_messages["required"]


class AdminReturnForm(AdminStepForm, ReturnForm):
    pass


class AdminAgreementForm(AdminStepForm, AgreementForm):
    pass


class AdminCloseForm(AdminStepForm, CloseForm):
    pass


BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


@admin.register(Programme)
class ProgrammeAdmin(SavedThroughWorkflow, SimpleHistoryAdmin):
    form = ProgrammeAdminForm
    list_display = [
        "partner",
        "title",
        "period",
        "version",
        "status",
        "submitted_at",
        "approved_at",
    ]
    list_display_links = ["title"]
    list_select_related = ["partner"]
    list_filter = ["status", "partner__framework", "start_year"]
    search_fields = ["title", "partner__name", "=partner__code"]
    ordering = ["partner__name", "-start_year", "-version"]
    actions = [
        "submit_selected",
        "approve_selected",
        "return_selected",
        "record_agreement_selected",
        "close_selected",
        "withdraw_selected",
        "revise_selected",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "partner",
                "revises",
                "created_by",
                "submitted_by",
                "approved_by",
                "agreement_recorded_by",
            )
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["partner", "title", "summary", "start_year"]})]
        fields = ["partner", "title", "summary", "start_year", *self.stamp_fields(obj)]
        return [
            (None, {"fields": fields}),
            (_("Version and steps"), {"fields": PROGRAMME_STEP_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["partner", *PROGRAMME_STEP_FIELDS]

    def get_inlines(self, request, obj):
        # Contents are added once the programme exists.
        return [] if obj is None else [ObjectiveInline, PlannedActivityInline, CommentInline]

    def programme_of(self, obj):
        return obj

    @admin.display(description=_("period"), ordering="start_year")
    def period(self, programme):
        return programme.period

    @admin.display(description=_("edited by"))
    def drafters(self, programme):
        return ", ".join(
            str(user.get_full_name() or user) for user in programme.editors.order_by("username")
        )

    def save_model(self, request, obj, form, change):
        with refused_as_form_error():
            if change:
                workflow.update_programme(
                    actor=request.user,
                    programme=obj,
                    seen_stamp=form.cleaned_data.get("seen_stamp"),
                    title=obj.title,
                    summary=obj.summary,
                    start_year=obj.start_year,
                )
            else:
                created = workflow.create_programme(
                    actor=request.user,
                    partner=obj.partner,
                    title=obj.title,
                    start_year=obj.start_year,
                    summary=obj.summary,
                )
                obj.pk = created.pk

    # --- Transitions: each action calls the workflow for every selected programme ------------

    def response_action(self, request, queryset, *args, **kwargs):
        # A forged selection (not ids) is refused with a message rather than a server error.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(pk.isdigit() and int(pk) < 2**63 for pk in selected):
            self.message_user(request, _("Choose programmes from the list."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, *args, **kwargs)

    def _take_step(self, request, queryset, step, done_message, **arguments) -> None:
        """Call ``step`` for each programme; report what was done and every refusal."""
        done = 0
        for programme in queryset.select_related("partner").order_by("partner__name", "pk"):
            try:
                step(actor=request.user, programme=programme, **arguments)
            except (WorkflowError, ValidationError) as refusal:
                self.message_user(
                    request,
                    _("%(partner)s, %(programme)s: %(reason)s")
                    % {
                        "partner": programme.partner,
                        "programme": programme,
                        "reason": refusal_text(refusal),
                    },
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    def _step_with_form(self, request, queryset, *, form_class, title, submit, take_step):
        """Ask for what the step needs (like Django's delete confirmation), then take it."""
        if "confirm" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                take_step(form.cleaned_data)
                return None
        else:
            form = form_class()
        action_field = next(
            name
            for name in (f"{ActionLocation.CHANGE_FORM.value}-action", "action")
            if name in request.POST
        )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "programmes": queryset.select_related("partner").order_by("partner__name", "pk"),
            "action_field": action_field,
            "action_name": request.POST[action_field],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": submit,
            "back_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/programmes/programme/step_form.html", context)

    @admin.action(description=_("Submit for approval"), location=BOTH_PLACES)
    def submit_selected(self, request, queryset):
        self._take_step(
            request,
            queryset,
            workflow.submit,
            lambda n: ngettext(
                "%(count)d programme submitted.", "%(count)d programmes submitted.", n
            ),
        )

    @admin.action(description=_("Approve"), location=BOTH_PLACES)
    def approve_selected(self, request, queryset):
        self._take_step(
            request,
            queryset,
            workflow.approve,
            lambda n: ngettext(
                "%(count)d programme approved.", "%(count)d programmes approved.", n
            ),
        )

    @admin.action(description=_("Return to the drafters…"), location=BOTH_PLACES)
    def return_selected(self, request, queryset):
        return self._step_with_form(
            request,
            queryset,
            form_class=AdminReturnForm,
            title=_("Return programmes to their drafters"),
            submit=_("Return"),
            take_step=lambda data: self._take_step(
                request,
                queryset,
                workflow.return_programme,
                lambda n: ngettext(
                    "%(count)d programme returned.", "%(count)d programmes returned.", n
                ),
                comment=data["comment"],
            ),
        )

    @admin.action(description=_("Record the partner's agreement…"), location=BOTH_PLACES)
    def record_agreement_selected(self, request, queryset):
        return self._step_with_form(
            request,
            queryset,
            form_class=AdminAgreementForm,
            title=_("Record the partner's agreement"),
            submit=_("Record the agreement"),
            take_step=lambda data: self._take_step(
                request,
                queryset,
                workflow.record_agreement,
                lambda n: ngettext(
                    "%(count)d agreement recorded.", "%(count)d agreements recorded.", n
                ),
                agreed_on=data["agreed_on"],
                signatory=data["signatory"],
            ),
        )

    @admin.action(description=_("Close…"), location=BOTH_PLACES)
    def close_selected(self, request, queryset):
        return self._step_with_form(
            request,
            queryset,
            form_class=AdminCloseForm,
            title=_("Close programmes"),
            submit=_("Close"),
            take_step=lambda data: self._take_step(
                request,
                queryset,
                workflow.close,
                lambda n: ngettext(
                    "%(count)d programme closed.", "%(count)d programmes closed.", n
                ),
                reason=data["reason"],
            ),
        )

    @admin.action(description=_("Withdraw"), location=BOTH_PLACES)
    def withdraw_selected(self, request, queryset):
        self._take_step(
            request,
            queryset,
            workflow.withdraw,
            lambda n: ngettext(
                "%(count)d programme withdrawn.", "%(count)d programmes withdrawn.", n
            ),
        )

    @admin.action(description=_("Revise (start a new version)"), location=BOTH_PLACES)
    def revise_selected(self, request, queryset):
        self._take_step(
            request,
            queryset,
            workflow.revise,
            lambda n: ngettext(
                "%(count)d new version started.", "%(count)d new versions started.", n
            ),
        )


class ProgrammeContentsAdmin(SavedThroughWorkflow, SimpleHistoryAdmin):
    """An objective or a planned activity: reached from its programme's page only (not listed
    on the admin's index), and added there."""

    def get_model_perms(self, request):
        return {}

    def has_add_permission(self, request):
        return False


class ObjectiveAdminForm(StampedForm):
    class Meta:
        model = Objective
        fields = ["title", "description"]


class GoalInline(EditableWhileDraftInline):
    model = Goal
    formset = GoalFormSet
    fields = ["order", "title", "description"]
    readonly_fields = ["order"]


@admin.register(Objective)
class ObjectiveAdmin(ProgrammeContentsAdmin):
    """An objective's text and its goals; objectives are added and removed on the programme."""

    form = ObjectiveAdminForm
    inlines = [GoalInline]
    readonly_fields = ["programme", "order"]
    search_fields = ["title", "programme__title", "programme__partner__name"]

    def get_fields(self, request, obj=None):
        return ["programme", "order", "title", "description", *self.stamp_fields(obj)]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme__partner")

    def save_model(self, request, obj, form, change):
        with refused_as_form_error():
            workflow.update_objective(
                actor=request.user,
                objective=obj,
                seen_stamp=form.cleaned_data.get("seen_stamp"),
                title=obj.title,
                description=obj.description,
            )


class PlannedActivityAdminForm(StampedForm):
    class Meta:
        model = PlannedActivity
        fields = ["year", "goal", "priority", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "goal" in self.fields and self.instance.pk:
            programme = self.instance.programme
            self.fields["goal"].queryset = Goal.objects.filter(objective__programme=programme)
            self.fields["goal"].choices = goal_choices(programme)


@admin.register(PlannedActivity)
class PlannedActivityAdmin(ProgrammeContentsAdmin):
    """One planned activity's year, goal, priority and notes (added and removed on the
    programme's page)."""

    form = PlannedActivityAdminForm
    readonly_fields = ["programme", "activity"]
    search_fields = ["activity__code", "programme__title", "programme__partner__name"]

    def get_fields(self, request, obj=None):
        fields = ["programme", "activity", "year", "goal", "priority", "notes"]
        return [*fields, *self.stamp_fields(obj)]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme__partner", "activity")

    def save_model(self, request, obj, form, change):
        with refused_as_form_error():
            workflow.update_planned_activity(
                actor=request.user,
                planned=obj,
                seen_stamp=form.cleaned_data.get("seen_stamp"),
                year=obj.year,
                goal=obj.goal,
                priority=obj.priority,
                notes=obj.notes,
            )
