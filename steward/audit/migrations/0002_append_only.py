"""The database refuses UPDATE, DELETE and TRUNCATE on audit events and checkpoints.

SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT). The DELETE
trigger lets Django's ``flush`` through in tests only, by asking a function
that Steward registers on its own connections (steward/audit/guards.py); any
other connection lacks the function, so its DELETE fails too.

PostgreSQL: one plpgsql function raising integrity_constraint_violation, as a
row-level BEFORE UPDATE OR DELETE trigger and a statement-level BEFORE
TRUNCATE trigger. TRUNCATE is let through only when the session sets
``steward.audit_purge`` (Steward's test-only flush does).

The SQL lives here, not in app code, so this migration never changes.
NOTE: on SQLite, a later migration that rebuilds one of these tables (most
ALTERs do) drops its triggers; such a migration must run this SQL again.
``steward audit verify`` warns when a trigger is missing.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_checkpoint")

SQLITE_INSTALL = []
SQLITE_REMOVE = []
for _table in TABLES:
    SQLITE_INSTALL += [
        f"""
        CREATE TRIGGER {_table}_refuse_update BEFORE UPDATE ON {_table}
        BEGIN
            SELECT RAISE(ABORT, '{_table} is append-only: UPDATE refused');
        END
        """,
        f"""
        CREATE TRIGGER {_table}_refuse_delete BEFORE DELETE ON {_table}
        WHEN steward_audit_purge_allowed() IS NOT 1
        BEGIN
            SELECT RAISE(ABORT, '{_table} is append-only: DELETE refused');
        END
        """,
    ]
    SQLITE_REMOVE += [
        f"DROP TRIGGER IF EXISTS {_table}_refuse_update",
        f"DROP TRIGGER IF EXISTS {_table}_refuse_delete",
    ]

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION steward_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE'
           AND coalesce(current_setting('steward.audit_purge', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """
]
POSTGRES_REMOVE = []
for _table in TABLES:
    POSTGRES_INSTALL += [
        f"""
        CREATE TRIGGER {_table}_refuse_change BEFORE UPDATE OR DELETE ON {_table}
        FOR EACH ROW EXECUTE FUNCTION steward_audit_refuse_change()
        """,
        f"""
        CREATE TRIGGER {_table}_refuse_truncate BEFORE TRUNCATE ON {_table}
        FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse_change()
        """,
    ]
    POSTGRES_REMOVE += [
        f"DROP TRIGGER IF EXISTS {_table}_refuse_change ON {_table}",
        f"DROP TRIGGER IF EXISTS {_table}_refuse_truncate ON {_table}",
    ]
POSTGRES_REMOVE.append("DROP FUNCTION IF EXISTS steward_audit_refuse_change()")

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRES_INSTALL, POSTGRES_REMOVE),
}


def _run(schema_editor, install: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(
            f"The audit trail's append-only triggers are not written for {vendor}; "
            "Steward supports SQLite and PostgreSQL."
        )
    for sql in STATEMENTS[vendor][0 if install else 1]:
        # No parameters: the SQL holds literal % signs (plpgsql RAISE formats).
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, install=True)


def remove(apps, schema_editor):
    _run(schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
