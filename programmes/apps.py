from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from . import search_index

        # Puts back the search index's SQLite triggers if a migration rebuilt the activity table.
        post_migrate.connect(
            search_index.repair, sender=self, dispatch_uid="programmes.search_index.repair"
        )
