import datetime as dt
import decimal
import json

import pytest
from django.db import transaction
from django_q.models import Schedule

from steward.audit import canonical, merkle, signing
from steward.audit.apps import DAILY_CHECKPOINT_FUNC, DAILY_CHECKPOINT_SCHEDULE
from steward.audit.models import AppendOnlyError, AuditEvent, Checkpoint
from steward.audit.services import (
    AuditTrailBroken,
    audit_record,
    audit_record_view,
    checkpoint_create,
    restricted_ref,
)
from steward.audit.tasks import daily_checkpoint

pytestmark = pytest.mark.django_db


def test_events_form_a_gap_free_hash_chain(record):
    events = record(5)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == "0" * 64
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    for stored in AuditEvent.objects.order_by("seq"):
        assert stored.entry_hash == stored.computed_hash()
        assert len(stored.entry_hash) == 64


def test_the_hash_covers_the_canonical_document_of_the_row(record):
    event = AuditEvent.objects.get(seq=record(1)[0].seq)
    document = json.dumps(
        {
            "seq": event.seq,
            "occurred_at": canonical.format_timestamp(event.occurred_at),
            "actor_id": None,
            "actor_label": "system: test suite",
            "action": "accounts.role.granted",
            "subject_type": "",
            "subject_id": "",
            "reason": event.reason,
            "payload": {"index": 0, "note": 'ünïcödé "quoted"'},
            "prev_hash": "0" * 64,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    import hashlib

    assert event.entry_hash == hashlib.sha256(document).hexdigest()


def test_actors_are_recorded_by_number_never_by_email(make_user):
    person = make_user(email="someone.private@example.nhs.uk")
    by_person = audit_record(actor=person, action="accounts.user.created", subject=person)
    by_system = audit_record(actor="steward demo", action="organisations.reference_data.loaded")
    by_nobody = audit_record(actor=None, action="audit.checkpoint.created")
    assert (by_person.actor_id, by_person.actor_label) == (person.pk, f"user:{person.pk}")
    assert (by_system.actor_id, by_system.actor_label) == (None, "system: steward demo")
    assert by_nobody.actor_label == "system"
    assert by_person.subject_type == "accounts.user"
    assert by_person.subject_id == str(person.pk)
    for row in AuditEvent.objects.values():
        assert "someone.private" not in json.dumps(row, default=str)


def test_payload_values_are_converted_canonically():
    event = audit_record(
        actor=None,
        action="cases.sanction.imposed",
        payload={"effective_on": dt.date(2026, 3, 3), "fee": decimal.Decimal("1.50")},
    )
    assert event.payload == '{"effective_on":"2026-03-03","fee":"1.50"}'


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"action": "Not Dotted"}, ValueError),
        ({"action": "nodots"}, ValueError),
        ({"action": "a." + "b" * 120}, ValueError),
        ({"action": "x.y", "payload": ["not", "a", "dict"]}, TypeError),
        ({"action": "x.y", "payload": {"date_of_birth": "1980-02-29"}}, ValueError),
        ({"action": "x.y", "payload": {"person": {"email": "a@b.example"}}}, ValueError),
        ({"action": "x.y", "payload": {"big": "x" * 70_000}}, ValueError),
        ({"action": "x.y", "actor": 42}, TypeError),
        ({"action": "x.y", "actor": "   "}, ValueError),
    ],
)
def test_bad_events_are_refused_and_nothing_is_written(kwargs, error):
    kwargs.setdefault("actor", None)
    with pytest.raises(error):
        audit_record(**kwargs)
    assert not AuditEvent.objects.exists()


def test_restricted_values_go_in_by_reference_only():
    ref = restricted_ref("1980-02-29")
    event = audit_record(
        actor=None, action="register.registrant.updated", payload={"date_of_birth": ref}
    )
    assert "1980" not in event.payload


def test_an_event_rolls_back_with_the_change_it_records(record):
    record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="accounts.role.granted")
        raise RuntimeError("the change failed")
    # The next event takes the next number: no gap where the rolled-back one was.
    assert audit_record(actor=None, action="accounts.role.revoked").seq == 3


def test_restricted_views_record_field_names_only(make_user):
    viewer, person = make_user(), make_user()
    event = audit_record_view(
        actor=viewer, subject=person, fields=["email", "date_of_birth", "email"]
    )
    assert event.action == "accounts.user.restricted_viewed"
    assert json.loads(event.payload) == {"fields": ["date_of_birth", "email"]}
    assert person.email not in event.payload
    with pytest.raises(ValueError):
        audit_record_view(actor=viewer, subject=person, fields=[])


def test_saved_rows_cannot_be_changed_through_the_model(record):
    event = AuditEvent.objects.get(seq=record(1)[0].seq)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_checkpoint_signs_the_merkle_root_of_the_entry_hashes(record):
    assert checkpoint_create() is None  # nothing to sign yet
    events = record(7)
    checkpoint = checkpoint_create()
    leaves = [bytes.fromhex(e.entry_hash) for e in events]
    assert checkpoint.tree_size == 7
    assert checkpoint.root_hash == merkle.root(leaves).hex()
    assert checkpoint.signature_problem() is None
    assert checkpoint.key_id == signing.key_id(bytes(signing.verify_key()))
    lines = checkpoint.note().splitlines()
    assert lines[:3] == [
        "steward-audit",
        "7",
        signing.checkpoint_body(7, merkle.root(leaves)).splitlines()[2],
    ]
    assert lines[4].startswith("\u2014 steward-audit ")
    # No new events: nothing new to sign.
    assert checkpoint_create() is None
    assert Checkpoint.objects.count() == 1


def test_checkpoint_signature_is_real_ed25519(record):
    from nacl.signing import VerifyKey

    record(3)
    checkpoint = checkpoint_create()
    import base64

    VerifyKey(bytes(signing.verify_key())).verify(
        checkpoint.body().encode(), base64.b64decode(checkpoint.signature)
    )
    forged = Checkpoint(
        tree_size=3, root_hash="00" * 32, key_id=checkpoint.key_id, signature=checkpoint.signature
    )
    assert forged.signature_problem() == "its signature does not match its contents"


def test_a_configured_signing_key_is_used(record, settings):
    settings.AUDIT_SIGNING_KEY = "11" * 32
    record(1)
    checkpoint = checkpoint_create()
    from nacl.signing import SigningKey

    assert checkpoint.key_id == signing.key_id(bytes(SigningKey(b"\x11" * 32).verify_key))
    assert checkpoint.signature_problem() is None


def test_a_malformed_signing_key_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_SIGNING_KEY = "not hex"
    with pytest.raises(ImproperlyConfigured):
        signing.signing_key()


def test_a_person_asking_for_a_checkpoint_is_recorded(record, make_user):
    record(2)
    checkpoint = checkpoint_create(actor=make_user())
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == "audit.checkpoint.created"
    assert json.loads(last.payload)["tree_size"] == checkpoint.tree_size == 2


def test_no_checkpoint_is_signed_over_a_broken_trail(record, tamper):
    record(3)
    tamper("UPDATE audit_auditevent SET reason = 'rewritten' WHERE seq = 2")
    with pytest.raises(AuditTrailBroken) as caught:
        checkpoint_create()
    assert caught.value.result.problem.seq == 2
    assert not Checkpoint.objects.exists()


def test_a_daily_checkpoint_is_scheduled():
    schedule = Schedule.objects.get(name=DAILY_CHECKPOINT_SCHEDULE)
    assert schedule.func == DAILY_CHECKPOINT_FUNC
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1


def test_the_schedule_is_not_duplicated_by_migrating_again():
    from django.apps import apps

    from steward.audit.apps import ensure_daily_checkpoint_schedule

    ensure_daily_checkpoint_schedule(sender=None, apps=apps)
    ensure_daily_checkpoint_schedule(sender=None, apps=apps)
    assert Schedule.objects.filter(name=DAILY_CHECKPOINT_SCHEDULE).count() == 1


def test_the_daily_task_signs_new_events_only(record):
    record(4)
    assert daily_checkpoint() == "Signed a checkpoint of 4 audit events."
    assert daily_checkpoint() == "No new audit events since the last checkpoint."
    record(1)
    assert daily_checkpoint() == "Signed a checkpoint of 5 audit events."
