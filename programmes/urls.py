from django.urls import path, register_converter

from pfp.converters import ActivityCodeConverter, ExportFormatConverter

from . import import_views, views

register_converter(ActivityCodeConverter, "activity_code")
register_converter(ExportFormatConverter, "export_format")

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
