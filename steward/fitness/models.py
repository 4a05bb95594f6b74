"""The annual fit and proper person test (FPPT) for board members.

Every board member has one assessment a year at each organisation where they
sit on the board (opened for everyone in post by ``steward fitness open-year``,
and on appointment). An assessment holds one check of each kind; the chair
concludes it (the senior independent director concludes the chair's own),
and never while a check is pending. Each organisation's chair then submits the
year's annual return to the regional director.

Restricted: everything here except that an organisation submitted its return
(and when). Outcomes are shown to the person, their employer, the region and
the regulator, never publicly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core import clock


class CheckKind(models.TextChoices):
    IDENTITY = "identity", "Identity"
    RIGHT_TO_WORK = "right_to_work", "Right to work"
    CRIMINAL_RECORD = "criminal_record", "Criminal record check"
    INSOLVENCY = "insolvency", "Insolvency and bankruptcy"
    DISQUALIFIED_DIRECTORS = "disqualified_directors", "Disqualified directors"
    CHARITY_TRUSTEES = "charity_trustees", "Removed charity trustees"
    EMPLOYMENT_TRIBUNALS = "employment_tribunals", "Employment tribunal judgments"
    SOCIAL_MEDIA = "social_media", "Social media"
    QUALIFICATIONS = "qualifications", "Qualifications"
    REFERENCES = "references", "References"
    REGISTER_STATUS = "register_status", "Register status"
    COMPETENCY = "competency", "Competency self-assessment"
    SELF_ATTESTATION = "self_attestation", "Annual self-attestation"


# Checks filled in by Steward or by the director, not by the assessor.
AUTOMATIC_CHECKS = frozenset({CheckKind.REGISTER_STATUS})
DIRECTOR_CHECKS = frozenset({CheckKind.COMPETENCY, CheckKind.SELF_ATTESTATION})


class CheckOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    SATISFACTORY = "satisfactory", "Satisfactory"
    CONCERN = "concern", "Concern"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AssessmentTrigger(models.TextChoices):
    ANNUAL = "annual", "Annual assessment"
    APPOINTMENT = "appointment", "On appointment"


class AssessmentOutcome(models.TextChoices):
    FIT = "fit_and_proper", "Fit and proper"
    NOT_FIT = "not_fit_and_proper", "Not fit and proper"


class ConcludedAs(models.TextChoices):
    CHAIR = "chair", "Chair"
    SENIOR_INDEPENDENT_DIRECTOR = "senior_independent_director", "Senior independent director"


class FitnessAssessment(models.Model):
    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="fitness_assessments"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="fitness_assessments"
    )
    # The board role the assessment is for (the chair's role is concluded by the SID).
    career_role = models.ForeignKey(
        "register.CareerRole", on_delete=models.PROTECT, related_name="fitness_assessments"
    )
    year = models.PositiveSmallIntegerField()
    trigger = models.CharField(max_length=20, choices=AssessmentTrigger.choices)
    opened_at = models.DateTimeField(default=clock.now)

    outcome = models.CharField(max_length=30, choices=AssessmentOutcome.choices, blank=True)
    conclusion_reasons = models.TextField(blank=True)
    concluded_as = models.CharField(max_length=40, choices=ConcludedAs.choices, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_by_label = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation", "year", "pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="fitness_org_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["registrant", "organisation", "year"], name="one_assessment_a_year"
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | (Q(concluded_at__isnull=False) & ~Q(conclusion_reasons="")),
                name="conclusion_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"FPPT {self.year} for {self.registrant_id} at {self.organisation_id}"

    @property
    def is_concluded(self) -> bool:
        return bool(self.outcome)


class FitnessCheck(models.Model):
    assessment = models.ForeignKey(
        FitnessAssessment, on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(max_length=30, choices=CheckKind.choices)
    outcome = models.CharField(
        max_length=20, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    checked_on = models.DateField(null=True, blank=True)
    evidence_reference = models.CharField(max_length=200, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by_label = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="one_check_of_each_kind"),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(checked_on__isnull=False),
                name="decided_check_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_applicable") | ~Q(not_applicable_reason=""),
                name="not_applicable_needs_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class CompetencyRating(models.Model):
    """The director's own rating against one domain of the competency framework."""

    class Rating(models.TextChoices):
        DEVELOPING = "developing", "Developing"
        CAPABLE = "capable", "Capable"
        STRONG = "strong", "Strong"

    assessment = models.ForeignKey(
        FitnessAssessment, on_delete=models.CASCADE, related_name="competency_ratings"
    )
    domain_ref = models.CharField(max_length=10)
    domain_name = models.CharField(max_length=200)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField()
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["assessment", "domain_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain_ref"], name="one_rating_per_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain_ref}: {self.rating}"


class SelfAttestation(models.Model):
    """The director's annual declaration that they meet the fit and proper requirements."""

    assessment = models.OneToOneField(
        FitnessAssessment, on_delete=models.CASCADE, related_name="self_attestation"
    )
    confirms_requirements = models.BooleanField()
    declarations = models.TextField(blank=True)
    attested_at = models.DateTimeField(default=clock.now)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Self-attestation for {self.assessment_id}"


class ReturnStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"


class AnnualReturn(models.Model):
    """An organisation's annual FPPT return for one year (no row: not yet submitted)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="fitness_returns"
    )
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    deadline = models.DateField()
    first_submitted_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by_label = models.CharField(max_length=200)
    chair_statement = models.TextField(blank=True)
    # Counts as submitted: board members, fit and proper, not fit and proper.
    summary = models.JSONField(default=dict)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comments = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_return_a_year")
        ]

    def __str__(self) -> str:
        return f"FPPT return {self.year} for {self.organisation_id}"

    @property
    def submitted_late(self) -> bool:
        return clock.localdate(self.first_submitted_at) > self.deadline


class AnnualReturnEvent(models.Model):
    """The history of a return: each submission and each return with comments."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at}"


class ReturnReminder(models.Model):
    """A reminder sent to an organisation's chair; one of each kind per year."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)  # "28-days", …, "overdue"
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="one_reminder_of_each_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.year} for {self.organisation_id}"


class NotFitReferral(models.Model):
    """A not-fit-and-proper outcome referred to the regulator.

    Until the concerns capability exists this is the clearly recorded referral;
    that capability turns each one into a concern and records which.
    """

    assessment = models.OneToOneField(
        FitnessAssessment, on_delete=models.PROTECT, related_name="referral"
    )
    reference = models.CharField(max_length=20, unique=True)  # e.g. FPR-2026-0001
    created_at = models.DateTimeField(default=clock.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference
