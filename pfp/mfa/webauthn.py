"""Security keys and passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

Its views, with three changes: the sign-in ceremony also serves the user who gave their password
and waits on the code page (``pfp.mfa.views.PENDING_KEY``: not signed in yet), and signs them in
only when their own key answers; registering a key writes the account's history row
(``actions.key_added``). The relying party is the site's host name, from the request (whose host
Django has checked against ``ALLOWED_HOSTS``); the origins a browser may report are in settings.
Passwordless sign-in is off (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN``): a key is a second
factor after the password, not instead of it.
"""

from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp_webauthn import exceptions, views

from pfp.mfa import actions
from pfp.mfa.views import PENDING_KEY, pending_user


def relying_party_id(request) -> str:
    """The host name the keys are bound to: this site's, without the port."""
    from django.http.request import split_domain_port

    return split_domain_port(request.get_host())[0]


class BeginKeyRegistration(views.BeginCredentialRegistrationView):
    pass


class CompleteKeyRegistration(views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        actions.key_added(actor=self.request.user)
        return response


class PendingUserMixin:
    """The user signed in, or the one waiting on the code page after their password."""

    def get_user(self):
        if self.request.user.is_authenticated:
            return self.request.user
        return pending_user(self.request)


@method_decorator([login_not_required, csrf_protect], name="dispatch")
class BeginKeySignIn(PendingUserMixin, views.BeginCredentialAuthenticationView):
    pass


@method_decorator([login_not_required, csrf_protect], name="dispatch")
class CompleteKeySignIn(PendingUserMixin, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        user = self.get_user()
        if user is None or device.user_id != user.pk:
            raise exceptions.CredentialNotFound()
        if not self.request.user.is_authenticated:
            pending = self.request.session.pop(PENDING_KEY)
            user.otp_device = device  # django-otp keeps it in the session at login
            auth_login(self.request, user, backend=pending["backend"])
        else:
            self.request.session.cycle_key()
            otp_login(self.request, device)
