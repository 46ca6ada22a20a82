"""The index behind the menu search: substrings of ``Activity.search_text`` found without
reading every activity.

The search (``ActivityQuerySet.search``) looks for each of its terms as any part of a code,
title or description, not as whole words, so the index is one of trigrams (every run of three
characters), which both databases offer and which answers exactly the same question as
``LIKE '%term%'``:

- PostgreSQL: a GIN index with ``pg_trgm``'s ``gin_trgm_ops`` on ``search_text``. The planner
  uses it for the ``LIKE`` Django writes for ``search_text__contains``; nothing else changes.
- SQLite (3.34 or newer, built with FTS5, as Debian's is): an FTS5 table with the ``trigram``
  tokenizer over the activity table (``content=``, so the text is stored once), kept by three
  triggers. A search reads the ids of the activities whose text holds each term's trigrams in a
  row, which is the term itself.
- A term shorter than three characters has no trigram: it is looked for in every activity the
  other terms found (in every activity if it is alone). So is every term on any other database.

Django knows nothing of the SQLite table and triggers: a migration that makes SQLite rebuild the
activity table (most changes of its columns do) drops the triggers with the old table. ``repair``
runs after every ``migrate`` (``post_migrate``, connected by ``programmes.apps``): when the
index is installed but a trigger is missing, it installs them again and rebuilds the index from
the table. The search tests fail when the index falls behind the table.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import RawSQL

MINIMUM_LENGTH = 3  # a trigram

SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS programmes_activity_search USING fts5(
        search_text, content='programmes_activity', content_rowid='id',
        tokenize='trigram case_sensitive 1')""",
    """CREATE TRIGGER IF NOT EXISTS programmes_activity_search_insert
        AFTER INSERT ON programmes_activity
        BEGIN
            INSERT INTO programmes_activity_search(rowid, search_text)
                VALUES (new.id, new.search_text);
        END""",
    """CREATE TRIGGER IF NOT EXISTS programmes_activity_search_delete
        AFTER DELETE ON programmes_activity
        BEGIN
            INSERT INTO programmes_activity_search(programmes_activity_search, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    """CREATE TRIGGER IF NOT EXISTS programmes_activity_search_update
        AFTER UPDATE OF id, search_text ON programmes_activity
        BEGIN
            INSERT INTO programmes_activity_search(programmes_activity_search, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO programmes_activity_search(rowid, search_text)
                VALUES (new.id, new.search_text);
        END""",
    # Index what the table holds now (and whatever a rebuilt table's copy brought along).
    "INSERT INTO programmes_activity_search(programmes_activity_search) VALUES ('rebuild')",
]
SQLITE_TRIGGERS = [
    f"programmes_activity_search_{event}" for event in ("insert", "delete", "update")
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {trigger}" for trigger in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS programmes_activity_search",
]

POSTGRESQL_INDEX = "programmes_activity_search_trgm"
POSTGRESQL_INSTALL = [
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""CREATE INDEX IF NOT EXISTS {POSTGRESQL_INDEX} ON programmes_activity
        USING gin (search_text gin_trgm_ops)""",
]
# The extension stays: other schemas may use it.
POSTGRESQL_UNINSTALL = [f"DROP INDEX IF EXISTS {POSTGRESQL_INDEX}"]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
}


def install(apps, schema_editor) -> None:
    """Create the index on this database (a ``RunPython`` operation; safe to run again)."""
    _execute(schema_editor, installing=True)


def uninstall(apps, schema_editor) -> None:
    _execute(schema_editor, installing=False)


def _execute(schema_editor, *, installing: bool) -> None:
    install_statements, uninstall_statements = STATEMENTS.get(
        schema_editor.connection.vendor, ([], [])
    )
    for statement in install_statements if installing else uninstall_statements:
        schema_editor.execute(statement)


def repair(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> bool:
    """After ``migrate`` (a ``post_migrate`` receiver): on SQLite, when the index is installed
    (migration 0007 applied) but a migration rebuilt the activity table and its triggers with it,
    install them again and rebuild the index. Whether it had to."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False  # PostgreSQL rebuilds a table's indexes with the table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            ["programmes_activity_search", *SQLITE_TRIGGERS],
        )
        present = {name for (name,) in cursor.fetchall()}
        if "programmes_activity_search" not in present or present.issuperset(SQLITE_TRIGGERS):
            return False
        for statement in SQLITE_INSTALL:
            cursor.execute(statement)
    return True


def sqlite_matches(terms: list[str]) -> RawSQL:
    """The ids of the activities whose search text contains every one of ``terms`` (folded,
    each of at least three characters), from the SQLite index: FTS5 phrases of each term's
    trigrams in a row, all required. Inside double quotes every character is literal but the
    double quote, doubled."""
    query = " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return RawSQL(
        "SELECT rowid FROM programmes_activity_search WHERE programmes_activity_search MATCH %s",
        [query],
    )
