"""The admin's part of the second factor: "Reset the second factor" on the user list, and no
device admin of django-otp's own (a device's secret is nobody's to read or edit; an
administrator only removes them all, through ``actions.reset_devices``, recorded in the
account's history).

The user admin is ``pfp.admin.UserAdmin``, registered again here with the action added: the
admin imports this module after ``pfp.admin`` (``pfp.mfa`` comes later in ``INSTALLED_APPS``).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from pfp.admin import UserAdmin
from pfp.mfa import actions
from pfp.models import User

for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(description=_("Reset the second factor (remove every device)"))
def reset_second_factor(modeladmin, request, queryset):
    for user in queryset:
        try:
            removed = actions.reset_devices(actor=request.user, user=user)
        except actions.SecondFactorError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return
        modeladmin.message_user(
            request,
            ngettext(
                "%(user)s: %(count)d device removed; their sessions end.",
                "%(user)s: %(count)d devices removed; their sessions end.",
                removed,
            )
            % {"user": user, "count": removed},
            messages.SUCCESS,
        )


class SecondFactorUserAdmin(UserAdmin):
    actions = [*(UserAdmin.actions or []), reset_second_factor]


admin.site.unregister(User)
admin.site.register(User, SecondFactorUserAdmin)
