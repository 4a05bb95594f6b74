import re

from hypothesis import given
from hypothesis import strategies as st

from steward.concerns.receipts import (
    ALPHABET,
    receipt_code_generate,
    receipt_code_hash,
    receipt_code_normalise,
)

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$")


def test_codes_are_readable_groups_and_differ():
    codes = {receipt_code_generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE_SHAPE.match(code) for code in codes)


def test_round_trip_through_the_hash():
    code = receipt_code_generate()
    stored = receipt_code_hash(code)
    assert code.replace("-", "") not in stored.upper()
    assert receipt_code_hash(code) == stored
    # Typed carelessly: lower case, spaces instead of hyphens, O for 0 and I/L for 1.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert receipt_code_hash(typed) == stored


def test_a_wrong_code_and_a_malformed_one_match_nothing():
    code = receipt_code_generate()
    stored = receipt_code_hash(code)
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    assert receipt_code_hash(wrong) != stored
    assert receipt_code_hash("not a code") != stored
    assert receipt_code_hash("") != stored
    assert len(receipt_code_hash("x" * 10_000)) == 64


@given(st.text(max_size=60))
def test_normalising_never_fails_and_only_accepts_codes(typed):
    cleaned = receipt_code_normalise(typed)
    assert cleaned is None or (len(cleaned) == 20 and set(cleaned) <= set(ALPHABET))


def test_the_salt_follows_the_concerns_key(settings):
    code = receipt_code_generate()
    before = receipt_code_hash(code)
    settings.CONCERNS_PRIVATE_KEY = "44" * 32
    assert receipt_code_hash(code) != before
