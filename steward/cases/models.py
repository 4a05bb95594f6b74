"""Fitness-to-practise cases: stages, allegations, evidence, decisions, hearings,
determinations, sanctions and appeals. See ADR 006.

Decisions are never edited: an appeal or a review gives a new determination that
supersedes the earlier one, and every stage change is a row of its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_fsm import FSMField, transition

from steward.core import clock


class CaseSource(models.TextChoices):
    CONCERN = "concern", "A concern raised with the regulator"
    NOT_FIT = "not_fit", "A not fit and proper outcome"
    EMPLOYER = "employer", "An employer referral"
    OWN_MOTION = "own_motion", "The regulator's own motion"


class Stage(models.TextChoices):
    TRIAGE = "triage", "Triage"
    INVESTIGATION = "investigation", "Investigation"
    CASE_EXAMINERS = "case_examiners", "With the case examiners"
    UNDERTAKINGS_OFFERED = "undertakings_offered", "Undertakings offered"
    ACCEPTED_OUTCOME = "accepted_outcome", "Outcome accepted without a hearing"
    PANEL_HEARING = "panel_hearing", "Referred to a panel hearing"
    DETERMINATION = "determination", "Panel determining"
    APPEAL_WINDOW = "appeal_window", "Appeal window open"
    APPEAL = "appeal", "Under appeal"
    REVIEW = "review", "Review hearing"
    CLOSED = "closed", "Closed"


OPEN_STAGES = frozenset(s for s in Stage.values if s != Stage.CLOSED)


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)  # FTP-2026-0001
    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="cases"
    )
    source = models.CharField(max_length=20, choices=CaseSource.choices)
    # Where it came from: at most one case per source record.
    concern_decision = models.OneToOneField(
        "concerns.TriageDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    not_fit_referral = models.OneToOneField(
        "fitness.NotFitReferral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    referring_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField()  # restricted: the regulator's summary of the matter
    # Health-related matters are never published.
    health_related = models.BooleanField(default=False)
    stage = FSMField(default=Stage.TRIAGE, choices=Stage.choices)
    stage_since = models.DateField(default=clock.today)
    opened_on = models.DateField(default=clock.today)
    closed_on = models.DateField(null=True, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_held",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["stage", "opened_on"], name="case_stage")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="concern") | Q(concern_decision__isnull=False),
                name="concern_case_names_its_decision",
            ),
            models.CheckConstraint(
                condition=~Q(source="not_fit") | Q(not_fit_referral__isnull=False),
                name="not_fit_case_names_its_referral",
            ),
            models.CheckConstraint(
                condition=~Q(source="employer") | Q(referring_organisation__isnull=False),
                name="employer_case_names_the_employer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # The stages a case moves through (ADR 006). Services call these through
    # ``cases.stages.stage_move`` so every move is recorded and audited.

    @transition(field=stage, source=Stage.TRIAGE, target=Stage.INVESTIGATION)
    def start_investigation(self):
        pass

    @transition(field=stage, source=Stage.TRIAGE, target=Stage.CLOSED)
    def close_at_triage(self):
        pass

    @transition(field=stage, source=Stage.INVESTIGATION, target=Stage.CASE_EXAMINERS)
    def refer_to_examiners(self):
        pass

    @transition(field=stage, source=Stage.CASE_EXAMINERS, target=Stage.CLOSED)
    def close_by_examiners(self):
        pass

    @transition(field=stage, source=Stage.CASE_EXAMINERS, target=Stage.ACCEPTED_OUTCOME)
    def examiners_warn(self):
        pass

    @transition(field=stage, source=Stage.CASE_EXAMINERS, target=Stage.UNDERTAKINGS_OFFERED)
    def offer_undertakings(self):
        pass

    @transition(field=stage, source=Stage.UNDERTAKINGS_OFFERED, target=Stage.ACCEPTED_OUTCOME)
    def accept_undertakings(self):
        pass

    @transition(
        field=stage,
        source=[Stage.CASE_EXAMINERS, Stage.UNDERTAKINGS_OFFERED],
        target=Stage.PANEL_HEARING,
    )
    def refer_to_panel(self):
        pass

    @transition(field=stage, source=Stage.PANEL_HEARING, target=Stage.DETERMINATION)
    def hold_hearing(self):
        pass

    @transition(
        field=stage,
        source=[Stage.ACCEPTED_OUTCOME, Stage.DETERMINATION],
        target=Stage.APPEAL_WINDOW,
    )
    def issue_determination(self):
        pass

    @transition(field=stage, source=Stage.APPEAL_WINDOW, target=Stage.APPEAL)
    def lodge_appeal(self):
        pass

    @transition(field=stage, source=[Stage.APPEAL_WINDOW, Stage.APPEAL], target=Stage.CLOSED)
    def close(self):
        pass

    @transition(field=stage, source=Stage.CLOSED, target=Stage.REVIEW)
    def open_review(self):
        pass

    @transition(field=stage, source=Stage.REVIEW, target=Stage.CLOSED)
    def conclude_review(self):
        pass


class StageChange(models.Model):
    """One move between stages: who, why, when. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    reason = models.TextField()
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage or 'opened'} → {self.to_stage}"


class Allegation(models.Model):
    """What the registrant is alleged to have done, citing the standards and never
    events in force on the date of the conduct."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    conduct_on = models.DateField()
    standards_version = models.ForeignKey(
        "standards.StandardsVersion", on_delete=models.PROTECT, related_name="+"
    )
    cited_refs = models.JSONField(default=list)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="allegation_number_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} allegation {self.number}"


class EvidenceParty(models.TextChoices):
    REGULATOR = "regulator", "The regulator"
    REGISTRANT = "registrant", "The registrant"


class Evidence(models.Model):
    """A file in the case, with its SHA-256 so it can be shown unchanged."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    file_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    submitted_by = models.CharField(max_length=20, choices=EvidenceParty.choices)
    # Whether the registrant may see it (evidence they gave is always theirs to see).
    disclosed = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_number_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} evidence {self.number}"


class ExaminerOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    ADVICE = "advice", "Advice"
    WARNING = "warning", "Warning"
    UNDERTAKINGS = "undertakings", "Agreed undertakings"
    REFER_TO_PANEL = "refer_to_panel", "Refer to a panel hearing"


class UndertakingsResponse(models.TextChoices):
    PENDING = "pending", "Waiting for the registrant"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class ExaminerDecision(models.Model):
    """Case examiners decide in pairs: one lay and one manager examiner, with reasons."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="examiner_decisions")
    outcome = models.CharField(max_length=30, choices=ExaminerOutcome.choices)
    reasons = models.TextField()
    undertakings = models.TextField(blank=True)
    lay_examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    manager_examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=clock.now)
    undertakings_response = models.CharField(
        max_length=20, choices=UndertakingsResponse.choices, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(lay_examiner=F("manager_examiner")),
                name="two_different_examiners",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="undertakings") | ~Q(undertakings=""),
                name="undertakings_are_written_down",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_outcome_display()}"


class DeclaredInterest(models.Model):
    """An interest a panel member or case examiner declares (e.g. a past role or a
    relationship with an NHS organisation), checked for conflicts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_interests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=500)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    declared_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["user", "-declared_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.organisation_id}"


class HearingKind(models.TextChoices):
    INTERIM_ORDER = "interim_order", "Interim order hearing"
    SUBSTANTIVE = "substantive", "Substantive hearing"
    REVIEW = "review", "Review hearing"
    APPEAL = "appeal", "Appeal hearing"


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    ADJOURNED = "adjourned", "Adjourned"
    CANCELLED = "cancelled", "Cancelled"


class Hearing(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings")
    kind = models.CharField(max_length=20, choices=HearingKind.choices)
    status = models.CharField(
        max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    starts_on = models.DateField()
    location = models.CharField(max_length=300, blank=True)
    notice_served_on = models.DateField(null=True, blank=True)
    registrant_response = models.TextField(blank=True)
    registrant_responded_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case_id} on {self.starts_on}"


class PanelSeat(models.Model):
    """One of the three people on a hearing's panel; the chair is a lay member."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="panel")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=10, choices=[("lay", "Lay"), ("manager", "Manager")])
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["hearing", "-is_chair", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "member"], name="one_seat_per_member"),
            models.UniqueConstraint(
                fields=["hearing"], condition=Q(is_chair=True), name="one_chair_per_panel"
            ),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(category="lay"), name="panel_chair_is_lay"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.hearing_id}"


class SanctionKind(models.TextChoices):
    ADVICE = "advice", "Advice"
    WARNING = "warning", "Warning"
    UNDERTAKINGS = "undertakings", "Agreed undertakings"
    CONDITIONS = "conditions", "Conditions"
    SUSPENSION = "suspension", "Suspension"
    BARRING = "barring", "Barring"


# From least to most severe: the panel says why each less severe one is not enough.
SANCTION_LADDER = (
    SanctionKind.ADVICE,
    SanctionKind.WARNING,
    SanctionKind.CONDITIONS,
    SanctionKind.SUSPENSION,
    SanctionKind.BARRING,
)


class DeterminationKind(models.TextChoices):
    EXAMINERS = "examiners", "Case examiners' decision"
    PANEL = "panel", "Panel determination"
    REVIEW = "review", "Review determination"
    APPEAL = "appeal", "Appeal determination"


class Determination(models.Model):
    """A decision on the case, recorded in stages (facts, impairment, sanction) with
    reasons, then issued as a PDF whose hash goes into the audit trail."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="determinations")
    kind = models.CharField(max_length=20, choices=DeterminationKind.choices)
    hearing = models.ForeignKey(
        Hearing, null=True, blank=True, on_delete=models.PROTECT, related_name="determinations"
    )
    # Facts: {allegation number: {"proved": bool, "reasons": str}}.
    facts = models.JSONField(default=dict, blank=True)
    impaired = models.BooleanField(null=True, blank=True)
    impairment_reasons = models.TextField(blank=True)
    sanction = models.CharField(max_length=20, choices=SanctionKind.choices, blank=True)
    sanction_reasons = models.TextField(blank=True)
    # {less severe sanction: why it is not enough}.
    less_severe_rejected = models.JSONField(default=dict, blank=True)
    conditions = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # What the public entry shows while the sanction is published.
    published_summary = models.TextField(blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    appeal_by = models.DateField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


class SanctionStatus(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    ENDED = "ended", "Ended"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded"


class Sanction(models.Model):
    """A sanction or an interim order as it affects the register and the public."""

    registrant = models.ForeignKey(
        "register.Registrant", on_delete=models.PROTECT, related_name="sanctions"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sanctions")
    determination = models.ForeignKey(
        Determination, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=20, choices=SanctionKind.choices)
    interim = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=SanctionStatus.choices, default=SanctionStatus.IN_FORCE
    )
    effective_from = models.DateField()
    ends_on = models.DateField(null=True, blank=True)  # None: until lifted (barring)
    review_by = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    # Last day it is shown publicly; None while it lasts indefinitely. Never
    # published: advice, and anything health-related.
    published = models.BooleanField(default=True)
    publish_until = models.DateField(null=True, blank=True)
    published_summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["registrant", "-effective_from", "-pk"]
        indexes = [models.Index(fields=["kind", "status"], name="sanction_kind_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="advice") | Q(published=False), name="advice_never_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.registrant_id}"


class AppealStatus(models.TextChoices):
    LODGED = "lodged", "Lodged"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Appeal(models.Model):
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField()
    lodged_on = models.DateField(default=clock.today)
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.LODGED
    )
    outcome = models.OneToOneField(
        Determination, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-lodged_on", "-pk"]

    def __str__(self) -> str:
        return f"Appeal against {self.determination_id}"
