from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
    path("<str:code>/", views.PartnerDetailView.as_view(), name="detail"),
]
