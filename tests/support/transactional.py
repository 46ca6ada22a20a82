"""What a transactional test (``transaction=True``, the live server) costs its neighbours: the
database is emptied after it, and the rows the migrations wrote (content types, permissions,
role groups, areas) are put back before the next one (``serialized_rollback=True``). Django does
both for any database, slowly for ours; the two functions here do the same in bulk, installed for
the whole run by ``tests/conftest.py`` (``tests/pfp/test_transactional_reset.py`` proves they
leave the same rows as Django's own):

- ``restore_in_bulk`` puts the rows back with one INSERT per table (``bulk_create``) where
  Django saves them one by one, each an UPDATE that finds nothing then an INSERT, and each
  group's permissions one at a time: about 330 rows, 0.5 s a test on SQLite, 0.05 s in bulk.
  Django's version saves them raw (no ``save()`` of the model, no history), as this one does.
- ``delete_instead_of_truncate`` empties PostgreSQL's tables with ``DELETE`` where Django's
  flush says ``TRUNCATE``: truncating makes new files for each of the hundred-odd tables and
  their indexes, seconds a test; deleting the few rows a test left takes milliseconds. The
  foreign keys Django creates are deferred to the commit, so the order does not matter; the
  sequences are left where they are, as ``TRUNCATE`` without ``RESTART IDENTITY`` leaves them.
"""

from io import StringIO

from django.core import serializers
from django.db import transaction


def restore_in_bulk(creation, data: str) -> None:
    """``BaseDatabaseCreation.deserialize_db_from_string``: the serialized rows, one statement
    per table. As Django's, it writes over the rows when they are there (the first transactional
    test after others finds the tables as the migrations left them, not emptied): each row by its
    primary key, and each many-to-many relation made exactly the one serialized."""
    connection = creation.connection
    alias = connection.alias
    rows: dict[type, list] = {}  # by model, in the order serialized (dependencies first)
    relations: dict[type, tuple[str, set, list]] = {}  # by through model
    for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
        instance = deserialized.object
        rows.setdefault(type(instance), []).append(instance)
        for name, targets in (deserialized.m2m_data or {}).items():
            field = instance._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            _, sources, links = relations.setdefault(through, (source, set(), []))
            sources.add(instance.pk)
            links.extend(through(**{source: instance.pk, target: pk}) for pk in targets)
    with transaction.atomic(using=alias):
        with connection.constraint_checks_disabled():
            for model, instances in rows.items():
                key = model._meta.pk
                columns = [field.name for field in model._meta.concrete_fields if field is not key]
                model._base_manager.using(alias).bulk_create(
                    instances,
                    update_conflicts=True,
                    unique_fields=[key.name],
                    update_fields=columns,
                )
            for through, (source, sources, links) in relations.items():
                manager = through._base_manager.using(alias)
                manager.filter(**{f"{source}__in": sources}).delete()
                manager.bulk_create(links)
        tables = [model._meta.db_table for model in [*rows, *relations]]
        connection.check_constraints(table_names=tables)


def delete_instead_of_truncate(sql_flush):
    """PostgreSQL's ``DatabaseOperations.sql_flush``, emptying the tables with ``DELETE``
    (unless the sequences are to restart or the flush to cascade: Django's own then)."""

    def flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return sql_flush(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # The tables are the database's own, named by Django's introspection and quoted.
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    return flush
