"""Writers in parallel still get a gap-free, unforked chain."""

import threading

import pytest
from django.db import connection, connections, transaction

from steward.audit.models import AuditEvent
from steward.audit.services import audit_record
from steward.audit.verification import verify


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot hold concurrent writers; "
    "file databases serialise them with BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_take_turns_on_postgresql():
    errors = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(
                        actor=f"writer {n}", action="accounts.role.granted", payload={"i": i}
                    )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 61)
    )
    assert verify().ok
