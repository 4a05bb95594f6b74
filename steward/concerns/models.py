"""Concerns raised with the regulator: open, confidential or anonymous.

What the reporter says (the report, messages, files) and who an open or
confidential reporter is are stored only as sealed boxes to the concerns key
(``concerns/crypto.py``). Dates, never times, are kept for anything the reporter
does, and a receipt code is stored only as its Argon2id hash: nothing here can
date a submission more finely than the day or tie it to a client. See ADR 005.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core import clock


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


class DailyLimitKey(models.Model):
    """Today's random key for telling clients apart in the rate limits; deleted the
    next day, so yesterday's counts can no longer be linked to any address."""

    day = models.DateField(primary_key=True)
    key = models.BinaryField()

    def __str__(self) -> str:
        return f"Limit key for {self.day}"


class DailyCount(models.Model):
    """How many times today a client (an HMAC of its address under today's key), or
    everyone ("*"), did something limited. Days only: nothing finer is kept."""

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
