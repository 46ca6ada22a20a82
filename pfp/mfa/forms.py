"""The second factor's forms: the shape of the input only (the actions check the codes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pfp.mfa.devices import CODE_MAX_LENGTH


def code_field(label=None):
    return forms.CharField(
        label=label or _("Code"),
        max_length=CODE_MAX_LENGTH + 8,  # room for the spaces and dashes apps show
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class CodeForm(forms.Form):
    code = code_field()
    code.help_text = _(
        "The 6-digit code your authenticator app shows, or one of your recovery codes."
    )


class AuthenticatorForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the device"),
        max_length=64,
        initial=_("Authenticator app"),
        help_text=_("To tell your devices apart, for example the phone it is on."),
    )
    code = code_field(_("Code shown by the app"))


class RemoveDeviceForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field()
    code.help_text = _("A code of your authenticator app, or one of your recovery codes.")
