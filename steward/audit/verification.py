"""Recompute the whole audit trail and name the first thing wrong with it.

Events are read in ``seq`` order a chunk at a time (keyset pagination on
the primary key, plain tuples from ``values_list``), so memory stays flat
however long the trail is. For each event the checks are, in order:

1. its ``seq`` is the next number (a gap means a deleted event);
2. its ``prev_hash`` is the previous event's ``entry_hash`` (a wrong link
   means events were deleted, inserted or reordered);
3. its ``entry_hash`` is the hash of its fields (a mismatch means it was
   changed after it was recorded).

Meanwhile the Merkle tree of the entry hashes grows in constant memory; at
each checkpoint's size the recomputed root must equal the signed one and the
Ed25519 signature must verify. The first problem in trail order is reported.
"""

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max, TextField
from django.db.models.functions import Cast

from steward.audit import canonical, guards, merkle
from steward.audit.models import AuditEvent, Checkpoint

EVENT_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "subject_type", "subject_id",
    "reason", "payload", "prev_hash", "entry_hash",
)  # fmt: skip
DEFAULT_CHUNK_SIZE = 5000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong: what, and where (an event's seq and/or a checkpoint)."""

    kind: str  # missing | out_of_order | changed | checkpoint_mismatch | bad_signature
    message: str
    seq: int | None = None
    checkpoint_id: int | None = None


@dataclass(frozen=True)
class VerificationResult:
    events_checked: int
    checkpoints_checked: int
    tree_size: int = 0
    root_hash: str = ""  # hex Merkle root of the first tree_size events (when intact)
    problem: Problem | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.ok:
            return (
                f"Audit trail intact: {self.events_checked} events, "
                f"{self.checkpoints_checked} checkpoints"
            )
        return f"Audit trail NOT intact: {self.problem.message}"


@dataclass
class _Checkpoint:
    id: int
    tree_size: int
    root_hash: str
    key_id: str
    signature: str

    def problem(self, computed_root: bytes) -> Problem | None:
        where = f"Checkpoint {self.id} (the first {self.tree_size} events)"
        model = Checkpoint(
            tree_size=self.tree_size,
            root_hash=self.root_hash,
            key_id=self.key_id,
            signature=self.signature,
        )
        signature_problem = model.signature_problem()
        if signature_problem:
            return Problem(
                "bad_signature",
                f"{where} is not genuine: {signature_problem}.",
                checkpoint_id=self.id,
            )
        if computed_root.hex() != self.root_hash:
            return Problem(
                "checkpoint_mismatch",
                f"{where} does not match the events: at least one of them was changed "
                "and the hashes after it recomputed.",
                checkpoint_id=self.id,
            )
        return None


def _event_problem(seq, expected, prev_hash, previous, stored, computed) -> Problem | None:
    if seq != expected:
        if seq > expected:
            return Problem(
                "missing",
                f"Event {expected} is missing: it was deleted, or its sequence number changed.",
                seq=expected,
            )
        return Problem("out_of_order", f"Event {seq} has an unexpected sequence number.", seq=seq)
    if prev_hash != previous:
        if seq == 1:
            return Problem(
                "out_of_order",
                "Event 1 does not start the trail: its link to the "
                "previous event should be all zeros.",
                seq=1,
            )
        return Problem(
            "out_of_order",
            f"Event {seq} does not follow event {seq - 1}: its link to the previous event is "
            "wrong, so events were deleted, inserted or reordered.",
            seq=seq,
        )
    if computed != stored:
        return Problem(
            "changed",
            f"Event {seq} was changed after it was recorded: its contents no longer match "
            "its hash.",
            seq=seq,
        )
    return None


def _event_rows(using: str):
    """Event rows as plain tuples in seq order, ready to hash.

    On SQLite the timestamp comes back as the stored text: Django's datetime
    converter would otherwise be a third of the cost of verifying.
    """
    queryset = AuditEvent.objects.using(using).order_by("seq")
    if connections[using].vendor == "sqlite":
        queryset = queryset.annotate(occurred_text=Cast("occurred_at", TextField()))
        return queryset.values_list("seq", "occurred_text", *EVENT_FIELDS[2:])
    return queryset.values_list(*EVENT_FIELDS)


def verify(
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Progress | None = None,
    upto: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> VerificationResult:
    """Check every event and checkpoint (or the first ``upto`` events and their checkpoints).

    Events recorded while this runs are left for the next run: checkpoints
    are read first, then the last ``seq``, and nothing after it is read.
    """
    connection = connections[using]
    warnings = tuple(
        f"The database no longer refuses changes to the audit trail: trigger {name} is missing."
        for name in guards.missing_guards(connection)
    )
    checkpoints = [
        _Checkpoint(*row)
        for row in Checkpoint.objects.using(using)
        .order_by("tree_size", "id")
        .values_list("id", "tree_size", "root_hash", "key_id", "signature")
    ]
    upper = AuditEvent.objects.using(using).aggregate(last=Max("seq"))["last"] or 0
    if upto is not None:
        upper = min(upper, upto)
        checkpoints = [cp for cp in checkpoints if cp.tree_size <= upto]
    pending = deque(cp for cp in checkpoints if cp.tree_size <= upper)
    beyond = [cp for cp in checkpoints if cp.tree_size > upper]

    tree = merkle.MerkleAccumulator()
    checked_checkpoints = 0
    expected = 0
    previous = canonical.GENESIS_HASH
    document = canonical.entry_document_from_row
    sha256 = hashlib.sha256
    queryset = _event_rows(using)
    timestamp = (
        canonical.format_sqlite_timestamp
        if connection.vendor == "sqlite"
        else canonical.format_timestamp
    )

    def result(problem: Problem | None = None) -> VerificationResult:
        return VerificationResult(
            events_checked=tree.size,
            checkpoints_checked=checked_checkpoints,
            tree_size=tree.size,
            root_hash=tree.root().hex() if problem is None else "",
            problem=problem,
            warnings=warnings,
        )

    last_seq = 0
    while last_seq < upper:
        rows = list(queryset.filter(seq__gt=last_seq, seq__lte=upper)[:chunk_size])
        if not rows:
            break
        leaves: list[bytes] = []
        problem = None
        for row in rows:
            seq, prev_hash, stored = row[0], row[9], row[10]
            expected += 1
            computed = sha256(document(row, timestamp)).hexdigest()
            if seq != expected or prev_hash != previous or computed != stored:
                problem = _event_problem(seq, expected, prev_hash, previous, stored, computed)
                break
            previous = stored
            leaves.append(bytes.fromhex(stored))
        last_seq = rows[-1][0]

        # Grow the tree to each checkpoint inside the good part of this chunk.
        position = 0
        while pending and pending[0].tree_size <= tree.size + len(leaves) - position:
            checkpoint = pending.popleft()
            take = checkpoint.tree_size - tree.size
            tree.add_leaves(leaves[position : position + take])
            position += take
            checkpoint_problem = checkpoint.problem(tree.root())
            if checkpoint_problem:
                return result(checkpoint_problem)
            checked_checkpoints += 1
        tree.add_leaves(leaves[position:])
        if problem:
            return result(problem)
        if progress:
            progress(tree.size, upper)

    if expected < upper:  # the last rows vanished while we read
        return result(Problem("missing", f"Event {expected + 1} is missing.", seq=expected + 1))
    for checkpoint in beyond:
        return result(
            Problem(
                "missing",
                f"Checkpoint {checkpoint.id} covers {checkpoint.tree_size} events but the trail "
                f"ends at event {upper}: the events after it were deleted.",
                seq=upper + 1,
                checkpoint_id=checkpoint.id,
            )
        )
    return result()
