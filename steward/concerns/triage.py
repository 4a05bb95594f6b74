"""The concerns team's writes: assigning, acknowledging, writing to the reporter,
staff notes, triage decisions, and the registrar's urgent flags.

Every change is a staff action, so every one is audited (never with the words
anyone wrote: payloads hold outcomes, references and numbers). Records people
edit are locked optimistically: a change made from a page that is out of date
is refused with ``StaleConcern``. Who is told what follows ADR 005: the manager
a concern is about hears of it only when it is referred to their employer or a
case is recommended, and never who raised it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from steward.audit.services import audit_record, audit_record_view
from steward.concerns import crypto, selectors, services
from steward.concerns.models import (
    Anonymity,
    Concern,
    ConcernStatus,
    StaffNote,
    TriageDecision,
    TriageOutcome,
)
from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.stale import StaleEdit
from steward.core.stale import is_stale as is_stale  # callers use triage.is_stale
from steward.core.text import clean_text
from steward.notifications.services import notify, notify_address
from steward.standards.selectors import citation_for

MAX_TEXT = 10_000
STALE_MESSAGE = (
    "Someone else changed this concern after you opened it, so your change was not "
    "saved. Reload the page to see what changed, then try again."
)
OUTCOME_STATUS = {
    TriageOutcome.CLOSE: ConcernStatus.CLOSED,
    TriageOutcome.REFER_TO_EMPLOYER: ConcernStatus.REFERRED_TO_EMPLOYER,
    TriageOutcome.OPEN_CASE: ConcernStatus.CASE_RECOMMENDED,
    TriageOutcome.URGENT_ACTION: ConcernStatus.URGENT_ACTION,
}


class StaleConcern(StaleEdit):
    default_message = STALE_MESSAGE


def _require(actor, perm: str, concern, message: str) -> None:
    if actor is None or not actor.has_perm(perm, concern):
        raise PermissionDenied(message)


def _lock(concern: Concern, version: int | None) -> Concern:
    """The concern's row, locked for this transaction; refused if ``version`` is given
    and someone has changed it since."""
    locked = (
        Concern.objects.select_for_update()
        .defer("content_sealed", "subject_description_sealed", "reporter_identity_sealed")
        .get(pk=concern.pk)
    )
    if version is not None and locked.version != version:
        raise StaleConcern()
    return locked


def _save(concern: Concern, locked: Concern, **values) -> None:
    """Write ``values`` and bump the version, on the locked row and the caller's copy."""
    Concern.objects.filter(pk=locked.pk).update(**values, version=F("version") + 1)
    new_version = locked.version + 1
    for obj in (locked, concern):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.version = new_version


# --- Assignment and acknowledgement ---------------------------------------------


def concern_assign(*, concern: Concern, assignee, actor, version: int) -> Concern:
    """Give the concern to a caseworker (``assignee``), or to nobody (None)."""
    _require(actor, "concerns.assign", concern, "Only the concerns team can assign concerns.")
    if assignee is not None and not selectors.is_caseworker(assignee):
        raise ValidationError(
            {"assignee": "Choose someone in the concerns team: they must be a caseworker"}
        )
    with transaction.atomic():
        locked = _lock(concern, version)
        if locked.assigned_to_id == (assignee.pk if assignee else None):
            return concern
        _save(concern, locked, assigned_to=assignee)
        audit_record(
            actor=actor,
            action="concerns.concern.assigned",
            subject=locked,
            payload={"assigned_to": assignee.pk if assignee else None},
        )
    return concern


def acknowledgement_text(concern: Concern) -> str:
    return (
        "Thank you for raising your concern with us. We have received it and our "
        "concerns team is looking at it. We aim to tell you what we have decided by "
        f"{uk_date(concern.feedback_by)}. We may write to you here with questions: "
        "check your inbox and reply if we ask you to."
    )


def concern_acknowledge(*, concern: Concern, actor, version: int) -> Concern:
    """Acknowledge the concern: record the day and send the reporter the standard
    acknowledgement."""
    _require(actor, "concerns.message_reporter", concern, "Only the concerns team can acknowledge.")
    with transaction.atomic():
        locked = _lock(concern, version)
        if locked.acknowledged_on is not None:
            raise ValidationError(
                f"This concern was already acknowledged on {uk_date(locked.acknowledged_on)}."
            )
        services.caseworker_message_add(
            concern=locked, body=acknowledgement_text(locked), actor=actor
        )
        values = {"acknowledged_on": clock.today()}
        if locked.status == ConcernStatus.NEW:
            values["status"] = ConcernStatus.ACKNOWLEDGED
        _save(concern, locked, **values)
        audit_record(
            actor=actor,
            action="concerns.concern.acknowledged",
            subject=locked,
            payload={"status": locked.status},
        )
    return concern


# --- Messages and staff notes ---------------------------------------------------


def concern_message_send(
    *, concern: Concern, body: str, actor, needs_reply: bool = False, is_feedback: bool = False
):
    """Write to the reporter. A first message acknowledges the concern; asking for a
    reply waits for the reporter; substantive feedback records the day it was given."""
    _require(
        actor,
        "concerns.message_reporter",
        concern,
        "Only the concerns team can write to the person who raised it.",
    )
    text = clean_text(
        body, name="body", limit=MAX_TEXT, label="Your message", required="Enter your message"
    )
    with transaction.atomic():
        locked = _lock(concern, None)
        if needs_reply and locked.status not in selectors.BEFORE_TRIAGE:
            raise ValidationError(
                {
                    "needs_reply": "This concern has been triaged, so it cannot wait for a "
                    "reply. Untick “the reporter needs to reply” to send the message."
                }
            )
        message = services.caseworker_message_add(concern=locked, body=text, actor=actor)
        today = clock.today()
        values = {}
        if locked.acknowledged_on is None:
            values["acknowledged_on"] = today
        if needs_reply:
            values["status"] = ConcernStatus.AWAITING_REPORTER
        elif locked.status == ConcernStatus.NEW:
            values["status"] = ConcernStatus.ACKNOWLEDGED
        if is_feedback and locked.first_feedback_on is None:
            values["first_feedback_on"] = today
        changed = {k: v for k, v in values.items() if getattr(locked, k) != v}
        if changed:
            _save(concern, locked, **changed)
            audit_record(
                actor=actor,
                action="concerns.concern.progressed",
                subject=locked,
                payload={
                    "message": message.number,
                    "status": locked.status,
                    "acknowledged": "acknowledged_on" in changed,
                    "feedback_given": "first_feedback_on" in changed,
                },
            )
    return message


def concern_messages_read(*, concern: Concern, actor) -> list[dict]:
    """The thread with the reporter, for the concerns team; the reading is recorded."""
    _require(actor, "concerns.read_concern", concern, "Only the concerns team can read this.")
    messages = services.messages_for_reporter(concern=concern)
    if messages:
        audit_record_view(
            actor=actor, subject=concern, fields=["messages"], reason="read the messages"
        )
    return messages


def staff_note_add(*, concern: Concern, body: str, actor) -> StaffNote:
    """A note for the concerns team; sealed, and never shown to the reporter."""
    _require(actor, "concerns.add_staff_note", concern, "Only the concerns team can add notes.")
    text = clean_text(
        body, name="body", limit=MAX_TEXT, label="Your note", required="Enter your note"
    )
    with transaction.atomic():
        note = StaffNote.objects.create(
            concern=concern, author=actor, body_sealed=crypto.seal_text(text)
        )
        audit_record(
            actor=actor,
            action="concerns.staff_note.added",
            subject=concern,
            payload={"note": note.pk},
        )
    return note


def staff_notes_read(*, concern: Concern, actor) -> list[dict]:
    """The staff notes on a concern, oldest first; the reading is recorded."""
    _require(actor, "concerns.read_concern", concern, "Only the concerns team can read notes.")
    notes = list(StaffNote.objects.filter(concern=concern).select_related("author"))
    if not notes:
        return []
    audit_record_view(
        actor=actor, subject=concern, fields=["staff_notes"], reason="read the staff notes"
    )
    return [
        {
            "author": note.author.full_name or "A caseworker",
            "created_at": note.created_at,
            "body": crypto.open_text(note.body_sealed),
        }
        for note in notes
    ]


# --- Triage -----------------------------------------------------------------------


def _reporter_text(concern: Concern, outcome: str, referred_to) -> str:
    unnamed = concern.anonymity != Anonymity.OPEN
    if outcome == TriageOutcome.REFER_TO_EMPLOYER:
        shared = (
            "As you allowed, we have shared your report with them."
            if concern.employer_may_see
            else "We have not shared your report with them: they see only our summary of it."
        )
        about_you = {
            Anonymity.CONFIDENTIAL: " We have not told them who you are.",
            Anonymity.ANONYMOUS: " We do not know who you are, so nothing about you was shared.",
        }.get(concern.anonymity, "")
        return (
            f"We have looked at your concern and referred it to {referred_to.name}, the "
            f"employer, to look into. {shared}{about_you}"
        )
    if outcome == TriageOutcome.OPEN_CASE:
        text = (
            "We have looked at your concern and decided that it needs a fitness-to-practise "
            "investigation. We will tell you when there is more to say."
        )
        if unnamed:
            text += " We will not tell the manager who raised the concern."
        return text
    return (
        "We have looked at your concern and asked our registrar to consider urgent action "
        "while it is looked into further. We will tell you when there is more to say."
    )


def _tell_subject(concern: Concern, outcome: str, referred_to) -> bool:
    registrant = concern.subject_registrant
    if registrant is None:
        return False
    if outcome == TriageOutcome.REFER_TO_EMPLOYER:
        body = (
            f"The regulator received a concern about you and has referred it to "
            f"{referred_to.name} to look into. They may contact you about it."
        )
    else:
        body = (
            "The regulator received a concern about you and has decided that it needs a "
            "fitness-to-practise investigation. We will write to you about what happens next."
        )
    body += " Steward does not tell anyone who raised a concern."
    subject = "A concern has been raised about you"
    if registrant.user_id is not None:
        return bool(notify(users=[registrant.user], subject=subject, body=body, topic="concerns"))
    # Never signed in: the email address on their register record.
    return notify_address(email=registrant.email, subject=subject, body=body)


def _refs(cited_refs) -> list[str]:
    if cited_refs is None:
        return []
    if isinstance(cited_refs, str):
        cited_refs = cited_refs.replace(",", " ").split()
    return [str(ref) for ref in cited_refs]


def triage_decide(
    *,
    concern: Concern,
    outcome: str,
    conduct_on=None,
    cited_refs=(),
    reasons: str,
    reporter_explanation: str = "",
    employer_summary: str = "",
    referred_to=None,
    actor,
    version: int,
) -> TriageDecision:
    """Decide what happens to a concern, citing the standards in force on the date of
    the conduct (the date it was received when not given).

    - close: the reporter is told why, in plain English;
    - refer to the employer: the employer's chair, chief executive and HR lead are
      told, and see the summary (and the report only if the reporter allowed it);
    - open a case: recorded until cases can be opened from it;
    - urgent action: flagged to the registrars.
    The reporter is told every outcome; the manager only of a referral or a case.
    A concern can be triaged again: the new decision stands, the old one is kept."""
    _require(actor, "concerns.triage", concern, "Only the concerns team can triage concerns.")
    if outcome not in TriageOutcome.values:
        raise ValidationError({"outcome": "Choose what to do with the concern"})
    outcome = TriageOutcome(outcome)
    reasons = clean_text(
        reasons,
        name="reasons",
        limit=MAX_TEXT,
        label="Reasons",
        required="Enter the reasons for your decision",
    )
    explanation = clean_text(
        reporter_explanation,
        name="reporter_explanation",
        limit=MAX_TEXT,
        label="What to tell the person who raised it",
        required=(
            "Enter what to tell the person who raised it, in plain English"
            if outcome == TriageOutcome.CLOSE
            else None
        ),
    )
    summary = ""
    today = clock.today()
    conduct_on = conduct_on or concern.received_on
    if conduct_on > today:
        raise ValidationError({"conduct_on": "The date of the conduct must be today or earlier"})
    if outcome in (TriageOutcome.OPEN_CASE, TriageOutcome.URGENT_ACTION) and (
        concern.subject_registrant_id is None
    ):
        raise ValidationError(
            {
                "outcome": "A fitness-to-practise case or urgent interim action needs a manager "
                "on the register. Close the concern or refer it to the employer instead."
            }
        )
    if outcome == TriageOutcome.REFER_TO_EMPLOYER:
        summary = clean_text(
            employer_summary,
            name="employer_summary",
            limit=MAX_TEXT,
            label="Summary for the employer",
            required="Enter a summary of the concern for the employer",
        )
        referred_to = (
            referred_to
            or concern.organisation
            or selectors.current_employer(concern.subject_registrant)
        )
        if referred_to is None:
            raise ValidationError(
                {"referred_to": "Enter the ODS code of the employer to refer the concern to"}
            )
    else:
        referred_to = None
    refs = _refs(cited_refs)
    citation = None
    if refs or outcome != TriageOutcome.CLOSE:
        try:
            citation = citation_for(refs=refs, conduct_on=conduct_on)
        except ValidationError as error:
            raise ValidationError({"cited_refs": error.messages}) from error
    if (
        concern.is_detriment
        and outcome != TriageOutcome.CLOSE
        and not any(item.kind == "never_event" for item in citation.items)
    ):
        raise ValidationError(
            {
                "cited_refs": ValidationError(
                    "This concern reports that someone was victimised for speaking up, which "
                    "is a never event. Cite at least one never event, such as NE1.",
                    code="never_event_needed",
                )
            }
        )

    with transaction.atomic():
        locked = _lock(concern, version)
        decision = TriageDecision.objects.create(
            concern=locked,
            outcome=outcome,
            conduct_on=conduct_on,
            standards_version_id=citation.version_id if citation else None,
            cited_refs=citation.refs if citation else [],
            reasons=reasons,
            employer_summary=summary,
            referred_to=referred_to,
            decided_by=actor,
        )
        if outcome == TriageOutcome.CLOSE:
            message = explanation
        else:
            message = _reporter_text(locked, outcome, referred_to)
            if explanation:
                message = f"{message}\n\n{explanation}"
        services.caseworker_message_add(concern=locked, body=message, actor=actor)

        values = {"status": OUTCOME_STATUS[outcome]}
        if locked.acknowledged_on is None:
            values["acknowledged_on"] = today
        if locked.first_feedback_on is None:
            values["first_feedback_on"] = today
        subject_told = outcome in (
            TriageOutcome.REFER_TO_EMPLOYER,
            TriageOutcome.OPEN_CASE,
        ) and _tell_subject(locked, outcome, referred_to)
        if subject_told and locked.subject_told_on is None:
            values["subject_told_on"] = today
        _save(concern, locked, **values)

        if outcome == TriageOutcome.REFER_TO_EMPLOYER:
            notify(
                users=selectors.referral_recipients(
                    organisation=referred_to, subject=locked.subject_registrant
                ),
                subject="The regulator has referred a concern to your organisation",
                body=(
                    f"Concern {locked.reference} has been referred to {referred_to.name} "
                    "to look into. Sign in to Steward to read the referral."
                ),
                url=reverse("concerns:referral", kwargs={"pk": decision.pk}),
                topic="concerns",
            )
        elif outcome == TriageOutcome.URGENT_ACTION:
            notify(
                users=selectors.registrars(),
                subject="A concern has been flagged for urgent interim action",
                body=(
                    f"The concerns team has flagged concern {locked.reference} for urgent "
                    "interim action. Sign in to Steward to see it."
                ),
                url=reverse("concerns:urgent"),
                topic="concerns",
            )
        audit_record(
            actor=actor,
            action="concerns.concern.triaged",
            subject=locked,
            payload={
                "decision": decision.pk,
                "outcome": outcome.value,
                "refs": decision.cited_refs,
                "standards_version": citation.version_number if citation else None,
                "referred_to": referred_to.ods_code if referred_to else None,
                "status": values["status"].value,
            },
        )
    return decision


# --- Registrars and employers ---------------------------------------------------


def urgent_flag_seen(*, decision: TriageDecision, actor) -> TriageDecision:
    """A registrar records that they have seen an urgent flag."""
    if actor is None or not actor.has_perm("concerns.see_urgent_flags"):
        raise PermissionDenied("Only registrars can mark urgent flags as seen.")
    if decision.outcome != TriageOutcome.URGENT_ACTION:
        raise ValidationError("Only a decision flagged for urgent action can be marked as seen.")
    with transaction.atomic():
        now = clock.now()
        updated = TriageDecision.objects.filter(
            pk=decision.pk, registrar_seen_at__isnull=True
        ).update(registrar_seen_by=actor, registrar_seen_at=now)
        if not updated:
            raise ValidationError("A registrar has already marked this flag as seen.")
        decision.registrar_seen_by = actor
        decision.registrar_seen_at = now
        audit_record(
            actor=actor,
            action="concerns.urgent_flag.seen",
            subject=decision,
            payload={"concern": decision.concern.reference},
        )
    return decision


def referral_report_open(*, decision: TriageDecision, actor) -> dict | None:
    """The report's answers for the employer a concern was referred to, only when the
    reporter allowed it (None otherwise); each reading is recorded. Never the
    reporter's identity, messages, notes or files."""
    if decision.outcome != TriageOutcome.REFER_TO_EMPLOYER or actor is None:
        raise PermissionDenied("This is not a referral.")
    if not actor.has_perm("concerns.read_referral", decision):
        raise PermissionDenied("Only the employer the concern was referred to can read it.")
    concern = Concern.objects.get(pk=decision.concern_id)
    if not concern.employer_may_see:
        return None
    return services.report_read(
        concern=concern, actor=actor, reason="employer read a referred concern"
    )
