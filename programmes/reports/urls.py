"""The reports' pages (``programmes:`` names, included by ``programmes.urls``): the index, the
per-partner report, its downloads and the calendar of the partner's events, and the reports
across partners."""

from django.urls import path

from programmes.reports.views import cross_partner, partner

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
