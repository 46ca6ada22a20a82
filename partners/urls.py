from django.urls import path, register_converter

from . import views


class IsoCodeConverter:
    """Two letters, either case: anything else is not a partner page (404 before any query)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value


register_converter(IsoCodeConverter, "iso2")

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
    path("<iso2:code>/", views.PartnerDetailView.as_view(), name="detail"),
]
