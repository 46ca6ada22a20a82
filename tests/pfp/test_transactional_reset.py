"""The quick reset between transactional tests (``tests/support/transactional.py``) leaves the
database as Django's own would: emptied, every table; restored, the very rows the migrations
wrote, whether the tables were emptied first or not. On both engines."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from programmes.menu.models import Area
from tests.support.transactional import restore_in_bulk

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def serialized() -> str:
    """The database's rows as Django serializes them before the first test."""
    return connection.creation.serialize_db_to_string()


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_the_quick_reset_is_the_one_in_use():
    assert connection.creation.deserialize_db_from_string.__func__ is restore_in_bulk
    assert connection.ops.sql_flush.__func__.__qualname__ == (
        "delete_instead_of_truncate.<locals>.flush"
        if connection.vendor == "postgresql"
        else "DatabaseOperations.sql_flush"
    )


def test_the_flush_empties_every_table():
    assert Permission.objects.exists()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert set(row_counts().values()) == {0}


def test_the_rows_restored_into_emptied_tables_are_those_serialized():
    before = connection._test_serialized_contents
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(before)
    assert serialized() == before


def test_the_rows_restored_over_changed_ones_are_those_serialized():
    """A row changed and a group given another permission are put back as serialized (changed
    in the tables themselves: the history rows a change through the models would add are no
    rows the migrations wrote, which neither restore removes)."""
    before = connection._test_serialized_contents
    Area.objects.filter(pk=Area.objects.order_by("pk").first().pk).update(name_en="Renamed")
    group = Group.objects.order_by("pk").first()
    links = Group.permissions.through.objects.filter(group=group)
    links.delete()
    links.create(group=group, permission=Permission.objects.order_by("-pk").first())
    connection.creation.deserialize_db_from_string(before)
    assert serialized() == before


def test_the_flush_deletes_rather_than_truncates():
    """PostgreSQL's too (SQLite's is Django's own)."""
    statements = connection.ops.sql_flush(no_style(), ["programmes_area", "auth_group"])
    assert statements == ['DELETE FROM "programmes_area";', 'DELETE FROM "auth_group";']
