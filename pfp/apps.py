from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class PfpConfig(AppConfig):
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
