"""Signed-in reads of the register: a person's full record, and the registrar's queues.

Every read here returns restricted data, so callers check the permission
first (the views do, with ``register.view_full_record`` and friends) and
record the view with ``audit_record_view``. Public reads live with the public
register, never here.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from steward.core.text import search_text
from steward.register.models import (
    ApplicationStatus,
    CareerRole,
    Qualification,
    QualificationStatus,
    Registrant,
    RegistrationApplication,
    StaffNumber,
    StatusChange,
)
from steward.register.numbers import clean_registration_number, is_valid_registration_number

# The restricted fields a full record page shows, named in the audit trail.
FULL_RECORD_RESTRICTED_FIELDS = [
    "address",
    "date_of_birth",
    "email",
    "fitness_outcomes",
    "phone",
    "previous_names",
    "reason_for_leaving",
    "settlement_agreement",
    "staff_numbers",
]
APPLICATION_RESTRICTED_FIELDS = ["date_of_birth", "email", "phone", "previous_names"]
# Follow merges at most this far (merges never chain, so one step is the norm).
MAX_MERGE_HOPS = 5


def _full_record_queryset() -> QuerySet[Registrant]:
    return Registrant.objects.prefetch_related(
        "previous_names",
        Prefetch(
            "career_roles",
            queryset=CareerRole.objects.select_related("organisation").order_by(
                "-start_date", "pk"
            ),
        ),
        Prefetch("qualifications", queryset=Qualification.objects.order_by("-created_at")),
        Prefetch(
            "status_changes",
            queryset=StatusChange.objects.order_by("-effective_on", "-recorded_at", "-pk"),
        ),
        Prefetch("staff_numbers", queryset=StaffNumber.objects.select_related("organisation")),
        Prefetch(
            "merged_records",
            queryset=Registrant.objects.prefetch_related(
                Prefetch(
                    "status_changes",
                    queryset=StatusChange.objects.order_by("-effective_on", "-recorded_at", "-pk"),
                )
            ),
        ),
    )


def registrant_resolve(*, registration_number: str) -> Registrant | None:
    """The record a registration number leads to, following merges to the survivor."""
    number = clean_registration_number(registration_number)
    if not is_valid_registration_number(number):
        return None
    registrant = Registrant.objects.filter(registration_number=number).first()
    hops = 0
    while registrant is not None and registrant.merged_into_id and hops < MAX_MERGE_HOPS:
        registrant = Registrant.objects.filter(pk=registrant.merged_into_id).first()
        hops += 1
    return registrant


def registrant_by_number(*, registration_number: str) -> Registrant | None:
    """Exactly the record with this number (merged or not), or None."""
    number = clean_registration_number(registration_number)
    if not is_valid_registration_number(number):
        return None
    return Registrant.objects.filter(registration_number=number).first()


def registrant_full_record(*, pk: int) -> Registrant:
    """One record with everything its full page shows, in a fixed number of queries."""
    return _full_record_queryset().get(pk=pk)


def own_registrant(*, user) -> Registrant | None:
    """The signed-in person's own record (restricted fields included), or None."""
    if not user.is_authenticated:
        return None
    return _full_record_queryset().filter(user=user, merged_into__isnull=True).first()


def own_registrant_id(*, user) -> int | None:
    if not user.is_authenticated:
        return None
    return (
        Registrant.objects.filter(user=user, merged_into__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def own_latest_application(*, user) -> RegistrationApplication | None:
    if not user.is_authenticated:
        return None
    return (
        RegistrationApplication.objects.filter(applicant=user)
        .select_related("registrant")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def registrar_queue_counts() -> dict[str, int]:
    return {
        "applications": RegistrationApplication.objects.filter(
            status=ApplicationStatus.SUBMITTED
        ).count(),
        "qualifications": Qualification.objects.filter(
            status=QualificationStatus.PENDING, registrant__merged_into__isnull=True
        ).count(),
    }


def applications_waiting() -> QuerySet[RegistrationApplication]:
    """Applications waiting for a decision, oldest first."""
    return (
        RegistrationApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )


def applications_decided() -> QuerySet[RegistrationApplication]:
    return (
        RegistrationApplication.objects.exclude(status=ApplicationStatus.SUBMITTED)
        .select_related("applicant", "decided_by", "registrant")
        .order_by("-decided_at", "-pk")
    )


def application_get(*, pk: int) -> RegistrationApplication:
    return RegistrationApplication.objects.select_related(
        "applicant", "decided_by", "registrant"
    ).get(pk=pk)


def possible_duplicates(*, application: RegistrationApplication) -> list[Registrant]:
    """Records that may already be this applicant: the same date of birth, and a
    surname (current or previous, on either side) in common."""
    from steward.register.applications import previous_names_parse

    surnames = {search_text(application.legal_surname)} | {
        search_text(surname) for _, surname in previous_names_parse(application.previous_names)
    }
    surnames.discard("")
    if not surnames:
        return []
    shared = Q(surname_key__in=surnames)
    for surname in surnames:
        shared |= Q(previous_names__names_key=surname)
        shared |= Q(previous_names__names_key__endswith=f" {surname}")
    return list(
        Registrant.objects.on_register()
        .filter(date_of_birth=application.date_of_birth)
        .filter(shared)
        .distinct()
        .order_by("registration_number")[:10]
    )


def qualifications_waiting() -> QuerySet[Qualification]:
    """Qualifications waiting for verification, oldest first."""
    return (
        Qualification.objects.filter(
            status=QualificationStatus.PENDING, registrant__merged_into__isnull=True
        )
        .select_related("registrant")
        .order_by("created_at", "pk")
    )


def qualification_get(*, pk: int) -> Qualification:
    return Qualification.objects.select_related("registrant", "decided_by").get(pk=pk)


@dataclass(frozen=True)
class RecordSearchPage:
    """One page of the registrar's search results."""

    results: list[Registrant]
    count: int
    count_is_exact: bool
    number: int
    page_size: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.page_size < self.count


def registrar_search(*, q: str, page: int = 1, page_size: int = 50) -> RecordSearchPage:
    """Records matching a name (previous names included) or a registration number.

    Uses the register's search (:mod:`steward.register.search`) with previous
    names switched on; a merged record's number finds the record it was merged
    into. Two or three queries for the ids, one for the records.
    """
    from steward.register.search import registrant_search

    page = max(1, page)
    found = registrant_search(
        q=q,
        offset=(page - 1) * page_size,
        limit=page_size,
        include_previous_names=True,
    )
    by_id = Registrant.objects.in_bulk(found.ids)
    return RecordSearchPage(
        results=[by_id[i] for i in found.ids if i in by_id],
        count=found.count,
        count_is_exact=found.count_is_exact,
        number=page,
        page_size=page_size,
    )
