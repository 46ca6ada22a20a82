"""Drafting pages: the programme list, a new programme, the programme page, editing a draft's
overview, objectives, goals and planned activities, the activity picker, comments, and the
submit, withdraw and revise steps.

Views validate input with a form, call ``programmes.workflow`` and redirect; they hold no rule of
their own: ``workflow.check`` and ``workflow.available_actions`` say what the user may do, and the
workflow's exceptions become messages or form errors (``NotPermitted`` is left to answer 403).
Reads go through ``programmes.queries``. The review steps are in ``programmes.views.review``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from pfp.permissions import is_approver
from pfp.views import ForgivingPaginationMixin, PermissionMixin
from programmes import queries, workflow
from programmes.delivery import queries as delivery_queries
from programmes.filters import PickerFilter, ProgrammeFilter
from programmes.forms.drafting import (
    BulkPickForm,
    CommentForm,
    ConfirmForm,
    GoalEditForm,
    MoveForm,
    OrderedItemEditForm,
    OrderedItemForm,
    PickForm,
    PlannedActivityForm,
    ProgrammeCreateForm,
    ProgrammeForm,
    SuccessorForm,
    goal_choices,
    programme_goals,
    suggested_title,
)
from programmes.menu.models import Activity
from programmes.models import (
    Comment,
    Goal,
    Objective,
    OrderedItem,
    PlannedActivity,
    Priority,
    Programme,
)
from programmes.permissions import (
    can_attach,
    can_draft_any,
    can_view_programmes,
    comment_audience_chosen,
    draftable_partners,
    visible_programmes,
)
from programmes.workflow import (
    Action,
    EditConflict,
    Incomplete,
    NotPermitted,
    PeriodTaken,
    WorkflowError,
)

PICKER_PAGE_SIZE = 25

# Returned by ``attempt`` when the workflow refused (the refusal is on the form or in messages).
REFUSED = object()


def add_errors(form, error: ValidationError) -> None:
    """Put a model validation error on the form's fields where it has them, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def anchor(item: OrderedItem) -> str:
    """Where the programme page shows an objective or a goal: ``#objective-12``, ``#goal-34``."""
    return f"#{item._meta.model_name}-{item.pk}"


def linked_conflicts(error: PeriodTaken) -> list[str]:
    """The workflow's sentence about each version whose years are taken, with a link to it."""
    return [
        format_html(
            '{} <a href="{}">{}</a>',
            problem,
            other.get_absolute_url(),
            _("Open version %(version)s of %(period)s")
            % {"version": other.version, "period": other.period},
        )
        for problem, other in zip(error.problems, error.conflicts, strict=True)
    ]


def error_messages(request, error: Exception) -> None:
    """A workflow or validation refusal, as error messages."""
    if isinstance(error, WorkflowError):
        messages.error(request, error.message)
        for problem in error.problems:
            messages.error(request, problem)
    else:
        for message in error.messages:
            messages.error(request, message)


# --- The list, a new programme, the programme page --------------------------------------------


class ProgrammeListView(PermissionMixin, ForgivingPaginationMixin, FilterView):
    permission_rule = can_view_programmes
    filterset_class = ProgrammeFilter
    paginate_by = settings.PAGINATE_BY
    # A filter that is not understood is ignored (and the page says so), not an empty list.
    strict = False
    template_name = "programmes/programme_list.html"

    def get_queryset(self):
        return queries.programmes_for_list(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_draft=can_draft_any(self.request.user), **kwargs)


class ProgrammeCreateView(PermissionMixin, FormView):
    permission_rule = can_draft_any
    form_class = ProgrammeCreateForm
    template_name = "programmes/programme_form.html"

    def get_initial(self):
        return {"partner": self.request.GET.get("partner", "")[:2].upper()}

    def get_form_kwargs(self):
        partners = draftable_partners(self.request.user).order_by("name")
        return {**super().get_form_kwargs(), "partners": partners}

    def form_valid(self, form):
        try:
            programme = workflow.create_programme(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        except PeriodTaken as error:
            form.add_error("start_year", linked_conflicts(error))
            return self.form_invalid(form)
        except NotPermitted:
            raise
        except WorkflowError as error:
            form.add_error(None, [error.message, *error.problems])
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Programme created as a draft: add its strategic objectives and goals next."),
        )
        return redirect(programme)


class ProgrammeDetailView(PermissionMixin, TemplateView):
    """The programme at a glance: a header that says who holds it and what comes next, then its
    sections (a table of contents links them), long lists folded behind their count."""

    permission_rule = can_view_programmes
    template_name = "programmes/programme_detail.html"

    @staticmethod
    def year_by_area(years: list[queries.YearPlan]) -> dict:
        """How many activities each area of cooperation has in each year (from the rows already
        read: no query), the areas in the menu's order."""
        rows: dict = {}
        for index, plan in enumerate(years):
            for planned in plan.activities:
                area = planned.activity.area
                rows.setdefault(area, [0] * len(years))[index] += 1
        ordered = sorted(rows.items(), key=lambda item: (item[0].order, item[0].name_en))
        return {
            "rows": [
                {"area": area, "counts": counts, "total": sum(counts)} for area, counts in ordered
            ],
            "totals": [len(plan.activities) for plan in years],
        }

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = queries.programme_for_page(user, self.kwargs["pk"])
        actions = workflow.available_actions(user, programme)
        years = queries.planned_by_year(programme)
        return super().get_context_data(
            programme=programme,
            actions=actions,
            can_edit=Action.EDIT in actions,
            # Asked only of those who may revise (a drafter, on an agreed version): one query.
            can_draft_successor=(
                Action.REVISE in actions and workflow.successor_of(programme) is None
            ),
            can_attach=can_attach(user, programme),
            objectives=queries.objectives_with_goals(programme),
            years=years,
            planned_count=sum(len(plan.activities) for plan in years),
            matrix=self.year_by_area(years),
            timeline=queries.programme_timeline(programme),
            delivery=delivery_queries.delivery_section(user, programme),
            missing=(
                workflow.missing_for_submission(programme) if Action.SUBMIT in actions else None
            ),
            comment_form=(
                CommentForm(
                    review_remarks=is_approver(user),
                    audience=comment_audience_chosen(user, programme),
                )
                if Action.COMMENT in actions
                else None
            ),
            **kwargs,
        )


# --- Steps on one programme -------------------------------------------------------------------


class _ProgrammeStep:
    """Loads the visible programme ``pk`` (404 otherwise) and checks that the user may take
    ``action`` on it now: 403 when not permitted, a message and the programme page when its
    status does not allow it. Then ``load()`` fetches the item the page is about."""

    action = Action.EDIT

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        programmes = visible_programmes(request.user).select_related("partner")
        self.programme = get_object_or_404(programmes, pk=kwargs["pk"])
        try:
            workflow.check(request.user, self.action, self.programme)
        except NotPermitted:
            raise
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(self.programme)
        self.load()
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> None:
        """Fetch the objective, goal or planned activity of the URL (404 if not in the programme)."""

    def get_objective(self) -> Objective:
        return get_object_or_404(
            Objective.objects.filter(programme=self.programme), pk=self.kwargs["objective_pk"]
        )

    def get_goal(self) -> Goal:
        goals = Goal.objects.select_related("objective").filter(objective__programme=self.programme)
        return get_object_or_404(goals, pk=self.kwargs["goal_pk"])

    def get_planned(self) -> PlannedActivity:
        planned = PlannedActivity.objects.select_related("activity", "goal").filter(
            programme=self.programme
        )
        return get_object_or_404(planned, pk=self.kwargs["planned_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class ProgrammeStepMixin(PermissionMixin, _ProgrammeStep):
    permission_rule = can_view_programmes


class ProgrammeFormView(ProgrammeStepMixin, FormView):
    """A page that edits part of a draft through a form.

    Edit forms carry ``seen_stamp``. A refusal becomes a form error; an edit conflict re-renders
    the user's input with the conflict message (status 409) and the current stamp, so that
    saving again, once the user has looked, goes through.
    """

    conflict = False

    def get_initial(self):
        return {"seen_stamp": self.programme.edit_stamp}

    def attempt(self, form, function, **kwargs):
        """Call ``function`` of the workflow as the user; its result, or REFUSED."""
        try:
            return function(actor=self.request.user, **kwargs)
        except NotPermitted:
            raise
        except EditConflict as error:
            self.conflict = True
            form.add_error(None, error.message)
            data = form.data.copy()
            data["seen_stamp"] = Programme.objects.values_list("edit_stamp", flat=True).get(
                pk=self.programme.pk
            )
            form.data = data
        except PeriodTaken as error:
            field = "start_year" if "start_year" in form.fields else None
            form.add_error(field, linked_conflicts(error))
        except WorkflowError as error:
            form.add_error(None, [error.message, *error.problems])
        except ValidationError as error:
            add_errors(form, error)
        return REFUSED

    def form_invalid(self, form):
        if "seen_stamp" in form.errors:
            form.add_error(
                None, _("The form was not understood: open it again from the programme.")
            )
        response = super().form_invalid(form)
        if self.conflict:
            response.status_code = 409
        return response

    def get_success_url(self):
        return self.programme.get_absolute_url()


class ProgrammeUpdateView(ProgrammeFormView):
    form_class = ProgrammeForm
    template_name = "programmes/programme_form.html"

    def get_initial(self):
        programme = self.programme
        return {
            **super().get_initial(),
            "title": programme.title,
            "summary": programme.summary,
            "start_year": programme.start_year,
        }

    def form_valid(self, form):
        result = self.attempt(
            form, workflow.update_programme, programme=self.programme, **form.cleaned_data
        )
        if result is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("Overview saved."))
        return redirect(self.get_success_url())


class _OrderedItemFormView(ProgrammeFormView):
    """Adds or edits a strategic objective or a partnership goal (``item``, when editing):
    a subclass's ``save_item(**data)`` calls the workflow's step, then the programme page shows
    the item, with ``success_message``."""

    item = None
    success_message = ""

    def get_initial(self):
        initial = super().get_initial()
        if self.item is not None:
            initial.update(title=self.item.title, description=self.item.description)
        return initial

    def form_valid(self, form):
        item = self.attempt(form, self.save_item, **form.cleaned_data)
        if item is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"title": item.title})
        return redirect(f"{self.get_success_url()}{anchor(item)}")


class ObjectiveCreateView(_OrderedItemFormView):
    form_class = OrderedItemForm
    template_name = "programmes/objective_form.html"
    success_message = gettext_lazy("Objective “%(title)s” added: now add its partnership goals.")

    def save_item(self, **data):
        return workflow.add_objective(programme=self.programme, **data)


class ObjectiveUpdateView(_OrderedItemFormView):
    form_class = OrderedItemEditForm
    template_name = "programmes/objective_form.html"
    success_message = gettext_lazy("Objective “%(title)s” saved.")

    def load(self):
        self.item = self.objective = self.get_objective()

    def get_context_data(self, **kwargs):
        return super().get_context_data(objective=self.objective, **kwargs)

    def save_item(self, **data):
        return workflow.update_objective(objective=self.objective, **data)


class GoalCreateView(_OrderedItemFormView):
    form_class = OrderedItemForm
    template_name = "programmes/goal_form.html"
    success_message = gettext_lazy("Goal “%(title)s” added: plan activities for it from the menu.")

    def load(self):
        self.objective = self.get_objective()

    def get_context_data(self, **kwargs):
        return super().get_context_data(objective=self.objective, **kwargs)

    def save_item(self, **data):
        return workflow.add_goal(objective=self.objective, **data)


class GoalUpdateView(_OrderedItemFormView):
    form_class = GoalEditForm
    template_name = "programmes/goal_form.html"
    success_message = gettext_lazy("Goal “%(title)s” saved.")

    def load(self):
        self.item = self.goal = self.get_goal()

    def get_initial(self):
        return {**super().get_initial(), "objective": self.goal.objective_id}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, objective=self.goal.objective, **kwargs)

    def save_item(self, **data):
        return workflow.update_goal(goal=self.goal, **data)


class PlannedActivityUpdateView(ProgrammeFormView):
    form_class = PlannedActivityForm
    template_name = "programmes/planned_form.html"

    def load(self):
        self.planned = self.get_planned()
        self.planned.programme = self.programme

    def get_initial(self):
        return {
            **super().get_initial(),
            "year": self.planned.calendar_year,
            "goal": self.planned.goal_id,
            "priority": self.planned.priority,
            "notes": self.planned.notes,
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "programme": self.programme,
            "goals": programme_goals(self.programme),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(planned=self.planned, **kwargs)

    def form_valid(self, form):
        planned = self.attempt(
            form, workflow.update_planned_activity, planned=self.planned, **form.cleaned_data
        )
        if planned is REFUSED:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(code)s saved, planned in %(year)s.")
            % {"code": planned.activity.code, "year": planned.calendar_year},
        )
        return redirect(f"{self.get_success_url()}#year-{planned.year}")


# --- Steps confirmed by a button: delete, move, remove, comment, submit, withdraw, revise -------


class ProgrammePostView(ProgrammeStepMixin, View):
    """A step taken by one POST: the workflow's refusals become messages, then a redirect."""

    http_method_names = ["post"]

    def run(self, function, **kwargs) -> object:
        """Call ``function`` of the workflow as the user; its result, or REFUSED."""
        try:
            return function(actor=self.request.user, **kwargs)
        except NotPermitted:
            raise
        except (WorkflowError, ValidationError) as error:
            error_messages(self.request, error)
        return REFUSED

    def back(self, anchor: str = ""):
        return redirect(f"{self.programme.get_absolute_url()}{anchor}")


class ConfirmView(ProgrammePostView):
    """A step with a confirmation page (GET) and a button that takes it (POST)."""

    http_method_names = ["get", "post"]
    template_name = "programmes/programme_confirm.html"

    def get(self, request, *args, **kwargs):
        return self.render(self.confirmation())

    def render(self, context, status=200):
        context = {
            "programme": self.programme,
            "seen_stamp": self.programme.edit_stamp,
            "cancel_url": self.programme.get_absolute_url(),
            **context,
        }
        return render(self.request, self.template_name, context, status=status)

    def confirmation(self) -> dict:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form was not understood: nothing was changed."))
            return self.back()
        return self.confirmed(form.cleaned_data["seen_stamp"])

    def confirmed(self, seen_stamp):
        raise NotImplementedError


class _OrderedItemDeleteView(ConfirmView):
    """Deletes a strategic objective or a partnership goal (``item``, set by ``load``) once
    confirmed. A subclass's ``delete_item(**kwargs)`` calls the workflow's step and
    ``back_after()`` says where the programme page shows the place the item had; the texts name
    the item with ``%(title)s``."""

    heading = question = button = success_message = ""

    def confirmation(self):
        return {
            "heading": self.heading % {"title": self.item.title},
            "question": self.question,
            "button": self.button,
            "danger": True,
        }

    def confirmed(self, seen_stamp):
        if self.run(self.delete_item, seen_stamp=seen_stamp) is not REFUSED:
            messages.success(self.request, self.success_message % {"title": self.item.title})
        return self.back(self.back_after())


class ObjectiveDeleteView(_OrderedItemDeleteView):
    heading = gettext_lazy("Delete the objective “%(title)s”?")
    question = gettext_lazy("Its partnership goals are deleted with it.")
    button = gettext_lazy("Delete the objective")
    success_message = gettext_lazy("Objective “%(title)s” deleted.")

    def load(self):
        self.item = self.get_objective()

    def delete_item(self, **kwargs):
        return workflow.delete_objective(objective=self.item, **kwargs)

    def back_after(self):
        return "#objectives"


class GoalDeleteView(_OrderedItemDeleteView):
    heading = gettext_lazy("Delete the goal “%(title)s”?")
    question = gettext_lazy("A goal with planned activities cannot be deleted.")
    button = gettext_lazy("Delete the goal")
    success_message = gettext_lazy("Goal “%(title)s” deleted.")

    def load(self):
        self.item = self.get_goal()

    def delete_item(self, **kwargs):
        return workflow.delete_goal(goal=self.item, **kwargs)

    def back_after(self):
        return f"#objective-{self.item.objective_id}"


class _OrderedItemMoveView(ProgrammePostView):
    """Moves a strategic objective or a partnership goal (``item``, set by ``load``) one place
    up or down: a subclass's ``move_item(**kwargs)`` calls the workflow's step."""

    def post(self, request, *args, **kwargs):
        form = MoveForm(request.POST)
        if form.is_valid():
            self.run(self.move_item, direction=form.step)
        else:
            messages.error(request, _("Say whether to move it up or down."))
        return self.back(anchor(self.item))


class ObjectiveMoveView(_OrderedItemMoveView):
    def load(self):
        self.item = self.get_objective()

    def move_item(self, **kwargs):
        return workflow.move_objective(objective=self.item, **kwargs)


class GoalMoveView(_OrderedItemMoveView):
    def load(self):
        self.item = self.get_goal()

    def move_item(self, **kwargs):
        return workflow.move_goal(goal=self.item, **kwargs)


class PlannedActivityRemoveView(ProgrammePostView):
    def load(self):
        self.planned = self.get_planned()
        self.planned.programme = self.programme

    def post(self, request, *args, **kwargs):
        result = self.run(workflow.remove_planned_activity, planned=self.planned)
        if result is not REFUSED:
            messages.success(
                request,
                _("%(code)s removed from %(year)s.")
                % {"code": self.planned.activity.code, "year": self.planned.calendar_year},
            )
        return self.back(f"#year-{self.planned.year}")


class CommentCreateView(ProgrammePostView):
    action = Action.COMMENT

    def post(self, request, *args, **kwargs):
        form = CommentForm(
            request.POST,
            review_remarks=is_approver(request.user),
            audience=comment_audience_chosen(request.user, self.programme),
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.back("#comments")
        result = self.run(
            workflow.add_comment,
            programme=self.programme,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data.get("kind", Comment.Kind.NOTE),
            shared=form.cleaned_data.get("shared", False),
            token=form.cleaned_data.get("token"),
        )
        if result is not REFUSED:
            messages.success(
                request,
                _("Comment added, shared with the partner.")
                if result.is_shared
                else _("Comment added, for NATO staff only."),
            )
        return self.back("#comments")


class ProgrammeSubmitView(ConfirmView):
    """GET: what is missing, or a confirmation; POST: submit (problems listed if incomplete)."""

    action = Action.SUBMIT

    def confirmation(self, problems=None):
        problems = workflow.missing_for_submission(self.programme) if problems is None else problems
        return {
            "heading": _("Submit “%(title)s” for approval?") % {"title": self.programme.title},
            "question": _(
                "Once submitted, the programme cannot be changed unless an approver returns it."
            ),
            "problems": problems,
            "problems_heading": _("The programme cannot be submitted yet:"),
            "button": _("Submit for approval"),
        }

    def confirmed(self, seen_stamp):
        try:
            workflow.submit(
                actor=self.request.user, programme=self.programme, seen_stamp=seen_stamp
            )
        except Incomplete as error:
            return self.render(self.confirmation(problems=error.problems))
        except NotPermitted:
            raise
        except WorkflowError as error:
            messages.error(self.request, error.message)
            return self.back()
        messages.success(self.request, _("Submitted for approval: approvers have been told."))
        return self.back()


class ProgrammeWithdrawView(ConfirmView):
    action = Action.WITHDRAW

    def confirmation(self):
        return {
            "heading": _("Withdraw “%(title)s”?") % {"title": self.programme.title},
            "question": _(
                "A withdrawn version stays on record, read-only, and cannot be submitted again."
            ),
            "button": _("Withdraw the programme"),
            "danger": True,
        }

    def confirmed(self, seen_stamp):
        if self.run(workflow.withdraw, programme=self.programme) is not REFUSED:
            messages.success(self.request, _("The programme was withdrawn."))
        return self.back()


class ProgrammeReviseView(ProgrammePostView):
    action = Action.REVISE

    def post(self, request, *args, **kwargs):
        revision = self.run(workflow.revise, programme=self.programme)
        if revision is REFUSED:
            return self.back()
        messages.success(
            request,
            _("Version %(version)s drafted from version %(previous)s: change it, then submit it.")
            % {"version": revision.version, "previous": self.programme.version},
        )
        return redirect(revision)


# --- The activity picker ----------------------------------------------------------------------


class ActivityPickerView(ProgrammeStepMixin, ForgivingPaginationMixin, FilterView):
    """Search the menu and add activities to the draft: one row's "Add" at a time, or the
    ticked rows at once in one or more years (``BulkPickForm``), skipping what is already
    planned that year or retired, and saying so.

    The search and filters stay in the query string: adding redirects back to the same page of
    results, with the year and goal just used (``y``, ``g``) chosen again in every row.
    """

    filterset_class = PickerFilter
    paginate_by = PICKER_PAGE_SIZE
    strict = False
    template_name = "programmes/activity_picker.html"

    def load(self):
        self.goals = list(programme_goals(self.programme))

    def get_queryset(self):
        return Activity.objects.active().for_pages().order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = list(page.object_list)
        planned_years = queries.planned_years_by_activity(self.programme)
        for activity in page.object_list:
            activity.planned_years = planned_years.get(activity.pk, [])
        context.update(
            goals=self.goals,
            goal_groups=goal_choices(self.goals),
            years=self.programme.years,
            priorities=Priority.choices,
            default_priority=Priority.MEDIUM,
            chosen_year=self._chosen("y", self.programme.years),
            chosen_goal=self._chosen("g", [goal.pk for goal in self.goals]),
        )
        return context

    def _chosen(self, key: str, allowed: list[int]) -> int | None:
        try:
            value = int(self.request.GET.get(key, ""))
        except ValueError:
            return None
        return value if value in allowed else None

    def post(self, request, *args, **kwargs):
        if request.POST.get("bulk"):
            return self.post_bulk(request)
        form = PickForm(request.POST, programme=self.programme, goals=self.goals)
        back = request.GET.copy()
        if not form.is_valid():
            messages.error(
                request, _("Choose a year and a goal for the activity; nothing was added.")
            )
            return self._back(back)
        data = form.cleaned_data
        try:
            planned = workflow.plan_activity(
                actor=request.user,
                programme=self.programme,
                activity=data["activity"],
                year=data["year"],
                goal=data["goal"],
                priority=data["priority"],
            )
        except NotPermitted:
            raise
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
            return self._back(back)
        planned.programme = self.programme
        messages.success(
            request,
            _("%(code)s planned in %(year)s for “%(goal)s”.")
            % {"code": planned.activity.code, "year": planned.calendar_year, "goal": data["goal"]},
        )
        back["y"] = str(planned.calendar_year)
        back["g"] = str(data["goal"].pk)
        return self._back(back)

    def post_bulk(self, request):
        form = BulkPickForm(request.POST, programme=self.programme, goals=self.goals)
        back = request.GET.copy()
        if not form.is_valid():
            messages.error(request, _("Nothing was added:"))
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self._back(back)
        data = form.cleaned_data
        plans = [
            workflow.ActivityPlan(activity=activity, year=year, priority=data["priority"])
            for activity, year in form.plans()
        ]
        try:
            result = workflow.plan_activities(
                actor=request.user,
                programme=self.programme,
                goal=data["goal"],
                plans=plans,
                skip_unavailable=True,
            )
        except NotPermitted:
            raise
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
            return self._back(back)
        self._report_planning(result, data["goal"])
        back["g"] = str(data["goal"].pk)
        return self._back(back)

    def _report_planning(self, result: workflow.Planning, goal: Goal) -> None:
        """What the bulk planning added and, by reason, what it skipped."""
        start = self.programme.start_year

        def listed(pairs) -> str:
            return ", ".join(f"{code} ({start + year - 1})" for code, year in pairs)

        if result.added:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s activity planned for “%(goal)s”: %(list)s.",
                    "%(count)s activities planned for “%(goal)s”: %(list)s.",
                    len(result.added),
                )
                % {
                    "count": len(result.added),
                    "goal": goal,
                    "list": listed((p.activity.code, p.year) for p in result.added),
                },
            )
        else:
            messages.warning(self.request, _("Nothing was added."))
        for reason in workflow.SkipReason:
            skipped = [s.plan for s in result.skipped if s.reason == reason]
            if skipped:
                messages.warning(
                    self.request,
                    _("Skipped, %(reason)s: %(list)s.")
                    % {
                        "reason": reason.label,
                        "list": listed((plan.activity.code, plan.year) for plan in skipped),
                    },
                )

    # What the way back keeps of the query string: the search, the filters, the page and the
    # year and goal just used, each cut to a sane length, so that the redirect stays a valid URL
    # whatever was typed (a step already taken is never answered with an error).
    KEPT_PARAMETERS = (*PickerFilter.base_filters, "page", "y", "g")
    KEPT_LENGTH = 200

    def _back(self, query: QueryDict):
        kept = QueryDict(mutable=True)
        for key in self.KEPT_PARAMETERS:
            for value in query.getlist(key)[:10]:
                kept.appendlist(key, value[: self.KEPT_LENGTH])
        suffix = f"?{kept.urlencode()}" if kept else ""
        return redirect(f"{self.request.path}{suffix}")


# --- The next programme -----------------------------------------------------------------------


class _SuccessorStep(View):
    """Loads the visible programme ``pk`` (404 otherwise), then ``workflow.check_successor``:
    403 when the user may not draft for its partner, a message and the programme page when it
    is not agreed or already has a successor."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in ("get", "post"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        programmes = visible_programmes(request.user).select_related("partner")
        self.programme = get_object_or_404(programmes, pk=kwargs["pk"])
        try:
            workflow.check_successor(request.user, self.programme)
        except NotPermitted:
            raise
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(self.programme)
        return super().dispatch(request, *args, **kwargs)


class ProgrammeSuccessorView(PermissionMixin, _SuccessorStep):
    """Draft the successor of an agreed programme: a confirmation page that says what will be
    copied (GET), then ``workflow.draft_successor`` (POST) and the new draft's page, with the
    activities left out because they are retired listed in a message."""

    permission_rule = can_view_programmes
    template_name = "programmes/successor_confirm.html"

    @property
    def start_year(self) -> int:
        return self.programme.end_year + 1

    def get(self, request, *args, **kwargs):
        programme = self.programme
        return render(
            request,
            self.template_name,
            {
                "programme": programme,
                "form": SuccessorForm(),
                "title": suggested_title(programme.partner, self.start_year),
                "period": f"{self.start_year}–{self.start_year + len(programme.years) - 1}",  # noqa: RUF001
                "objective_count": programme.objectives.count(),
                "goal_count": Goal.objects.filter(objective__programme=programme).count(),
                "planned_count": programme.planned_activities.count(),
                "retired": workflow.retired_planned(programme),
            },
        )

    def post(self, request, *args, **kwargs):
        form = SuccessorForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form was not understood: nothing was changed."))
            return redirect(self.programme)
        try:
            successor, skipped = workflow.draft_successor(
                actor=request.user,
                programme=self.programme,
                title=suggested_title(self.programme.partner, self.start_year),
                **form.cleaned_data,
            )
        except NotPermitted:
            raise
        except PeriodTaken as error:
            messages.error(request, error.message)
            for problem in linked_conflicts(error):
                messages.error(request, problem)
            return redirect(self.programme)
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
            return redirect(self.programme)
        messages.success(
            request,
            _(
                "Successor drafted for %(period)s from “%(previous)s”: check its objectives, "
                "goals and activities, then submit it."
            )
            % {"period": successor.period, "previous": self.programme.title},
        )
        if skipped:
            messages.warning(
                request,
                _("Not copied, retired from the menu: %(list)s.")
                % {
                    "list": ", ".join(
                        f"{planned.activity.code} ({successor.start_year + planned.year - 1})"
                        for planned in skipped
                    )
                },
            )
        return redirect(successor)
