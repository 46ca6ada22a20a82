"""django-otp-webauthn's URLs (its scripts reverse these names, in its namespace), served by
``pfp.mfa.webauthn``'s views."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import JavaScriptCatalog

from pfp.mfa import webauthn

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        webauthn.BeginKeyRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        webauthn.CompleteKeyRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginKeySignIn.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        webauthn.CompleteKeySignIn.as_view(),
        name="credential-authentication-complete",
    ),
    # The scripts' messages, in the page's language (on the code page, before sign-in too).
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
