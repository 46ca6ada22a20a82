"""The per-partner report: the page, and its PDF, CSV and Excel downloads.

Read-only and open to every staff role (``can_view_programmes``). ``?version=<pk>``
chooses the version reported on: one that is not the partner's (or not visible) is a 404; one
that is not a number is ignored on the page (the default version is shown, with a message) and a
404 for a download, which should never name a version other than the one asked for. The report
is read by ``programmes.reports.partner``; the PDF is made by ``programmes.reports.pdf``.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from openpyxl import Workbook

from pfp import exports
from pfp.views import PermissionMixin
from programmes.permissions import can_view_programmes
from programmes.reports import ical
from programmes.reports import partner as reports
from programmes.reports.forms import VersionQueryForm
from programmes.reports.pdf import pdf_response
from programmes.reports.prepared import partner_pdf

# The downloads offered on the page: the URL's ``fmt`` and the link's text.
REPORT_FORMATS = [
    ("pdf", gettext_lazy("PDF")),
    ("csv", gettext_lazy("CSV")),
    ("xlsx", gettext_lazy("Excel")),
]


def requested_version(request) -> tuple[int | None, bool]:
    """The version asked for in ``?version=`` (None for the default), and whether it was
    understood."""
    form = VersionQueryForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["version"], True
    return None, False


class PartnerReportView(PermissionMixin, TemplateView):
    permission_rule = can_view_programmes
    template_name = "programmes/partner_report.html"

    def get_context_data(self, **kwargs):
        version, understood = requested_version(self.request)
        if not understood:
            messages.warning(
                self.request,
                _("The version asked for was not understood: the report shows the default one."),
            )
        report = reports.partner_report(self.request.user, self.kwargs["code"], version)
        query = f"&version={report.programme.pk}" if report.programme else ""
        base = reverse("programmes:partner_report_download", args=[report.partner.code, "csv"])
        delivery_csv = [
            (table.label, f"{base}?table={table.slug}{query}")
            for table in reports.CSV_TABLES.values()
            if table.slug != reports.DEFAULT_CSV_TABLE
        ]
        return super().get_context_data(
            report=report, report_formats=REPORT_FORMATS, delivery_csv=delivery_csv, **kwargs
        )


class PartnerReportDownloadView(PermissionMixin, View):
    """``fmt``: pdf, csv or xlsx (the URL accepts nothing else). A CSV file holds one table:
    ``?table=<slug>`` (``reports.CSV_TABLES``), the planned activities without it; 404 for a
    table the report does not have."""

    permission_rule = can_view_programmes

    def get(self, request, code, fmt):
        version, understood = requested_version(request)
        if not understood:
            raise Http404(_("The version asked for was not understood."))
        report = reports.partner_report(request.user, code, version)
        write = {"pdf": self.pdf, "csv": self.csv, "xlsx": self.xlsx}[fmt]
        return write(report, report.filename(fmt))

    def csv(self, report, filename):
        slug = self.request.GET.get("table") or reports.DEFAULT_CSV_TABLE
        table = reports.CSV_TABLES.get(slug)
        if table is None:
            raise Http404(_("This report has no such table."))
        if slug != reports.DEFAULT_CSV_TABLE:
            filename = filename.removesuffix(".csv") + f"-{slug}.csv"
        return exports.csv_response(filename, table.columns, table.rows(report))

    def xlsx(self, report, filename):
        workbook = Workbook()
        exports.add_sheet(
            workbook,
            _("Summary"),
            reports.SUMMARY_COLUMNS,
            reports.summary_rows(report),
            first=True,
        )
        exports.add_sheet(
            workbook,
            _("Objectives and goals"),
            reports.OBJECTIVE_COLUMNS,
            reports.objective_rows(report),
        )
        exports.add_sheet(
            workbook,
            _("Planned activities"),
            reports.PLANNED_COLUMNS,
            reports.planned_rows(report),
        )
        exports.add_sheet(
            workbook, _("History"), reports.HISTORY_COLUMNS, reports.history_rows(report)
        )
        for slug, table in reports.CSV_TABLES.items():
            if slug != reports.DEFAULT_CSV_TABLE:
                exports.add_sheet(workbook, str(table.label), table.columns, table.rows(report))
        return exports.xlsx_response(filename, workbook)

    def pdf(self, report, filename):
        return pdf_response(filename, partner_pdf(report))


class PartnerEventsCalendarView(PermissionMixin, View):
    """The partner's events as an iCalendar file (``programmes.reports.ical``): 404 for a
    partner the user may not see. The middleware marks it ``private, no-store``."""

    permission_rule = can_view_programmes

    def get(self, request, code):
        partner, events = ical.partner_events(request.user, code)
        response = HttpResponse(
            ical.calendar(partner, events, timezone.now()), content_type=ical.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{ical.filename(partner)}"'
        return response
