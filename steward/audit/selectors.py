"""Reads from the audit trail: filtered pages of events, proofs, checkpoints, runs.

Pages use keyset pagination on ``seq`` (never OFFSET or COUNT), so a page
costs the same few queries on the first day and on the millionth event.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from steward.audit import merkle
from steward.audit.models import AuditEvent, Checkpoint, VerificationRun

MAX_SEQ = 2**63 - 1  # the largest value a database bigint holds
PER_PAGE = 50
STREAM_CHUNK = 5000


@dataclass(frozen=True)
class EventFilters:
    action_prefix: str = ""
    actor_id: int | None = None
    actor_label: str = ""
    subject_type: str = ""
    subject_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    restricted_views_only: bool = False


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    newer_after: int | None  # pass as ?after= for the newer page, if there is one
    older_before: int | None  # pass as ?before= for the older page, if there is one


def _start_of_day(day: dt.date) -> dt.datetime:
    # Days are Europe/London days, as people read them.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_filtered(filters: EventFilters) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if filters.action_prefix:
        qs = qs.filter(action__startswith=filters.action_prefix)
    if filters.restricted_views_only:
        qs = qs.filter(action__endswith=".restricted_viewed")
    if filters.actor_id is not None:
        qs = qs.filter(actor_id=filters.actor_id)
    elif filters.actor_label:
        qs = qs.filter(actor_label=filters.actor_label)
    if filters.subject_type:
        qs = qs.filter(subject_type=filters.subject_type)
    if filters.subject_id:
        qs = qs.filter(subject_id=filters.subject_id)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_start_of_day(filters.date_from))
    if filters.date_to and filters.date_to < dt.date.max:
        qs = qs.filter(occurred_at__lt=_start_of_day(filters.date_to + dt.timedelta(days=1)))
    return qs


def event_page(
    *,
    filters: EventFilters,
    before: int | None = None,
    after: int | None = None,
    per_page: int = PER_PAGE,
    with_payload: bool = False,
) -> EventPage:
    """One page of matching events, newest first: two queries whatever the trail's size."""
    qs = events_filtered(filters).select_related("actor")
    if not with_payload:
        qs = qs.defer("payload")  # up to 64 KB each, and lists do not show it
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: per_page + 1])
        has_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_older = bool(rows) and qs.filter(seq__lte=after).exists()
    else:
        page_qs = qs.filter(seq__lt=before) if before is not None else qs
        rows = list(page_qs.order_by("-seq")[: per_page + 1])
        has_older = len(rows) > per_page
        rows = rows[:per_page]
        has_newer = before is not None and qs.filter(seq__gte=before).exists()
    return EventPage(
        events=rows,
        newer_after=rows[0].seq if rows and has_newer else None,
        older_before=rows[-1].seq if rows and has_older else None,
    )


def event_get(*, seq: int) -> AuditEvent | None:
    if not 1 <= seq <= MAX_SEQ:
        return None
    return AuditEvent.objects.select_related("actor").filter(seq=seq).first()


def event_neighbours(*, seq: int) -> tuple[int | None, int | None]:
    """The seqs before and after this one, if those events exist."""
    present = set(
        AuditEvent.objects.filter(seq__in=[seq - 1, seq + 1]).values_list("seq", flat=True)
    )
    return (seq - 1 if seq - 1 in present else None, seq + 1 if seq + 1 in present else None)


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def checkpoints_recent(*, limit: int = 10) -> list[Checkpoint]:
    return list(Checkpoint.objects.order_by("-tree_size")[:limit])


def verification_run_latest() -> VerificationRun | None:
    return (
        VerificationRun.objects.select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )


def trail_size() -> int:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


class ProofUnavailable(Exception):
    """The events a proof needs are not all there (the trail is broken)."""


@dataclass(frozen=True)
class InclusionProof:
    checkpoint: Checkpoint
    leaf_index: int
    hashes: list[str]  # hex, in proof order
    verified: bool  # the proof leads to the checkpoint's root and its signature is good


def _range_roots(ranges: list[merkle.Range], size: int) -> list[bytes]:
    """Roots of several disjoint leaf ranges, in one streamed pass over the trail."""
    order = sorted(range(len(ranges)), key=lambda i: ranges[i][0])
    roots: list[bytes] = [b""] * len(ranges)
    position = 0
    tree = merkle.MerkleAccumulator()
    buffer: list[bytes] = []
    rows = (
        AuditEvent.objects.filter(seq__lte=size)
        .order_by("seq")
        .values_list("seq", "entry_hash")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    expected = 0
    for seq, entry_hash in rows:
        index = seq - 1
        if index != expected:
            raise ProofUnavailable(f"Event {expected + 1} is missing.")
        expected += 1
        if position >= len(order):
            break
        lo, hi = ranges[order[position]]
        if index < lo:
            continue  # the proven leaf itself is in no range
        try:
            buffer.append(bytes.fromhex(entry_hash))
        except ValueError:
            raise ProofUnavailable(f"Event {seq} has a malformed hash.") from None
        if len(buffer) >= STREAM_CHUNK:
            tree.add_leaves(buffer)
            buffer = []
        if index == hi - 1:
            tree.add_leaves(buffer)
            buffer = []
            roots[order[position]] = tree.root()
            tree = merkle.MerkleAccumulator()
            position += 1
    if position < len(order):
        raise ProofUnavailable("The trail is shorter than the checkpoint.")
    return roots


def inclusion_proof(*, event: AuditEvent, checkpoint: Checkpoint | None) -> InclusionProof | None:
    """The audit path from ``event`` to ``checkpoint``'s signed root, or None if not covered.

    Reads the entry hashes of the checkpoint's events once, in one streamed
    query; a few seconds for a million events.
    """
    if checkpoint is None or event.seq > checkpoint.tree_size:
        return None
    index, size = event.seq - 1, checkpoint.tree_size
    hashes = _range_roots(merkle.inclusion_ranges(index, size), size)
    try:
        # Prove the event's contents as they are now: if they were changed after
        # signing, their hash is not the leaf the checkpoint committed to.
        leaf, root_hash = bytes.fromhex(event.computed_hash()), checkpoint.root_hash_bytes
    except ValueError:
        raise ProofUnavailable("A hash is malformed.") from None
    verified = checkpoint.signature_problem() is None and merkle.verify_inclusion(
        index=index, size=size, leaf=merkle.leaf_hash(leaf), proof=hashes, root_hash=root_hash
    )
    return InclusionProof(
        checkpoint=checkpoint, leaf_index=index, hashes=[h.hex() for h in hashes], verified=verified
    )
