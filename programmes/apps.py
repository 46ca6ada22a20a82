from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def import_models(self):
        """The app's models live in ``programmes.models`` and in its packages' ``models``: the
        menu's are imported by the programmes' (which refer to them), delivery's sit above them
        (``programmes.delivery`` depends on ``programmes.models``) and are imported here."""
        super().import_models()
        import_module("programmes.delivery.models")

    def ready(self):
        from partners.signals import status_event_recorded
        from programmes import workflow
        from programmes.menu import search_index

        # Puts back the search index's SQLite triggers if a migration rebuilt the activity table.
        post_migrate.connect(
            search_index.repair, sender=self, dispatch_uid="programmes.menu.search_index.repair"
        )
        # A suspended partner's or a new NATO member's agreed programmes close in the same
        # transaction as the status event (partners sends, the workflow decides).
        status_event_recorded.connect(
            workflow.partner_status_recorded, dispatch_uid="programmes.partner_status_recorded"
        )
