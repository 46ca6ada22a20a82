"""Downloads built by the worker: asking for one (a POST beside the direct link), its page
(which refreshes itself until the file is ready or has failed) and the file itself.

A prepared file is its requester's alone: another user's is a 404. The file is served only while
the requester may still see what it holds (``prepared.may_download``, asked again on every
download). The building is ``programmes.reports.prepared``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pfp.downloads.models import PreparedFile
from pfp.downloads.storage import attachment
from pfp.views import PermissionMixin
from programmes.permissions import can_view_across_partners, can_view_programmes
from programmes.reports import partner as reports
from programmes.reports import prepared
from programmes.reports.cross_partner import REPORTS
from programmes.reports.forms import VersionQueryForm

# How often the page of a file being prepared reloads itself, in seconds.
REFRESH_SECONDS = 2


def _requested(request, **fields):
    try:
        file = prepared.request_file(actor=request.user, **fields)
    except prepared.TooManyRequests as refusal:
        messages.error(request, str(refusal))
        return None
    return redirect("programmes:prepared_file", pk=file.pk)


class PreparePartnerReportView(PermissionMixin, View):
    """The partner's PDF, built by the worker: ``version`` (optional) in the form."""

    permission_rule = can_view_programmes

    def post(self, request, code):
        form = VersionQueryForm(request.POST)
        if not form.is_valid():
            raise Http404(_("The version asked for was not understood."))
        version = form.cleaned_data["version"]
        report = reports.partner_report(request.user, code, version)  # 404 unless visible
        title = _("Report on %(partner)s (PDF)") % {"partner": report.partner}
        if report.programme is not None:
            version = report.programme.pk
            title = _("Report on %(partner)s, %(period)s version %(version)s (PDF)") % {
                "partner": report.partner,
                "period": report.programme.period,
                "version": report.programme.version,
            }
        params = {"code": report.partner.code, "version": version}
        page = reverse("programmes:partner_report", args=[report.partner.code])
        return _requested(
            request, kind=prepared.PARTNER_PDF, params=params, title=title
        ) or redirect(f"{page}?version={version}" if version else page)


class PrepareCrossReportView(PermissionMixin, View):
    """A report across partners as an Excel workbook, built by the worker; its options from the
    query string, as the direct link has them."""

    permission_rule = can_view_across_partners

    def post(self, request, slug):
        report = REPORTS.get(slug)
        if report is None:
            raise Http404(_("There is no such report."))
        known = set(report.options_form.base_fields) if report.options_form else set()
        query = {name: value for name, value in request.GET.items() if name in known}
        title = _("%(report)s (Excel)") % {"report": report.title}
        return _requested(
            request,
            kind=prepared.CROSS_XLSX,
            params={"slug": slug, "query": query},
            title=title,
        ) or redirect(report.get_absolute_url())


def _own_file(request, pk) -> PreparedFile:
    return get_object_or_404(PreparedFile.objects.filter(requested_by=request.user), pk=pk)


class PreparedFileView(PermissionMixin, TemplateView):
    """Where a requested file stands; reloads itself while it is being prepared."""

    permission_rule = can_view_programmes
    template_name = "programmes/prepared_file.html"

    def get_context_data(self, **kwargs):
        file = _own_file(self.request, self.kwargs["pk"])
        return super().get_context_data(
            file=file, refresh=REFRESH_SECONDS if file.is_active else None, **kwargs
        )


class PreparedFileDownloadView(PermissionMixin, View):
    permission_rule = can_view_programmes

    def get(self, request, pk):
        file = _own_file(request, pk)
        if file.status != PreparedFile.Status.READY:
            raise Http404(_("This file is not ready."))
        decision = prepared.may_download(request.user, file)
        if not decision:
            raise PermissionDenied(decision.reason)
        return attachment(file)
