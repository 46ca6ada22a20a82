"""Drafting pages (placeholder until written: every view answers 404)."""

from django.http import Http404
from django.views import View


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ProgrammeListView(_NotYet):
    pass


class ProgrammeCreateView(_NotYet):
    pass


class ProgrammeDetailView(_NotYet):
    pass


class ProgrammeUpdateView(_NotYet):
    pass


class ObjectiveCreateView(_NotYet):
    pass


class ObjectiveUpdateView(_NotYet):
    pass


class ObjectiveDeleteView(_NotYet):
    pass


class ObjectiveMoveView(_NotYet):
    pass


class GoalCreateView(_NotYet):
    pass


class GoalUpdateView(_NotYet):
    pass


class GoalDeleteView(_NotYet):
    pass


class GoalMoveView(_NotYet):
    pass


class ActivityPickerView(_NotYet):
    pass


class PlannedActivityUpdateView(_NotYet):
    pass


class PlannedActivityRemoveView(_NotYet):
    pass


class CommentCreateView(_NotYet):
    pass


class ProgrammeSubmitView(_NotYet):
    pass


class ProgrammeWithdrawView(_NotYet):
    pass


class ProgrammeReviseView(_NotYet):
    pass
