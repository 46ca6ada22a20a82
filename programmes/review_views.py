"""Review pages (placeholder until written: every view answers 404)."""

from django.http import Http404
from django.views import View


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReviewQueueView(_NotYet):
    pass


class ProgrammeApproveView(_NotYet):
    pass


class ProgrammeReturnView(_NotYet):
    pass


class ProgrammeAgreementView(_NotYet):
    pass


class ProgrammeCloseView(_NotYet):
    pass


class ProgrammeCompareView(_NotYet):
    pass
