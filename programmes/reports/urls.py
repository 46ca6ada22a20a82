"""The reports' pages (``programmes:`` names, included by ``programmes.urls``): the index, the
per-partner report, its downloads and the calendar of the partner's events, and the reports
across partners."""

from django.urls import path

from programmes.reports.views import cross_partner, partner, prepared

urlpatterns = [
    path("reports/", cross_partner.ReportIndexView.as_view(), name="report_index"),
    path(
        "reports/partners/<iso_code:code>/",
        partner.PartnerReportView.as_view(),
        name="partner_report",
    ),
    path(
        "reports/partners/<iso_code:code>/report.<report_format:fmt>",
        partner.PartnerReportDownloadView.as_view(),
        name="partner_report_download",
    ),
    path(
        "reports/partners/<iso_code:code>/events.ics",
        partner.PartnerEventsCalendarView.as_view(),
        name="partner_events_calendar",
    ),
    # Downloads built by the worker (programmes.reports.prepared), for the user who asked.
    path(
        "reports/partners/<iso_code:code>/report.pdf/prepare/",
        prepared.PreparePartnerReportView.as_view(),
        name="partner_report_prepare",
    ),
    path(
        "reports/prepared/<int:pk>/",
        prepared.PreparedFileView.as_view(),
        name="prepared_file",
    ),
    path(
        "reports/prepared/<int:pk>/file/",
        prepared.PreparedFileDownloadView.as_view(),
        name="prepared_file_download",
    ),
    path(
        "reports/<report_slug:slug>.xlsx/prepare/",
        prepared.PrepareCrossReportView.as_view(),
        name="cross_report_prepare",
    ),
    path(
        "reports/<report_slug:slug>/",
        cross_partner.CrossReportView.as_view(),
        name="cross_report",
    ),
    path(
        "reports/<report_slug:slug>.<export_format:fmt>",
        cross_partner.CrossReportExportView.as_view(),
        name="cross_report_export",
    ),
]
