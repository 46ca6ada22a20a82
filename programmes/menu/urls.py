"""The menu's pages (``programmes:`` names, included by ``programmes.urls``): the list, an
activity's form, retire and export, and the menu imports. The activity page itself is the
programmes' (``programmes.views.activity``), since it lists the programmes that planned it."""

from django.urls import path

from programmes.menu.views import activities, imports

urlpatterns = [
    path("menu/", activities.MenuListView.as_view(), name="activity_list"),
    path("menu/new/", activities.ActivityCreateView.as_view(), name="activity_create"),
    path(
        "menu/export.<export_format:fmt>",
        activities.MenuExportView.as_view(),
        name="activity_export",
    ),
    path(
        "menu/<activity_code:code>/edit/",
        activities.ActivityUpdateView.as_view(),
        name="activity_edit",
    ),
    path(
        "menu/<activity_code:code>/retire/",
        activities.ActivityRetireView.as_view(),
        name="activity_retire",
    ),
    path("menu/imports/", imports.MenuImportListView.as_view(), name="import_list"),
    path("menu/imports/new/", imports.MenuImportUploadView.as_view(), name="import_upload"),
    path(
        "menu/imports/<int:pk>/",
        imports.MenuImportDetailView.as_view(),
        name="import_detail",
    ),
    path(
        "menu/imports/<int:pk>/apply/",
        imports.MenuImportApplyView.as_view(),
        name="import_apply",
    ),
]
