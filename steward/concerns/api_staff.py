"""The concerns team's API (queue, concern, messages, assignment, acknowledgement,
triage) and the referrals an employer has received.

Lists carry plain columns only (never what a reporter wrote); reading a concern
opens its report and messages through services that record each reading.
Changes take the concern's ``version`` as the page would: a stale one gets 409.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema, Status

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.accounts.models import User
from steward.concerns import presenters, selectors, services, triage
from steward.concerns.api import MessageOut
from steward.concerns.models import ConcernStatus, TriageDecision, TriageOutcome
from steward.core import clock
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut, ProblemOut, problem
from steward.organisations.models import Organisation

router = Router(tags=["concerns (staff)"])

PAGE_SIZE = 50
TEAM_ONLY = "Only the concerns team can do this."
NOT_FOUND = "No concern has that reference."
FilterName = Literal[
    "open", "new", "awaiting_reporter", "overdue", "mine", "unassigned", "detriment", "closed"
]
StatusCode = Literal[
    "new",
    "acknowledged",
    "awaiting_reporter",
    "closed",
    "referred_to_employer",
    "case_recommended",
    "urgent_action",
]
OutcomeCode = Literal["close", "refer_to_employer", "open_case", "urgent_action"]


class PersonOut(Schema):
    id: int
    name: str


class SubjectOut(Schema):
    registration_number: str
    name: str


class ConcernOrganisationOut(Schema):
    ods_code: str
    name: str


class QueueItemOut(Schema):
    reference: str
    url: str = Field(description="The concern in this API.")
    received_on: dt.date
    about: str = Field(description="Who and where it is about, as the queue shows it.")
    anonymity: Literal["open", "confidential", "anonymous"]
    status: StatusCode
    status_label: str
    acknowledge_by: dt.date
    acknowledged_on: dt.date | None
    acknowledge_overdue: bool
    feedback_by: dt.date
    first_feedback_on: dt.date | None
    feedback_overdue: bool
    assigned_to: PersonOut | None
    detriment_flagged: bool = Field(description="An unreviewed detriment flag is waiting.")


class QueuePageOut(Schema):
    filter: FilterName
    count: int
    page: int
    pages: int
    items: list[QueueItemOut]


class CitedOut(Schema):
    ref: str
    title: str


class DecisionOut(Schema):
    id: int
    outcome: OutcomeCode
    outcome_label: str
    decided_at: dt.datetime
    decided_by: PersonOut
    conduct_on: dt.date | None
    standards_version: int | None = Field(description="The version number cited.")
    cited: list[CitedOut]
    reasons: str
    referred_to: ConcernOrganisationOut | None
    employer_summary: str


class ConcernOut(QueueItemOut):
    version: int = Field(description="Send this back with any change to the concern.")
    subject: SubjectOut | None
    organisation: ConcernOrganisationOut | None
    subject_description: str = Field(description="How the reporter describes the manager.")
    answers: dict[str, str]
    employer_may_see: bool
    is_detriment: bool
    subject_told_on: dt.date | None
    messages: list[MessageOut]
    decisions: list[DecisionOut] = Field(description="Latest first: the first one stands.")


class CaseworkerMessageIn(Schema):
    body: str = Field(..., max_length=10_000)
    needs_reply: bool = Field(False, description="The reporter needs to reply.")
    is_feedback: bool = Field(False, description="This is substantive feedback.")


class MessageSentOut(Schema):
    number: int
    sent_on: dt.date
    status: StatusCode
    version: int


class AssignIn(Schema):
    assignee: int | None = Field(
        ..., description="The caseworker's user id; null to unassign.", ge=1, le=2**63 - 1
    )
    version: int = Field(..., ge=1, le=2**31 - 1)


class VersionIn(Schema):
    version: int = Field(..., ge=1, le=2**31 - 1)


class ConcernStateOut(Schema):
    reference: str
    status: StatusCode
    acknowledged_on: dt.date | None
    assigned_to: PersonOut | None
    version: int


class TriageIn(Schema):
    outcome: OutcomeCode
    reasons: str = Field(..., max_length=10_000)
    conduct_on: dt.date | None = Field(
        None, description="When the conduct happened; the day it was received if left out."
    )
    cited_refs: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Standards (like CC3) and never events (like NE1) of the version in "
        "force on the date of the conduct.",
    )
    reporter_explanation: str = Field("", max_length=10_000)
    employer_summary: str = Field("", max_length=10_000)
    referred_to: str = Field(
        "",
        max_length=10,
        description="ODS code of the employer (referrals only); by default the "
        "organisation named, or the manager's current employer.",
    )
    version: int = Field(..., ge=1, le=2**31 - 1)


class ReferralOut(Schema):
    id: int
    url: str
    reference: str
    referred_on: dt.date
    referred_to: ConcernOrganisationOut
    about: SubjectOut | None = Field(description="The manager, when on the register.")
    organisation: ConcernOrganisationOut | None = Field(description="The organisation named.")
    standards_version: int | None
    cited: list[CitedOut]
    employer_summary: str
    report_shared: bool = Field(description="The reporter agreed the employer may read it.")


class ReferralDetailOut(ReferralOut):
    answers: dict[str, str] | None = Field(description="Null unless the reporter agreed.")
    subject_description: str


class ReferralPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ReferralOut]


READ_ERRORS = {**AUTH_ERRORS, 404: ErrorOut}
WRITE_ERRORS = {400: ProblemOut, 404: ErrorOut, 409: ErrorOut, 422: ProblemOut, **AUTH_ERRORS}


def _team_member(request):
    user = request_user(request)
    return user if user.has_perm("concerns.use_queue") else None


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.full_name or user.email} if user else None


def _organisation(org) -> dict | None:
    return {"ods_code": org.ods_code, "name": org.name} if org else None


def _subject(registrant) -> dict | None:
    if registrant is None:
        return None
    return {"registration_number": registrant.registration_number, "name": registrant.display_name}


def _item(concern, today) -> dict:
    closed = concern.status == ConcernStatus.CLOSED
    return {
        "reference": concern.reference,
        "url": f"/api/v1/concerns/queue/{concern.reference}",
        "received_on": concern.received_on,
        "about": presenters.about_text(concern, described=getattr(concern, "described", None)),
        "anonymity": concern.anonymity,
        "status": concern.status,
        "status_label": ConcernStatus(concern.status).label,
        "acknowledge_by": concern.acknowledge_by,
        "acknowledged_on": concern.acknowledged_on,
        "acknowledge_overdue": presenters.deadline(
            concern.acknowledge_by, concern.acknowledged_on, today=today, closed=closed
        ).overdue,
        "feedback_by": concern.feedback_by,
        "first_feedback_on": concern.first_feedback_on,
        "feedback_overdue": presenters.deadline(
            concern.feedback_by, concern.first_feedback_on, today=today, closed=closed
        ).overdue,
        "assigned_to": _person(concern.assigned_to),
        "detriment_flagged": bool(getattr(concern, "flagged", False)),
    }


def _decision(decision: TriageDecision, titles: dict) -> dict:
    return {
        "id": decision.pk,
        "outcome": decision.outcome,
        "outcome_label": TriageOutcome(decision.outcome).label,
        "decided_at": decision.decided_at,
        "decided_by": _person(decision.decided_by),
        "conduct_on": decision.conduct_on,
        "standards_version": decision.standards_version.number
        if decision.standards_version
        else None,
        "cited": presenters.cited(decision, titles),
        "reasons": decision.reasons,
        "referred_to": _organisation(decision.referred_to),
        "employer_summary": decision.employer_summary,
    }


def _state(concern) -> dict:
    return {
        "reference": concern.reference,
        "status": concern.status,
        "acknowledged_on": concern.acknowledged_on,
        "assigned_to": _person(concern.assigned_to),
        "version": concern.version,
    }


def _refused(error: ValidationError, fallback: str) -> Status:
    if triage.is_stale(error):
        return Status(409, {"detail": triage.STALE_MESSAGE})
    return Status(400, problem(error, fallback))


@router.get(
    "/concerns/queue",
    response={200: QueuePageOut, 400: ErrorOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue",
    summary="The concerns team's queue",
)
def queue(
    request,
    filter: str = Query(  # noqa: A002, B008
        "open",
        max_length=50,
        description="open, new, awaiting_reporter, overdue, mine, unassigned, detriment or closed.",
    ),
    page: int = Query(1, ge=1, le=1_000_000),  # noqa: B008
):
    """Concerns, oldest first, 50 to a page: references, dates, status and who they
    are about. Never what anyone wrote. For the concerns team only."""
    user = _team_member(request)
    if user is None:
        return Status(403, {"detail": TEAM_ONLY})
    name = filter.strip()
    if name not in selectors.QUEUE_FILTERS:
        return Status(
            400, {"detail": "Use a filter of: " + ", ".join(selectors.QUEUE_FILTERS) + "."}
        )
    today = clock.today()
    paginator = Paginator(selectors.queue(name=name, user=user, today=today), PAGE_SIZE)
    current = paginator.get_page(page)
    return Status(
        200,
        {
            "filter": name,
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "items": [_item(concern, today) for concern in current],
        },
    )


@router.get(
    "/concerns/queue/{reference}",
    response={200: ConcernOut, **READ_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue_detail",
    summary="A concern, with its report and messages (each reading is recorded)",
)
def concern_detail(request, reference: str):
    user = _team_member(request)
    if user is None:
        return Status(403, {"detail": TEAM_ONLY})
    concern = selectors.concern_for_staff(reference=reference)
    if concern is None:
        return Status(404, {"detail": NOT_FOUND})
    content = services.concern_open(concern=concern, actor=user)
    thread = triage.concern_messages_read(concern=concern, actor=user)
    decisions = selectors.decisions_for(concern=concern)
    titles = selectors.cited_titles(decisions)
    concern.flagged = selectors.unreviewed_flag_count(concern=concern) > 0
    return Status(
        200,
        {
            **_item(concern, clock.today()),
            "version": concern.version,
            "subject": _subject(concern.subject_registrant),
            "organisation": _organisation(concern.organisation),
            "subject_description": content["subject_description"],
            "answers": {k: str(v) for k, v in content["answers"].items()},
            "employer_may_see": concern.employer_may_see,
            "is_detriment": concern.is_detriment,
            "subject_told_on": concern.subject_told_on,
            "messages": thread,
            "decisions": [_decision(d, titles) for d in decisions],
        },
    )


def _change(request, reference: str, fallback: str, change) -> Status:
    """``change(user, concern)`` for a member of the concerns team, on the concern
    ``reference`` names: what it returns, or the refusal to answer with (403, 404,
    400 for a ValidationError, with ``fallback`` when it names nothing, 409 when the
    concern changed since the version sent)."""
    user = _team_member(request)
    if user is None:
        return Status(403, {"detail": TEAM_ONLY})
    concern = selectors.concern_for_staff(reference=reference)
    if concern is None:
        return Status(404, {"detail": NOT_FOUND})
    try:
        return change(user, concern)
    except PermissionDenied:
        return Status(403, {"detail": TEAM_ONLY})
    except ValidationError as error:
        return _refused(error, fallback)


@router.post(
    "/concerns/queue/{reference}/messages",
    response={201: MessageSentOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue_message",
    summary="Write to the person who raised the concern",
)
def message_send(request, reference: str, payload: CaseworkerMessageIn):
    def send(user, concern):
        message = triage.concern_message_send(
            concern=concern,
            body=payload.body,
            actor=user,
            needs_reply=payload.needs_reply,
            is_feedback=payload.is_feedback,
        )
        return Status(
            201,
            {
                "number": message.number,
                "sent_on": message.sent_on,
                "status": concern.status,
                "version": concern.version,
            },
        )

    return _change(request, reference, "The message could not be sent.", send)


@router.post(
    "/concerns/queue/{reference}/assign",
    response={200: ConcernStateOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue_assign",
    summary="Assign the concern to a caseworker, or unassign it",
)
def assign(request, reference: str, payload: AssignIn):
    def assign_to(user, concern):
        assignee = None
        if payload.assignee is not None:
            assignee = User.objects.filter(pk=payload.assignee).first()
            if assignee is None:
                raise ValidationError({"assignee": "No one has that user id"})
        triage.concern_assign(
            concern=concern, assignee=assignee, actor=user, version=payload.version
        )
        concern.assigned_to = assignee
        return Status(200, _state(concern))

    return _change(request, reference, "The concern could not be assigned.", assign_to)


@router.post(
    "/concerns/queue/{reference}/acknowledge",
    response={200: ConcernStateOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue_acknowledge",
    summary="Acknowledge the concern (the reporter is sent the standard acknowledgement)",
)
def acknowledge(request, reference: str, payload: VersionIn):
    def acknowledged(user, concern):
        triage.concern_acknowledge(concern=concern, actor=user, version=payload.version)
        return Status(200, _state(concern))

    return _change(request, reference, "The concern could not be acknowledged.", acknowledged)


@router.post(
    "/concerns/queue/{reference}/triage",
    response={201: DecisionOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_queue_triage",
    summary="Triage the concern: close, refer to the employer, open a case, or urgent action",
)
def triage_decide(request, reference: str, payload: TriageIn):
    """Cite standards and never events of the version in force on the date of the
    conduct. Close needs `reporter_explanation`; a referral needs `employer_summary`.
    Answers 400 with field errors, 404 for an unknown reference, 409 when the
    concern changed since `version`."""

    def decide(user, concern):
        referred_to = None
        code = payload.referred_to.strip().upper()
        if code:
            referred_to = (
                Organisation.objects.filter(ods_code=code).first() if code.isalnum() else None
            )
            if referred_to is None:
                raise ValidationError({"referred_to": "No NHS organisation has that ODS code"})
        triage.triage_decide(
            concern=concern,
            outcome=payload.outcome,
            conduct_on=payload.conduct_on,
            cited_refs=payload.cited_refs,
            reasons=payload.reasons,
            reporter_explanation=payload.reporter_explanation,
            employer_summary=payload.employer_summary,
            referred_to=referred_to,
            actor=user,
            version=payload.version,
        )
        decision = selectors.decisions_for(concern=concern)[0]
        return Status(201, _decision(decision, selectors.cited_titles([decision])))

    return _change(request, reference, "The decision could not be recorded.", decide)


# --- Employers ---------------------------------------------------------------------


def _referral(decision: TriageDecision, titles: dict) -> dict:
    concern = decision.concern
    return {
        "id": decision.pk,
        "url": f"/api/v1/concerns/referrals/{decision.pk}",
        "reference": concern.reference,
        "referred_on": clock.localdate(decision.decided_at),
        "referred_to": _organisation(decision.referred_to),
        "about": _subject(concern.subject_registrant),
        "organisation": _organisation(concern.organisation),
        "standards_version": decision.standards_version.number
        if decision.standards_version
        else None,
        "cited": presenters.cited(decision, titles),
        "employer_summary": decision.employer_summary,
        "report_shared": concern.employer_may_see,
    }


@router.get(
    "/concerns/referrals",
    response={200: ReferralPageOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_referrals",
    summary="Concerns the regulator has referred to your organisation",
)
def referrals(request, page: int = Query(1, ge=1, le=1_000_000)):  # noqa: B008
    """For the chair, chief executive and HR lead of the organisations concerns were
    referred to: the regulator's summary and the standards cited. Never who raised a
    concern; the report itself only from the referral, when the reporter agreed."""
    user = request_user(request)
    if not user.has_perm("concerns.use_referrals"):
        return Status(
            403,
            {"detail": "Only an organisation's chair, chief executive and HR lead see referrals."},
        )
    paginator = Paginator(selectors.referrals_for(user=user), PAGE_SIZE)
    current = paginator.get_page(page)
    decisions = list(current)
    titles = selectors.cited_titles(decisions)
    return Status(
        200,
        {
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "items": [_referral(d, titles) for d in decisions],
        },
    )


@router.get(
    "/concerns/referrals/{referral_id}",
    response={200: ReferralDetailOut, 422: ProblemOut, **READ_ERRORS},
    auth=bearer_or_session,
    url_name="concerns_referral",
    summary="A referred concern, with the report when the reporter agreed (reading recorded)",
)
def referral(request, referral_id: int):
    user = request_user(request)
    decision = selectors.referral_get(pk=referral_id)
    if decision is None or not user.has_perm("concerns.read_referral", decision):
        if not user.has_perm("concerns.use_referrals"):
            return Status(
                403,
                {
                    "detail": "Only an organisation's chair, chief executive and HR lead see "
                    "referrals."
                },
            )
        return Status(404, {"detail": "No referral to your organisation has that number."})
    report = triage.referral_report_open(decision=decision, actor=user)
    titles = selectors.cited_titles([decision])
    return Status(
        200,
        {
            **_referral(decision, titles),
            "answers": {k: str(v) for k, v in report["answers"].items()} if report else None,
            "subject_description": report["subject_description"] if report else "",
        },
    )
