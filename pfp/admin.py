from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User

admin.site.site_header = _("Partnership programmes administration")
admin.site.site_title = _("Partnership programmes")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups"]
    # Django's sections, with the saved language among the personal information.
    fieldsets = (
        DjangoUserAdmin.fieldsets[0],
        (
            DjangoUserAdmin.fieldsets[1][0],
            {"fields": (*DjangoUserAdmin.fieldsets[1][1]["fields"], "language")},
        ),
        *DjangoUserAdmin.fieldsets[2:],
    )
