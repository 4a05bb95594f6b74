"""Reads of the fit and proper person test, in a bounded number of queries.

Everything here is restricted: callers check the permission first (the views
do, with the ``fitness.*`` permissions), and a view that shows the assessor
the restricted history records it with ``audit_record_view``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from steward.core import clock
from steward.fitness.models import (
    AUTOMATIC_CHECKS,
    AssessmentOutcome,
    CheckKind,
    CheckOutcome,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
)
from steward.register.models import BOARD_CATEGORIES, CareerRole, RoleCategory

TOTAL_CHECKS = len(CheckKind)
# Restricted history fields named in the audit trail when shown to an assessor.
HISTORY_FIELDS = ["earlier_fitness_outcomes", "reference_disclosures", "settlement_agreements"]


class Status:
    NOT_OPENED = "not_opened"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY = "ready_to_conclude"
    FIT = AssessmentOutcome.FIT.value
    NOT_FIT = AssessmentOutcome.NOT_FIT.value


STATUS_ORDER = (
    Status.NOT_OPENED,
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.READY,
    Status.FIT,
    Status.NOT_FIT,
)


def assessment_status(*, outcome: str, decided: int, decided_by_people: int) -> str:
    """Where an assessment has got to, from its outcome and how many checks are decided."""
    if outcome:
        return outcome
    if decided >= TOTAL_CHECKS:
        return Status.READY
    if decided_by_people == 0:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


def _with_progress(queryset: QuerySet) -> QuerySet:
    decided = ~Q(checks__outcome=CheckOutcome.PENDING)
    return queryset.annotate(
        decided_count=Count("checks", filter=decided),
        decided_by_people=Count(
            "checks", filter=decided & ~Q(checks__kind=CheckKind.REGISTER_STATUS)
        ),
    )


def status_of(assessment: FitnessAssessment) -> str:
    """The status of an assessment annotated by ``_with_progress``."""
    return assessment_status(
        outcome=assessment.outcome,
        decided=assessment.decided_count,
        decided_by_people=assessment.decided_by_people,
    )


@dataclass
class OverviewRow:
    status: str
    name: str
    registration_number: str
    role_title: str
    role_category: str
    decided: int = 0
    assessment: FitnessAssessment | None = None


@dataclass
class YearOverview:
    organisation: object
    year: int
    rows: list[OverviewRow]
    counts: dict[str, int] = field(default_factory=dict)
    other_years: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)


CATEGORY_ORDER = {
    RoleCategory.CHAIR: 0,
    RoleCategory.CHIEF_EXECUTIVE: 1,
    RoleCategory.EXECUTIVE_DIRECTOR: 2,
    RoleCategory.NON_EXECUTIVE_DIRECTOR: 3,
}


def organisation_year_overview(
    *, organisation, year: int, today: dt.date | None = None
) -> YearOverview:
    """Each board member's assessment for the year at the organisation, with its status.

    For the current year, board members in post today without an assessment
    are listed as not opened. Four queries whatever the size of the board.
    """
    today = today or clock.today()
    assessments = list(
        _with_progress(FitnessAssessment.objects.filter(organisation=organisation, year=year))
        .select_related("registrant", "career_role")
        .only(
            "id",
            "outcome",
            "year",
            "trigger",
            "concluded_at",
            "registrant__registration_number",
            "registrant__legal_forenames",
            "registrant__legal_surname",
            "registrant__known_as",
            "career_role__title",
            "career_role__category",
        )
    )
    rows = [
        OverviewRow(
            status=status_of(a),
            name=a.registrant.display_name,
            registration_number=a.registrant.registration_number,
            role_title=a.career_role.title,
            role_category=a.career_role.category,
            decided=a.decided_count,
            assessment=a,
        )
        for a in assessments
    ]
    if year == today.year:
        assessed = {a.registrant_id for a in assessments}
        missing = (
            CareerRole.objects.filter(
                organisation=organisation, category__in=BOARD_CATEGORIES, start_date__lte=today
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exclude(registrant_id__in=assessed)
            .select_related("registrant")
            .only(
                "id",
                "title",
                "category",
                "registrant__registration_number",
                "registrant__legal_forenames",
                "registrant__legal_surname",
                "registrant__known_as",
            )
        )
        seen = set()
        for role in missing:
            if role.registrant_id in seen:
                continue
            seen.add(role.registrant_id)
            rows.append(
                OverviewRow(
                    status=Status.NOT_OPENED,
                    name=role.registrant.display_name,
                    registration_number=role.registrant.registration_number,
                    role_title=role.title,
                    role_category=role.category,
                )
            )
    rows.sort(key=lambda r: (CATEGORY_ORDER.get(r.role_category, 9), r.name, r.registration_number))
    counts = {status: 0 for status in STATUS_ORDER}
    for row in rows:
        counts[row.status] += 1
    other_years = sorted(
        set(
            FitnessAssessment.objects.filter(organisation=organisation)
            .exclude(year=year)
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    return YearOverview(
        organisation=organisation, year=year, rows=rows, counts=counts, other_years=other_years
    )


def assessment_get(*, pk: int) -> FitnessAssessment:
    """One assessment with its person, role, checks, ratings, attestation and referral.

    Raises ``FitnessAssessment.DoesNotExist``.
    """
    return (
        FitnessAssessment.objects.select_related(
            "registrant",
            "organisation",
            "organisation__region",
            "career_role",
            "concluded_by",
            "self_attestation",
            "referral",
        )
        .prefetch_related(
            Prefetch("checks", queryset=FitnessCheck.objects.select_related("checked_by")),
            "competency_ratings",
        )
        .get(pk=pk)
    )


def checks_in_order(assessment: FitnessAssessment) -> list[FitnessCheck]:
    """The assessment's checks in the order of the check kinds."""
    order = {kind.value: index for index, kind in enumerate(CheckKind)}
    return sorted(assessment.checks.all(), key=lambda c: order.get(c.kind, 99))


@dataclass(frozen=True)
class Progress:
    """How far an assessment has got: its status, how many checks have an outcome, and
    the names of those still pending, in the order the checks are shown."""

    status: str
    decided: int
    pending: list[str]


def assessment_progress(assessment: FitnessAssessment) -> Progress:
    """The assessment's progress from its checks (the ones loaded with it, if they were)."""
    checks = checks_in_order(assessment)
    decided = [c for c in checks if c.outcome != CheckOutcome.PENDING]
    return Progress(
        status=assessment_status(
            outcome=assessment.outcome,
            decided=len(decided),
            decided_by_people=sum(1 for c in decided if c.kind not in AUTOMATIC_CHECKS),
        ),
        decided=len(decided),
        pending=[c.get_kind_display() for c in checks if c.outcome == CheckOutcome.PENDING],
    )


def check_get(*, assessment: FitnessAssessment, kind: str) -> FitnessCheck:
    """Raises ``FitnessCheck.DoesNotExist`` for a kind the assessment does not have."""
    return FitnessCheck.objects.select_related("assessment").get(assessment=assessment, kind=kind)


@dataclass
class RestrictedHistory:
    """What the register and references hold that the assessor must weigh."""

    settlement_agreements: list[CareerRole]
    reference_disclosures: list[dict]
    earlier_outcomes: list["FitnessOutcome"]

    @property
    def is_empty(self) -> bool:
        return not (
            self.settlement_agreements or self.reference_disclosures or self.earlier_outcomes
        )


def restricted_history(*, assessment: FitnessAssessment) -> RestrictedHistory:
    """Settlement agreements on leaving any role, what references disclosed, and the
    person's other concluded fit and proper outcomes (this assessment aside)."""
    from steward.references.selectors import reference_disclosures

    registrant = assessment.registrant
    agreements = list(
        CareerRole.objects.filter(registrant=registrant, settlement_agreement=True)
        .select_related("organisation")
        .order_by("-end_date", "-start_date", "pk")
    )
    earlier = [
        o for o in fitness_outcomes_for(registrant=registrant) if o.assessment_id != assessment.pk
    ]
    return RestrictedHistory(
        settlement_agreements=agreements,
        reference_disclosures=reference_disclosures(registrant=registrant),
        earlier_outcomes=earlier,
    )


@dataclass(frozen=True)
class FitnessOutcome:
    """One concluded fit and proper person assessment, for the person's restricted record."""

    assessment_id: int
    year: int
    organisation_name: str
    ods_code: str
    role_title: str
    outcome: str
    outcome_label: str
    concluded_on: dt.date
    concluded_as_label: str
    concluded_by_label: str
    reasons: str
    referral_reference: str

    @property
    def is_not_fit(self) -> bool:
        return self.outcome == AssessmentOutcome.NOT_FIT

    @property
    def tag(self) -> dict:
        """Parameters for the NHS tag showing the outcome."""
        return {"text": self.outcome_label, "colour": "red" if self.is_not_fit else "green"}


def fitness_outcomes_for(*, registrant) -> list[FitnessOutcome]:
    """The person's concluded assessments, newest first, in one query. Restricted:
    show them only to the person, their employers and the regulator."""
    assessments = (
        FitnessAssessment.objects.filter(registrant=registrant)
        .exclude(outcome="")
        .select_related("organisation", "career_role", "referral")
        .order_by("-year", "-concluded_at", "-pk")
    )
    return [
        FitnessOutcome(
            assessment_id=a.pk,
            year=a.year,
            organisation_name=a.organisation.name,
            ods_code=a.organisation.ods_code,
            role_title=a.career_role.title,
            outcome=a.outcome,
            outcome_label=a.get_outcome_display(),
            concluded_on=clock.localdate(a.concluded_at),
            concluded_as_label=a.get_concluded_as_display(),
            concluded_by_label=a.concluded_by_label,
            reasons=a.conclusion_reasons,
            referral_reference=_referral_reference(a),
        )
        for a in assessments
    ]


def _referral_reference(assessment: FitnessAssessment) -> str:
    try:
        return assessment.referral.reference
    except NotFitReferral.DoesNotExist:
        return ""


def own_assessments(*, user) -> list[FitnessAssessment]:
    """The signed-in director's own assessments, newest year first, with their checks
    and any referral (their page shows it with the conclusion)."""
    if not user.is_authenticated:
        return []
    return list(
        _with_progress(
            FitnessAssessment.objects.filter(
                registrant__user=user, registrant__merged_into__isnull=True
            )
        )
        .select_related("organisation", "career_role", "registrant", "self_attestation", "referral")
        .prefetch_related("checks", "competency_ratings")
        .order_by("-year", "organisation__name", "pk")
    )


def referrals_list() -> QuerySet[NotFitReferral]:
    """Referrals waiting to be acknowledged first, then the rest; newest first in each."""
    return (
        NotFitReferral.objects.select_related(
            "assessment__registrant", "assessment__organisation", "acknowledged_by"
        )
        .annotate(
            waiting=ExpressionWrapper(Q(acknowledged_at__isnull=True), output_field=BooleanField())
        )
        .order_by("-waiting", "-created_at", "-pk")
    )


def referral_get(*, pk: int) -> NotFitReferral:
    """Raises ``NotFitReferral.DoesNotExist``."""
    return NotFitReferral.objects.select_related(
        "assessment__registrant",
        "assessment__organisation",
        "assessment__career_role",
        "assessment__concluded_by",
        "acknowledged_by",
    ).get(pk=pk)


def referral_checks_of_concern(*, referral: NotFitReferral) -> list[FitnessCheck]:
    order = {kind.value: index for index, kind in enumerate(CheckKind)}
    checks = FitnessCheck.objects.filter(
        assessment_id=referral.assessment_id, outcome=CheckOutcome.CONCERN
    )
    return sorted(checks, key=lambda c: order.get(c.kind, 99))


def organisation_assessments_for_api(*, organisation, year: int) -> list[FitnessAssessment]:
    """The organisation's assessments for a year with their checks: two queries."""
    return list(
        FitnessAssessment.objects.filter(organisation=organisation, year=year)
        .select_related("registrant", "career_role")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=FitnessCheck.objects.only(
                    "id", "assessment_id", "kind", "outcome", "checked_on"
                ),
            )
        )
        .order_by("registrant__surname_key", "registrant__legal_forenames", "pk")
    )


def year_counts() -> list[dict]:
    """How many assessments each year has, and how many are concluded (newest year first)."""
    return list(
        FitnessAssessment.objects.values("year")
        .annotate(total=Count("pk"), concluded=Count("pk", filter=~Q(outcome="")))
        .order_by("-year")
    )
