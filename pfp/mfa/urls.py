from django.urls import path

from pfp.mfa import views

app_name = "mfa"
urlpatterns = [
    path("login/code/", views.VerifyView.as_view(), name="verify"),
    path("security/", views.SecurityView.as_view(), name="security"),
    path("security/app/", views.AuthenticatorAddView.as_view(), name="authenticator_add"),
    path("security/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path(
        "security/app/<int:pk>/remove/",
        views.DeviceRemoveView.as_view(kind="app"),
        name="authenticator_remove",
    ),
    path(
        "security/key/<int:pk>/remove/",
        views.DeviceRemoveView.as_view(kind="key"),
        name="key_remove",
    ),
]
