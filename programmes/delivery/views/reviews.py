"""Annual review pages: starting the review of a programme year, the review's page (with that
year's planned and delivered figures beside it), writing it, submitting it, and an approver
acknowledging it or returning it with a comment.

As the event pages: forms check the input's shape, ``programmes.delivery.actions`` decides, and
its refusals become form errors, messages, or the 403 page that says why. The four-eyes refusal
(an approver who wrote the review) is a message on the review's page, where the approver sees
who else may acknowledge it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pfp.permissions import is_approver
from pfp.views import PermissionMixin
from programmes.delivery import actions, queries
from programmes.delivery.forms import ReturnReviewForm, ReviewForm, ReviewStartForm
from programmes.delivery.models import AnnualReview, ReviewStatus
from programmes.delivery.permissions import can_acknowledge, can_record_for, visible_reviews
from programmes.delivery.views.common import (
    RecordingOnProgramme,
    add_errors,
    error_messages,
    not_in_force_message,
    refused,
)
from programmes.models import ProgrammeStatus
from programmes.permissions import can_view_programmes
from programmes.workflow import EditConflict, NotPermitted, WorkflowError


def review_url(review: AnnualReview) -> str:
    return reverse("programmes:annual_review", kwargs={"pk": review.pk})


def _review_with_people(user):
    return visible_reviews(user).select_related(
        "partner", "created_by", "submitted_by", "acknowledged_by"
    )


def ratings_by_objective(review: AnnualReview, objectives) -> tuple[list, list]:
    """Each objective of the version shown with its rating (or None), numbered; and the
    ratings of objectives the version no longer has."""
    ratings = {rating.objective_key: rating for rating in review.ratings.all()}
    rows = []
    for number, objective in enumerate(objectives, start=1):
        rows.append((number, objective, ratings.pop(objective.key, None)))
    return rows, list(ratings.values())


# --- Starting a review -----------------------------------------------------------------------


class ReviewStartView(RecordingOnProgramme, View):
    """POST ``year``: start the review of that programme year (or open the one started)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReviewStartForm(request.POST)
        back = f"{self.programme.get_absolute_url()}#delivery"
        if not form.is_valid():
            messages.error(request, _("Choose a year of the programme: nothing was started."))
            return redirect(back)
        try:
            review = actions.start_review(
                actor=request.user, programme=self.programme, year=form.cleaned_data["year"]
            )
        except NotPermitted as error:
            return refused(request, error.message, self)
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
            return redirect(back)
        if not review.is_editable:
            return redirect(review_url(review))
        return redirect("programmes:annual_review_edit", pk=review.pk)


# --- The review's page ---------------------------------------------------------------------


class ReviewDetailView(PermissionMixin, TemplateView):
    """The review, beside the year's planned and delivered figures; the steps the user may
    take on it."""

    permission_rule = can_view_programmes
    template_name = "programmes/delivery/review_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        review = get_object_or_404(_review_with_people(user), pk=self.kwargs["pk"])
        version = queries.lineage_version(user, review.lineage)
        if version is None:
            raise Http404
        programme = queries.programme_for_delivery(user, version.pk)
        objectives = list(programme.objectives.all())
        rows, others = ratings_by_objective(review, objectives)
        years = queries.lineage_years(programme)
        in_force = programme.status == ProgrammeStatus.AGREED
        may_record = in_force and bool(can_record_for(user, review.partner))
        acknowledging = None
        if in_force and review.status == ReviewStatus.SUBMITTED and is_approver(user):
            acknowledging = can_acknowledge(user, review)
        return super().get_context_data(
            review=review,
            programme=programme,
            year=years[review.year - 1],
            ratings=rows,
            other_ratings=others,
            may_edit=may_record and review.is_editable,
            missing=(
                actions.missing_for_review_submission(review, programme)
                if may_record and review.is_editable
                else None
            ),
            acknowledging=acknowledging,
            return_form=ReturnReviewForm() if acknowledging else None,
            **kwargs,
        )


# --- Writing and submitting ------------------------------------------------------------------


class _LoadsEditableReview:
    """Loads the visible review ``pk`` (404 otherwise); refuses (403, saying why) a user who
    may not write it; sends to the review's page, with a message, when its programme is no
    longer in force or the review can no longer change."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.review = get_object_or_404(_review_with_people(request.user), pk=kwargs["pk"])
        decision = can_record_for(request.user, self.review.partner)
        if not decision:
            return refused(request, decision.reason, self)
        in_force = actions.in_force_version(self.review.lineage)
        if in_force is None:
            messages.error(request, not_in_force_message())
            return redirect(review_url(self.review))
        if not self.review.is_editable:
            messages.error(
                request,
                _("This review is “%(status)s”: it can no longer be changed.")
                % {"status": self.review.get_status_display()},
            )
            return redirect(review_url(self.review))
        self.programme = queries.programme_for_delivery(request.user, in_force.pk)
        return super().dispatch(request, *args, **kwargs)


class RecordingOnReview(PermissionMixin, _LoadsEditableReview):
    permission_rule = can_view_programmes


class ReviewUpdateView(RecordingOnReview, FormView):
    """Write the review: per objective of the version in force, the progress and a narrative;
    the overall assessment. "Save and submit" submits it once saved. The edit stamp guards
    against saving over someone else's change (409, the input kept)."""

    form_class = ReviewForm
    template_name = "programmes/delivery/review_form.html"
    conflict = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "objectives": self.programme.objectives.all()}

    def get_initial(self):
        return ReviewForm.initial_for(self.review, self.programme.objectives.all())

    def get_context_data(self, **kwargs):
        years = queries.lineage_years(self.programme)
        return super().get_context_data(
            review=self.review,
            programme=self.programme,
            year=years[self.review.year - 1],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            review = actions.save_review(
                actor=self.request.user,
                review=self.review,
                seen_stamp=form.cleaned_data["seen_stamp"],
                overall=form.cleaned_data["overall"],
                progress=form.progress(),
            )
        except NotPermitted as error:
            return refused(self.request, error.message, self)
        except EditConflict as error:
            self.conflict = True
            form.add_error(None, error.message)
            data = form.data.copy()
            data["seen_stamp"] = (
                AnnualReview.objects.filter(pk=self.review.pk)
                .values_list("edit_stamp", flat=True)
                .first()
            )
            form.data = data
            return self.form_invalid(form)
        except (WorkflowError, ValidationError) as error:
            add_errors(form, error)
            return self.form_invalid(form)
        if "submit" in self.request.POST:
            return submit(self.request, review, view=self)
        messages.success(
            self.request,
            _("The review of %(year)s is saved. Submit it once every objective is rated.")
            % {"year": actions.calendar_year(self.programme, review.year)},
        )
        return redirect(review_url(review))

    def form_invalid(self, form):
        if "seen_stamp" in form.errors:
            form.add_error(None, _("The form was not understood: open it again from the review."))
        response = super().form_invalid(form)
        if self.conflict:
            response.status_code = 409
        return response


def submit(request, review: AnnualReview, *, view, seen_stamp=None):
    """Submit ``review`` as the user; what is missing, or any other refusal, in messages."""
    try:
        review = actions.submit_review(actor=request.user, review=review, seen_stamp=seen_stamp)
    except NotPermitted as error:
        return refused(request, error.message, view)
    except ValidationError as error:
        messages.error(request, _("The review cannot be submitted yet:"))
        error_messages(request, error)
    except WorkflowError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("The review of year %(year)s is submitted: an approver will acknowledge it.")
            % {"year": review.year},
        )
    return redirect(review_url(review))


class ReviewSubmitView(RecordingOnReview, View):
    """POST: submit the review (refused with what is missing)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stamp = request.POST.get("seen_stamp", "")
        seen_stamp = int(stamp) if stamp.isdigit() and len(stamp) < 10 else None
        return submit(request, self.review, view=self, seen_stamp=seen_stamp)


# --- Acknowledging and returning -------------------------------------------------------------


class _Acknowledging(PermissionMixin, View):
    """A POST by an approver on a submitted review: refused with the 403 page that says why to
    anyone else, and with a message on the review's page to an approver who wrote it."""

    permission_rule = can_view_programmes
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        review = get_object_or_404(_review_with_people(request.user), pk=kwargs["pk"])
        decision = can_acknowledge(request.user, review)
        if not decision and not is_approver(request.user):
            return refused(request, decision.reason, self)
        try:
            self.take_step(request, review)
        except NotPermitted as error:
            if not is_approver(request.user):
                return refused(request, error.message, self)
            messages.error(request, error.message)
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
        return redirect(review_url(review))

    def take_step(self, request, review) -> None:
        raise NotImplementedError


class ReviewAcknowledgeView(_Acknowledging):
    def take_step(self, request, review):
        actions.acknowledge_review(actor=request.user, review=review)
        messages.success(
            request,
            _("The review of year %(year)s of %(partner)s is acknowledged.")
            % {"year": review.year, "partner": review.partner},
        )


class ReviewReturnView(_Acknowledging):
    def take_step(self, request, review):
        form = ReturnReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return
        actions.return_review(
            actor=request.user, review=review, comment=form.cleaned_data["comment"]
        )
        messages.success(
            request,
            _("The review of year %(year)s is returned to its writers with your comment.")
            % {"year": review.year},
        )
