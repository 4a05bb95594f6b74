"""Fixtures for the organisations tests."""

import datetime as dt
import shutil

import pytest

from steward.organisations import services

# The data describe the world in late 2026: the March 2026 closures are past.
TODAY = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr("steward.core.clock.now", lambda: TODAY)
    return TODAY


@pytest.fixture
def audit_events(db):
    """The audit events stored since the test started, as dicts, oldest first."""
    import json

    from steward.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    def events() -> list[dict]:
        return [
            {
                "actor": e.actor_label,
                "action": e.action,
                "reason": e.reason,
                "subject": (e.subject_type, e.subject_id),
                "payload": json.loads(e.payload),
            }
            for e in AuditEvent.objects.filter(seq__gt=last).order_by("seq")
        ]

    return events


@pytest.fixture
def reference_data(db):
    """The real reference data, loaded as the demo loads it."""
    return services.organisations_load_reference_data(actor="test")


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the reference files; returns the folder."""
    folder = tmp_path / "data"
    shutil.copytree(services.DATA_DIR, folder)
    return folder
