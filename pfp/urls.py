"""The root URLconf: where the apps meet (the one module of ``pfp`` that imports the apps above
it, for the home page and the partner page, both the programmes')."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partners import urls as partner_urls
from pfp.mfa.views import SignInView
from pfp.views import AccountView, SignOutView, favicon, set_language
from programmes.views.home import HomeView
from programmes.views.partner import PartnerDetailView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # The partner register's pages, and the partner page, which lists programmes too.
    path(
        "partners/",
        include(
            (
                [
                    *partner_urls.urlpatterns,
                    path("<iso2:code>/", PartnerDetailView.as_view(), name="detail"),
                ],
                "partners",
            )
        ),
    ),
    path("", include("programmes.urls")),
    # The password, then (pfp.mfa) a code for a user with a second factor; the security page.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/", include("pfp.mfa.urls")),
    # Security keys and passkeys: django-otp-webauthn's namespace, which its scripts reverse.
    path("accounts/security/webauthn/", include("pfp.mfa.webauthn_urls")),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/", AccountView.as_view(), name="account"),
    # Personal API tokens (pfp.tokens), linked from the account page.
    path("accounts/tokens/", include("pfp.tokens.urls")),
    # How one receives each kind of e-mail (pfp.outbox), linked from the account page.
    path("accounts/emails/", include("pfp.outbox.urls")),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language switch of the footer, on the login page too; saved for a signed-in user.
    path("i18n/setlang/", set_language, name="set_language"),
    # The API (programmes.api), by name: pfp imports no app above it but here.
    path("api/v1/", include("programmes.api.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
]
