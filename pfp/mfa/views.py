"""Signing in with a second factor, and the security page where a user manages their devices.

Signing in takes two steps for a user with a device: ``SignInView`` checks the password (Django's
``LoginView``, django-axes counting failures) and, instead of signing in, keeps the user as
pending in the session for a few minutes; ``VerifyView`` asks for a code and signs in only when a
device accepts it. A failed code counts toward the same lockout as a wrong password (django-axes'
``user_login_failed``). A user signed in without a verified session (before the requirement, or
a session started otherwise) verifies it on the same page.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from pfp.mfa import actions, devices
from pfp.mfa.forms import AuthenticatorForm, CodeForm, RemoveDeviceForm
from pfp.mfa.permissions import is_verified, second_factor_required

PENDING_KEY = "mfa_pending"
# How long the code page waits after the password: then the password is asked again.
PENDING_SECONDS = 5 * 60
NEW_KEY = "mfa_new_key"  # the secret of the authenticator app being added
NEW_CODES = "mfa_new_codes"  # recovery codes to show once


def pending_user(request):
    """The user who gave their password in this session a few minutes ago and has a code to
    type, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()


class SignInView(LoginView):
    """Django's login page; a user with a device goes on to the code page instead of being signed
    in."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not devices.has_device(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
        }
        query = urlencode({"next": self.get_success_url()})
        return HttpResponseRedirect(f"{reverse('mfa:verify')}?{query}")


@method_decorator(
    [login_not_required, sensitive_post_parameters(), csrf_protect, never_cache], "dispatch"
)
class VerifyView(RedirectURLMixin, FormView):
    """The second step: a code of the user's device (or a recovery code)."""

    form_class = CodeForm
    template_name = "mfa/verify.html"
    next_page = None

    def get_default_redirect_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if is_verified(user) or not devices.has_device(user):
                return HttpResponseRedirect(self.get_success_url())
            self.user, self.pending = user, None
        else:
            self.pending = request.session.get(PENDING_KEY)
            self.user = pending_user(request)
            if self.user is None:
                request.session.pop(PENDING_KEY, None)
                messages.info(request, _("Please sign in again."))
                return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next=self.get_redirect_url(), has_key=devices.has_key(self.user), **kwargs
        )

    def form_valid(self, form):
        request = self.request
        credentials = {"username": self.user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            return HttpResponse(status=429)  # AxesMiddleware answers with the lockout page
        device = devices.verify(self.user, form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(sender=type(self), credentials=credentials, request=request)
            form.add_error("code", _("This code is not valid, or was already used."))
            return self.form_invalid(form)
        if self.pending is not None:
            request.session.pop(PENDING_KEY, None)
            self.user.otp_device = device  # django-otp keeps it in the session at login
            auth_login(request, self.user, backend=self.pending["backend"])
        else:
            request.session.cycle_key()
            otp_login(request, device)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                request,
                _(
                    "You signed in with a recovery code: %(left)d left. Generate new ones on your security page."
                )
                % {"left": left},
            )
        return HttpResponseRedirect(self.get_success_url())


class SecurityView(TemplateView):
    """The user's devices, how to add one, the recovery codes, and removal links."""

    template_name = "mfa/security.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        listed = devices.confirmed_devices(user)
        return super().get_context_data(
            authenticators=[d for d in listed if devices.kind_of(d) == "app"],
            keys=[d for d in listed if devices.kind_of(d) == "key"],
            recovery=next((d for d in listed if devices.kind_of(d) == "codes"), None),
            codes_left=devices.recovery_codes_left(user),
            required=second_factor_required(user),
            **kwargs,
        )


class AuthenticatorAddView(FormView):
    """Add an authenticator app: the QR code (drawn here) and the secret, then its first code."""

    form_class = AuthenticatorForm
    template_name = "mfa/authenticator_add.html"

    def key(self):
        # The same secret until the app is added, so that a reloaded page matches the scanned one.
        return self.request.session.setdefault(NEW_KEY, devices.new_key())

    def get_context_data(self, **kwargs):
        device = devices.unsaved_authenticator(self.request.user, self.key())
        return super().get_context_data(
            qr_code=devices.qr_code_svg(device),
            secret=devices.base32_secret(device.key),
            **kwargs,
        )

    def form_valid(self, form):
        request = self.request
        try:
            device = actions.add_authenticator(
                actor=request.user,
                name=form.cleaned_data["name"],
                key=self.key(),
                code=form.cleaned_data["code"],
            )
        except actions.SecondFactorError as error:
            form.add_error("code", str(error))
            return self.form_invalid(form)
        del request.session[NEW_KEY]
        # This session is verified with the new app: the code just typed proved it.
        request.session.cycle_key()
        otp_login(request, device)
        messages.success(request, _("Your authenticator app was added."))
        if devices.recovery_codes_left(request.user) is None:
            request.session[NEW_CODES] = actions.generate_recovery_codes(actor=request.user)
            return redirect("mfa:recovery_codes")
        return redirect("mfa:security")


class RecoveryCodesView(TemplateView):
    """GET: the new recovery codes, once (then they are gone from the session); POST: new codes
    in place of the old ones."""

    template_name = "mfa/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(NEW_CODES, None)
        if not codes:
            return redirect("mfa:security")
        return self.render_to_response(self.get_context_data(codes=codes))

    def post(self, request, *args, **kwargs):
        try:
            request.session[NEW_CODES] = actions.generate_recovery_codes(actor=request.user)
        except actions.SecondFactorError as error:
            messages.error(request, str(error))
            return redirect("mfa:security")
        return redirect("mfa:recovery_codes")


@method_decorator(sensitive_post_parameters(), "dispatch")
class DeviceRemoveView(FormView):
    """Remove one of the user's apps or security keys, with their password and a current code
    (the recovery codes go with the last app or key)."""

    kind = "app"

    form_class = RemoveDeviceForm
    template_name = "mfa/authenticator_remove.html"

    def dispatch(self, request, *args, **kwargs):
        self.device = devices.device_of(request.user, self.kind, kwargs["pk"])
        if self.device is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(device=self.device, **kwargs)

    def form_valid(self, form):
        request = self.request
        removed_id = self.device.persistent_id
        try:
            verified_by = actions.remove_device(
                actor=request.user,
                device=self.device,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except actions.NotPermitted as error:
            raise PermissionDenied(str(error)) from error
        except actions.SecondFactorError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        # The other sessions end (the password's new hash); this one goes on.
        request.user.refresh_from_db(fields=["password"])
        update_session_auth_hash(request, request.user)
        if request.session.get(DEVICE_ID_SESSION_KEY) == removed_id:
            # This session goes on, verified by the code just typed if its device is still there.
            del request.session[DEVICE_ID_SESSION_KEY]
            if verified_by.persistent_id != removed_id and devices.has_device(request.user):
                otp_login(request, verified_by)
        messages.success(request, _("The device was removed."))
        return redirect("mfa:security")
