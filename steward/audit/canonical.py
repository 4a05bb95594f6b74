"""Canonical JSON and the hash of an audit event.

An event's hash must be recomputable years later by anyone with the rows, in
any language, so the bytes hashed are defined here and nowhere else:

* JSON with keys sorted by code point, no insignificant whitespace, UTF-8,
  non-ASCII characters written as themselves (``ensure_ascii=False``), and no
  NaN or infinity;
* dates as ``YYYY-MM-DD``; datetimes in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``;
  Decimals and UUIDs as strings; sets as sorted lists.

The hashed document of an event is the canonical JSON object of all its
fields (``action``, ``actor_id``, ``actor_label``, ``occurred_at``,
``payload``, ``prev_hash``, ``reason``, ``seq``, ``subject_id``,
``subject_type``), with ``payload`` embedded as the JSON object it stores.
"""

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from json.encoder import encode_basestring as _string

from django.conf import settings

GENESIS_HASH = "0" * 64

# One encoder, built once: its settings *are* the canonical form.
_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def format_timestamp(value: dt.datetime) -> str:
    """A datetime as UTC with microseconds: ``2026-03-03T14:05:00.000000Z``."""
    if value.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    # isoformat is implemented in C; this runs once per event when verifying.
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def format_sqlite_timestamp(text: str) -> str:
    """:func:`format_timestamp` for a timestamp as Django stores it in SQLite.

    Django writes aware datetimes to SQLite as UTC text, ``YYYY-MM-DD
    HH:MM:SS[.ffffff]``; rearranging that text is much faster than parsing it
    into a datetime and formatting it again. Any other text (only a tampered
    row holds one) is parsed if possible, and otherwise returned unchanged so
    that the event's hash fails to match rather than verification crashing.
    """
    if len(text) == 26 and text[10] == " " and text[19] == ".":
        return f"{text[:10]}T{text[11:]}Z"
    if len(text) == 19 and text[10] == " ":
        return f"{text[:10]}T{text[11:]}.000000Z"
    from django.utils.dateparse import parse_datetime

    try:
        parsed = parse_datetime(text)
    except (TypeError, ValueError):
        return str(text)
    if parsed is None:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return format_timestamp(parsed)


def to_json_value(value):
    """``value`` made of JSON types only, converting the types Steward records.

    Model instances become ``{"type": "app.model", "id": "pk"}`` references so a
    payload can never carry a row's other (possibly restricted) fields.
    """
    from django.db.models import Model

    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json_value(value.value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Model):
        if value.pk is None:
            raise ValueError(f"Cannot refer to an unsaved {value._meta.label}.")
        return {"type": value._meta.label_lower, "id": str(value.pk)}
    if isinstance(value, Mapping):
        converted = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}.")
            converted[key] = to_json_value(item)
        return converted
    if isinstance(value, set | frozenset):
        items = [to_json_value(item) for item in value]
        return sorted(items, key=canonical_json)
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    raise TypeError(f"{type(value).__name__} values cannot be recorded in the audit trail.")


def canonical_json(value) -> str:
    """The canonical JSON text of ``value`` (converted with :func:`to_json_value`)."""
    return _encode(to_json_value(value))


def _document(
    seq,
    occurred_at,
    actor_id,
    actor_label,
    action,
    subject_type,
    subject_id,
    reason,
    payload,
    prev_hash,
) -> bytes:
    # Written out key by key in sorted order with json's own C string encoder
    # (the one json.dumps uses with ensure_ascii=False), and the stored payload
    # text spliced in as is: exactly the canonical JSON of the whole event,
    # without building an encoder or parsing the payload per event. Verifying
    # a million events spends most of its time here. test_canonical.py checks
    # the output against json.dumps.
    actor = "null" if actor_id is None else int.__repr__(actor_id)
    return (
        f'{{"action":{_string(action)},"actor_id":{actor},'
        f'"actor_label":{_string(actor_label)},"occurred_at":{_string(occurred_at)},'
        f'"payload":{payload},"prev_hash":{_string(prev_hash)},"reason":{_string(reason)},'
        f'"seq":{int.__repr__(seq)},"subject_id":{_string(subject_id)},'
        f'"subject_type":{_string(subject_type)}}}'
    ).encode()


def entry_document(
    *,
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    subject_type: str,
    subject_id: str,
    reason: str,
    payload: str,
    prev_hash: str,
) -> bytes:
    """The canonical bytes hashed for one event.

    ``occurred_at`` is already formatted (:func:`format_timestamp`) and
    ``payload`` is the stored canonical JSON text.
    """
    return _document(
        seq,
        occurred_at,
        actor_id,
        actor_label,
        action,
        subject_type,
        subject_id,
        reason,
        payload,
        prev_hash,
    )


def entry_document_from_row(row, timestamp=format_timestamp) -> bytes:
    """:func:`entry_document` for a database row: (seq, occurred_at, actor_id, actor_label,
    action, subject_type, subject_id, reason, payload, prev_hash, …), where
    ``timestamp(occurred_at)`` formats the second column."""
    return _document(row[0], timestamp(row[1]), *row[2:10])


def entry_hash(**fields) -> str:
    """Hex SHA-256 of :func:`entry_document`."""
    return hashlib.sha256(entry_document(**fields)).hexdigest()


def _restricted_ref_key() -> bytes:
    # Domain-separated from every other use of SECRET_KEY, so the salt reveals
    # nothing about the key and cannot be confused with another derived secret.
    return hashlib.sha256(
        b"steward/audit/restricted-ref-salt/v1\x00" + settings.SECRET_KEY.encode()
    ).digest()


def restricted_ref(value) -> str:
    """Refer to a restricted value (a date of birth, an email address …) without recording it.

    Returns ``"sha256:<hex>"``, an HMAC-SHA-256 of the value's canonical JSON
    keyed with a salt derived from ``SECRET_KEY``: the same value always gives
    the same reference, so an auditor holding the value can check it, but the
    reference cannot be reversed by guessing without the key. Normalise the
    value first (for example lower-case an email address) if equivalent
    spellings should match.
    """
    message = canonical_json(value).encode()
    return "sha256:" + hmac.new(_restricted_ref_key(), message, hashlib.sha256).hexdigest()
