"""Reads for the concerns team, registrars and employers, already scoped.

Nothing here opens sealed content: the queue, decisions and referral lists are
built from the plain columns only (reference, dates, status, who it is about),
so listing never needs, and never records, a reading of what a reporter said.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from steward.accounts.models import RoleAssignment, User
from steward.accounts.selectors import role_holders
from steward.concerns.models import (
    Concern,
    ConcernFile,
    ConcernMessage,
    ConcernStatus,
    DetrimentFlag,
    MessageAuthor,
    TriageDecision,
    TriageOutcome,
)
from steward.concerns.rules import REFERRAL_ROLES, referral_organisation_ids
from steward.core import clock
from steward.register.models import CareerRole, Registrant
from steward.standards.models import NeverEvent, Standard, StandardsVersion
from steward.standards.selectors import version_in_force

# Statuses before triage: the concerns team still owes the reporter a decision.
BEFORE_TRIAGE = (ConcernStatus.NEW, ConcernStatus.ACKNOWLEDGED, ConcernStatus.AWAITING_REPORTER)
# The queue's filters, in the order the page shows them.
QUEUE_FILTERS = {
    "open": "All open",
    "new": "New",
    "awaiting_reporter": "Awaiting reporter",
    "replied": "Reporter replied",
    "overdue": "Overdue",
    "mine": "Assigned to me",
    "unassigned": "Unassigned",
    "detriment": "Detriment flagged",
    "closed": "Closed",
}
DEFAULT_FILTER = "open"
SEALED_COLUMNS = ("content_sealed", "subject_description_sealed", "reporter_identity_sealed")


def overdue_q(today: dt.date) -> Q:
    """Concerns past a deadline: not acknowledged by the acknowledge-by date, or no
    substantive feedback by the feedback-by date. Closed concerns are never overdue."""
    late_acknowledgement = Q(acknowledged_on__isnull=True, acknowledge_by__lt=today)
    late_feedback = Q(first_feedback_on__isnull=True, feedback_by__lt=today)
    return (late_acknowledgement | late_feedback) & ~Q(status=ConcernStatus.CLOSED)


def _reporter_has_the_last_word():
    """The reporter wrote last: a reply (or more information) nobody has answered."""
    answered = ConcernMessage.objects.filter(
        concern=OuterRef("concern"), number__gt=OuterRef("number"), author=MessageAuthor.CASEWORKER
    )
    return ConcernMessage.objects.filter(
        concern=OuterRef("pk"), author=MessageAuthor.REPORTER
    ).exclude(Exists(answered))


def replied_q() -> Q:
    """Open concerns whose latest message is from the reporter."""
    return Q(Exists(_reporter_has_the_last_word())) & ~Q(status=ConcernStatus.CLOSED)


def _unreviewed_flags():
    return DetrimentFlag.objects.filter(concern=OuterRef("pk"), reviewed_at__isnull=True)


def _filter_q(name: str, *, user, today: dt.date) -> Q:
    is_open = ~Q(status=ConcernStatus.CLOSED)
    return {
        "open": is_open,
        "new": Q(status=ConcernStatus.NEW),
        "awaiting_reporter": Q(status=ConcernStatus.AWAITING_REPORTER),
        "replied": replied_q(),
        "overdue": overdue_q(today),
        "mine": is_open & Q(assigned_to_id=user.pk),
        "unassigned": is_open & Q(assigned_to__isnull=True),
        "detriment": Q(Exists(_unreviewed_flags())),
        "closed": Q(status=ConcernStatus.CLOSED),
    }[name]


def queue(*, name: str, user, today: dt.date | None = None) -> QuerySet[Concern]:
    """The concerns one queue filter shows, oldest first, without any sealed column.
    ``name`` must be one of ``QUEUE_FILTERS``."""
    today = today or clock.today()
    return (
        Concern.objects.filter(_filter_q(name, user=user, today=today))
        .defer(*SEALED_COLUMNS)
        .select_related("subject_registrant", "organisation", "assigned_to")
        .annotate(
            flagged=Exists(_unreviewed_flags()),
            replied=Exists(_reporter_has_the_last_word()),
            described=Case(
                When(subject_description_sealed__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("received_on", "pk")
    )


def queue_counts(*, user, today: dt.date | None = None) -> dict[str, int]:
    """How many concerns each filter holds, in one query."""
    today = today or clock.today()
    return Concern.objects.aggregate(
        **{
            name: Count("pk", filter=_filter_q(name, user=user, today=today))
            for name in QUEUE_FILTERS
        }
    )


def concern_for_staff(*, reference: str) -> Concern | None:
    """A concern by its reference (as typed: case and spaces forgiven), or None."""
    cleaned = "".join(str(reference or "").split()).upper()
    if not cleaned or len(cleaned) > 20:
        return None
    return (
        Concern.objects.select_related("subject_registrant", "organisation", "assigned_to")
        .filter(reference=cleaned)
        .first()
    )


def concerns_raised_by_user(*, user) -> QuerySet[Concern]:
    """The concerns an open reporter raised with their account, latest first, without
    any sealed column."""
    return (
        Concern.objects.filter(reporter_user=user)
        .defer(*SEALED_COLUMNS)
        .order_by("-received_on", "-pk")
    )


def caseworkers() -> list[User]:
    """Everyone who holds the caseworker role now, by name: who a concern can go to."""
    return role_holders("caseworker")


def is_caseworker(user) -> bool:
    return (
        user is not None
        and user.is_active
        and RoleAssignment.objects.current().filter(user=user, role="caseworker").exists()
    )


def current_employer(registrant: Registrant | None):
    """The organisation of the registrant's most recent current role, or None."""
    if registrant is None:
        return None
    today = clock.today()
    role = (
        CareerRole.objects.select_related("organisation")
        .filter(registrant=registrant)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(start_date__lte=today)
        .order_by("-start_date", "-pk")
        .first()
    )
    return role.organisation if role else None


def referral_recipients(*, organisation, subject=None) -> list[User]:
    """The chair, chief executive and HR lead of an organisation now, except the
    manager the concern is about (who may well be one of them)."""
    people = role_holders(REFERRAL_ROLES, organisation=organisation)
    return [p for p in people if subject is None or p.pk != subject.user_id]


def registrars() -> list[User]:
    return role_holders("registrar")


def concern_files(*, concern: Concern) -> list[ConcernFile]:
    """The concern's files, without their sealed names or content."""
    return list(
        ConcernFile.objects.filter(concern=concern)
        .defer("content_sealed", "name_sealed")
        .order_by("number")
    )


def concern_file(*, concern: Concern, number: int) -> ConcernFile | None:
    if not 1 <= number <= 2**31 - 1:
        return None
    return ConcernFile.objects.filter(concern=concern, number=number).first()


def unreviewed_flag_count(*, concern: Concern) -> int:
    return DetrimentFlag.objects.filter(concern=concern, reviewed_at__isnull=True).count()


def _decisions() -> QuerySet[TriageDecision]:
    return TriageDecision.objects.select_related(
        "concern",
        "concern__subject_registrant",
        "concern__organisation",
        "standards_version",
        "referred_to",
        "decided_by",
        "registrar_seen_by",
    ).defer(*(f"concern__{name}" for name in SEALED_COLUMNS))


def decisions_for(*, concern: Concern) -> list[TriageDecision]:
    """The concern's triage decisions, latest first (the first is the one that stands)."""
    return list(_decisions().filter(concern=concern).order_by("-decided_at", "-pk"))


def referrals_for(*, user) -> QuerySet[TriageDecision]:
    """Referrals to the organisations where the user is chair, chief executive or HR
    lead, latest first."""
    return (
        _decisions()
        .filter(
            outcome=TriageOutcome.REFER_TO_EMPLOYER,
            referred_to_id__in=referral_organisation_ids(user),
        )
        # Never a concern about the person reading (a chair or chief executive).
        .exclude(concern__subject_registrant__user=user)
        .order_by("-decided_at", "-pk")
    )


def referral_get(*, pk: int) -> TriageDecision | None:
    """A referral to an employer by its number (never any other kind of decision)."""
    if not 1 <= pk <= 2**63 - 1:
        return None
    return _decisions().filter(pk=pk, outcome=TriageOutcome.REFER_TO_EMPLOYER).first()


def urgent_flags() -> QuerySet[TriageDecision]:
    """Decisions flagging a concern for urgent interim action: those not yet seen by
    a registrar first, then the latest."""
    return (
        _decisions()
        .filter(outcome=TriageOutcome.URGENT_ACTION)
        .annotate(
            seen=Case(
                When(registrar_seen_at__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("seen", "-decided_at", "-pk")
    )


def urgent_flag_get(*, pk: int) -> TriageDecision | None:
    if not 1 <= pk <= 2**63 - 1:
        return None
    return _decisions().filter(pk=pk, outcome=TriageOutcome.URGENT_ACTION).first()


def case_recommendations() -> QuerySet[TriageDecision]:
    """Decisions to open a fitness-to-practise case that no case has taken up yet:
    the concern's latest decision recommends a case and the concern still waits
    for it. Once a case is opened from the decision it leaves this list."""
    return (
        _decisions()
        .filter(
            outcome=TriageOutcome.OPEN_CASE,
            concern__status=ConcernStatus.CASE_RECOMMENDED,
            case__isnull=True,
        )
        .exclude(
            Exists(
                TriageDecision.objects.filter(concern=OuterRef("concern"), pk__gt=OuterRef("pk"))
            )
        )
        .order_by("decided_at", "pk")
    )


# --- Citing the standards -----------------------------------------------------


@dataclass(frozen=True)
class Citable:
    ref: str
    title: str


@dataclass(frozen=True)
class CitableStandards:
    version: StandardsVersion | None
    standards: list[Citable]
    never_events: list[Citable]


def _ref_order(ref: str) -> tuple:
    letters = "".join(c for c in ref if not c.isdigit())
    digits = "".join(c for c in ref if c.isdigit())
    return (letters, int(digits) if digits else 0, ref)


def citable_standards(*, conduct_on: dt.date) -> CitableStandards:
    """The standards and never events of the version in force on the date of the
    conduct, for the triage form's checkboxes."""
    version = version_in_force(on=conduct_on)
    if version is None:
        return CitableStandards(version=None, standards=[], never_events=[])
    standards = [
        Citable(ref=ref, title=title)
        for ref, title in Standard.objects.filter(version=version).values_list("ref", "title")
    ]
    events = [
        Citable(ref=ref, title=title)
        for ref, title in NeverEvent.objects.filter(version=version).values_list("ref", "title")
    ]
    return CitableStandards(
        version=version,
        standards=sorted(standards, key=lambda c: _ref_order(c.ref)),
        never_events=sorted(events, key=lambda c: _ref_order(c.ref)),
    )


def cited_titles(decisions) -> dict[tuple[int, str], str]:
    """{(standards version id, ref): title} for everything the decisions cite, in two
    queries whatever the number of decisions."""
    wanted = {
        (d.standards_version_id, ref)
        for d in decisions
        if d.standards_version_id
        for ref in (d.cited_refs or [])
    }
    if not wanted:
        return {}
    versions = {version for version, _ in wanted}
    refs = {ref for _, ref in wanted}
    titles = {}
    for model in (Standard, NeverEvent):
        for version_id, ref, title in model.objects.filter(
            version_id__in=versions, ref__in=refs
        ).values_list("version_id", "ref", "title"):
            titles[(version_id, ref)] = title
    return titles
