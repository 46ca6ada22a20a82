"""What delivery's views share: how a refusal is answered, the actions' errors put on a form
or in messages, and the loading of a programme version that records are made on.

A role that may not read programmes at all is refused by ``pfp.views.PermissionMixin`` (403).
A reader refused one step on one partner's records (not its officer, not an approver, the
four-eyes rule) gets the 403 page that says why, as the review steps' pages do, and the refusal
is logged like ``PermissionMixin``'s. A step the records' state no longer allows (the programme
is no longer in force, the review was already submitted) is a message on the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pfp.views import PermissionMixin, access_log
from programmes.delivery.permissions import can_record_for
from programmes.models import ProgrammeStatus
from programmes.permissions import can_view_programmes, visible_programmes
from programmes.workflow import WorkflowError


def refused(request, reason, view=None):
    """The 403 page, saying why (the generic one cannot), and the refusal in the access log."""
    access_log.warning(
        "Refused %s %r to user %s (%s): %s of %s",
        request.method,
        request.path,
        request.user.pk,
        request.user.get_username(),
        reason,
        type(view).__qualname__ if view is not None else "view",
    )
    return render(request, "programmes/review_refused.html", {"reason": reason}, status=403)


def add_errors(form, error: ValidationError | WorkflowError) -> None:
    """An action's refusal on the form: on the fields it names, else on the whole form."""
    if isinstance(error, WorkflowError):
        form.add_error(None, [error.message, *error.problems])
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_messages(request, error: ValidationError | WorkflowError) -> None:
    """An action's refusal as error messages, one per problem."""
    if isinstance(error, WorkflowError):
        messages.error(request, error.message)
        for problem in error.problems:
            messages.error(request, problem)
    else:
        for message in error.messages:
            messages.error(request, message)


def not_in_force_message() -> str:
    return _(
        "This version is not in force: delivery is recorded on the version the partner agreed "
        "to, until it is superseded or closed."
    )


class _LoadsProgrammeInForce:
    """Loads the visible programme ``pk`` (404 otherwise); refuses (403, saying why) a user who
    may not record for its partner; sends back to the programme page, with a message, when the
    version is not the one in force."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        programmes = visible_programmes(request.user).select_related("partner")
        programme = get_object_or_404(programmes, pk=kwargs["pk"])
        decision = can_record_for(request.user, programme.partner)
        if not decision:
            return refused(request, decision.reason, self)
        if programme.status != ProgrammeStatus.AGREED:
            messages.error(request, not_in_force_message())
            return redirect(programme)
        self.programme = programme
        self.load()
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> None:
        """Fetch what the page needs of the programme beyond its row."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class RecordingOnProgramme(PermissionMixin, _LoadsProgrammeInForce):
    """A page recording on the programme ``pk``: readers only (403 for any other role), then
    the checks of ``_LoadsProgrammeInForce``."""

    permission_rule = can_view_programmes
