"""Opening a case and building it: allegations citing the standards, and evidence
kept with its SHA-256. Stage moves are in ``stages.py``."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from steward.audit.services import audit_record
from steward.cases.models import (
    OPEN_STAGES,
    Allegation,
    Case,
    CaseSource,
    Evidence,
    EvidenceParty,
    StageChange,
)
from steward.cases.tell import notify_staff
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_label, actor_user
from steward.core.formatting import uk_date
from steward.standards.selectors import citation_for

MAX_EVIDENCE_BYTES = getattr(settings, "CASES_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)


def _next_reference(year: int) -> str:
    prefix = f"FTP-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1 if last else 1):04d}"


def case_open(
    *,
    registrant,
    source: str,
    summary: str,
    actor,
    concern_decision=None,
    not_fit_referral=None,
    referring_organisation=None,
    health_related: bool = False,
) -> Case:
    """Open a case about a registrant (never one about the caseworker themselves). A
    concern's decision or a not-fit referral opens at most one case; an open case for
    the same source is refused."""
    if actor is None or not actor.has_perm("cases.open_case"):
        raise PermissionDenied("Only caseworkers open fitness-to-practise cases.")
    if source not in CaseSource.values:
        raise ValidationError({"source": "Choose where the case came from"})
    summary = clean_text(summary, name="summary", message="Enter a summary of the matter")
    if registrant is None:
        raise ValidationError({"registrant": "Choose the registrant the case is about"})
    if registrant.user_id is not None and registrant.user_id == actor.pk:
        raise ValidationError(
            "You cannot open a case about yourself. Ask another caseworker to open it."
        )
    if registrant.merged_into_id is not None:
        raise ValidationError(
            {"registrant": "That record was merged into another: open the case on that one"}
        )
    needs = {
        CaseSource.CONCERN: (concern_decision, "the concern's triage decision"),
        CaseSource.NOT_FIT: (not_fit_referral, "the not fit and proper referral"),
        CaseSource.EMPLOYER: (referring_organisation, "the referring employer"),
    }
    if source in needs and needs[source][0] is None:
        raise ValidationError(f"A case from this source must name {needs[source][1]}.")
    if (
        concern_decision is not None
        and Case.objects.filter(concern_decision=concern_decision).exists()
    ):
        raise ValidationError("A case has already been opened from this concern.")
    if (
        not_fit_referral is not None
        and Case.objects.filter(not_fit_referral=not_fit_referral).exists()
    ):
        raise ValidationError("A case has already been opened from this referral.")
    today = clock.today()
    for _ in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=_next_reference(today.year),
                    registrant=registrant,
                    source=source,
                    summary=summary,
                    health_related=bool(health_related),
                    concern_decision=concern_decision,
                    not_fit_referral=not_fit_referral,
                    referring_organisation=referring_organisation,
                    opened_on=today,
                    stage_since=today,
                    opened_by=actor_user(actor),
                    caseworker=actor_user(actor),
                )
                StageChange.objects.create(
                    case=case,
                    from_stage="",
                    to_stage=case.stage,
                    actor=actor_user(actor),
                    actor_label=actor_label(actor),
                    reason=f"Opened: {CaseSource(source).label.lower()}",
                )
                if concern_decision is not None:
                    _tell_the_reporter(concern_decision.concern, actor)
                audit_record(
                    actor=actor,
                    action="cases.case.opened",
                    subject=case,
                    payload={
                        "reference": case.reference,
                        "registrant": registrant.registration_number,
                        "source": source,
                    },
                )
            return case
        except IntegrityError:  # two cases opened at once took the same number
            continue
    raise RuntimeError("Could not issue a unique case reference.")


def _tell_the_reporter(concern, actor) -> None:
    """The person who raised the concern hears that a case is open (never more)."""
    from steward.concerns.services import caseworker_message_add

    caseworker_message_add(
        concern=concern,
        body="We have opened a fitness-to-practise case about the concern you raised. "
        "Cases can take many months; we will tell you the outcome. Thank you for raising it.",
        actor=actor,
    )


def _require_open(case: Case) -> None:
    if case.stage not in OPEN_STAGES:
        raise ValidationError("The case is closed: open a review to add to it.")


def allegation_add(
    *, case: Case, text: str, conduct_on: dt.date | None, refs: list[str], actor
) -> Allegation:
    """Add an allegation citing the standards and never events in force on the date of
    the conduct (the version is stored with the citation)."""
    if actor is None or not actor.has_perm("cases.build_case", case):
        raise PermissionDenied("Only caseworkers add allegations.")
    _require_open(case)
    text = clean_text(text, name="text", message="Enter the allegation")
    if conduct_on is None:
        raise ValidationError({"conduct_on": "Enter the date of the conduct"})
    if conduct_on > clock.today():
        raise ValidationError({"conduct_on": "The date of the conduct must be in the past"})
    try:
        citation = citation_for(refs=refs or [], conduct_on=conduct_on)
    except ValidationError as exc:
        raise ValidationError({"refs": exc.messages}) from exc
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        number = (locked.allegations.aggregate(n=Max("number"))["n"] or 0) + 1
        allegation = Allegation.objects.create(
            case=locked,
            number=number,
            text=text,
            conduct_on=conduct_on,
            standards_version_id=citation.version_id,
            cited_refs=[item.ref for item in citation.items],
        )
        audit_record(
            actor=actor,
            action="cases.allegation.added",
            subject=locked,
            payload={
                "allegation": number,
                "refs": allegation.cited_refs,
                "standards_version": citation.version_number,
            },
        )
    return allegation


def evidence_add(
    *,
    case: Case,
    title: str,
    file_name: str,
    media_type: str,
    content: bytes,
    actor,
    submitted_by: str = EvidenceParty.REGULATOR,
    disclosed: bool = False,
) -> Evidence:
    """Add a file to the case; its SHA-256 is recorded here and in the audit trail.
    Evidence the registrant gives is theirs to see."""
    if submitted_by == EvidenceParty.REGISTRANT:
        registrant_user = case.registrant.user
        if actor is None or registrant_user is None or actor.pk != registrant_user.pk:
            raise PermissionDenied("Only the registrant adds their own evidence.")
        disclosed = True
    elif actor is None or not actor.has_perm("cases.build_case", case):
        raise PermissionDenied("Only caseworkers add evidence.")
    _require_open(case)
    title = clean_text(title, name="title", message="Enter a title for the evidence", limit=300)
    if not content:
        raise ValidationError({"file": "The file is empty: choose the file again"})
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {"file": f"The file must be smaller than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"}
        )
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        number = (locked.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
        evidence = Evidence.objects.create(
            case=locked,
            number=number,
            title=title,
            file_name=(file_name or "evidence")[:255],
            media_type=(media_type or "application/octet-stream")[:100],
            size=len(content),
            sha256=digest,
            content=content,
            submitted_by=submitted_by,
            disclosed=bool(disclosed),
            added_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="cases.evidence.added",
            subject=locked,
            payload={"evidence": number, "sha256": digest, "submitted_by": submitted_by},
        )
    return evidence


def response_send(
    *,
    case: Case,
    text: str,
    actor,
    file_name: str = "",
    media_type: str = "",
    content: bytes | None = None,
    file_title: str = "",
) -> list[Evidence]:
    """The registrant's response, kept as evidence they gave: the text as a text file,
    and the file they send beside it (``content``, None for none); both or neither.
    Their caseworker is told (no details)."""
    text = text.strip() if isinstance(text, str) else ""
    if not text and content is None:
        raise ValidationError({"text": "Enter your response or choose a file to send"})
    today = clock.today()
    added = []
    with transaction.atomic():
        if text:
            added.append(
                evidence_add(
                    case=case,
                    title=f"Response on {uk_date(today)}",
                    file_name=f"response-{today.isoformat()}.txt",
                    media_type="text/plain",
                    content=text.encode("utf-8"),
                    actor=actor,
                    submitted_by=EvidenceParty.REGISTRANT,
                )
            )
        if content is not None:
            title = file_title.strip() if isinstance(file_title, str) else ""
            added.append(
                evidence_add(
                    case=case,
                    title=title or f"File sent with the response on {uk_date(today)}",
                    file_name=file_name,
                    media_type=media_type,
                    content=content,
                    actor=actor,
                    submitted_by=EvidenceParty.REGISTRANT,
                )
            )
        notify_staff(
            case=case,
            users=[case.caseworker],
            subject=f"The registrant has responded on case {case.reference}",
            body=f"The registrant sent a response on case {case.reference}. It is in the "
            "case's evidence.",
        )
    return added
