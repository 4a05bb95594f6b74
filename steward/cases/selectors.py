"""Reads for the case pages, already scoped to what the caller may see.

Lists never load a case's summary or an evidence file's content: both are
restricted, and only the case page (which records the viewing) and a download
(which records it too) read them.
"""

import datetime as dt
import re

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from steward.cases.models import (
    OPEN_STAGES,
    Allegation,
    Appeal,
    Case,
    Determination,
    Evidence,
    EvidenceParty,
    Hearing,
    HearingStatus,
    Sanction,
    SanctionStatus,
    Stage,
    StageChange,
)
from steward.concerns.models import TriageDecision
from steward.fitness.models import NotFitReferral

MAX_NUMBER = 2**31 - 1
MAX_ID = 2**63 - 1
REFERENCE_LENGTH = 20
SEARCH_PATTERN = re.compile(r"^[A-Z0-9-]+$")

# The list's filters, in the order the page shows them: all open cases, each
# stage, closed cases, and everything.
DEFAULT_FILTER = "open"
LIST_FILTERS: dict[str, str] = {
    "open": "All open",
    **{stage.value: stage.label for stage in Stage if stage != Stage.CLOSED},
    Stage.CLOSED.value: Stage.CLOSED.label,
    "all": "All cases",
}
LIST_COLUMNS_DEFERRED = ("summary",)


def clean_reference(value) -> str:
    """A case reference as typed: spaces dropped, capitals (``ftp-2026-1`` style allowed)."""
    return "".join(str(value or "").split()).upper()


def clean_search(value) -> str:
    return clean_reference(value)


def search_problem(value: str) -> str | None:
    """What is wrong with a search, in words for people; None when it can be run."""
    if not value:
        return None
    if len(value) > REFERENCE_LENGTH or not SEARCH_PATTERN.match(value):
        return (
            "Search by case reference, like FTP-2026-0001, or by registration number, like M1234567"
        )
    return None


def _filter_q(name: str) -> Q:
    if name == "open":
        return Q(stage__in=OPEN_STAGES)
    if name == "all":
        return Q()
    return Q(stage=name)


def _search_q(search: str) -> Q:
    if not search:
        return Q()
    return Q(reference__contains=search) | Q(registrant__registration_number__startswith=search)


def _for_staff(user) -> QuerySet[Case]:
    """Every case but those about the member of staff themselves."""
    cases = Case.objects.all()
    if user is not None and user.is_authenticated:
        cases = cases.exclude(registrant__user=user)
    return cases


def case_list(*, name: str = DEFAULT_FILTER, search: str = "", user=None) -> QuerySet[Case]:
    """The cases one filter shows, newest first, without their summaries. ``name``
    must be one of ``LIST_FILTERS``; ``search`` is cleaned and checked by the caller."""
    return (
        _for_staff(user)
        .filter(_filter_q(name) & _search_q(search))
        .defer(*LIST_COLUMNS_DEFERRED)
        .select_related("registrant", "caseworker", "referring_organisation")
        .order_by("-opened_on", "-pk")
    )


def case_counts(*, search: str = "", user=None) -> dict[str, int]:
    """How many cases each filter holds (within the search), in one query."""
    return (
        _for_staff(user)
        .filter(_search_q(search))
        .aggregate(**{name: Count("pk", filter=_filter_q(name)) for name in LIST_FILTERS})
    )


def _case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related(
        "registrant",
        "caseworker",
        "opened_by",
        "referring_organisation",
        "not_fit_referral__assessment__organisation",
        "concern_decision__concern",
        "concern_decision__decided_by",
    ).defer(
        "concern_decision__concern__content_sealed",
        "concern_decision__concern__subject_description_sealed",
        "concern_decision__concern__reporter_identity_sealed",
    )


def case_for_staff(*, reference: str) -> Case | None:
    """A case by its reference (case and spaces forgiven), or None."""
    cleaned = clean_reference(reference)
    if not cleaned or len(cleaned) > REFERENCE_LENGTH:
        return None
    return _case_queryset().filter(reference=cleaned).first()


def stage_history(*, case: Case) -> list[StageChange]:
    """Every move of the case, first to last."""
    return list(StageChange.objects.filter(case=case).order_by("at", "pk"))


def allegations_for(*, case: Case) -> list[Allegation]:
    return list(
        Allegation.objects.filter(case=case).select_related("standards_version").order_by("number")
    )


def evidence_for(*, case: Case) -> list[Evidence]:
    """The case's evidence, without the files' content."""
    return list(
        Evidence.objects.filter(case=case)
        .defer("content")
        .select_related("added_by")
        .order_by("number")
    )


def evidence_item(*, case: Case, number: int) -> Evidence | None:
    if not 1 <= number <= MAX_NUMBER:
        return None
    return Evidence.objects.filter(case=case, number=number).first()


def hearings_for(*, case: Case) -> list[Hearing]:
    """The case's hearings that are still to happen or were held (not cancelled)."""
    return list(
        Hearing.objects.filter(case=case)
        .exclude(status=HearingStatus.CANCELLED)
        .order_by("starts_on", "pk")
    )


def determinations_for(*, case: Case, issued_only: bool = False) -> list[Determination]:
    """The case's determinations, first to last (their PDFs left unread); with
    ``issued_only``, only those issued: drafts are the panel's until then."""
    determinations = (
        Determination.objects.filter(case=case).defer("pdf").select_related("hearing", "issued_by")
    )
    if issued_only:
        determinations = determinations.filter(issued_at__isnull=False)
    return list(determinations.order_by("created_at", "pk"))


def sanctions_for(*, case: Case, for_registrant: bool = False) -> list[Sanction]:
    """Every sanction and interim order on the case, in the order they took effect; for
    the registrant, as their page shows them: those a decision imposed, and interim
    orders in force."""
    sanctions = Sanction.objects.filter(case=case)
    if for_registrant:
        sanctions = sanctions.filter(
            Q(determination__isnull=False) | Q(interim=True, status=SanctionStatus.IN_FORCE)
        )
    return list(sanctions.order_by("effective_from", "pk"))


def appeals_for(*, case: Case) -> list[Appeal]:
    return list(Appeal.objects.filter(determination__case=case).order_by("lodged_on", "pk"))


def appeal_deadlines_for(*, case: Case) -> list[Determination]:
    """Issued determinations with an appeal-by date, latest first."""
    return list(
        Determination.objects.filter(case=case, issued_at__isnull=False, appeal_by__isnull=False)
        .defer("pdf")
        .order_by("-appeal_by", "-pk")
    )


# --- Where a case can be opened from ------------------------------------------------


def concern_recommendations() -> QuerySet[TriageDecision]:
    """Concerns whose standing decision recommends a case, and no case yet."""
    from steward.concerns.selectors import case_recommendations

    return case_recommendations().filter(case__isnull=True)


def concern_recommendation(*, pk: int) -> TriageDecision | None:
    if not 1 <= pk <= MAX_ID:
        return None
    return concern_recommendations().filter(pk=pk).first()


def not_fit_referrals_open() -> QuerySet[NotFitReferral]:
    """Not-fit-and-proper referrals no case has been opened from, oldest first."""
    return (
        NotFitReferral.objects.filter(
            ~Exists(Case.objects.filter(not_fit_referral_id=OuterRef("pk")))
        )
        .select_related("assessment__registrant", "assessment__organisation")
        .order_by("created_at", "pk")
    )


def not_fit_referral_open(*, pk: int) -> NotFitReferral | None:
    if not 1 <= pk <= MAX_ID:
        return None
    return not_fit_referrals_open().filter(pk=pk).first()


# --- The registrant's own cases ------------------------------------------------------


def own_cases(*, user) -> QuerySet[Case]:
    """The cases about the signed-in person, newest first, without their summaries."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(registrant__user=user)
        .defer(*LIST_COLUMNS_DEFERRED)
        .select_related("registrant")
        .order_by("-opened_on", "-pk")
    )


def own_case(*, user, reference: str) -> Case | None:
    """One of the signed-in person's cases, or None (for anyone else's case too)."""
    cleaned = clean_reference(reference)
    if not user.is_authenticated or not cleaned or len(cleaned) > REFERENCE_LENGTH:
        return None
    return (
        Case.objects.select_related("registrant")
        .filter(reference=cleaned, registrant__user=user)
        .first()
    )


def evidence_for_registrant(*, case: Case) -> list[Evidence]:
    """What the registrant may see: evidence disclosed to them and evidence they gave."""
    return list(
        Evidence.objects.filter(case=case)
        .filter(Q(disclosed=True) | Q(submitted_by=EvidenceParty.REGISTRANT))
        .defer("content")
        .order_by("number")
    )


def evidence_item_for_registrant(*, case: Case, number: int) -> Evidence | None:
    if not 1 <= number <= MAX_NUMBER:
        return None
    return (
        Evidence.objects.filter(case=case, number=number)
        .filter(Q(disclosed=True) | Q(submitted_by=EvidenceParty.REGISTRANT))
        .first()
    )


def stage_dates(*, case: Case) -> list[tuple[str, dt.datetime]]:
    """(stage, when it began) for each stage the case has been at: what the
    registrant is shown instead of the staff history (no names, no reasons)."""
    return list(
        StageChange.objects.filter(case=case).order_by("at", "pk").values_list("to_stage", "at")
    )


def valid_id(value) -> int | None:
    """An id from a URL, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None
