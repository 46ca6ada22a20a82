from django.db import migrations

from programmes.menu import search_index


class Migration(migrations.Migration):
    """The trigram index of the menu search (``programmes.menu.search_index``): an FTS5 table and its
    triggers on SQLite, a GIN index with pg_trgm on PostgreSQL."""

    dependencies = [
        ("programmes", "0006_area_provider_history"),
    ]

    operations = [
        migrations.RunPython(search_index.install, search_index.uninstall),
    ]
