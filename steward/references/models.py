"""Standardised board-member references and the vetting of appointments.

A prospective employer proposes an appointment, Steward vets it, and the
employer requests a reference from every employer of the past six years. The
referee (or their organisation's HR lead on their behalf) answers the fixed
questions; a reference is also given whenever a board member leaves. A start
date cannot be recorded while references are outstanding unless the chair
records a reason to proceed.

Restricted: all of it. References are seen by the organisation that asked,
the organisation that gave them and the person they are about. They never ask
or show whether the person raised concerns themselves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core import clock
from steward.register.models import RoleCategory


class AppointmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Appointment(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="appointments"
    )
    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="appointments"
    )
    role_title = models.CharField(max_length=200)
    role_category = models.CharField(max_length=30, choices=RoleCategory.choices)
    proposed_start_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(default=clock.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by_label = models.CharField(max_length=200)

    # Set when the appointee starts.
    start_date = models.DateField(null=True, blank=True)
    career_role = models.OneToOneField(
        "register.CareerRole",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    # The chair's recorded reason to start before every reference was received.
    override_reason = models.TextField(blank=True)
    override_at = models.DateTimeField(null=True, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_by_label = models.CharField(max_length=200, blank=True)
    # A first board role in a high-risk organisation: support and mentoring recommended.
    support_plan_recommended = models.BooleanField(default=False)
    withdrawn_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="appointment_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="started") | Q(start_date__isnull=False),
                name="started_appointment_has_start_date",
            ),
            models.CheckConstraint(
                condition=Q(override_reason="") | Q(override_at__isnull=False),
                name="override_is_dated",
            ),
            models.UniqueConstraint(
                fields=["organisation", "registrant"],
                condition=Q(status="proposed"),
                name="one_proposal_per_person_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_title} at {self.organisation_id}"

    @property
    def has_override(self) -> bool:
        return bool(self.override_reason)


class RequestKind(models.TextChoices):
    APPOINTMENT = "appointment", "For a proposed appointment"
    LEAVING = "leaving", "On leaving a board role"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReferenceRequest(models.Model):
    """A reference the referee organisation owes: for an appointment, or on leaving."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="reference_requests"
    )
    referee_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="references_owed"
    )
    # For an appointment: who asked and why.
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reference_requests",
    )
    # For leaving: the board role that ended.
    career_role = models.ForeignKey(
        "register.CareerRole", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The employment the reference covers (within the six years looked back).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=clock.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_label = models.CharField(max_length=200)
    due_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["referee_organisation", "status"], name="reference_request_owed")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "referee_organisation"],
                condition=Q(appointment__isnull=False) & ~Q(status="withdrawn"),
                name="one_request_per_employer_per_appointment",
            ),
            models.CheckConstraint(
                condition=(Q(kind="appointment") & Q(appointment__isnull=False))
                | (Q(kind="leaving") & Q(career_role__isnull=False)),
                name="request_has_its_reason",
            ),
            # A board role that ends is owed one leaving reference, however often it
            # is ended or corrected.
            models.UniqueConstraint(
                fields=["career_role"],
                condition=Q(kind="leaving"),
                name="one_leaving_request_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"Reference from {self.referee_organisation_id} for {self.registrant_id}"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


# The fixed questions, in order: (field stem, question). Each is answered yes or no;
# "yes" needs details. None asks whether the person raised concerns themselves.
REFERENCE_QUESTIONS = (
    (
        "disciplinary_findings",
        "Were any disciplinary findings made against the person while they worked for you?",
    ),
    (
        "investigations",
        "Was any investigation into the person's conduct in progress, or discontinued, "
        "when they left?",
    ),
    (
        "upheld_concerns",
        "Were any grievances against the person, or concerns about their conduct, upheld?",
    ),
    (
        "fitness_outcomes",
        "Was the person found not fit and proper, or was any concern raised in a fit and "
        "proper person assessment?",
    ),
    (
        "settlement_agreements",
        "Did the person enter a settlement agreement with you? (Disclose it whatever the "
        "agreement says.)",
    ),
)


class BoardMemberReference(models.Model):
    """A completed board-member reference; an update is a new row that supersedes it."""

    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="board_references"
    )
    referee_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="references_given"
    )
    request = models.ForeignKey(
        ReferenceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="references"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    # Roles and dates, as the referee confirms them.
    roles_and_dates = models.TextField()
    disciplinary_findings = models.CharField(max_length=3, choices=YesNo.choices)
    disciplinary_findings_details = models.TextField(blank=True)
    investigations = models.CharField(max_length=3, choices=YesNo.choices)
    investigations_details = models.TextField(blank=True)
    upheld_concerns = models.CharField(max_length=3, choices=YesNo.choices)
    upheld_concerns_details = models.TextField(blank=True)
    fitness_outcomes = models.CharField(max_length=3, choices=YesNo.choices)
    fitness_outcomes_details = models.TextField(blank=True)
    settlement_agreements = models.CharField(max_length=3, choices=YesNo.choices)
    settlement_agreements_details = models.TextField(blank=True)

    referee_name = models.CharField(max_length=200)
    referee_job_title = models.CharField(max_length=200)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_by_label = models.CharField(max_length=200)
    # True when the HR lead completed it on the named referee's behalf.
    on_behalf_of_referee = models.BooleanField(default=False)
    completed_at = models.DateTimeField(default=clock.now)
    # Kept until the person's 75th birthday (null while the date of birth is unknown).
    retain_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["retain_until"], name="reference_retain_until")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(disciplinary_findings="no") | ~Q(disciplinary_findings_details=""))
                & (Q(investigations="no") | ~Q(investigations_details=""))
                & (Q(upheld_concerns="no") | ~Q(upheld_concerns_details=""))
                & (Q(fitness_outcomes="no") | ~Q(fitness_outcomes_details=""))
                & (Q(settlement_agreements="no") | ~Q(settlement_agreements_details="")),
                name="yes_answers_have_details",
            ),
        ]

    def __str__(self) -> str:
        return f"Reference from {self.referee_organisation_id} for {self.registrant_id}"

    @property
    def disclosures(self) -> list[str]:
        """The stems of the questions answered "yes"."""
        return [stem for stem, _ in REFERENCE_QUESTIONS if getattr(self, stem) == YesNo.YES]
