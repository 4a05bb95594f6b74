"""View models for the concerns team's, registrars' and employers' pages: every
label, tag and date format is decided here, so templates only loop and branch."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from steward.concerns import files
from steward.concerns.models import (
    Anonymity,
    Concern,
    ConcernStatus,
    MessageAuthor,
    TriageDecision,
    TriageOutcome,
)
from steward.concerns.selectors import QUEUE_FILTERS
from steward.core.formatting import uk_date, uk_datetime
from steward.core.jinja import query

# The questions a report answers, as the reporter was asked them.
ANSWER_LABELS = {
    "what_happened": "What happened",
    "when": "When it happened",
    "who_was_affected": "Who was affected",
    "patient_harm": "Were patients harmed or put at risk?",
    "raised_locally": "Was it raised locally first?",
    "local_outcome": "What happened when it was raised locally",
}
STATUS_COLOURS = {
    ConcernStatus.NEW: "blue",
    ConcernStatus.ACKNOWLEDGED: "white",
    ConcernStatus.AWAITING_REPORTER: "yellow",
    ConcernStatus.CLOSED: "grey",
    ConcernStatus.REFERRED_TO_EMPLOYER: "orange",
    ConcernStatus.CASE_RECOMMENDED: "purple",
    ConcernStatus.URGENT_ACTION: "red",
}
OVERDUE_TAG = {"text": "Overdue", "colour": "red"}
# Plain English for the reporter: where their concern is (tag text, colour, and what
# it means for them).
STATUS_FOR_REPORTER = {
    ConcernStatus.NEW: ("Received", "blue", "We have your concern and will look at it soon."),
    ConcernStatus.ACKNOWLEDGED: ("Being looked at", "blue", "We are looking at your concern."),
    ConcernStatus.AWAITING_REPORTER: (
        "We have asked you a question",
        "yellow",
        "Please read our latest message and reply below.",
    ),
    ConcernStatus.CLOSED: ("Closed", "grey", "We have finished looking at your concern."),
    ConcernStatus.REFERRED_TO_EMPLOYER: (
        "Passed to the employer",
        "purple",
        "We have asked the employer to look into your concern.",
    ),
    ConcernStatus.CASE_RECOMMENDED: (
        "Being investigated",
        "purple",
        "We are taking your concern further as a fitness-to-practise case.",
    ),
    ConcernStatus.URGENT_ACTION: (
        "Urgent action being considered",
        "red",
        "We are considering urgent action.",
    ),
}
NOT_ON_REGISTER = "Someone not on the register"


def status_tag(status: str) -> dict:
    return {"text": ConcernStatus(status).label, "colour": STATUS_COLOURS[ConcernStatus(status)]}


def reporter_status_tag(status: str) -> dict:
    text, colour, _ = STATUS_FOR_REPORTER[ConcernStatus(status)]
    return {"text": text, "colour": colour}


def reporter_status_text(status: str) -> str:
    return STATUS_FOR_REPORTER[ConcernStatus(status)][2]


def own_concern_rows(concerns) -> list[dict]:
    """The concerns an open reporter raised with their account, for their own list."""
    return [
        {
            "reference": c.reference,
            "received_on": c.received_on,
            "status_tag": reporter_status_tag(c.status),
            "url": reverse("concerns:mine_detail", kwargs={"reference": c.reference}),
        }
        for c in concerns
    ]


def about_text(concern: Concern, *, described: bool | None = None) -> str:
    """Who and where the concern is about, from plain columns only."""
    if described is None:
        described = concern.subject_description_sealed is not None
    parts = []
    if concern.subject_registrant_id:
        registrant = concern.subject_registrant
        parts.append(f"{registrant.display_name} ({registrant.registration_number})")
    elif described or concern.organisation_id is None:
        parts.append(NOT_ON_REGISTER)
    if concern.organisation_id:
        parts.append(concern.organisation.name)
    return ", ".join(parts)


@dataclass
class Deadline:
    date: str
    overdue: bool
    met_on: str


def deadline(due: dt.date, met_on: dt.date | None, *, today: dt.date, closed: bool) -> Deadline:
    return Deadline(
        date=uk_date(due),
        overdue=met_on is None and due < today and not closed,
        met_on=uk_date(met_on),
    )


@dataclass
class QueueRow:
    reference: str
    url: str
    received: str
    about: str
    anonymity: str
    status: dict
    acknowledge: Deadline
    feedback: Deadline
    assignee: str
    flagged: bool
    replied: bool = False


def queue_rows(concerns, *, today: dt.date) -> list[QueueRow]:
    rows = []
    for concern in concerns:
        closed = concern.status == ConcernStatus.CLOSED
        rows.append(
            QueueRow(
                reference=concern.reference,
                url=reverse("concerns:detail", kwargs={"reference": concern.reference}),
                received=uk_date(concern.received_on),
                about=about_text(concern, described=getattr(concern, "described", None)),
                anonymity=Anonymity(concern.anonymity).label,
                status=status_tag(concern.status),
                acknowledge=deadline(
                    concern.acknowledge_by, concern.acknowledged_on, today=today, closed=closed
                ),
                feedback=deadline(
                    concern.feedback_by, concern.first_feedback_on, today=today, closed=closed
                ),
                assignee=concern.assigned_to.full_name if concern.assigned_to_id else "",
                flagged=bool(getattr(concern, "flagged", False)),
                replied=bool(getattr(concern, "replied", False)) and not closed,
            )
        )
    return rows


def filter_links(request, *, counts: dict[str, int], current: str) -> list[dict]:
    return [
        {
            "name": name,
            "text": label,
            "count": counts.get(name, 0),
            "href": query(request, filter=name, page=None),
            "current": name == current,
        }
        for name, label in QUEUE_FILTERS.items()
    ]


def answer_rows(answers: dict) -> list[dict]:
    """Summary-list rows for a report's answers, in the order they were asked."""
    keys = [k for k in ANSWER_LABELS if k in answers] + [
        k for k in answers if k not in ANSWER_LABELS
    ]
    return [
        {
            "key": {"text": ANSWER_LABELS.get(key, key.replace("_", " ").capitalize())},
            "value": {"text": str(answers[key]) or "Not answered"},
        }
        for key in keys
    ]


def message_items(messages: list[dict]) -> list[dict]:
    return [
        {
            "number": m["number"],
            "from_reporter": m["author"] == MessageAuthor.REPORTER,
            "author": "The person who raised it"
            if m["author"] == MessageAuthor.REPORTER
            else "The concerns team",
            "sent_on": uk_date(m["sent_on"]),
            "body": m["body"],
        }
        for m in messages
    ]


def file_rows(stored, *, concern: Concern) -> list[dict]:
    return [
        {
            "text": f"File {f.number}",
            "href": reverse(
                "concerns:file", kwargs={"reference": concern.reference, "number": f.number}
            ),
            "kind": files.TYPE_NAMES.get(f.media_type, f.media_type),
            "size": files.size_text(f.size),
            "received": uk_date(f.received_on),
        }
        for f in stored
    ]


def cited(decision: TriageDecision, titles: dict) -> list[dict]:
    return [
        {"ref": ref, "title": titles.get((decision.standards_version_id, ref), "")}
        for ref in decision.cited_refs or []
    ]


def standards_version_text(decision: TriageDecision) -> str:
    version = decision.standards_version
    if version is None:
        return ""
    return f"Version {version.number}, in force from {uk_date(version.effective_from)}"


@dataclass
class DecisionView:
    pk: int
    outcome: str
    outcome_value: str
    decided: str
    decided_by: str
    conduct_on: str
    version: str
    cited: list[dict]
    reasons: str
    referred_to: str
    employer_summary: str
    registrar_seen: str


def decision_views(decisions, titles: dict) -> list[DecisionView]:
    return [
        DecisionView(
            pk=d.pk,
            outcome=TriageOutcome(d.outcome).label,
            outcome_value=d.outcome,
            decided=uk_datetime(d.decided_at),
            decided_by=d.decided_by.full_name,
            conduct_on=uk_date(d.conduct_on),
            version=standards_version_text(d),
            cited=cited(d, titles),
            reasons=d.reasons,
            referred_to=f"{d.referred_to.name} ({d.referred_to.ods_code})"
            if d.referred_to_id
            else "",
            employer_summary=d.employer_summary,
            registrar_seen=(
                f"Seen by {d.registrar_seen_by.full_name} on {uk_datetime(d.registrar_seen_at)}"
                if d.registrar_seen_at
                else ""
            ),
        )
        for d in decisions
    ]


@dataclass
class ReferralRow:
    pk: int
    url: str
    reference: str
    referred: str
    about: str
    organisation: str


def referral_rows(decisions) -> list[ReferralRow]:
    return [
        ReferralRow(
            pk=d.pk,
            url=reverse("concerns:referral", kwargs={"pk": d.pk}),
            reference=d.concern.reference,
            referred=uk_date(d.decided_at),
            about=referral_about(d.concern),
            organisation=d.referred_to.name,
        )
        for d in decisions
    ]


def referral_about(concern: Concern) -> str:
    """Who a referral is about, for the employer: the manager when on the register,
    and the organisation (never the reporter's description unless shared)."""
    if concern.subject_registrant_id:
        registrant = concern.subject_registrant
        return f"{registrant.display_name} ({registrant.registration_number})"
    if concern.organisation_id:
        return concern.organisation.name
    return NOT_ON_REGISTER
