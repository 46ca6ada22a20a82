from django.urls import path, register_converter

from pfp.converters import (
    ActivityCodeConverter,
    ExportFormatConverter,
    IsoCodeConverter,
    ReportFormatConverter,
    ReportSlugConverter,
)

from . import (
    cross_report_views,
    import_views,
    programme_views,
    report_views,
    review_views,
    views,
)

register_converter(ActivityCodeConverter, "activity_code")
register_converter(ExportFormatConverter, "export_format")
register_converter(ReportFormatConverter, "report_format")
register_converter(ReportSlugConverter, "report_slug")
register_converter(IsoCodeConverter, "iso_code")

app_name = "programmes"

urlpatterns = [
    path("menu/", views.MenuListView.as_view(), name="activity_list"),
    path("menu/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("menu/export.<export_format:fmt>", views.MenuExportView.as_view(), name="activity_export"),
    path("menu/<activity_code:code>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "menu/<activity_code:code>/edit/", views.ActivityUpdateView.as_view(), name="activity_edit"
    ),
    path(
        "menu/<activity_code:code>/retire/",
        views.ActivityRetireView.as_view(),
        name="activity_retire",
    ),
    path("menu/imports/", import_views.MenuImportListView.as_view(), name="import_list"),
    path("menu/imports/new/", import_views.MenuImportUploadView.as_view(), name="import_upload"),
    path(
        "menu/imports/<int:pk>/", import_views.MenuImportDetailView.as_view(), name="import_detail"
    ),
    path(
        "menu/imports/<int:pk>/apply/",
        import_views.MenuImportApplyView.as_view(),
        name="import_apply",
    ),
]

# Programmes: drafting (programme_views) and review (review_views).
urlpatterns += [
    path("programmes/", programme_views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", programme_views.ProgrammeCreateView.as_view(), name="programme_create"),
    path(
        "programmes/awaiting-approval/",
        review_views.ReviewQueueView.as_view(),
        name="review_queue",
    ),
    path(
        "programmes/<int:pk>/",
        programme_views.ProgrammeDetailView.as_view(),
        name="programme_detail",
    ),
    path(
        "programmes/<int:pk>/edit/",
        programme_views.ProgrammeUpdateView.as_view(),
        name="programme_edit",
    ),
    path(
        "programmes/<int:pk>/objectives/new/",
        programme_views.ObjectiveCreateView.as_view(),
        name="objective_create",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/edit/",
        programme_views.ObjectiveUpdateView.as_view(),
        name="objective_edit",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/delete/",
        programme_views.ObjectiveDeleteView.as_view(),
        name="objective_delete",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/move/",
        programme_views.ObjectiveMoveView.as_view(),
        name="objective_move",
    ),
    path(
        "programmes/<int:pk>/objectives/<int:objective_pk>/goals/new/",
        programme_views.GoalCreateView.as_view(),
        name="goal_create",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/edit/",
        programme_views.GoalUpdateView.as_view(),
        name="goal_edit",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/delete/",
        programme_views.GoalDeleteView.as_view(),
        name="goal_delete",
    ),
    path(
        "programmes/<int:pk>/goals/<int:goal_pk>/move/",
        programme_views.GoalMoveView.as_view(),
        name="goal_move",
    ),
    path(
        "programmes/<int:pk>/activities/add/",
        programme_views.ActivityPickerView.as_view(),
        name="activity_pick",
    ),
    path(
        "programmes/<int:pk>/activities/<int:planned_pk>/edit/",
        programme_views.PlannedActivityUpdateView.as_view(),
        name="planned_edit",
    ),
    path(
        "programmes/<int:pk>/activities/<int:planned_pk>/remove/",
        programme_views.PlannedActivityRemoveView.as_view(),
        name="planned_remove",
    ),
    path(
        "programmes/<int:pk>/comments/",
        programme_views.CommentCreateView.as_view(),
        name="comment_add",
    ),
    path(
        "programmes/<int:pk>/submit/",
        programme_views.ProgrammeSubmitView.as_view(),
        name="programme_submit",
    ),
    path(
        "programmes/<int:pk>/withdraw/",
        programme_views.ProgrammeWithdrawView.as_view(),
        name="programme_withdraw",
    ),
    path(
        "programmes/<int:pk>/revise/",
        programme_views.ProgrammeReviseView.as_view(),
        name="programme_revise",
    ),
    path(
        "programmes/<int:pk>/approve/",
        review_views.ProgrammeApproveView.as_view(),
        name="programme_approve",
    ),
    path(
        "programmes/<int:pk>/return/",
        review_views.ProgrammeReturnView.as_view(),
        name="programme_return",
    ),
    path(
        "programmes/<int:pk>/agreement/",
        review_views.ProgrammeAgreementView.as_view(),
        name="programme_agreement",
    ),
    path(
        "programmes/<int:pk>/close/",
        review_views.ProgrammeCloseView.as_view(),
        name="programme_close",
    ),
    path(
        "programmes/<int:pk>/compare/",
        review_views.ProgrammeCompareView.as_view(),
        name="programme_compare",
    ),
]

# Reports: per partner (report_views) and across partners (cross_report_views).
urlpatterns += [
    path("reports/", cross_report_views.ReportIndexView.as_view(), name="report_index"),
    path(
        "reports/partners/<iso_code:code>/",
        report_views.PartnerReportView.as_view(),
        name="partner_report",
    ),
    path(
        "reports/partners/<iso_code:code>/report.<report_format:fmt>",
        report_views.PartnerReportDownloadView.as_view(),
        name="partner_report_download",
    ),
    path(
        "reports/<report_slug:slug>/",
        cross_report_views.CrossReportView.as_view(),
        name="cross_report",
    ),
    path(
        "reports/<report_slug:slug>.<export_format:fmt>",
        cross_report_views.CrossReportExportView.as_view(),
        name="cross_report_export",
    ),
]
