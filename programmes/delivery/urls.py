"""Delivery's pages (``programmes:`` names, included by ``programmes.urls``): events, annual
reviews and the import of events."""

from django.urls import path

from programmes.delivery.views import imports

urlpatterns = [
    # Events: recording and correcting them (programmes.delivery.views.events).
    # Annual reviews (programmes.delivery.views.reviews).
    # The import of events (programmes.delivery.views.imports).
    path("delivery/imports/", imports.EventImportListView.as_view(), name="event_import_list"),
    path(
        "delivery/imports/new/",
        imports.EventImportUploadView.as_view(),
        name="event_import_upload",
    ),
    path(
        "delivery/imports/<int:pk>/",
        imports.EventImportDetailView.as_view(),
        name="event_import_detail",
    ),
    path(
        "delivery/imports/<int:pk>/apply/",
        imports.EventImportApplyView.as_view(),
        name="event_import_apply",
    ),
]
