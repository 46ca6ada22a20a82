"""Delivery's pages (``programmes:`` names, included by ``programmes.urls``): events, annual
reviews and the import of events."""

from django.urls import path

from programmes.delivery.views import events, imports, reviews

urlpatterns = [
    # Events: recording and correcting them (programmes.delivery.views.events).
    path(
        "programmes/<int:pk>/delivery/",
        events.DeliveryView.as_view(),
        name="programme_delivery",
    ),
    path(
        "programmes/<int:pk>/events/new/",
        events.EventCreateView.as_view(),
        name="event_create",
    ),
    path(
        "programmes/<int:pk>/events/unplanned/",
        events.UnplannedEventCreateView.as_view(),
        name="event_create_unplanned",
    ),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", events.EventUpdateView.as_view(), name="event_edit"),
    path("events/<int:pk>/delete/", events.EventDeleteView.as_view(), name="event_delete"),
    # Annual reviews (programmes.delivery.views.reviews).
    path(
        "programmes/<int:pk>/annual-reviews/start/",
        reviews.ReviewStartView.as_view(),
        name="annual_review_start",
    ),
    path("annual-reviews/<int:pk>/", reviews.ReviewDetailView.as_view(), name="annual_review"),
    path(
        "annual-reviews/<int:pk>/edit/",
        reviews.ReviewUpdateView.as_view(),
        name="annual_review_edit",
    ),
    path(
        "annual-reviews/<int:pk>/submit/",
        reviews.ReviewSubmitView.as_view(),
        name="annual_review_submit",
    ),
    path(
        "annual-reviews/<int:pk>/acknowledge/",
        reviews.ReviewAcknowledgeView.as_view(),
        name="annual_review_acknowledge",
    ),
    path(
        "annual-reviews/<int:pk>/return/",
        reviews.ReviewReturnView.as_view(),
        name="annual_review_return",
    ),
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
