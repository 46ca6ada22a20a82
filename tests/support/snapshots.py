"""Snapshots of the database: proof that a refused request, a failed step or a rolled-back
import wrote nothing, and a count of what an accepted one wrote.

``database_state()`` takes a snapshot of every table (of every installed model, history and
many-to-many tables included, or only of the ``models`` asked for); two of them are compared by
``changed_tables()`` (the tables that differ) and ``count_changes()`` (rows added or deleted, per
table). A snapshot is taken around every request of a walk, so it reads little:

- every table: its number of rows and its largest primary key, all in one query. A row
  inserted or deleted shows, and so does one deleted and another inserted (keys are never
  reused: AUTOINCREMENT on SQLite, sequences on PostgreSQL).
- the tables whose rows are changed in place: a digest of their contents, so that an UPDATE
  that leaves the number of rows as it was shows too.

Rows that are only ever added or removed need no digest: django-simple-history's tables (also the
largest by far) and the many-to-many tables. Nor do the tables only ``migrate`` writes
(permissions, content types). The sessions are rewritten by every request
(``SESSION_SAVE_EVERY_REQUEST``): only their number is compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from simple_history.models import HistoricalChanges

OUR_APPS = ("pfp", "partners", "programmes")

# Rewritten by every request: only their number is compared.
VOLATILE_TABLES = {"django_session"}
# Written by ``migrate`` (post_migrate) alone.
REFERENCE_TABLES = {"auth_permission", "django_content_type"}
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


@dataclass(frozen=True)
class TableState:
    rows: int
    last_pk: object = None
    # Of the contents, for a table whose rows may be changed in place and is not empty.
    digest: str | None = None


def our_models() -> list:
    """Every table of our apps: models, their history models and many-to-many tables."""
    return [
        model
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def history_models() -> list:
    """The history models of django-simple-history (not its tables of many-to-many changes,
    which point to a history row of their owner)."""
    return [
        model
        for model in our_models()
        if issubclass(model, HistoricalChanges)
        and any(field.name == "history_date" for field in model._meta.fields)
    ]


def _changed_in_place(model) -> bool:
    """Whether an UPDATE may change the table's rows: not a history table (of a model or of its
    many-to-many changes), a many-to-many table, a table of reference or the sessions."""
    table = model._meta.db_table
    return not (
        issubclass(model, HistoricalChanges)
        or model._meta.auto_created
        or table in REFERENCE_TABLES
        or table in VOLATILE_TABLES
    )


def _digest(cursor, model) -> str:
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    # Table and column names from the model registry, not from input.
    cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608
    rows = [
        tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)
        for row in cursor.fetchall()
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def database_state(models=None, *, contents: bool = True) -> dict[str, TableState]:
    """The state of every table (or of the tables of ``models``), by model label. Without
    ``contents``, only the numbers of rows and the largest keys: one query, for a caller that
    compares the counts alone. On PostgreSQL the digests are made by the database in that same
    query (``md5`` of the rows as text, in key order) instead of reading every row into Python:
    a walk of the access matrix spent most of its time there."""
    models = snapshot_models(models)
    quote = connection.ops.quote_name
    digests_in_sql = contents and connection.vendor == "postgresql"
    aggregates = []
    for model in models:
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        if model._meta.db_table in VOLATILE_TABLES:
            last_pk = "NULL"  # keys rotate
        elif model._meta.pk.get_internal_type() not in INTEGER_KEYS:
            # Random keys (UUIDs: the task queue's) have no order; the digest shows a change.
            last_pk = "NULL"
        else:
            last_pk = f"(SELECT MAX({pk}) FROM {table})"  # noqa: S608
        aggregates.append(f"(SELECT COUNT(*) FROM {table}), {last_pk}")  # noqa: S608
        if digests_in_sql:
            digest = (
                f"(SELECT md5(string_agg(t::text, ',' ORDER BY t.{pk})) FROM {table} t)"  # noqa: S608
                if _changed_in_place(model)
                else "NULL"
            )
            aggregates.append(digest)
    width = 3 if digests_in_sql else 2
    state = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(aggregates)}")
        values = cursor.fetchone()
        for n, model in enumerate(models):
            rows, last_pk = values[width * n], values[width * n + 1]
            if digests_in_sql:
                digest = values[width * n + 2] if rows else None
            elif contents and rows and _changed_in_place(model):
                digest = _digest(cursor, model)
            else:
                digest = None
            state[model._meta.label] = TableState(rows, last_pk, digest)
    return state


def snapshot_models(models=None) -> list:
    """The models ``database_state`` reads: ``models``, else every installed one (history and
    many-to-many tables included), without proxies."""
    return [
        model
        for model in (models or apps.get_models(include_auto_created=True))
        if not model._meta.proxy
    ]


@contextmanager
def tables_written() -> Iterator[list | None]:
    """The models whose tables the block writes to, known when the block ends: from
    PostgreSQL's counts of the rows the current transaction inserted, updated and deleted
    (``pg_stat_xact_user_tables``, which counts those of a savepoint rolled back too). A table
    whose counts did not move holds what it held, so only the tables written need a snapshot.

    ``None`` where the counts are not kept (SQLite) or cover less than the block (outside a
    transaction, each statement is its own): any table may have been written.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield None
        return
    started = _write_counts()
    written: list = []
    yield written
    moved = {table for table, count in _write_counts().items() if count != started.get(table)}
    written.extend(model for model in snapshot_models() if model._meta.db_table in moved)


def state_after(before: dict, written: list | None, models=None) -> dict:
    """``database_state(models)`` once a block that found the database as ``before`` (of the
    same ``models``) has run and written to ``written`` (``tables_written``): only the tables
    written are read again, all of them when that is not known (``None``)."""
    if written is None:
        return database_state(models)
    reread = [model for model in written if model._meta.label in before]
    return {**before, **(database_state(reread) if reread else {})}


def _write_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE schemaname = current_schema()"
        )
        return dict(cursor.fetchall())


def changed_tables(before: dict, after: dict) -> list[str]:
    """The tables (their model's label) that differ between two snapshots."""
    return sorted(label for label in before if before[label] != after[label])


def count_changes(before: dict, after: dict) -> dict[str, int]:
    """Tables whose number of rows changed, and by how much."""
    return {
        label: after[label].rows - before[label].rows
        for label in after
        if after[label].rows != before[label].rows
    }
