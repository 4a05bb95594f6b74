"""Every write to the audit trail.

Other apps call :func:`audit_record` inside the transaction that makes the
change it records, so the change and its record commit or roll back together.
Each event takes the next ``seq`` and the previous event's hash under a lock:
PostgreSQL takes a transaction-scoped advisory lock; SQLite already lets one
writer at a time in (``transaction_mode=IMMEDIATE`` in settings). The lock is
held until the caller's transaction ends, so keep audited transactions short.
"""

import logging
import re

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Max

from steward.audit import canonical, signing
from steward.audit.canonical import restricted_ref
from steward.audit.models import AuditEvent, Checkpoint, VerificationRun
from steward.core import clock

__all__ = [
    "AuditTrailBroken",
    "audit_record",
    "audit_record_view",
    "checkpoint_create",
    "restricted_ref",
    "verification_execute",
    "verification_request",
]

logger = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,5}$")
MAX_PAYLOAD_CHARS = 64 * 1024
MAX_LABEL_CHARS = 200
# Advisory lock keys ("STEWARDA" and "STEWARDC" as big-endian integers): one
# serialises appends to the chain, the other checkpoint signing, so signing
# (which reads the whole trail) never holds up writers.
CHAIN_LOCK_KEY = 0x5354455741524441
CHECKPOINT_LOCK_KEY = 0x5354455741524443
# Verifying this many events takes a few seconds: do it while the auditor waits.
VERIFY_INLINE_LIMIT = 20_000
PROGRESS_EVERY = 50_000

# Payload keys that name restricted data. Their value must be None or a
# restricted_ref() hash: a safety net for the rule that the trail, which
# auditors browse and which lives forever, never holds restricted values.
RESTRICTED_KEYS = frozenset(
    {
        "date_of_birth", "dob", "birth_date", "email", "email_address", "phone",
        "phone_number", "telephone", "mobile", "address", "home_address", "postcode",
        "ethnicity", "religion", "belief", "sexual_orientation", "gender_identity",
        "disability", "pregnancy", "marital_status", "national_insurance_number",
        "reporter_name", "reporter_email", "reporter_identity", "settlement_agreement",
    }
)  # fmt: skip


class AuditTrailBroken(Exception):
    """The trail failed verification, so Steward refuses to sign a checkpoint over it."""

    def __init__(self, result):
        super().__init__(result.summary())
        self.result = result


def _actor(actor):
    """(user or None, label): people by primary key, never by contact details."""
    user_model = get_user_model()
    if actor is None:
        return None, "system"
    if isinstance(actor, user_model):
        if actor.pk is None:
            raise ValueError("The actor must be a saved user.")
        return actor, f"user:{actor.pk}"
    if getattr(actor, "is_anonymous", False):
        return None, "anonymous"
    if isinstance(actor, str):
        label = " ".join(actor.split())
        if not label:
            raise ValueError("A system actor needs a name, e.g. 'steward demo'.")
        if not label.startswith("system: "):
            label = f"system: {label}"
        return None, label[:MAX_LABEL_CHARS]
    raise TypeError("The actor must be a user, a system actor's name, or None.")


def _subject(subject) -> tuple[str, str]:
    if subject is None:
        return "", ""
    meta = getattr(subject, "_meta", None)
    if meta is None:
        raise TypeError("The subject must be a model instance or None.")
    if subject.pk is None:
        raise ValueError(f"Cannot record an event about an unsaved {meta.label}.")
    return meta.label_lower, str(subject.pk)


def _refuse_restricted_values(value, path: str = "payload") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in RESTRICTED_KEYS and not (
                item is None or (isinstance(item, str) and item.startswith("sha256:"))
            ):
                raise ValueError(
                    f"{path}.{key} looks like restricted data: record restricted_ref(value) "
                    "instead of the value."
                )
            _refuse_restricted_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_restricted_values(item, f"{path}[{index}]")


def _payload_text(payload) -> str:
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise TypeError("The payload must be a dict.")
    value = canonical.to_json_value(payload)
    _refuse_restricted_values(value)
    text = canonical.canonical_json(value)
    if len(text) > MAX_PAYLOAD_CHARS:
        raise ValueError("The payload is too large to record (64 KB at most).")
    return text


def _lock(key: int, using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def audit_record(*, actor, action: str, reason: str = "", subject=None, payload=None) -> AuditEvent:
    """Append an event: ``actor`` did ``action`` to ``subject`` because ``reason``.

    ``actor`` is a User, None (Steward itself) or a system actor's name;
    ``payload`` holds the facts of the change (JSON-serialisable; dates,
    Decimals and UUIDs are converted canonically) and never restricted
    values: use :func:`restricted_ref` to refer to one.
    """
    user, actor_label = _actor(actor)
    if not isinstance(action, str) or len(action) > 100 or not ACTION_PATTERN.match(action):
        raise ValueError(
            f"Audit actions are dotted lower-case names, like accounts.role.granted; "
            f"got {action!r}."
        )
    subject_type, subject_id = _subject(subject)
    payload_text = _payload_text(payload)
    reason = reason or ""
    if not isinstance(reason, str):
        raise TypeError("The reason must be text.")
    using = DEFAULT_DB_ALIAS
    with transaction.atomic(using=using):
        _lock(CHAIN_LOCK_KEY, using)
        last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "entry_hash")
        last = last.first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, canonical.GENESIS_HASH)
        occurred_at = clock.now()
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor=user,
            actor_label=actor_label,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            reason=reason,
            payload=payload_text,
            prev_hash=prev_hash,
        )
        event.entry_hash = event.computed_hash()
        event.save(using=using)
    return event


def audit_record_view(*, actor, subject, fields: list[str], reason: str = "") -> AuditEvent:
    """Record that ``actor`` saw restricted ``fields`` of ``subject`` (names only, never values)."""
    if subject is None:
        raise ValueError("A restricted-data view needs the record that was viewed.")
    names = sorted({str(name) for name in fields})
    if not names:
        raise ValueError("Name the restricted fields that were viewed.")
    subject_type, _ = _subject(subject)
    return audit_record(
        actor=actor,
        action=f"{subject_type}.restricted_viewed",
        reason=reason,
        subject=subject,
        payload={"fields": names},
    )


def checkpoint_create(*, actor=None) -> Checkpoint | None:
    """Sign the tree head of the whole trail; None when nothing was added since the last one.

    The trail is verified first (which also computes the root): Steward never
    signs over a trail that is already broken; it raises :class:`AuditTrailBroken`.
    Reading the trail happens outside the chain lock, so events keep being
    recorded meanwhile; they go into the next checkpoint.
    """
    from steward.audit.verification import verify

    using = DEFAULT_DB_ALIAS
    size = AuditEvent.objects.using(using).aggregate(last=Max("seq"))["last"] or 0
    latest = Checkpoint.objects.using(using).order_by("-tree_size").first()
    if size == 0 or (latest is not None and latest.tree_size >= size):
        return None
    result = verify(upto=size, using=using)
    if not result.ok:
        logger.error("Audit checkpoint refused: %s", result.summary())
        raise AuditTrailBroken(result)
    root_hash = bytes.fromhex(result.root_hash)
    key_id, signature = signing.sign(signing.checkpoint_body(result.tree_size, root_hash))
    try:
        with transaction.atomic(using=using):
            _lock(CHECKPOINT_LOCK_KEY, using)
            if Checkpoint.objects.using(using).filter(tree_size__gte=result.tree_size).exists():
                return None  # another process signed this size (or more) meanwhile
            checkpoint = Checkpoint(
                tree_size=result.tree_size,
                root_hash=result.root_hash,
                created_at=clock.now(),
                key_id=key_id,
                signature=signature,
            )
            checkpoint.save(using=using)
    except IntegrityError:  # the same race on SQLite, caught by the unique size
        return None
    logger.info("Audit checkpoint signed: %s events", checkpoint.tree_size)
    if actor is not None:
        # A person or command asked for it: say so. (The nightly job does not, or
        # each checkpoint would leave an event for the next one to cover.)
        audit_record(
            actor=actor,
            action="audit.checkpoint.created",
            reason="Checkpoint requested",
            subject=checkpoint,
            payload={"tree_size": checkpoint.tree_size, "root_hash": checkpoint.root_hash},
        )
    return checkpoint


def verification_request(*, actor, reason: str = "") -> VerificationRun:
    """An auditor asks for the whole trail to be checked.

    Small trails are checked at once; longer ones by the background worker,
    and the auditor's page shows progress. Either way the request is itself an
    audit event.
    """
    with transaction.atomic():
        total = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
        run = VerificationRun.objects.create(
            requested_by=actor, requested_at=clock.now(), total_events=total
        )
        request_event = audit_record(
            actor=actor,
            action="audit.verification.requested",
            reason=reason or "Auditor asked for the audit trail to be verified",
            subject=run,
        )
        run.total_events = request_event.seq  # the check covers its own request too
        VerificationRun.objects.filter(pk=run.pk).update(total_events=run.total_events)
    if total <= VERIFY_INLINE_LIMIT:
        return verification_execute(run_id=run.pk)
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task(
            "steward.audit.tasks.run_verification", run.pk, task_name=f"audit verification {run.pk}"
        )
    )
    return run


def verification_execute(*, run_id: int) -> VerificationRun:
    """Run a requested verification, keeping its row up to date as it goes."""
    from steward.audit.verification import verify

    Status = VerificationRun.Status
    updated = VerificationRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=clock.now()
    )
    if not updated:  # already run (a retried task): nothing to do
        return VerificationRun.objects.get(pk=run_id)

    next_report = [PROGRESS_EVERY]

    def progress(done: int, total: int) -> None:
        if done >= next_report[0]:  # a write per chunk would slow the check down
            next_report[0] = done + PROGRESS_EVERY
            VerificationRun.objects.filter(pk=run_id).update(
                events_checked=done, total_events=total
            )

    try:
        result = verify(progress=progress)
    except Exception:
        logger.exception("Audit verification %s could not finish", run_id)
        VerificationRun.objects.filter(pk=run_id).update(
            status=Status.ERROR,
            finished_at=clock.now(),
            problem="The check stopped because of an error. Try again, or ask technical staff "
            "to look at the worker's log.",
        )
        return VerificationRun.objects.get(pk=run_id)

    problem = result.problem
    status = Status.PASSED if result.ok else Status.FAILED
    with transaction.atomic():
        VerificationRun.objects.filter(pk=run_id).update(
            status=status,
            finished_at=clock.now(),
            events_checked=result.events_checked,
            **({"total_events": result.events_checked} if result.ok else {}),
            checkpoints_checked=result.checkpoints_checked,
            first_bad_seq=problem.seq if problem else None,
            problem=problem.message if problem else "",
        )
        run = VerificationRun.objects.get(pk=run_id)
        audit_record(
            actor="audit verification",
            action="audit.verification.completed",
            reason="Verification finished",
            subject=run,
            payload={
                "outcome": status.value,
                "events_checked": result.events_checked,
                "checkpoints_checked": result.checkpoints_checked,
                "problem": problem.kind if problem else None,
                "first_bad_seq": problem.seq if problem else None,
            },
        )
    if not result.ok:
        logger.error("Audit verification %s found a problem: %s", run_id, problem.kind)
    return run
