"""The audit trail: hash-chained events, signed checkpoints, verification runs.

Events and checkpoints are append-only. The database itself refuses UPDATE,
DELETE and TRUNCATE on their tables (triggers, see migration 0002), and the
models refuse to save an existing row, so a bug cannot quietly rewrite
history; the hash chain and the signed checkpoints make any change made
behind Steward's back detectable by ``steward audit verify``.

Write with :mod:`steward.audit.services` only: it assigns ``seq`` under a
lock and computes the hashes.
"""

import json

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.audit import canonical, signing


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only audit row."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    """One thing that happened, who did it and why, chained to the event before."""

    # The sequence number is the key: gap-free from 1, so a deleted row shows
    # as a gap and the Merkle leaf index is simply seq - 1.
    seq = models.PositiveBigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for Steward itself (a system actor).",
    )
    # "user:<pk>" for people (never their email: that is contact data), or
    # "system: <what>" for Steward's own jobs and commands.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, help_text="Dotted, e.g. accounts.role.granted")
    subject_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    subject_id = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    payload = models.TextField(default="{}", help_text="Canonical JSON; never restricted values.")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = "audit event"
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for the
            # "action starts with" filter; other databases ignore opclasses.
            models.Index(
                fields=["action"], name="audit_event_action", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["subject_type", "subject_id"], name="audit_event_subject"),
            models.Index(fields=["occurred_at"], name="audit_event_occurred_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="audit_event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def payload_data(self) -> dict:
        return json.loads(self.payload)

    def hash_fields(self) -> dict:
        """The fields that the entry hash covers, in the form they are hashed."""
        return {
            "seq": self.seq,
            "occurred_at": canonical.format_timestamp(self.occurred_at),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "reason": self.reason,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
        }

    def computed_hash(self) -> str:
        return canonical.entry_hash(**self.hash_fields())

    @property
    def actor_display(self) -> str:
        if self.actor_id is not None and self.actor is not None:
            return f"{self.actor.full_name or 'Unnamed person'} ({self.actor_label})"
        return self.actor_label

    @property
    def subject_display(self) -> str:
        if not self.subject_type:
            return ""
        return f"{self.subject_type} {self.subject_id}".strip()


class Checkpoint(AppendOnlyModel):
    """A signed Merkle tree head: the first ``tree_size`` events hash to ``root_hash``.

    Signed tree heads are public: publishing them (the API serves the latest)
    means Steward cannot later rewrite the events they cover without being
    caught, even by someone who controls the database.
    """

    tree_size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64, help_text="Hex SHA-256 Merkle root.")
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=8, help_text="C2SP key hash of the signing key (hex).")
    signature = models.CharField(max_length=88, help_text="Base64 Ed25519 signature.")

    class Meta:
        ordering = ["-tree_size"]
        get_latest_by = "tree_size"
        constraints = [
            models.CheckConstraint(
                condition=Q(tree_size__gte=1), name="audit_checkpoint_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"Checkpoint of {self.tree_size} events"

    @property
    def root_hash_bytes(self) -> bytes:
        return bytes.fromhex(self.root_hash)

    def body(self) -> str:
        return signing.checkpoint_body(self.tree_size, self.root_hash_bytes)

    def note(self) -> str:
        return signing.signed_note(
            self.body(), key_id_hex=self.key_id, signature_b64=self.signature
        )

    def signature_problem(self) -> str | None:
        try:
            body = self.body()
        except ValueError:
            return "its root hash is not a valid hash"
        return signing.verify(body, key_id_hex=self.key_id, signature_b64=self.signature)


class VerificationRun(models.Model):
    """One check of the whole trail, started by an auditor, run in the background.

    Unlike events this row changes as the check progresses; the request and
    the outcome are themselves recorded as audit events.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Checking"
        PASSED = "passed", "Intact"
        FAILED = "failed", "Problem found"
        ERROR = "error", "Could not finish"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_events = models.PositiveBigIntegerField(default=0)
    events_checked = models.PositiveBigIntegerField(default=0)
    checkpoints_checked = models.PositiveIntegerField(default=0)
    first_bad_seq = models.PositiveBigIntegerField(null=True, blank=True)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"

    def __str__(self) -> str:
        return f"Verification {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.PASSED, self.Status.FAILED, self.Status.ERROR}
