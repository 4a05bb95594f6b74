import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from steward.concerns import crypto

SECRET = "My manager told me to change the incident date – Siobhán, ward 7"


def test_sealed_text_holds_no_plaintext_and_opens_again():
    sealed = crypto.seal_text(SECRET)
    assert SECRET.encode() not in sealed
    assert b"Siobh" not in sealed
    assert crypto.open_text(sealed) == SECRET


def test_sealing_twice_gives_different_bytes():
    # An ephemeral key per box: equal reports cannot be matched by their ciphertext.
    assert crypto.seal_text(SECRET) != crypto.seal_text(SECRET)


def test_json_round_trip():
    answers = {"what_happened": SECRET, "patients_harmed": "unknown", "files": 2}
    assert crypto.open_json(crypto.seal_json(answers)) == answers


@given(st.binary(max_size=2000))
def test_any_bytes_round_trip(data):
    assert crypto.open_bytes(crypto.seal_bytes(data)) == data


def test_damaged_or_foreign_data_does_not_open():
    sealed = bytearray(crypto.seal_text(SECRET))
    sealed[-1] ^= 1
    with pytest.raises(crypto.UnsealError):
        crypto.open_bytes(bytes(sealed))
    with pytest.raises(crypto.UnsealError):
        crypto.open_bytes(b"\x02" + bytes(sealed[1:]))


def test_another_key_cannot_open(settings):
    sealed = crypto.seal_text(SECRET)
    settings.CONCERNS_PRIVATE_KEY = "33" * 32
    with pytest.raises(crypto.UnsealError):
        crypto.open_text(sealed)


@pytest.mark.parametrize("value", ["abc", "11" * 31, "zz" * 32])
def test_a_malformed_key_is_refused(settings, value):
    settings.CONCERNS_PRIVATE_KEY = value
    with pytest.raises(ImproperlyConfigured, match="64 hex characters"):
        crypto.seal_text(SECRET)


def test_production_needs_a_key(settings):
    settings.CONCERNS_PRIVATE_KEY = ""
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(ImproperlyConfigured, match="not set"):
        crypto.seal_text(SECRET)
