"""The second factor where a role requires it, and the end of sessions whose device is gone.

``SecondFactorMiddleware`` comes after django-otp's ``OTPMiddleware`` (which sets
``request.user.otp_device`` from the session) and after the message and login-required
middleware. For a signed-in user:

- a session verified with a device that no longer exists (removed by its owner, reset by an
  administrator) ends: signed out, back to the login page;
- a user whose role requires a second factor (``MFA_REQUIRED_ROLES``), and anyone on the admin
  site while any role requires one, reaches only the enrolment pages until they have a device,
  and only the code page until this session is verified. Signing out, the language switch, the
  favicon and static files stay open.

With ``MFA_REQUIRED_ROLES`` empty it reads nothing; a session verified with a device costs the
one query of loading that device (``OTPMiddleware``).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from pfp.mfa.devices import has_device
from pfp.mfa.permissions import is_verified, requirement_on, second_factor_required

logger = logging.getLogger(__name__)

# URL names open to a signed-in user whatever their second factor.
ALWAYS_OPEN = {
    "logout",
    "set_language",
    "favicon",
    "login",
    "mfa:verify",
    # A security key answering on the code page, and its scripts' messages.
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}
# Open to a user who must enrol and has no device yet.
ENROLMENT = {
    "mfa:security",
    "mfa:authenticator_add",
    "mfa:recovery_codes",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        verified_with = request.session.get(DEVICE_ID_SESSION_KEY)
        if verified_with and request.user.is_authenticated and not is_verified(request.user):
            # OTPMiddleware found no such device of this user: it was removed since.
            logger.info("Session of user %s ended: its second factor was removed", request.user.pk)
            logout(request)
            messages.info(
                request,
                _("Your session ended: the second factor it was verified with was removed."),
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not requirement_on():
            return None
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ALWAYS_OPEN:
            return None
        on_admin_site = match is not None and "admin" in match.namespaces
        if not (on_admin_site or second_factor_required(user)):
            return None
        if has_device(user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa:verify')}?{query}")
        if name in ENROLMENT:
            return None
        messages.info(
            request,
            _(
                "Your role requires a second factor: add an authenticator app to continue. "
                "Until then, only this page is open to you."
            ),
        )
        return redirect("mfa:security")
