"""Ed25519 signatures on checkpoints, in the C2SP signed-note format.

A checkpoint's signed text is the body of a C2SP ``tlog-checkpoint``::

    steward-audit
    <tree size>
    <base64 root hash>

and its signature is published as a signed-note signature line, so standard
transparency-log tooling can check it. The key ID is the C2SP one: the first
four bytes of SHA-256(name || "\\n" || 0x01 || public key).

The signing key is ``settings.AUDIT_SIGNING_KEY`` (a 32-byte seed as 64 hex
characters). Settings refuse an empty key in production; locally a key is
derived from ``SECRET_KEY`` so the demo works. Keys are derived on each use,
never cached in the process, so changing settings (or a test overriding them)
takes effect at once.
"""

import base64
import binascii
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ORIGIN = "steward-audit"
ED25519_ALGORITHM = b"\x01"  # the C2SP signed-note signature type for Ed25519


def _seed() -> bytes:
    configured = (getattr(settings, "AUDIT_SIGNING_KEY", "") or "").strip()
    if configured:
        try:
            seed = bytes.fromhex(configured)
        except ValueError:
            seed = b""
        if len(seed) != 32:
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be 64 hex characters (32 bytes).")
        return seed
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY is not set (64 hex characters).")
    # Local use only: a deterministic key, domain-separated from every other
    # secret derived from SECRET_KEY.
    return hashlib.sha256(
        b"steward/audit/checkpoint-signing-key/v1\x00" + settings.SECRET_KEY.encode()
    ).digest()


def signing_key() -> SigningKey:
    return SigningKey(_seed())


def verify_key() -> VerifyKey:
    return signing_key().verify_key


def key_hash(public_key: bytes, name: str = ORIGIN) -> bytes:
    """The four-byte C2SP key hash that names a key in signature lines."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_ALGORITHM + public_key).digest()[:4]


def key_id(public_key: bytes) -> str:
    return key_hash(public_key).hex()


def verifier_key(public_key: bytes) -> str:
    """The C2SP verifier key string: ``name+hash+base64(type || key)``."""
    encoded = base64.b64encode(ED25519_ALGORITHM + public_key).decode()
    return f"{ORIGIN}+{key_id(public_key)}+{encoded}"


def known_verify_keys() -> dict[str, VerifyKey]:
    """Keys whose checkpoints verify: the current key, plus retired ones.

    ``AUDIT_PREVIOUS_VERIFY_KEYS`` (a list of 64-hex public keys, optional)
    lets checkpoints signed before a key rotation keep verifying.
    """
    keys = {}
    for hex_key in getattr(settings, "AUDIT_PREVIOUS_VERIFY_KEYS", []) or []:
        public = bytes.fromhex(hex_key)
        keys[key_id(public)] = VerifyKey(public)
    current = verify_key()
    keys[key_id(bytes(current))] = current
    return keys


def checkpoint_body(tree_size: int, root_hash: bytes) -> str:
    return f"{ORIGIN}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\n"


def sign(body: str) -> tuple[str, str]:
    """Sign a checkpoint body: (key ID, base64 signature)."""
    key = signing_key()
    signature = key.sign(body.encode()).signature
    return key_id(bytes(key.verify_key)), base64.b64encode(signature).decode()


def verify(body: str, *, key_id_hex: str, signature_b64: str) -> str | None:
    """None when the signature is good, otherwise what is wrong with it."""
    key = known_verify_keys().get(key_id_hex)
    if key is None:
        return f"it was signed with key {key_id_hex}, which Steward does not know"
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        key.verify(body.encode(), signature)
    except (BadSignatureError, binascii.Error, ValueError):
        return "its signature does not match its contents"
    return None


def signed_note(body: str, *, key_id_hex: str, signature_b64: str) -> str:
    """The checkpoint as a complete C2SP signed note."""
    blob = bytes.fromhex(key_id_hex) + base64.b64decode(signature_b64)
    return f"{body}\n\u2014 {ORIGIN} {base64.b64encode(blob).decode()}\n"
