"""Receipt codes: how a confidential or anonymous reporter comes back to their inbox.

A code is 20 characters from Crockford's base32 alphabet (100 bits of entropy),
shown once in five groups of four ("7KQ2-M9XD-P4TR-WB3H-6NCA"). People type codes
badly, so reading one ignores case, spaces and hyphens and treats I and L as 1
and O as 0.

Only an Argon2id hash of the code is stored. The salt is fixed for the
installation (derived from the concerns key), which makes the hash a lookup key:
a code is found by hashing what was typed and looking for that hash. Every code
presented, right or wrong, costs one Argon2id hash, so a wrong code and an
unknown one take the same time and get the same answer.
"""

import secrets

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
GROUPS = 5
GROUP_LENGTH = 4
CODE_LENGTH = GROUPS * GROUP_LENGTH
_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def receipt_code_generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def receipt_code_normalise(typed: str) -> str | None:
    """The code's 20 characters, or None when what was typed cannot be a code."""
    if not isinstance(typed, str) or len(typed) > 100:
        return None
    cleaned = "".join(ch for ch in typed.upper() if not ch.isspace() and ch != "-")
    cleaned = cleaned.translate(_TYPOS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def _salt() -> bytes:
    from steward.concerns.crypto import derived_secret

    return derived_secret(b"steward/concerns/receipt-salt/v1")[:16]


def receipt_code_hash(typed: str) -> str:
    """The stored form of a code (hex). A string that cannot be a code is hashed too,
    so a malformed code costs the same as a wrong one and matches nothing."""
    code = receipt_code_normalise(typed) or ("!" + (typed if isinstance(typed, str) else ""))[:100]
    digest = hash_secret_raw(
        secret=code.encode("utf-8"),
        salt=_salt(),
        time_cost=settings.RECEIPT_ARGON2_TIME_COST,
        memory_cost=settings.RECEIPT_ARGON2_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return digest.hex()
