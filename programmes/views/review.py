"""Review pages: the queue of submitted programmes, approve, return, record the partner's
agreement, close, and the comparison of two versions.

Views validate input, call ``programmes.workflow`` and turn its exceptions into messages, form
errors or a 403 page; whether a step is allowed is always the workflow's (and
``pfp.permissions``') answer, never the view's.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from pfp.views import ForgivingPaginationMixin, PermissionMixin
from programmes import dashboard, workflow
from programmes.comparison import compare_versions
from programmes.forms.review import (
    AcceptForm,
    AgreementForm,
    ApproveForm,
    CloseForm,
    CompareForm,
    DeclineForm,
    ReturnForm,
    ShareForm,
)
from programmes.models import Goal, Objective, PlannedActivity, Programme
from programmes.permissions import can_review, can_view_programmes, visible_programmes
from programmes.views.drafting import linked_conflicts

QUEUE_PAGE_SIZE = 25


class ReviewQueueView(PermissionMixin, ForgivingPaginationMixin, ListView):
    """Submitted programmes, the oldest submission first, saying which the user may approve."""

    permission_rule = can_review
    paginate_by = QUEUE_PAGE_SIZE
    template_name = "programmes/review_queue.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return (
            visible_programmes(self.request.user)
            .awaiting_approval()
            .for_lists()
            .order_by("submitted_at", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = [programme.pk for programme in context["page_obj"].object_list]
        # One query for the page, not one per row (the rule is the dashboard's, as a query).
        approvable = set(
            dashboard.awaiting_approval_by(self.request.user)
            .filter(pk__in=shown)
            .values_list("pk", flat=True)
        )
        for programme in context["page_obj"].object_list:
            programme.may_approve = programme.pk in approvable
        return context


def _add_errors(form, error: ValidationError) -> None:
    """Put the workflow's ``ValidationError`` on the form's fields when it names them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(request, error: workflow.NotPermitted):
    """The 403 page, saying why (the generic one cannot)."""
    return render(request, "programmes/review_refused.html", {"reason": error.message}, status=403)


class ReviewStepView(PermissionMixin, FormView):
    """One review step on one programme: GET shows the form, POST takes the step.

    ``action`` is a ``workflow.Action``; ``take_step(form)`` calls the workflow function.
    """

    permission_rule = can_review
    action = None
    success_message = ""

    def get_programme(self) -> Programme:
        programmes = visible_programmes(self.request.user).select_related(
            "partner", "created_by", "submitted_by", "approved_by", "revises"
        )
        return get_object_or_404(programmes, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except workflow.NotPermitted as error:
            return refused(request, error)
        except workflow.WrongStatus as error:
            # Someone was faster, or the programme moved on since the link was followed.
            messages.warning(request, error.message)
            return redirect(self.programme)

    def get(self, request, *args, **kwargs):
        self.programme = self.get_programme()
        workflow.check(request.user, self.action, self.programme)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.programme = self.get_programme()
        # Checked before the form too, so that a step no longer possible is said so even when
        # the input is wrong; the workflow checks again under its lock.
        workflow.check(request.user, self.action, self.programme)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def form_valid(self, form):
        try:
            self.take_step(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        except (workflow.NotPermitted, workflow.WrongStatus):
            raise
        except workflow.PeriodTaken as error:
            form.add_error(NON_FIELD_ERRORS, [error.message, *linked_conflicts(error)])
            return self.form_invalid(form)
        except workflow.WorkflowError as error:
            form.add_error(NON_FIELD_ERRORS, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"programme": self.programme})
        return redirect(self.programme)

    def take_step(self, form) -> None:
        raise NotImplementedError


class ProgrammeApproveView(ReviewStepView):
    action = workflow.Action.APPROVE
    form_class = ApproveForm
    template_name = "programmes/review_approve.html"
    success_message = gettext_lazy(
        "%(programme)s is approved. Record the partner's agreement when it is given."
    )

    def get_context_data(self, **kwargs):
        programme = self.programme
        counts = {
            "objectives": Objective.objects.filter(programme=programme).count(),
            "goals": Goal.objects.filter(objective__programme=programme).count(),
        }
        by_year = dict(
            PlannedActivity.objects.filter(programme=programme)
            .order_by()
            .values_list("year")
            .annotate(count=Count("pk"))
        )
        planned_by_year = [
            (calendar_year, by_year.get(year, 0))
            for year, calendar_year in enumerate(programme.years, start=1)
        ]
        return super().get_context_data(
            counts=counts,
            planned_by_year=planned_by_year,
            planned_total=sum(by_year.values()),
            blocking=workflow.missing_for_approval(programme),
            **kwargs,
        )

    def get_initial(self):
        return {"seen_stamp": self.programme.edit_stamp}

    def take_step(self, form):
        self.programme = workflow.approve(
            actor=self.request.user,
            programme=self.programme,
            seen_stamp=form.cleaned_data.get("seen_stamp"),
        )


class ProgrammeReturnView(ReviewStepView):
    action = workflow.Action.RETURN
    form_class = ReturnForm
    template_name = "programmes/review_return.html"

    success_message = gettext_lazy("%(programme)s is returned to its drafters with your comment.")

    def take_step(self, form):
        self.programme = workflow.return_programme(
            actor=self.request.user,
            programme=self.programme,
            comment=form.cleaned_data["comment"],
            shared=form.cleaned_data.get("shared", False),
        )


class ProgrammeShareView(ReviewStepView):
    """An officer shows a draft to the partner's representatives before submitting it."""

    permission_rule = can_view_programmes
    action = workflow.Action.SHARE
    form_class = ShareForm
    template_name = "programmes/review_share.html"
    success_message = gettext_lazy(
        "%(programme)s is shared with the partner's representatives: they read it and comment."
    )

    def take_step(self, form):
        self.programme = workflow.share(actor=self.request.user, programme=self.programme)


class ProgrammeAcceptView(ReviewStepView):
    """A representative accepts, for the partner, the version NATO approved."""

    permission_rule = can_view_programmes
    action = workflow.Action.ACCEPT
    form_class = AcceptForm
    template_name = "programmes/review_accept.html"
    success_message = gettext_lazy(
        "You accepted %(programme)s for the partner: with NATO's approval, it is in force."
    )

    def get_initial(self):
        return {"seen_stamp": self.programme.edit_stamp}

    def take_step(self, form):
        self.programme = workflow.accept(
            actor=self.request.user,
            programme=self.programme,
            seen_stamp=form.cleaned_data.get("seen_stamp"),
        )


class ProgrammeDeclineView(ReviewStepView):
    """A representative declines the version NATO approved, saying why."""

    permission_rule = can_view_programmes
    action = workflow.Action.DECLINE
    form_class = DeclineForm
    template_name = "programmes/review_decline.html"
    success_message = gettext_lazy(
        "You declined %(programme)s: NATO's officers read your comment and revise it."
    )

    def get_initial(self):
        return {"seen_stamp": self.programme.edit_stamp}

    def take_step(self, form):
        self.programme = workflow.decline(
            actor=self.request.user,
            programme=self.programme,
            comment=form.cleaned_data["comment"],
            seen_stamp=form.cleaned_data.get("seen_stamp"),
        )


class ProgrammeAgreementView(ReviewStepView):
    action = workflow.Action.RECORD_AGREEMENT
    form_class = AgreementForm
    template_name = "programmes/review_agreement.html"

    success_message = gettext_lazy(
        "The partner's agreement to %(programme)s is recorded: it is now agreed."
    )

    def take_step(self, form):
        self.programme = workflow.record_agreement(
            actor=self.request.user,
            programme=self.programme,
            agreed_on=form.cleaned_data["agreed_on"],
            signatory=form.cleaned_data["signatory"],
        )


class ProgrammeCloseView(ReviewStepView):
    action = workflow.Action.CLOSE
    form_class = CloseForm
    template_name = "programmes/review_close.html"

    success_message = gettext_lazy("%(programme)s is closed.")

    def take_step(self, form):
        self.programme = workflow.close(
            actor=self.request.user, programme=self.programme, reason=form.cleaned_data["reason"]
        )


class ProgrammeCompareView(PermissionMixin, DetailView):
    """Two versions of one programme side by side: ``?old=<pk>&new=<pk>``, by default the
    version this one revises against this one."""

    permission_rule = can_view_programmes
    template_name = "programmes/programme_compare.html"
    context_object_name = "programme"

    def get_object(self, queryset=None):
        programmes = visible_programmes(self.request.user).select_related("partner")
        return get_object_or_404(programmes, pk=self.kwargs["pk"])

    def default_pair(self, versions: list[Programme]):
        """The version this one revises and this one; for a first version, it and the next."""
        programme = self.object
        revised = [version for version in versions if version.pk == programme.revises_id]
        if revised:
            return revised[0], programme
        newer = [version for version in versions if version.version > programme.version]
        if newer:
            return programme, newer[0]  # versions come in order
        return None

    def get_context_data(self, **kwargs):
        programme = self.object
        versions = list(
            visible_programmes(self.request.user)
            .filter(lineage=programme.lineage)
            .order_by("version")
        )
        pair = self.default_pair(versions)
        if {"old", "new"} & set(self.request.GET):
            form = CompareForm(self.request.GET, versions=versions)
            pair = form.chosen() if form.is_valid() else None
        else:
            initial = {"old": pair[0].pk, "new": pair[1].pk} if pair else {}
            form = CompareForm(initial=initial, versions=versions)
        return super().get_context_data(
            versions=versions,
            form=form,
            comparison=compare_versions(*pair) if pair else None,
            **kwargs,
        )
