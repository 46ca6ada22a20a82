from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class PfpConfig(AppConfig):
    default = True  # the one for "pfp" in INSTALLED_APPS; the others below are named there
    name = "pfp"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from pfp import converters

        # The URL converters every app's routes use, registered once (Django refuses a second
        # registration of a name).
        register_converter(converters.IsoCodeConverter, "iso2")
        register_converter(converters.IsoCodeConverter, "iso_code")
        register_converter(converters.ActivityCodeConverter, "activity_code")
        register_converter(converters.ExportFormatConverter, "export_format")
        register_converter(converters.ReportFormatConverter, "report_format")
        register_converter(converters.ReportSlugConverter, "report_slug")


class PfpAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the product's site (``pfp.sites.AdminSite``) as the default one."""

    default = False
    default_site = "pfp.sites.AdminSite"


class SignInProtectionConfig(axes_apps.AppConfig):
    """django-axes, its tables named in plain words where the admin shows them."""

    default = False
    verbose_name = _("Sign-in protection")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        names = {
            AccessAttempt: (_("sign-in lockout"), _("sign-in lockouts")),
            AccessFailureLog: (_("failed sign-in"), _("failed sign-ins")),
            AccessLog: (_("sign-in record"), _("sign-in records")),
        }
        for model, (singular, plural) in names.items():
            # The names shown only: migrations read Meta's own (``_meta.original_attrs``), so
            # axes' tables need no migration of ours.
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural
