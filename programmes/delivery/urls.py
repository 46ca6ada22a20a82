"""Delivery's pages (``programmes:`` names, included by ``programmes.urls``): events, annual
reviews and the import of events."""

urlpatterns = [
    # Events: recording and correcting them (programmes.delivery.views.events).
    # Annual reviews (programmes.delivery.views.reviews).
    # The import of events (programmes.delivery.views.imports).
]
