"""The database's refusal to change audit rows, and the one exception to it.

Migration 0002 installs triggers that refuse UPDATE and DELETE (and on
PostgreSQL TRUNCATE) on the event and checkpoint tables. This module:

* names those triggers so ``verify`` can warn if one has gone (on SQLite a
  later migration that rebuilds a table drops its triggers: such a migration
  must install them again);
* provides the SQLite function the DELETE triggers consult, registered on
  every SQLite connection Steward opens. A connection without it (the
  ``sqlite3`` shell, another program) cannot delete at all;
* lets Django's ``flush`` empty the tables in tests and local development
  only, which test cases that commit need between tests
  (see ``management/commands/flush.py``). Production flushes are refused.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

PROTECTED_TABLES = ("audit_auditevent", "audit_checkpoint")
SQLITE_PURGE_FUNCTION = "steward_audit_purge_allowed"
POSTGRES_PURGE_SETTING = "steward.audit_purge"

SQLITE_TRIGGERS = tuple(
    f"{table}_refuse_{op}" for table in PROTECTED_TABLES for op in ("update", "delete")
)
POSTGRES_TRIGGERS = tuple(
    f"{table}_refuse_{op}" for table in PROTECTED_TABLES for op in ("change", "truncate")
)

_purge_allowed = contextvars.ContextVar("steward_audit_purge_allowed", default=False)


def _sqlite_purge_allowed() -> int:
    return 1 if _purge_allowed.get() else 0


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give SQLite connections the purge check."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_PURGE_FUNCTION, 0, _sqlite_purge_allowed)


def purge_permitted() -> bool:
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))


@contextmanager
def purge_allowed(connection):
    """Let a flush empty the audit tables, in tests and local development only."""
    if not purge_permitted():
        yield
        return
    token = _purge_allowed.set(True)
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [POSTGRES_PURGE_SETTING])
        yield
    finally:
        _purge_allowed.reset(token)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', false)", [POSTGRES_PURGE_SETTING])


def missing_guards(connection) -> list[str]:
    """Names of the append-only triggers that are missing or disabled (empty when all present)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            expected = SQLITE_TRIGGERS
        elif connection.vendor == "postgresql":
            # tgenabled 'D' means ALTER TABLE ... DISABLE TRIGGER: as good as gone.
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
            present = {row[0] for row in cursor.fetchall()}
            expected = POSTGRES_TRIGGERS
        else:
            return []
    return [name for name in expected if name not in present]
