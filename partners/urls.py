from django.urls import path, register_converter

from pfp.converters import IsoCodeConverter

from . import views

register_converter(IsoCodeConverter, "iso2")

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
    path("<iso2:code>/", views.PartnerDetailView.as_view(), name="detail"),
]
