"""Reads for the case examiners' pages: their queue, a case's decisions, undertakings
waiting for an answer, declared interests, and who holds the examiner role."""

from django.db.models import OuterRef, QuerySet, Subquery

from steward.accounts.models import RoleAssignment
from steward.cases.models import (
    Case,
    DeclaredInterest,
    ExaminerDecision,
    ExaminerOutcome,
    Stage,
    UndertakingsResponse,
)

ROLE = "case_examiner"
QUEUE_STAGES = (Stage.CASE_EXAMINERS, Stage.UNDERTAKINGS_OFFERED)


def queue(*, user) -> QuerySet[Case]:
    """Cases waiting for the case examiners' decision, and cases whose undertakings wait
    for the registrant's answer (``offered_at``: when they were offered), longest waiting
    first. Never a case about the person looking, never a case's summary."""
    pending = ExaminerDecision.objects.filter(
        case=OuterRef("pk"),
        outcome=ExaminerOutcome.UNDERTAKINGS,
        undertakings_response=UndertakingsResponse.PENDING,
    ).order_by("-decided_at", "-pk")
    cases = Case.objects.filter(stage__in=QUEUE_STAGES)
    if user is not None and user.is_authenticated:
        cases = cases.exclude(registrant__user=user)
    return (
        cases.defer("summary")
        .select_related("registrant")
        .annotate(offered_at=Subquery(pending.values("decided_at")[:1]))
        .order_by("stage_since", "pk")
    )


def decisions_for(*, case: Case) -> list[ExaminerDecision]:
    """The case examiners' decisions on the case, first to last, with both examiners."""
    return list(
        ExaminerDecision.objects.filter(case=case)
        .select_related("lay_examiner", "manager_examiner")
        .order_by("decided_at", "pk")
    )


def undertakings_offered(*, case: Case) -> ExaminerDecision | None:
    """The latest decision on the case that offered undertakings, or None."""
    return (
        ExaminerDecision.objects.filter(case=case, outcome=ExaminerOutcome.UNDERTAKINGS)
        .order_by("-decided_at", "-pk")
        .first()
    )


def interests_of(*, user) -> list[DeclaredInterest]:
    """The interests someone declared, most recent first."""
    return list(
        DeclaredInterest.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-declared_at", "-pk")
    )


def _categories_by_user() -> dict[int, set[str]]:
    """Everyone holding a current case examiner role, with their categories."""
    held: dict[int, set[str]] = {}
    for user_id, category in (
        RoleAssignment.objects.current()
        .filter(role=ROLE, user__is_active=True)
        .values_list("user_id", "panel_category")
    ):
        held.setdefault(user_id, set()).add(category)
    return held
