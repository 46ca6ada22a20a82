"""Per-partner report pages (placeholder until written: every view answers 404)."""

from django.http import Http404
from django.views import View


class _NotYet(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class PartnerReportView(_NotYet):
    pass


class PartnerReportDownloadView(_NotYet):
    pass
