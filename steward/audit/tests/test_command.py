import io

import pytest
from django.core.management import CommandError, call_command

from steward.audit import signing
from steward.audit.models import Checkpoint
from steward.audit.services import checkpoint_create

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_an_intact_trail_exits_zero(record):
    record(3)
    checkpoint_create()
    out, err = run("verify")
    assert "Audit trail intact: 3 events, 1 checkpoints" in out
    assert err == ""


def test_verify_a_broken_trail_exits_one_and_names_the_event(record, tamper):
    record(5)
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("audit", "verify", "--chunk-size", "2", stdout=out, stderr=err)
    assert caught.value.code == 1
    assert "Event 2 is missing" in err.getvalue()
    assert "First bad event: 2 (missing)" in err.getvalue()
    assert "intact:" not in out.getvalue()


def test_verify_refuses_a_silly_chunk_size():
    with pytest.raises(SystemExit) as caught:
        run("verify", "--chunk-size", "0")
    assert caught.value.code == 2


def test_checkpoint_signs_now_and_then_has_nothing_to_do(record):
    record(4)
    out, _ = run("checkpoint")
    assert "Signed a checkpoint of 4 events" in out
    assert "steward-audit\n4\n" in out
    assert Checkpoint.objects.get().tree_size == 4
    out, _ = run("checkpoint")  # only the command's own audit event is new
    assert "Signed a checkpoint of 5 events" in out


def test_checkpoint_refuses_a_broken_trail(record, tamper):
    record(3)
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 1")
    with pytest.raises(SystemExit) as caught:
        run("checkpoint")
    assert caught.value.code == 1
    assert not Checkpoint.objects.exists()


def test_public_key_is_printed():
    out, _ = run("public-key")
    key = bytes(signing.verify_key())
    assert f"Public key (hex): {key.hex()}" in out
    assert signing.verifier_key(key) in out


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        call_command("audit")
