"""Reports: the index of reports, each report across partners on screen, and its CSV and Excel.

What a report holds is ``programmes.reports.cross_partner``; these views read the query string through
the report's options form, ignore what they do not understand (the page says so), and lay the
tables out or hand them to ``pfp.exports``: a CSV file holds one table (``?table=<slug>``, the
first one without it), the Excel workbook every table. Read-only, open to every staff role
(``can_view_programmes``). The per-partner report is ``programmes.reports.views.partner``.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from partners.permissions import visible_partners
from pfp import exports
from pfp.views import PermissionMixin
from programmes.permissions import can_view_across_partners, can_view_programmes
from programmes.reports.cross_partner import REPORTS, Report, Table, table_named
from programmes.reports.forms import PartnerChoiceForm, describe_options, read_report_options
from programmes.reports.prepared import cross_workbook


class ReportIndexView(PermissionMixin, TemplateView):
    """The reports across partners, and a partner's report opened by choosing the partner
    (``?partner=<code>`` redirects to it)."""

    permission_rule = can_view_programmes
    template_name = "programmes/report_index.html"

    def get(self, request, *args, **kwargs):
        partners = visible_partners(request.user).order_by("name").values_list("code", "name")
        chosen = "partner" in request.GET
        form = PartnerChoiceForm(request.GET if chosen else None, partners=partners)
        if chosen and form.is_valid():
            return redirect("programmes:partner_report", code=form.cleaned_data["partner"])
        context = self.get_context_data(
            # A partner's representative reads their partner's report only.
            reports=REPORTS.values() if can_view_across_partners(request.user) else [],
            form=form,
            ignored=bool(set(request.GET) - {"partner"}),
            **kwargs,
        )
        return self.render_to_response(context)


class ReportMixin:
    """The report named in the URL (404 for another name) and its options from the query
    string: what is not understood is ignored and ``ignored`` says so."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def get_report(self) -> Report:
        try:
            return REPORTS[self.kwargs["slug"]]
        except KeyError:
            raise Http404(_("There is no such report.")) from None

    def read_options(self, report: Report, understood=()):
        """(the form to show or None, the options, whether something was ignored)."""
        return read_report_options(report, self.request.GET, understood)

    def build(self):
        self.report = self.get_report()
        self.form, self.options, self.ignored = self.read_options(self.report)
        return self.report.tables(self.request.user, self.today, self.options)

    def build_for_screen(self) -> list[Table]:
        """The tables as the page shows them: a long table a page at a time (``?page=``, which
        only a report with a long table understands)."""
        tables = [table.paged(self.request.GET.get("page")) for table in self.build()]
        if "page" in self.request.GET and any(table.page for table in tables):
            self.ignored = self.read_options(self.report, understood={"page"})[2]
        return tables

    def described_options(self) -> list[tuple[str, str]]:
        """The options in force, as (label, value) for people to read."""
        return describe_options(self.form, self.options)


class CrossReportView(PermissionMixin, ReportMixin, TemplateView):
    permission_rule = can_view_across_partners
    template_name = "programmes/cross_report.html"

    def get_context_data(self, **kwargs):
        tables = self.build_for_screen()
        slug = self.report.slug

        def export_url(fmt, **query):
            query = {**self.options, **query}
            url = reverse("programmes:cross_report_export", args=[slug, fmt])
            return f"{url}?{urlencode(query)}" if query else url

        # One CSV file per table; a report of one table offers it under the report's name.
        if len(tables) == 1:
            csv_downloads = [(_("Download CSV"), export_url("csv"))]
        else:
            csv_downloads = [
                (_("CSV: %(table)s") % {"table": table.sheet}, export_url("csv", table=table.slug))
                for table in tables
            ]
        return super().get_context_data(
            report=self.report,
            tables=tables,
            form=self.form,
            ignored=self.ignored,
            options=self.described_options(),
            today=self.today,
            csv_downloads=csv_downloads,
            xlsx_url=export_url("xlsx"),
            prepare_url=(
                f"{reverse('programmes:cross_report_prepare', args=[slug])}"
                f"{'?' + urlencode(self.options) if self.options else ''}"
            ),
            **kwargs,
        )


class CrossReportExportView(PermissionMixin, ReportMixin, View):
    """The report as CSV, one table a file (``?table=<slug>``, the first one without it; 404 for
    a table the report does not have), or as an Excel workbook (one sheet per table, and one
    saying what the report is, when and for whom it was made)."""

    permission_rule = can_view_across_partners

    def get(self, request, *args, fmt, **kwargs):
        tables = self.build()
        if fmt == "csv":
            table = table_named(tables, request.GET.get("table"))
            if table is None:
                raise Http404(_("This report has no such table."))
            name = self.report.slug if len(tables) == 1 else f"{self.report.slug}-{table.slug}"
            filename = f"pfp-{name}-{self.today.isoformat()}.csv"
            return exports.csv_response(filename, table.header, table.all_rows)
        filename = f"pfp-{self.report.slug}-{self.today.isoformat()}.xlsx"
        content = cross_workbook(
            self.report,
            tables,
            user=request.user,
            today=self.today,
            described=self.described_options(),
        )
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
