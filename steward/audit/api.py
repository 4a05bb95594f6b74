"""The audit trail's API: signed tree heads for everyone, events for auditors.

Signed tree heads are public on purpose: anyone who keeps a copy can later
hold Steward to them. Events are for auditors only, and hold no restricted
values by design (payloads refer to such values by salted hash).
"""

import base64
import datetime as dt
import json

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from steward.accounts.api_auth import bearer_or_session
from steward.audit import selectors, signing
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut, InvalidRequestOut

router = Router(tags=["Audit trail"])


class PublicKeyOut(Schema):
    origin: str = Field(description="The checkpoint origin line.")
    algorithm: str = "Ed25519"
    key_id: str = Field(description="C2SP key hash, hex.")
    public_key: str = Field(description="Ed25519 public key, hex.")
    public_key_base64: str
    verifier_key: str = Field(description="C2SP signed-note verifier key.")


class CheckpointOut(Schema):
    tree_size: int
    root_hash: str = Field(
        description="RFC 9162 Merkle tree hash of the first tree_size events, hex."
    )
    created_at: dt.datetime
    key_id: str
    signature: str = Field(description="Ed25519 signature of the checkpoint body, base64.")
    public_key: str = Field(description="Ed25519 public key, hex.")
    note: str = Field(description="The checkpoint as a C2SP signed note.")


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    subject_type: str
    subject_id: str
    reason: str
    payload: dict | None
    prev_hash: str
    entry_hash: str


class EventListOut(Schema):
    items: list[EventOut]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page.")


class EventQuery(Schema):
    action: str = Field("", max_length=100, description="Action starts with.")
    actor_id: int | None = Field(None, ge=1, le=selectors.MAX_SEQ)
    subject_type: str = Field("", max_length=100)
    subject_id: str = Field("", max_length=100)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    before: int | None = Field(None, ge=1, le=selectors.MAX_SEQ, description="Paging cursor.")
    limit: int = Field(50, ge=1, le=200)


def _public_key_hex() -> str:
    return bytes(signing.verify_key()).hex()


@router.get("/audit/public-key", response=PublicKeyOut, auth=None, summary="Audit signing key")
def public_key(request):
    """The key that signs audit checkpoints."""
    key = bytes(signing.verify_key())
    return {
        "origin": signing.ORIGIN,
        "key_id": signing.key_id(key),
        "public_key": key.hex(),
        "public_key_base64": base64.b64encode(key).decode(),
        "verifier_key": signing.verifier_key(key),
    }


@router.get(
    "/audit/checkpoints/latest",
    response={200: CheckpointOut, 404: ErrorOut},
    auth=None,
    summary="Latest signed checkpoint",
)
def checkpoint_latest(request):
    """The latest signed tree head of the audit trail."""
    checkpoint = selectors.checkpoint_latest()
    if checkpoint is None:
        raise Http404("No checkpoint has been signed yet.")
    return {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "created_at": checkpoint.created_at,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "public_key": _public_key_hex(),
        "note": checkpoint.note(),
    }


def _payload(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@router.get(
    "/audit/events",
    response={200: EventListOut, **AUTH_ERRORS, 422: InvalidRequestOut},
    auth=bearer_or_session,
    summary="Audit events (auditors)",
)
def event_list(request, filters: Query[EventQuery]):
    """Audit events, newest first, for auditors. Page with `before`."""
    if not request.auth.has_perm("audit.view_auditevent"):
        raise HttpError(403, "Only auditors can read the audit trail.")
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise HttpError(422, "date_to must be the same as or after date_from.")
    page = selectors.event_page(
        filters=selectors.EventFilters(
            action_prefix=filters.action.strip().lower(),
            actor_id=filters.actor_id,
            subject_type=filters.subject_type.strip().lower(),
            subject_id=filters.subject_id.strip(),
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
        before=filters.before,
        per_page=filters.limit,
        with_payload=True,
    )
    return {
        "items": [
            {
                "seq": e.seq,
                "occurred_at": e.occurred_at,
                "actor_id": e.actor_id,
                "actor_label": e.actor_label,
                "action": e.action,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "reason": e.reason,
                "payload": _payload(e.payload),
                "prev_hash": e.prev_hash,
                "entry_hash": e.entry_hash,
            }
            for e in page.events
        ],
        "next_before": page.older_before,
    }
