"""Sealing concern content and reporter identity to the regulator's concerns key.

Everything a reporter tells Steward (the report, messages, files, and the
identity of an open or confidential reporter) is stored as a libsodium sealed
box (PyNaCl ``SealedBox``) to the concerns public key. Sealing needs only the
public key; opening needs the private key, and callers go through services that
record each opening in the audit trail. A sealed box is anonymous: it carries no
sender identity and no timestamp.

The key is ``settings.CONCERNS_PRIVATE_KEY`` (32 bytes as 64 hex characters).
Local use and tests derive one from SECRET_KEY, domain-separated from every other
derived secret.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

# Sealed payloads start with a version byte, so the scheme can change later.
FORMAT_V1 = b"\x01"


class UnsealError(Exception):
    """A sealed value could not be opened (wrong key, or damaged data)."""


def _private_key_bytes() -> bytes:
    configured = (getattr(settings, "CONCERNS_PRIVATE_KEY", "") or "").strip()
    if configured:
        try:
            raw = bytes.fromhex(configured)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured("CONCERNS_PRIVATE_KEY must be 64 hex characters (32 bytes).")
        return raw
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise ImproperlyConfigured("CONCERNS_PRIVATE_KEY is not set (64 hex characters).")
    return hashlib.sha256(
        b"steward/concerns/sealing-key/v1\x00" + settings.SECRET_KEY.encode()
    ).digest()


def derived_secret(purpose: bytes) -> bytes:
    """A 32-byte secret for one purpose (e.g. ``b"steward/concerns/receipt-salt/v1"``),
    derived from the concerns key: HMAC-SHA256, so purposes never share a secret and
    none reveals the key."""
    return hmac.new(_private_key_bytes(), purpose, hashlib.sha256).digest()


def private_key() -> PrivateKey:
    return PrivateKey(_private_key_bytes())


def public_key() -> PublicKey:
    return private_key().public_key


def seal_bytes(data: bytes) -> bytes:
    return FORMAT_V1 + SealedBox(public_key()).encrypt(data)


def open_bytes(sealed: bytes) -> bytes:
    sealed = bytes(sealed)
    if not sealed.startswith(FORMAT_V1):
        raise UnsealError("Unknown sealed format.")
    try:
        return SealedBox(private_key()).decrypt(sealed[len(FORMAT_V1) :])
    except CryptoError as exc:
        raise UnsealError("The sealed value could not be opened.") from exc


def seal_text(text: str) -> bytes:
    return seal_bytes(text.encode("utf-8"))


def open_text(sealed: bytes) -> str:
    return open_bytes(sealed).decode("utf-8")


def seal_json(value) -> bytes:
    """Seal a JSON-serialisable value (e.g. a report's answers)."""
    return seal_bytes(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def open_json(sealed: bytes):
    return json.loads(open_bytes(sealed))
