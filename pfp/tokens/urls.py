from django.urls import path

from pfp.tokens.views import TokenListView, TokenRevokeView

app_name = "tokens"
urlpatterns = [
    path("", TokenListView.as_view(), name="list"),
    path("<int:pk>/revoke/", TokenRevokeView.as_view(), name="revoke"),
]
