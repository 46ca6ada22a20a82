from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import HomeView, set_language

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("partners/", include("partners.urls")),
    path("", include("programmes.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language switch of the footer, on the login page too; saved for a signed-in user.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
