from django.urls import path

from partners import views

# Included by pfp.urls under the ``partners`` namespace, beside the partner page
# (``programmes.views.partner``: it lists the partner's programmes).
urlpatterns = [
    path("", views.PartnerListView.as_view(), name="list"),
]
