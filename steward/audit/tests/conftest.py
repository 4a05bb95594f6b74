"""Fixtures for the audit trail's tests."""

import pytest
from django.db import connection

from steward.audit import guards
from steward.audit.services import audit_record


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", full_name="Chen Wei")


@pytest.fixture
def record(db):
    """Record ``n`` varied events; returns them in seq order."""

    def make(n: int, **overrides):
        events = []
        for i in range(n):
            fields = {
                "actor": "test suite",
                "action": [
                    "accounts.role.granted",
                    "organisations.succession.recorded",
                    "cases.sanction.imposed",
                ][i % 3],
                "reason": f"Reason {i}: Zoë's café",
                "payload": {"index": i, "note": 'ünïcödé "quoted"'},
            }
            fields.update(overrides)
            events.append(audit_record(**fields))
        return events

    return make


@pytest.fixture
def tamper(db):
    """Run SQL against the audit tables with their append-only triggers out of the way.

    Only inside the test's transaction: rolling it back restores the triggers
    (DDL is transactional in SQLite and PostgreSQL).
    """

    def run(sql: str, params=None) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for name in guards.SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                # Deferred foreign-key checks would block ALTER TABLE: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in guards.PROTECTED_TABLES:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql, params)

    return run
