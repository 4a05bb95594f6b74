"""Concerns raised with the regulator: open, confidential or anonymous.

What the reporter says (the report, messages, files) and who an open or
confidential reporter is are stored only as sealed boxes to the concerns key
(``concerns/crypto.py``). Dates, never times, are kept for anything the reporter
does, and a receipt code is stored only as its Argon2id hash: nothing here can
date a submission more finely than the day or tie it to a client. See ADR 005.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core import clock


def random_id() -> int:
    """A random primary key. Sequential keys would order anonymous submissions and
    replies among audited events with exact times, dating them more finely than the day."""
    return secrets.randbelow(2**62) + 1


class Anonymity(models.TextChoices):
    OPEN = "open", "Open"
    CONFIDENTIAL = "confidential", "Confidential"
    ANONYMOUS = "anonymous", "Anonymous"


class ConcernStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    AWAITING_REPORTER = "awaiting_reporter", "Awaiting the reporter"
    CLOSED = "closed", "Closed"
    REFERRED_TO_EMPLOYER = "referred_to_employer", "Referred to the employer"
    CASE_RECOMMENDED = "case_recommended", "Fitness-to-practise case recommended"
    URGENT_ACTION = "urgent_action", "Urgent interim action"


class Concern(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    # A random reference people can quote (never a count of concerns received).
    reference = models.CharField(max_length=20, unique=True)
    anonymity = models.CharField(max_length=20, choices=Anonymity.choices)
    status = models.CharField(
        max_length=30, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    received_on = models.DateField()

    # Who and what it is about.
    subject_registrant = models.ForeignKey(
        "register.Registrant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_about",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    # Sealed: the answers (what happened, when, who was affected, harm, raised locally)
    # and, when the manager is not on the register, the reporter's description of them.
    content_sealed = models.BinaryField()
    subject_description_sealed = models.BinaryField(null=True, blank=True)
    # Sealed: an open or confidential reporter's name and contact details.
    reporter_identity_sealed = models.BinaryField(null=True, blank=True)
    # Only for open reporters who chose to use their account.
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_raised",
    )
    # The Argon2id hash of the receipt code (hex); also how the inbox finds the concern.
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # What the reporter allowed: may the employer see the report (never their identity)?
    employer_may_see = models.BooleanField(default=False)
    # A report that someone was victimised for speaking up (itself a never event).
    is_detriment = models.BooleanField(default=False)

    acknowledge_by = models.DateField()
    feedback_by = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    first_feedback_on = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_assigned",
    )
    # The day the manager it is about was told (only once triaged into a case or
    # referred to the employer; never who raised it).
    subject_told_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [models.Index(fields=["status", "acknowledge_by"], name="concern_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity="anonymous")
                | Q(reporter_identity_sealed__isnull=False)
                | Q(reporter_user__isnull=False),
                name="named_reporter_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(anonymity="anonymous")
                | (Q(reporter_identity_sealed__isnull=True) & Q(reporter_user__isnull=True)),
                name="anonymous_reporter_is_unknown",
            ),
            models.CheckConstraint(
                condition=Q(subject_registrant__isnull=False)
                | Q(organisation__isnull=False)
                | Q(subject_description_sealed__isnull=False),
                name="concern_is_about_someone_or_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class MessageAuthor(models.TextChoices):
    REPORTER = "reporter", "The person who raised the concern"
    CASEWORKER = "caseworker", "The regulator"


class ConcernMessage(models.Model):
    """A message between the reporter and the caseworker (the reporter sees all of them)."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    # Messages are ordered by number: they carry a date, never a time.
    number = models.PositiveIntegerField()
    author = models.CharField(max_length=20, choices=MessageAuthor.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body_sealed = models.BinaryField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["concern", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "number"], name="message_number_per_concern"
            ),
            models.CheckConstraint(
                condition=Q(author="caseworker") | Q(author_user__isnull=True),
                name="reporter_messages_name_nobody",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} #{self.number}"


class StaffNote(models.Model):
    """A note between regulator staff; never shown to the reporter."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_sealed = models.BinaryField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["concern", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.concern_id}"


class DailyCount(models.Model):
    """How many times on a day everyone ("*") did something limited, or a journey was
    sent (a hash of its random number). Days only; nothing per client (those counts
    live in process memory: see ``ratelimit.py``)."""

    day = models.DateField()
    bucket = models.CharField(max_length=30)
    client = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "bucket", "client"], name="one_count_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.day}: {self.count}"


# --- Files ------------------------------------------------------------------------


class ConcernFile(models.Model):
    """A supporting file, stripped of its metadata and then sealed. The original file
    name is sealed too (names often carry people's names)."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="files")
    # Set when the file came with a message rather than with the report.
    message = models.ForeignKey(
        ConcernMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    number = models.PositiveIntegerField()
    name_sealed = models.BinaryField()
    # The type found from the content (never the one the browser claimed).
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()  # bytes, after metadata was removed
    sha256 = models.CharField(max_length=64)  # of the stored (stripped) content
    content_sealed = models.BinaryField()
    received_on = models.DateField()

    class Meta:
        ordering = ["concern", "number"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "number"], name="file_number_per_concern")
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} file {self.number}"


# --- Revealing a confidential reporter's identity -----------------------------------


class RevealStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a custodian"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class IdentityReveal(models.Model):
    """A request to reveal who raised a concern to someone outside the concerns team.
    A custodian (never the person who asked) approves or refuses it, with reasons."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="reveals")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who will learn the identity, and why it is needed.
    recipient = models.CharField(max_length=300)
    reason = models.TextField()
    # Whether the reporter has consented (the custodian weighs it).
    reporter_consented = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=RevealStatus.choices, default=RevealStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # When the requester read the identity under this approval (once).
    disclosed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="reveal_needs_a_second_person",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True)
                | (~Q(status="requested") & Q(decided_by__isnull=False)),
                name="reveal_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Reveal request for {self.concern_id}"


# --- Triage -----------------------------------------------------------------------


class TriageOutcome(models.TextChoices):
    CLOSE = "close", "Close with reasons"
    REFER_TO_EMPLOYER = "refer_to_employer", "Refer to the employer"
    OPEN_CASE = "open_case", "Open a fitness-to-practise case"
    URGENT_ACTION = "urgent_action", "Urgent interim action: flag for the registrar"


class TriageDecision(models.Model):
    """A caseworker's decision on a concern, citing the standards in force on the date
    of the conduct. The latest decision is the one that stands."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=TriageOutcome.choices)
    # The standards version in force when the conduct happened, and the refs cited.
    conduct_on = models.DateField(null=True, blank=True)
    standards_version = models.ForeignKey(
        "standards.StandardsVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cited_refs = models.JSONField(default=list, blank=True)
    # The regulator's own reasons (staff only).
    reasons = models.TextField()
    # For referrals: what the employer is told, and which employer.
    employer_summary = models.TextField(blank=True)
    referred_to = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_referrals",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=clock.now)
    # Urgent flags: when a registrar saw it.
    registrar_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registrar_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="refer_to_employer") | Q(referred_to__isnull=False),
                name="referral_names_the_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.concern_id})"


# --- Detriment ----------------------------------------------------------------------


class ReporterLink(models.Model):
    """A keyed hash (HMAC under a key derived from the concerns key) of a known
    reporter's registrant record or email address, so an employer's disciplinary
    action against them can be matched without storing who they are."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="reporter_links")
    key = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "key"], name="one_link_per_key")]

    def __str__(self) -> str:
        return f"Reporter link for {self.concern_id}"


class DetrimentFlag(models.Model):
    """An employer recorded disciplinary action against someone who raised a concern
    with Steward: the concerns team reviews it. The employer is never told why."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="detriment_flags")
    disciplinary_action = models.ForeignKey(
        "register.DisciplinaryAction", on_delete=models.PROTECT, related_name="+"
    )
    flagged_on = models.DateField(default=clock.today)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-flagged_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "disciplinary_action"], name="one_flag_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"Detriment flag on {self.concern_id}"
