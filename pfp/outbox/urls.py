from django.urls import path

from pfp.outbox.views import PreferencesView

app_name = "outbox"
urlpatterns = [
    path("", PreferencesView.as_view(), name="preferences"),
]
