"""Reports across partners (placeholder until written: every view answers 404)."""

from django.http import Http404
from django.views import View


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReportIndexView(_NotYet):
    pass


class CrossReportView(_NotYet):
    pass


class CrossReportExportView(_NotYet):
    pass
