"""Determinations: what was decided on a case, with reasons, issued as a PDF.

A panel member sitting on the hearing records the determination in stages, in this
order: the facts (each allegation proved or not, with reasons), whether fitness to
practise is impaired (with reasons), and the sanction (with reasons, and why each less
severe sanction would not be enough, as sanctions guidance asks). A hearings officer
then issues it: the PDF is built and its SHA-256 is stored and put in the audit trail,
the appeal window opens, the sanction takes effect (``sanctions``) and the registrant
is told. An issued determination is never edited: an appeal or a review gives a new
determination that supersedes it.
"""

import datetime as dt
import hashlib

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from steward.audit.services import audit_record
from steward.cases.models import (
    SANCTION_LADDER,
    Case,
    Determination,
    DeterminationKind,
    HearingStatus,
    SanctionKind,
    Stage,
)
from steward.cases.pdf import determination_pdf
from steward.cases.stages import stage_move
from steward.cases.tell import notify_registrant
from steward.cases.text import TEXT_LIMIT, clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date
from steward.core.stale import StaleEdit

# How each sanction is named in the middle of a sentence.
SANCTION_PHRASES = {
    SanctionKind.ADVICE: "advice",
    SanctionKind.WARNING: "a warning",
    SanctionKind.UNDERTAKINGS: "agreed undertakings",
    SanctionKind.CONDITIONS: "conditions",
    SanctionKind.SUSPENSION: "a suspension",
    SanctionKind.BARRING: "barring",
}
# Recorded by a panel (case examiners' and appeal outcomes are recorded by their services).
PANEL_KINDS = frozenset({DeterminationKind.PANEL, DeterminationKind.REVIEW})
SUMMARY_LIMIT = 2_000


class StaleDetermination(StaleEdit):
    default_message = (
        "Someone else changed this determination while you were working on it. "
        "Check the latest version and record your changes again."
    )


# --- Shared by the decision services ---------------------------------------------


def current_determination(case: Case) -> Determination | None:
    """The latest issued determination on the case that nothing issued has superseded."""
    return (
        Determination.objects.filter(case=case, issued_at__isnull=False)
        .exclude(superseded_by__issued_at__isnull=False)
        .order_by("-issued_at", "-pk")
        .first()
    )


def live_allegation_numbers(case: Case) -> list[int]:
    return list(
        case.allegations.filter(withdrawn=False).order_by("number").values_list("number", flat=True)
    )


def clean_sanction(
    *,
    case: Case,
    sanction: str,
    reasons: str,
    less_severe_rejected: dict | None,
    conditions: str,
    effective_from: dt.date | None,
    ends_on: dt.date | None,
    published_summary: str,
) -> dict:
    """Check a sanction against the rules and give back the determination's fields.

    A reason for every less severe sanction on the ladder; a suspension lasts at most
    ``CASES_SUSPENSION_MAX_MONTHS``; conditions need their text and an end date;
    barring has no end date; a published summary for anything the public register
    shows (never advice, nor a health-related case)."""
    if sanction not in SANCTION_LADDER:
        raise ValidationError({"sanction": "Choose a sanction from the list"})
    kind = SanctionKind(sanction)
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        reasons = clean_text(reasons, name="reasons", message="Enter the reasons for the sanction")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    given = less_severe_rejected if isinstance(less_severe_rejected, dict) else {}
    given = {str(key): value for key, value in given.items()}
    rejected = {}
    for lesser in SANCTION_LADDER[: SANCTION_LADDER.index(kind)]:
        text = given.get(lesser.value)
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            refuse(
                "less_severe_rejected",
                f"Say why {SANCTION_PHRASES[lesser]} would not be enough",
            )
        elif len(text) > TEXT_LIMIT:
            refuse("less_severe_rejected", f"The reason about {lesser.label.lower()} is too long")
        else:
            rejected[lesser.value] = text
    today = clock.today()
    if effective_from is not None and effective_from < today:
        refuse("effective_from", "The sanction cannot take effect before today")
    starts = effective_from or today
    conditions = conditions.strip() if isinstance(conditions, str) else ""
    if kind == SanctionKind.CONDITIONS:
        if not conditions:
            refuse("conditions", "Write down the conditions the registrant must meet")
        if ends_on is None:
            refuse("ends_on", "Enter the date the conditions end")
    else:
        conditions = ""
    if kind == SanctionKind.SUSPENSION:
        longest = starts + relativedelta(months=settings.CASES_SUSPENSION_MAX_MONTHS)
        if ends_on is None:
            refuse("ends_on", "Enter the date the suspension ends")
        elif ends_on > longest:
            refuse(
                "ends_on",
                f"A suspension can last at most {settings.CASES_SUSPENSION_MAX_MONTHS} months: "
                f"choose an end date on or before {uk_date(longest)}",
            )
    if kind == SanctionKind.BARRING and ends_on is not None:
        refuse("ends_on", "Barring has no end date: leave the end date empty")
    if kind in (SanctionKind.ADVICE, SanctionKind.WARNING) and ends_on is not None:
        refuse("ends_on", f"{kind.label} has no end date: leave the end date empty")
    if ends_on is not None and ends_on <= starts:
        refuse("ends_on", "The end date must be after the date the sanction takes effect")
    summary = published_summary.strip() if isinstance(published_summary, str) else ""
    published = kind != SanctionKind.ADVICE and not case.health_related
    if published and not summary:
        refuse(
            "published_summary",
            "Enter the summary the public register will show with the sanction",
        )
    elif len(summary) > SUMMARY_LIMIT:
        refuse("published_summary", f"The summary must be {SUMMARY_LIMIT:,} characters or fewer")
    if errors:
        raise ValidationError(errors)
    return {
        "sanction": kind.value,
        "sanction_reasons": reasons,
        "less_severe_rejected": rejected,
        "conditions": conditions,
        "effective_from": effective_from,
        "ends_on": ends_on,
        "published_summary": summary if published else "",
    }


def issue(
    *,
    determination: Determination,
    actor,
    move: str | None,
    appeal_window: bool,
    outcome: str = "",
) -> Determination:
    """Issue a determination whose permission and content the caller has checked:
    build and store the PDF and its hash, audit the hash, move the case, apply the
    sanction and tell the registrant. ``outcome`` is a sentence the PDF leads with
    (an examiners' or appeal outcome)."""
    from steward.cases.sanctions import sanction_from_determination

    with transaction.atomic():
        locked = (
            Determination.objects.select_for_update(of=("self",))
            .select_related("case__registrant", "hearing", "supersedes")
            .get(pk=determination.pk)
        )
        if locked.issued_at is not None:
            raise _issued_error(locked)
        today = clock.today()
        appeal_by = today + dt.timedelta(days=settings.CASES_APPEAL_DAYS) if appeal_window else None
        if locked.sanction and locked.effective_from is None:
            locked.effective_from = today
        content = determination_pdf(
            determination=locked, issued_on=today, appeal_by=appeal_by, outcome=outcome
        )
        digest = hashlib.sha256(content).hexdigest()
        issued_at = clock.now()
        Determination.objects.filter(pk=locked.pk).update(
            pdf=content,
            pdf_sha256=digest,
            issued_at=issued_at,
            issued_by=actor_user(actor),
            appeal_by=appeal_by,
            effective_from=locked.effective_from,
            version=F("version") + 1,
        )
        case = locked.case
        audit_record(
            actor=actor,
            action="cases.determination.issued",
            subject=case,
            payload={
                "determination": locked.pk,
                "kind": locked.kind,
                "sanction": locked.sanction,
                "pdf_sha256": digest,
                "appeal_by": appeal_by,
                "supersedes": locked.supersedes_id,
            },
        )
        if move:
            stage_move(
                case=case,
                move=move,
                actor=actor,
                reason=f"{locked.get_kind_display()} issued.",
                permitted=True,
            )
        determination.refresh_from_db()
        sanction_from_determination(determination=determination, actor=actor)
        deadline = f" You can appeal until {uk_date(appeal_by)}." if appeal_by else ""
        notify_registrant(
            case=case,
            subject="A decision on your case has been issued",
            body=(
                f"The {locked.get_kind_display().lower()} on case {case.reference} was issued "
                f"on {uk_date(today)}. Sign in to Steward to read it.{deadline}"
            ),
        )
    return determination


def _issued_error(determination: Determination) -> ValidationError:
    return ValidationError(
        f"This determination was issued on {uk_date(determination.issued_at)} and cannot be "
        "changed. An appeal or a review gives a new determination that supersedes it."
    )


# --- Recorded by the panel -------------------------------------------------------


def _lock_for_panel(*, determination: Determination, actor, expected_version) -> Determination:
    """The determination, locked, once the actor is checked to be sitting on its
    hearing's panel and it is still a draft the panel may record."""
    hearing = determination.hearing
    user = actor_user(actor)
    if (
        user is None
        or hearing is None
        or determination.kind not in PANEL_KINDS
        or not user.has_perm("cases.sit_on_panel", hearing)
    ):
        raise PermissionDenied("Only panel members sitting on the hearing record its findings.")
    locked = (
        Determination.objects.select_for_update(of=("self",))
        .select_related("case", "hearing")
        .get(pk=determination.pk)
    )
    if locked.issued_at is not None:
        raise _issued_error(locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleDetermination()
    if locked.hearing.status != HearingStatus.HELD:
        raise ValidationError("Record the panel's findings once the hearing has been held.")
    return locked


def _save(locked: Determination, determination: Determination, **values) -> None:
    Determination.objects.filter(pk=locked.pk).update(**values, version=F("version") + 1)
    determination.refresh_from_db()


def _finding(value) -> tuple[object, object]:
    if isinstance(value, dict):
        return value.get("proved"), value.get("reasons")
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def facts_record(
    *, determination: Determination, findings: dict, actor, expected_version: int | None = None
) -> Determination:
    """Record, for every allegation not withdrawn, whether it was found proved, with
    reasons: ``findings = {allegation number: (proved, reasons)}``. Refused once
    impairment has been recorded on the facts."""
    with transaction.atomic():
        locked = _lock_for_panel(
            determination=determination, actor=actor, expected_version=expected_version
        )
        if locked.impaired is not None:
            raise ValidationError(
                "Impairment has already been recorded on these findings, so they cannot be "
                "changed now."
            )
        if not isinstance(findings, dict):
            raise ValidationError({"findings": "Record a finding on each allegation"})
        allegations = {a.number: a for a in locked.case.allegations.all()}
        live = sorted(number for number, a in allegations.items() if not a.withdrawn)
        if not live:
            raise ValidationError(
                "The case has no allegations to decide: the caseworker adds them first."
            )
        errors: list[str] = []
        given = {}
        for key, value in findings.items():
            try:
                number = int(key)
            except (TypeError, ValueError):
                errors.append(f"“{key}” is not an allegation number")
                continue
            if number not in allegations:
                errors.append(f"There is no allegation {number} in this case")
            elif allegations[number].withdrawn:
                errors.append(f"Allegation {number} was withdrawn: do not record a finding on it")
            else:
                given[number] = value
        facts = {}
        for number in live:
            if number not in given:
                errors.append(f"Record whether allegation {number} was found proved or not")
                continue
            proved, reasons = _finding(given[number])
            if not isinstance(proved, bool):
                errors.append(f"Say whether allegation {number} was found proved or not proved")
            text = reasons.strip() if isinstance(reasons, str) else ""
            if not text:
                errors.append(f"Give the reasons for the finding on allegation {number}")
            elif len(text) > TEXT_LIMIT or "\x00" in text:
                errors.append(f"Shorten the reasons for allegation {number} and try again")
            facts[str(number)] = {"proved": proved, "reasons": text}
        if errors:
            raise ValidationError({"findings": errors})
        _save(locked, determination, facts=facts)
        audit_record(
            actor=actor,
            action="cases.determination.facts_recorded",
            subject=locked.case,
            payload={
                "determination": locked.pk,
                "proved": [n for n in live if facts[str(n)]["proved"]],
                "not_proved": [n for n in live if not facts[str(n)]["proved"]],
            },
        )
    return determination


def facts_complete(determination: Determination, live: list[int] | None = None) -> bool:
    """A finding on every live allegation (``live``: their numbers, when already read)."""
    if live is None:
        live = live_allegation_numbers(determination.case)
    facts = determination.facts or {}
    return bool(live) and all(str(number) in facts for number in live)


def any_proved(determination: Determination) -> bool:
    return any(finding.get("proved") for finding in (determination.facts or {}).values())


def ready_to_issue(determination: Determination, live: list[int] | None = None) -> bool:
    """Every stage a panel records is recorded, as ``determination_issue`` asks."""
    if determination.issued_at is not None or determination.kind not in PANEL_KINDS:
        return False
    if not facts_complete(determination, live) or determination.impaired is None:
        return False
    return not determination.impaired or bool(determination.sanction)


def impairment_record(
    *,
    determination: Determination,
    impaired: bool,
    reasons: str,
    actor,
    expected_version: int | None = None,
) -> Determination:
    """Record whether the registrant's fitness to practise is impaired, with reasons.
    Only after the facts; when no allegation was proved it cannot be impaired (and no
    sanction follows). Refused once the sanction has been recorded."""
    with transaction.atomic():
        locked = _lock_for_panel(
            determination=determination, actor=actor, expected_version=expected_version
        )
        if not facts_complete(locked):
            raise ValidationError("Record the findings of fact on every allegation first.")
        if locked.sanction:
            raise ValidationError(
                "The sanction has already been recorded on this finding, so it cannot be "
                "changed now."
            )
        if not isinstance(impaired, bool):
            raise ValidationError({"impaired": "Say whether fitness to practise is impaired"})
        if impaired and not any_proved(locked):
            raise ValidationError(
                {
                    "impaired": "No allegation was found proved, so fitness to practise cannot "
                    "be found impaired"
                }
            )
        reasons = clean_text(
            reasons, name="reasons", message="Enter the reasons for the finding on impairment"
        )
        _save(locked, determination, impaired=impaired, impairment_reasons=reasons)
        audit_record(
            actor=actor,
            action="cases.determination.impairment_recorded",
            subject=locked.case,
            payload={"determination": locked.pk, "impaired": impaired},
        )
    return determination


def sanction_record(
    *,
    determination: Determination,
    sanction: str,
    reasons: str,
    less_severe_rejected: dict,
    conditions: str = "",
    effective_from: dt.date | None = None,
    ends_on: dt.date | None = None,
    published_summary: str = "",
    actor,
    expected_version: int | None = None,
) -> Determination:
    """Record the sanction, with reasons and why each less severe sanction would not be
    enough. Only when fitness to practise was found impaired. ``effective_from`` left
    empty means the day the determination is issued."""
    with transaction.atomic():
        locked = _lock_for_panel(
            determination=determination, actor=actor, expected_version=expected_version
        )
        if locked.impaired is None:
            raise ValidationError("Record whether fitness to practise is impaired first.")
        if not locked.impaired:
            raise ValidationError(
                "Fitness to practise was not found impaired, so no sanction can be imposed."
            )
        values = clean_sanction(
            case=locked.case,
            sanction=sanction,
            reasons=reasons,
            less_severe_rejected=less_severe_rejected,
            conditions=conditions,
            effective_from=effective_from,
            ends_on=ends_on,
            published_summary=published_summary,
        )
        _save(locked, determination, **values)
        audit_record(
            actor=actor,
            action="cases.determination.sanction_recorded",
            subject=locked.case,
            payload={
                "determination": locked.pk,
                "sanction": values["sanction"],
                "effective_from": values["effective_from"],
                "ends_on": values["ends_on"],
                "less_severe_rejected": sorted(values["less_severe_rejected"]),
            },
        )
    return determination


def determination_issue(*, determination: Determination, actor) -> Determination:
    """Issue a panel or review determination once every stage is recorded: the PDF
    and its hash, the appeal window (panel determinations), the stage move
    (``issue_determination``, or ``conclude_review``), the sanction, the registrant told.
    Hearings officers issue determinations; so may a member of the hearing's panel."""
    user = actor_user(actor)
    if determination.kind not in PANEL_KINDS:
        raise ValidationError(
            f"A {determination.get_kind_display().lower()} is issued with the decision itself."
        )
    hearing = determination.hearing
    if user is None or not (
        user.has_perm("cases.arrange_hearings")
        or (hearing is not None and user.has_perm("cases.sit_on_panel", hearing))
    ):
        raise PermissionDenied("Only hearings officers and the panel issue determinations.")
    if determination.issued_at is not None:
        raise _issued_error(determination)
    review = determination.kind == DeterminationKind.REVIEW
    case = Case.objects.get(pk=determination.case_id)
    expected = Stage.REVIEW if review else Stage.DETERMINATION
    if case.stage != expected:
        raise ValidationError(
            f"The determination can only be issued while the case is at "
            f"“{Stage(expected).label.lower()}”: it is at “{case.get_stage_display().lower()}”."
        )
    if not facts_complete(determination):
        raise ValidationError("Record the findings of fact on every allegation first.")
    if determination.impaired is None:
        raise ValidationError("Record whether fitness to practise is impaired first.")
    if determination.impaired and not determination.sanction:
        raise ValidationError("Record the sanction first.")
    return issue(
        determination=determination,
        actor=actor,
        move="conclude_review" if review else "issue_determination",
        appeal_window=not review,
    )
