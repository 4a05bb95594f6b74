"""The database itself refuses to change or remove audit rows."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from steward.audit import guards
from steward.audit.models import AuditEvent, Checkpoint
from steward.audit.services import checkpoint_create

pytestmark = pytest.mark.django_db


def refused(action) -> str:
    """Run ``action`` and return the database's error message (it must fail)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return str(caught.value)


def raw(sql: str):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)

    return run


def test_all_triggers_are_installed():
    assert guards.missing_guards(connection) == []


def test_orm_update_and_delete_are_refused(record):
    record(3)
    assert "append-only" in refused(lambda: AuditEvent.objects.filter(seq=2).update(reason="x"))
    assert "append-only" in refused(lambda: AuditEvent.objects.filter(seq=2).delete())
    assert "append-only" in refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.count() == 3
    assert AuditEvent.objects.get(seq=2).reason == "Reason 1: Zoë's café"


def test_raw_sql_update_and_delete_are_refused(record):
    record(3)
    assert "append-only" in refused(raw("UPDATE audit_auditevent SET payload = '{}'"))
    assert "append-only" in refused(raw("UPDATE audit_auditevent SET seq = seq + 10"))
    assert "append-only" in refused(raw("DELETE FROM audit_auditevent WHERE seq = 3"))
    assert AuditEvent.objects.count() == 3


def test_checkpoints_are_append_only_too(record):
    record(2)
    checkpoint_create()
    assert "append-only" in refused(raw("UPDATE audit_checkpoint SET root_hash = 'x'"))
    assert "append-only" in refused(lambda: Checkpoint.objects.all().delete())
    assert Checkpoint.objects.get().signature_problem() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_on_postgresql(record):
    record(1)
    # Run the deferred foreign-key checks first, or PostgreSQL refuses the
    # TRUNCATE for that reason instead of ours.
    raw("SET CONSTRAINTS ALL IMMEDIATE")()
    assert "append-only" in refused(raw("TRUNCATE audit_auditevent"))
    assert "append-only" in refused(raw("TRUNCATE audit_checkpoint"))
    assert AuditEvent.objects.count() == 1


def test_a_dropped_trigger_is_noticed(tamper):
    tamper("SELECT 1")  # takes the triggers away for this test only
    assert set(guards.missing_guards(connection)) == set(
        guards.SQLITE_TRIGGERS if connection.vendor == "sqlite" else guards.POSTGRES_TRIGGERS
    )


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_in_tests_but_never_in_production(record, settings):
    record(2)
    checkpoint_create()
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 2
    settings.DEBUG, settings.TESTING = False, True
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not Checkpoint.objects.exists()
