"""Tampering of every kind is detected and the first bad event is named."""

import datetime as dt

import pytest
from django.db import connection

from steward.audit import canonical
from steward.audit.models import AuditEvent
from steward.audit.services import checkpoint_create
from steward.audit.verification import verify

pytestmark = pytest.mark.django_db

CHUNK_SIZES = [1, 3, 5000]  # problems on and across chunk boundaries


def test_an_intact_trail_passes_with_counts(record):
    record(10)
    checkpoint_create()
    record(2)
    result = verify()
    assert result.ok
    assert (result.events_checked, result.checkpoints_checked) == (12, 1)
    assert result.summary() == "Audit trail intact: 12 events, 1 checkpoints"
    assert result.warnings == ()


def test_an_empty_trail_is_intact():
    result = verify()
    assert result.ok and result.events_checked == 0


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_a_changed_payload_is_detected(record, tamper, chunk_size):
    record(8)
    tamper("UPDATE audit_auditevent SET payload = %s WHERE seq = 5", ['{"index":999}'])
    result = verify(chunk_size=chunk_size)
    assert not result.ok
    assert (result.problem.kind, result.problem.seq) == ("changed", 5)
    assert "Event 5 was changed" in result.problem.message
    assert result.events_checked == 4


@pytest.mark.parametrize("field", ["reason", "action", "actor_label", "subject_id"])
def test_any_changed_field_is_detected(record, tamper, field):
    record(4)
    tamper(f"UPDATE audit_auditevent SET {field} = 'x.forged' WHERE seq = 3")
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("changed", 3)


def test_a_changed_timestamp_is_detected(record, tamper):
    record(4)
    event = AuditEvent.objects.get(seq=2)
    new_time = event.occurred_at - dt.timedelta(days=30)
    tamper(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE seq = 2",
        [connection.ops.adapt_datetimefield_value(new_time)],
    )
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("changed", 2)


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_a_deleted_event_is_detected(record, tamper, chunk_size):
    record(8)
    tamper("DELETE FROM audit_auditevent WHERE seq = 4")
    result = verify(chunk_size=chunk_size)
    assert (result.problem.kind, result.problem.seq) == ("missing", 4)
    assert result.problem.message.startswith("Event 4 is missing")


def test_a_deleted_first_event_is_detected(record, tamper):
    record(3)
    tamper("DELETE FROM audit_auditevent WHERE seq = 1")
    problem = verify().problem
    assert (problem.kind, problem.seq) == ("missing", 1)


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_reordered_events_are_detected(record, tamper, chunk_size):
    record(8)
    # Swap events 5 and 6 (through a temporary number: seq is the primary key).
    tamper("UPDATE audit_auditevent SET seq = 1000 WHERE seq = 5")
    tamper("UPDATE audit_auditevent SET seq = 5 WHERE seq = 6")
    tamper("UPDATE audit_auditevent SET seq = 6 WHERE seq = 1000")
    result = verify(chunk_size=chunk_size)
    assert (result.problem.kind, result.problem.seq) == ("out_of_order", 5)
    assert "does not follow event 4" in result.problem.message


def test_an_inserted_event_is_detected(record, tamper):
    events = record(3)
    tamper(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor_label, action, subject_type, "
        "subject_id, reason, payload, prev_hash, entry_hash) "
        "VALUES (4, %s, 'system', 'x.y', '', '', '', '{}', %s, %s)",
        [connection.ops.adapt_datetimefield_value(events[0].occurred_at), "f" * 64, "e" * 64],
    )
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("out_of_order", 4)


def test_a_rewritten_and_rehashed_history_is_caught_by_the_checkpoint(record, tamper):
    """Someone who recomputes every hash after their change still cannot forge the
    signed checkpoint."""
    record(6)
    checkpoint = checkpoint_create()
    record(2)
    previous = canonical.GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        fields = event.hash_fields()
        fields["prev_hash"] = previous
        if event.seq == 3:
            fields["reason"] = "a better story"
        new_hash = canonical.entry_hash(**fields)
        tamper(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, entry_hash = %s "
            "WHERE seq = %s",
            [fields["reason"], previous, new_hash, event.seq],
        )
        previous = new_hash
    result = verify()
    assert result.problem.kind == "checkpoint_mismatch"
    assert result.problem.checkpoint_id == checkpoint.pk
    assert result.events_checked == 6


def test_a_tampered_checkpoint_is_detected(record, tamper):
    record(5)
    checkpoint = checkpoint_create()
    tamper("UPDATE audit_checkpoint SET root_hash = %s WHERE id = %s", ["ab" * 32, checkpoint.pk])
    result = verify()
    assert result.problem.kind == "bad_signature"
    assert result.problem.checkpoint_id == checkpoint.pk
    assert "not genuine" in result.problem.message


def test_a_checkpoint_signed_with_another_key_is_detected(record, settings):
    record(3)
    settings.AUDIT_SIGNING_KEY = "22" * 32
    checkpoint_create()
    settings.AUDIT_SIGNING_KEY = "33" * 32
    result = verify()
    assert result.problem.kind == "bad_signature"
    assert "does not know" in result.problem.message
    # After a key rotation, the old public key keeps old checkpoints verifiable.
    from nacl.signing import SigningKey

    settings.AUDIT_PREVIOUS_VERIFY_KEYS = [bytes(SigningKey(b"\x22" * 32).verify_key).hex()]
    assert verify().ok


def test_events_deleted_from_the_end_are_caught_by_a_checkpoint(record, tamper):
    record(6)
    checkpoint = checkpoint_create()
    tamper("DELETE FROM audit_auditevent WHERE seq >= 5")
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("missing", 5)
    assert result.problem.checkpoint_id == checkpoint.pk


def test_the_first_problem_in_trail_order_is_named(record, tamper):
    record(10)
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE seq IN (3, 7)")
    tamper("DELETE FROM audit_auditevent WHERE seq = 9")
    assert verify(chunk_size=4).problem.seq == 3


def test_a_verify_up_to_a_size_ignores_later_events(record, tamper):
    record(6)
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 6")
    assert verify(upto=5).ok
    assert not verify().ok


def test_missing_triggers_are_reported_as_a_warning(record, tamper):
    record(2)
    tamper("SELECT 1")
    result = verify()
    assert result.ok
    assert result.warnings and "no longer refuses changes" in result.warnings[0]


def test_progress_is_reported_per_chunk(record):
    record(7)
    seen = []
    verify(chunk_size=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_verify_streams_in_chunks(record, django_assert_max_num_queries):
    record(20)
    # trigger check + checkpoints + max(seq) + one query per chunk of 5
    with django_assert_max_num_queries(3 + 4):
        assert verify(chunk_size=5).ok


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses such text itself")
def test_a_garbled_timestamp_is_reported_not_crashed_on(record, tamper):
    record(3)
    tamper("UPDATE audit_auditevent SET occurred_at = 'not a time' WHERE seq = 2")
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("changed", 2)
