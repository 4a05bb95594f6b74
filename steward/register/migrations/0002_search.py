"""Search structures for the public register (see steward/register/search.py).

SQLite: an FTS5 index over ``names_key`` (external content: the words live in
register_registrant, the index only holds the terms) with prefix indexes, of
the records on the register (not merged into another), kept in step by
triggers so that every write path (services, imports, bench-data, raw SQL)
updates it.

PostgreSQL: a GIN trigram index on ``' ' || names_key`` that answers the same
word-prefix LIKE patterns, with pg_trgm.

Both: a B-tree in the order results are shown (surname, forenames, id), byte
order ("C" collation on PostgreSQL, as SQLite's BINARY) so both databases list
results identically.

These are database objects Django's model state does not describe, so the
migration changes no model state.
"""

from django.db import migrations

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE register_registrant_fts USING fts5(
        names_key,
        content='register_registrant',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 0',
        prefix='1 2 3'
    )
    """,
    # Only records on the register (not merged into another) are indexed, so a
    # match is already a public record and counts need not look at the table.
    """
    CREATE TRIGGER register_registrant_fts_insert AFTER INSERT ON register_registrant
    WHEN new.merged_into_id IS NULL
    BEGIN
        INSERT INTO register_registrant_fts(rowid, names_key) VALUES (new.id, new.names_key);
    END
    """,
    """
    CREATE TRIGGER register_registrant_fts_delete AFTER DELETE ON register_registrant
    WHEN old.merged_into_id IS NULL
    BEGIN
        INSERT INTO register_registrant_fts(register_registrant_fts, rowid, names_key)
        VALUES ('delete', old.id, old.names_key);
    END
    """,
    """
    CREATE TRIGGER register_registrant_fts_update_old AFTER UPDATE OF names_key, id, merged_into_id
    ON register_registrant
    WHEN old.merged_into_id IS NULL AND (
        old.names_key IS NOT new.names_key OR old.id IS NOT new.id
        OR new.merged_into_id IS NOT NULL
    )
    BEGIN
        INSERT INTO register_registrant_fts(register_registrant_fts, rowid, names_key)
        VALUES ('delete', old.id, old.names_key);
    END
    """,
    """
    CREATE TRIGGER register_registrant_fts_update_new AFTER UPDATE OF names_key, id, merged_into_id
    ON register_registrant
    WHEN new.merged_into_id IS NULL AND (
        old.names_key IS NOT new.names_key OR old.id IS NOT new.id
        OR old.merged_into_id IS NOT NULL
    )
    BEGIN
        INSERT INTO register_registrant_fts(rowid, names_key) VALUES (new.id, new.names_key);
    END
    """,
    """
    INSERT INTO register_registrant_fts(rowid, names_key)
    SELECT id, names_key FROM register_registrant WHERE merged_into_id IS NULL
    """,
    """
    CREATE INDEX register_registrant_public_order
    ON register_registrant (surname_key, legal_forenames, id)
    """,
]
SQLITE_BACKWARDS = [
    "DROP INDEX IF EXISTS register_registrant_public_order",
    "DROP TRIGGER IF EXISTS register_registrant_fts_update_new",
    "DROP TRIGGER IF EXISTS register_registrant_fts_update_old",
    "DROP TRIGGER IF EXISTS register_registrant_fts_delete",
    "DROP TRIGGER IF EXISTS register_registrant_fts_insert",
    "DROP TABLE IF EXISTS register_registrant_fts",
]

POSTGRES_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE INDEX register_registrant_names_trgm
    ON register_registrant USING gin ((' ' || names_key) gin_trgm_ops)
    """,
    """
    CREATE INDEX register_registrant_public_order
    ON register_registrant (surname_key COLLATE "C", legal_forenames COLLATE "C", id)
    """,
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS register_registrant_public_order",
    "DROP INDEX IF EXISTS register_registrant_names_trgm",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
