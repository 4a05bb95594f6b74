"""The register of managers: registrants, their names, status, career and qualifications.

Fields are restricted unless the model or field says it is public. Public:
registration number, legal and known-as names, status (and its history),
career roles (organisation, title, category, dates, interim) and verified
qualifications. Restricted: previous names, date of birth, contact details,
staff numbers, reasons for leaving and settlement agreements.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from steward.core import clock
from steward.core.text import search_text


class RegisterStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    CONDITIONS = "conditions", "Registered with conditions"
    SUSPENDED = "suspended", "Suspended"
    BARRED = "barred", "Barred"
    LAPSED = "lapsed", "Lapsed"
    VOLUNTARILY_REMOVED = "voluntarily_removed", "Voluntarily removed"


# Statuses under which someone may practise as an NHS manager.
PRACTISING_STATUSES = frozenset({RegisterStatus.REGISTERED, RegisterStatus.CONDITIONS})


class RoleCategory(models.TextChoices):
    CHAIR = "chair", "Chair"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    EXECUTIVE_DIRECTOR = "executive_director", "Executive director"
    NON_EXECUTIVE_DIRECTOR = "non_executive_director", "Non-executive director"
    SENIOR_MANAGER = "senior_manager", "Senior manager"


BOARD_CATEGORIES = frozenset(
    {
        RoleCategory.CHAIR,
        RoleCategory.CHIEF_EXECUTIVE,
        RoleCategory.EXECUTIVE_DIRECTOR,
        RoleCategory.NON_EXECUTIVE_DIRECTOR,
    }
)


class RegisterSequence(models.Model):
    """Hands out registration serials; a number once issued is never issued again."""

    name = models.CharField(max_length=50, primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"


class RegistrantQuerySet(models.QuerySet):
    def on_register(self):
        """Records that are not duplicates merged into another record."""
        return self.filter(merged_into__isnull=True)


class Registrant(models.Model):
    """One person on the register, across their whole career."""

    registration_number = models.CharField(max_length=8, unique=True)  # public
    legal_forenames = models.CharField(max_length=200)  # public
    legal_surname = models.CharField(max_length=200)  # public
    known_as = models.CharField(max_length=200, blank=True)  # public
    status = models.CharField(  # public
        max_length=20, choices=RegisterStatus.choices, default=RegisterStatus.REGISTERED
    )
    status_since = models.DateField(default=clock.today)  # public
    # Restricted.
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrant",
    )
    # A duplicate record merged into another keeps its history and number.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    # Optimistic locking: every save through a service bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1)

    # Normalised public names, kept in step by save(): the search columns.
    surname_key = models.CharField(max_length=200, editable=False, db_index=True)
    names_key = models.CharField(max_length=500, editable=False)

    objects = RegistrantQuerySet.as_manager()

    class Meta:
        ordering = ["surname_key", "legal_forenames"]
        indexes = [
            models.Index(fields=["status", "surname_key"], name="registrant_status_surname"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="registrant_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.registration_number})"

    def save(self, *args, **kwargs):
        self.refresh_search_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "surname_key", "names_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name the public sees: known-as forename where given, legal surname."""
        return f"{self.known_as or self.legal_forenames} {self.legal_surname}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.legal_forenames} {self.legal_surname}".strip()

    def refresh_search_keys(self) -> None:
        self.surname_key = search_text(self.legal_surname)
        self.names_key = " ".join(
            dict.fromkeys(
                search_text(f"{self.legal_forenames} {self.known_as} {self.legal_surname}").split()
            )
        )


class PreviousName(models.Model):
    """A name the person was known by before (restricted: it can reveal a gender
    history or a marriage). Searchable only by the registrar and by employers
    vetting an appointment."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="previous_names"
    )
    forenames = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200)
    names_key = models.CharField(max_length=500, editable=False, db_index=True)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registrant", "forenames", "surname"], name="previous_name_once"
            )
        ]

    def __str__(self) -> str:
        return f"previous name of registrant {self.registrant_id}"

    def save(self, *args, **kwargs):
        self.names_key = search_text(f"{self.forenames} {self.surname}")
        super().save(*args, **kwargs)


class StaffNumber(models.Model):
    """An employer's own staff number for the person (restricted)."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="staff_numbers"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    employee_number = models.CharField(max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="staff_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"staff number at {self.organisation_id}"


class StatusChange(models.Model):
    """One dated change of register status, with its reason. Never edited."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=RegisterStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RegisterStatus.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["effective_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.effective_on}"


class CareerRole(models.Model):
    """A role the person held at an NHS organisation. Overlaps are allowed."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="career_roles"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="career_roles"
    )
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=RoleCategory.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_interim = models.BooleanField(default=False)
    # Restricted.
    reason_for_leaving = models.TextField(blank=True)
    settlement_agreement = models.BooleanField(default=False)
    settlement_confidentiality_terms = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["organisation", "end_date"], name="career_role_org_current"),
            models.Index(fields=["registrant", "end_date"], name="career_role_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="career_role_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(settlement_agreement=True) | Q(settlement_confidentiality_terms=False),
                name="confidentiality_terms_need_a_settlement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organisation_id}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= clock.today()


class QualificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not verified"


class Qualification(models.Model):
    """A qualification; public once a registrar has verified it."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="qualifications"
    )
    title = models.CharField(max_length=200)
    awarding_body = models.CharField(max_length=200)
    awarded_on = models.DateField(null=True, blank=True)
    evidence_reference = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=QualificationStatus.choices, default=QualificationStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-awarded_on", "title"]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class RegistrationApplication(models.Model):
    """Someone signed in asks to join the register; a registrar decides, with reasons."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_applications"
    )
    legal_forenames = models.CharField(max_length=200)
    legal_surname = models.CharField(max_length=200)
    known_as = models.CharField(max_length=200, blank=True)
    previous_names = models.TextField(blank=True, help_text="One per line (restricted).")
    date_of_birth = models.DateField()
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    registrant = models.ForeignKey(
        Registrant, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"application {self.pk}"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", "Checking the file"
    INVALID = "invalid", "The file has problems"
    IMPORTING = "importing", "Importing"
    COMPLETE = "complete", "Imported"
    FAILED = "failed", "Stopped with an error"


class ImportRun(models.Model):
    """One bulk import of a workforce-system file (command line, upload or API)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The validation report: [{"row": n, "column": c, "problem": ..., "fix": ...}].
    report = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.filename}"


class DisciplinaryActionKind(models.TextChoices):
    INVESTIGATION = "investigation", "Formal investigation"
    EXCLUSION = "exclusion", "Exclusion or suspension from work"
    WARNING = "warning", "Formal warning"
    DEMOTION = "demotion", "Demotion or redeployment"
    DISMISSAL = "dismissal", "Dismissal"
    OTHER = "other", "Other formal action"


class DisciplinaryAction(models.Model):
    """Formal action an employer records against someone who works there. Restricted:
    only the employer and the regulator see it."""

    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="disciplinary_actions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=DisciplinaryActionKind.choices)
    started_on = models.DateField()
    summary = models.TextField()  # restricted
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.registrant_id})"
