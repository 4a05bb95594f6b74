"""Every write of the fit and proper person test (the assessment half).

Opening: ``assessments_open_year`` opens the year's assessment for every board
member in post (a few bulk queries and one summary audit event, so it runs at
national scale); ``assessment_open_for_appointment`` opens one when someone
starts a board role. Each assessment holds one check of each kind, all pending
except the register status, which Steward fills from the register.

Recording: the HR lead or the chair records the assessor's checks; the
director completes their own competency self-assessment and attestation.
Concluding: the chair concludes (the senior independent director concludes
the chair's own), never while a check is pending and never their own. A
director found not fit and proper is referred to the regulator at once.

Every write is audited under ``fitness.*``; payloads hold outcomes and counts,
never the free text of notes, reasons or declarations.
"""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse

from steward.accounts.selectors import role_holders
from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_label, actor_user
from steward.core.bulk import insert_rows
from steward.core.formatting import uk_date
from steward.core.stale import StaleEdit as CoreStaleEdit
from steward.fitness import selectors
from steward.fitness.models import (
    AUTOMATIC_CHECKS,
    DIRECTOR_CHECKS,
    AssessmentOutcome,
    AssessmentTrigger,
    CheckKind,
    CheckOutcome,
    CompetencyRating,
    ConcludedAs,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
    SelfAttestation,
)
from steward.fitness.rules import (
    RECORDING_ROLES,
    REFERRAL_ROLES,
    concluding_role,
    holds_role_at,
    is_own,
)
from steward.register.models import (
    BOARD_CATEGORIES,
    CareerRole,
    RegisterStatus,
    Registrant,
    RoleCategory,
)

# The fit and proper person test began in its current form in 2023.
FIRST_YEAR = 2023
BATCH_SIZE = 1000
REGISTER_CHECKER = "Steward, from the register"
STALE_MESSAGE = (
    "Someone else changed this assessment after you opened the page, so your changes "
    "were not saved. Go back to the assessment to see their changes, then try again."
)
CONCLUDED_MESSAGE = (
    "This assessment was concluded on {date}. A concluded assessment cannot be changed."
)
# The statements a director confirms in their annual self-attestation.
ATTESTATION_STATEMENTS = (
    "I am of good character.",
    "I have not been convicted in the United Kingdom of any offence, or convicted "
    "elsewhere of an offence that would be an offence here, that I have not declared.",
    "I am not an undischarged bankrupt, and I have no bankruptcy restrictions order or "
    "undertaking, and no sequestration of my estate.",
    "I have no arrangement or composition with creditors that has not been discharged.",
    "I am not disqualified from being a company director.",
    "I am not included on a barred list, and I am not prohibited from holding office by any law.",
    "I have not been removed from being a charity trustee, or from managing or "
    "controlling any body, because of misconduct or mismanagement.",
    "I have not been responsible for, privy to, contributed to or facilitated any serious "
    "misconduct or mismanagement, whether unlawful or not, in any role.",
    "I have the qualifications, competence, skills and experience my role needs, and I "
    "am able, with any reasonable adjustments, to carry it out.",
)
NON_PRACTISING_NOTE = {
    RegisterStatus.CONDITIONS: "Registered with conditions",
    RegisterStatus.SUSPENDED: "Suspended",
    RegisterStatus.BARRED: "Barred",
    RegisterStatus.LAPSED: "Registration lapsed",
    RegisterStatus.VOLUNTARILY_REMOVED: "Voluntarily removed from the register",
}


class StaleEdit(CoreStaleEdit):
    default_message = STALE_MESSAGE


# --- Helpers -----------------------------------------------------------------


def _require_user(actor, action: str):
    user = actor_user(actor)
    if user is None:
        raise ValidationError(f"Only someone signed in can {action}.")
    return user


def _refuse_if_concluded(assessment: FitnessAssessment) -> None:
    if assessment.is_concluded:
        raise ValidationError(
            CONCLUDED_MESSAGE.format(date=uk_date(assessment.concluded_at)), code="concluded"
        )


def _bump_assessment(assessment_id: int) -> None:
    FitnessAssessment.objects.filter(pk=assessment_id).update(version=F("version") + 1)


def year_problem(year) -> str | None:
    """Why a year cannot have assessments opened, or None."""
    latest = clock.today().year + 1
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= latest:
        return f"Enter a year from {FIRST_YEAR} to {latest}, like {clock.today().year}"
    return None


def register_status_result(*, status: str, status_since: dt.date | None) -> tuple[str, str]:
    """The register status check's outcome and note for a register status."""
    since = f" since {uk_date(status_since)}" if status_since else ""
    if status == RegisterStatus.REGISTERED:
        return CheckOutcome.SATISFACTORY, f"Registered{since}."
    label = NON_PRACTISING_NOTE.get(status, status)
    return CheckOutcome.CONCERN, f"Register status: {label}{since}."


# The columns of a check, in the order ``_check_rows`` gives them.
CHECK_COLUMNS = (
    "assessment",
    "kind",
    "outcome",
    "checked_on",
    "evidence_reference",
    "not_applicable_reason",
    "note",
    "checked_by",
    "checked_by_label",
    "updated_at",
    "version",
)


def _check_rows(
    assessment_id: int,
    *,
    status: str,
    status_since: dt.date | None,
    registration_number: str,
    today: dt.date,
    now,
) -> list[tuple]:
    """The thirteen checks of a new assessment as rows of CHECK_COLUMNS: pending, but for
    the register status, which Steward fills from the person's register entry."""
    outcome, note = register_status_result(status=status, status_since=status_since)
    # outcome, checked_on, evidence_reference, not_applicable_reason, note, checked_by,
    # checked_by_label
    register = (
        outcome,
        today,
        f"Register entry {registration_number}",
        "",
        note,
        None,
        REGISTER_CHECKER,
    )
    pending = (CheckOutcome.PENDING, None, "", "", "", None, "")
    return [
        (
            assessment_id,
            kind.value,
            *(register if kind == CheckKind.REGISTER_STATUS else pending),
            now,
            1,
        )
        for kind in CheckKind
    ]


def _open_checks(assessment: FitnessAssessment, *, registrant, today: dt.date) -> None:
    """Write the checks of one newly opened assessment."""
    rows = _check_rows(
        assessment.pk,
        status=registrant.status,
        status_since=registrant.status_since,
        registration_number=registrant.registration_number,
        today=today,
        now=clock.now(),
    )
    insert_rows(FitnessCheck, CHECK_COLUMNS, rows, prepared=False)


# --- Opening -----------------------------------------------------------------


def _board_in_post(on: dt.date):
    return (
        CareerRole.objects.filter(
            category__in=BOARD_CATEGORIES,
            start_date__lte=on,
            registrant__merged_into__isnull=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(Q(organisation__closed_on__isnull=True) | Q(organisation__closed_on__gte=on))
    )


def board_in_post_count(*, on: dt.date | None = None) -> dict[str, int]:
    """How many board members (people, per organisation) are in post, and where."""
    on = on or clock.today()
    pairs = set(_board_in_post(on).values_list("registrant_id", "organisation_id"))
    return {
        "board_members": len(pairs),
        "organisations": len({organisation for _, organisation in pairs}),
    }


def _default_on(year: int) -> dt.date:
    today = clock.today()
    if year < today.year:
        return dt.date(year, 12, 31)
    if year > today.year:
        return dt.date(year, 1, 1)
    return today


def assessments_open_year(
    *,
    year: int,
    actor,
    on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Open ``year``'s assessment for every board member in post on ``on``.

    ``on`` defaults to today (31 December for a past year). Someone who already
    has an assessment for the year at that organisation is left alone, so
    running it again opens nothing new. Returns ``{"year", "on", "opened",
    "already_open", "organisations"}``. ``progress(done, total)`` is called as
    rows are written.
    """
    problem = year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    on = on or _default_on(year)
    if on.year != year:
        raise ValidationError(
            {"on": f"The date board members are in post must be in {year}, like 1 April {year}"}
        )
    today = clock.today()
    roles = (
        _board_in_post(on)
        .order_by("registrant_id", "organisation_id", "start_date", "pk")
        .values_list(
            "pk",
            "registrant_id",
            "organisation_id",
            "category",
            "registrant__status",
            "registrant__status_since",
            "registrant__registration_number",
        )
    )
    # One assessment per person per organisation: the chair's role if they hold
    # it (so the right person concludes), otherwise their earliest board role.
    chosen: dict[tuple[int, int], tuple] = {}
    for row in roles:
        key = (row[1], row[2])
        if key not in chosen or (
            row[3] == RoleCategory.CHAIR and chosen[key][3] != RoleCategory.CHAIR
        ):
            chosen[key] = row
    with transaction.atomic():
        existing = set(
            FitnessAssessment.objects.filter(year=year).values_list(
                "registrant_id", "organisation_id"
            )
        )
        to_open = [row for key, row in chosen.items() if key not in existing]
        already_open = len(chosen) - len(to_open)
        total = len(to_open)
        if progress:
            progress(0, total)
        now = clock.now()
        done = 0
        for start in range(0, total, BATCH_SIZE):
            batch = to_open[start : start + BATCH_SIZE]
            assessments = [
                FitnessAssessment(
                    registrant_id=row[1],
                    organisation_id=row[2],
                    career_role_id=row[0],
                    year=year,
                    trigger=AssessmentTrigger.ANNUAL,
                    opened_at=now,
                )
                for row in batch
            ]
            try:
                with transaction.atomic():
                    FitnessAssessment.objects.bulk_create(assessments)
            except IntegrityError as exc:
                raise ValidationError(
                    "Someone else opened assessments for this year at the same time. "
                    "Run it again: it opens only the ones still missing."
                ) from exc
            checks = []
            for assessment, row in zip(assessments, batch, strict=True):
                checks.extend(
                    _check_rows(
                        assessment.pk,
                        status=row[4],
                        status_since=row[5],
                        registration_number=row[6],
                        today=today,
                        now=now,
                    )
                )
            insert_rows(FitnessCheck, CHECK_COLUMNS, checks, prepared=False)
            done += len(batch)
            if progress:
                progress(done, total)
        organisations = len({row[2] for row in to_open})
        audit_record(
            actor=actor,
            action="fitness.year.opened",
            reason=f"Opened the {year} fit and proper person assessments",
            payload={
                "year": year,
                "on": on,
                "opened": total,
                "already_open": already_open,
                "organisations": organisations,
            },
        )
    return {
        "year": year,
        "on": on,
        "opened": total,
        "already_open": already_open,
        "organisations": organisations,
    }


# A role that started longer ago than this is being recorded late, not appointed now:
# it is picked up by the next year's opening instead.
NEW_APPOINTMENT_WINDOW = dt.timedelta(days=365)


def assessment_open_for_appointment(*, career_role, actor) -> FitnessAssessment | None:
    """Open the appointment assessment for a new board role; returns it, or None when the
    role is not a board role or the person already has one for that year there.

    The assessment is for the year the role starts. Also None for a role that has
    already ended, or that started more than a year ago (a roster catching up, not
    an appointment)."""
    if career_role.category not in BOARD_CATEGORIES:
        return None
    today = clock.today()
    if career_role.end_date is not None and career_role.end_date < today:
        return None
    if career_role.start_date < today - NEW_APPOINTMENT_WINDOW:
        return None
    registrant = career_role.registrant
    if registrant.merged_into_id is not None:
        return None
    year = career_role.start_date.year
    lookup = {
        "registrant_id": registrant.pk,
        "organisation_id": career_role.organisation_id,
        "year": year,
    }
    if FitnessAssessment.objects.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():
            assessment = FitnessAssessment.objects.create(
                career_role=career_role, trigger=AssessmentTrigger.APPOINTMENT, **lookup
            )
            _open_checks(assessment, registrant=registrant, today=today)
            audit_record(
                actor=actor,
                action="fitness.assessment.opened",
                reason="A board appointment opens a fit and proper person assessment",
                subject=assessment,
                payload={
                    "year": year,
                    "trigger": AssessmentTrigger.APPOINTMENT,
                    "organisation": career_role.organisation.ods_code,
                    "career_role": career_role.pk,
                },
            )
    except IntegrityError:  # opened by someone else a moment ago
        return None
    return assessment


# --- Register status -----------------------------------------------------------


def register_status_check_refresh(*, assessment: FitnessAssessment, actor=None) -> bool:
    """Fill the register status check again from the register, dated today.

    Returns True when the outcome or what it says changed (the assessment's
    version moves on, so a conclusion drafted before the change is refused).
    A concluded assessment is left as it was.
    """
    with transaction.atomic():
        locked = FitnessAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_concluded:
            return False
        registrant = Registrant.objects.get(pk=locked.registrant_id)
        outcome, note = register_status_result(
            status=registrant.status, status_since=registrant.status_since
        )
        check = FitnessCheck.objects.get(assessment=locked, kind=CheckKind.REGISTER_STATUS)
        changed = check.outcome != outcome or check.note != note
        values = {
            "checked_on": clock.today(),
            "updated_at": clock.now(),
            "checked_by": None,
            "checked_by_label": REGISTER_CHECKER,
            "evidence_reference": f"Register entry {registrant.registration_number}",
        }
        if changed:
            values.update(outcome=outcome, note=note, not_applicable_reason="")
            values["version"] = F("version") + 1
        FitnessCheck.objects.filter(pk=check.pk).update(**values)
        if changed:
            _bump_assessment(locked.pk)
            audit_record(
                actor=actor,
                action="fitness.check.refreshed",
                reason="Register status check filled again from the register",
                subject=locked,
                payload={"check": CheckKind.REGISTER_STATUS, "outcome": outcome},
            )
    assessment.refresh_from_db()
    return changed


# --- Checks --------------------------------------------------------------------


def check_record(
    *,
    check: FitnessCheck,
    expected_version: int,
    outcome: str,
    checked_on: dt.date | None,
    evidence_reference: str,
    not_applicable_reason: str,
    note: str,
    actor,
) -> FitnessCheck:
    """The assessor records one check's outcome (pending puts it back to be done)."""
    assessment = check.assessment
    user = _require_user(actor, "record a check")
    if check.kind in AUTOMATIC_CHECKS:
        raise ValidationError(
            "Steward fills the register status check from the register: it cannot be "
            "recorded by hand."
        )
    if check.kind in DIRECTOR_CHECKS:
        raise ValidationError(
            f"The director completes their own {check.get_kind_display().lower()}: "
            "it cannot be recorded for them."
        )
    if not holds_role_at(user, RECORDING_ROLES, assessment.organisation):
        raise ValidationError(
            f"Only the HR lead or the chair of {assessment.organisation.name} can record checks."
        )
    if is_own(user, assessment):
        raise ValidationError("Someone else must record the checks of your own assessment.")
    evidence_reference = (evidence_reference or "").strip()
    not_applicable_reason = (not_applicable_reason or "").strip()
    note = (note or "").strip()
    errors = {}
    if outcome not in CheckOutcome.values:
        errors["outcome"] = "Select the outcome of the check"
    elif outcome == CheckOutcome.PENDING:
        checked_on = None
        not_applicable_reason = ""
    else:
        if checked_on is None:
            errors["checked_on"] = "Enter the date the check was done"
        elif checked_on > clock.today():
            errors["checked_on"] = "The date the check was done must be today or in the past"
        if outcome == CheckOutcome.NOT_APPLICABLE and not not_applicable_reason:
            errors["not_applicable_reason"] = "Enter why this check does not apply"
        if outcome != CheckOutcome.NOT_APPLICABLE:
            not_applicable_reason = ""
    if len(evidence_reference) > 200:
        errors["evidence_reference"] = "Evidence reference must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FitnessAssessment.objects.select_for_update().get(pk=assessment.pk)
        _refuse_if_concluded(locked)
        updated = FitnessCheck.objects.filter(pk=check.pk, version=expected_version).update(
            outcome=outcome,
            checked_on=checked_on,
            evidence_reference=evidence_reference,
            not_applicable_reason=not_applicable_reason,
            note=note,
            checked_by=user,
            checked_by_label=actor_label(user),
            updated_at=clock.now(),
            version=F("version") + 1,
        )
        if updated != 1:
            raise StaleEdit()
        _bump_assessment(locked.pk)
        audit_record(
            actor=user,
            action="fitness.check.recorded",
            reason=f"{check.get_kind_display()} check recorded",
            subject=locked,
            payload={"check": check.kind, "outcome": outcome, "checked_on": checked_on},
        )
    check.refresh_from_db()
    return check


def _director_check_fill(*, assessment, kind: str, outcome: str, note: str, evidence: str, user):
    FitnessCheck.objects.filter(assessment=assessment, kind=kind).update(
        outcome=outcome,
        checked_on=clock.today(),
        evidence_reference=evidence,
        not_applicable_reason="",
        note=note,
        checked_by=user,
        checked_by_label=actor_label(user),
        updated_at=clock.now(),
        version=F("version") + 1,
    )
    _bump_assessment(assessment.pk)


def _require_director(user, assessment) -> None:
    if not is_own(user, assessment):
        raise ValidationError(
            "Only the director being assessed can complete their own self-assessment "
            "and attestation."
        )


def competency_self_assessment_submit(
    *, assessment: FitnessAssessment, ratings: dict, actor
) -> list[CompetencyRating]:
    """The director rates themselves, with evidence, against every competency domain.

    ``ratings`` maps each domain's reference (``D1``…) to ``(rating, evidence)``.
    Submitting again before the assessment is concluded replaces the ratings.
    """
    from steward.standards.selectors import version_in_force

    user = _require_user(actor, "complete a self-assessment")
    _require_director(user, assessment)
    version = version_in_force(on=clock.today())
    if version is None:
        raise ValidationError(
            "The competency framework has not been published yet, so the self-assessment "
            "cannot be done. Try again once the regulator publishes the standards."
        )
    domains = list(version.competency_domains.all())
    ratings = dict(ratings or {})
    errors = {}
    unknown = set(ratings) - {domain.ref for domain in domains}
    if unknown:
        errors["__all__"] = (
            "Rate yourself against the domains of the competency framework in force: "
            f"{', '.join(sorted(unknown))} is not one of them."
        )
    cleaned = {}
    for domain in domains:
        rating, evidence = ratings.get(domain.ref, ("", ""))
        evidence = (evidence or "").strip()
        if rating not in CompetencyRating.Rating.values:
            errors[f"rating_{domain.ref}"] = f"Select how you rate yourself for {domain.name}"
        if not evidence:
            errors[f"evidence_{domain.ref}"] = f"Enter evidence for your rating for {domain.name}"
        cleaned[domain.ref] = (domain, rating, evidence)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FitnessAssessment.objects.select_for_update().get(pk=assessment.pk)
        _refuse_if_concluded(locked)
        CompetencyRating.objects.filter(assessment=locked).delete()
        now = clock.now()
        rows = CompetencyRating.objects.bulk_create(
            CompetencyRating(
                assessment=locked,
                domain_ref=domain.ref,
                domain_name=domain.name,
                rating=rating,
                evidence=evidence,
                recorded_at=now,
            )
            for domain, rating, evidence in cleaned.values()
        )
        _director_check_fill(
            assessment=locked,
            kind=CheckKind.COMPETENCY,
            outcome=CheckOutcome.SATISFACTORY,
            note=f"Self-assessment against all {len(domains)} domains of the competency framework.",
            evidence=f"Competency framework, standards version {version.number}",
            user=user,
        )
        audit_record(
            actor=user,
            action="fitness.competency.submitted",
            reason="Competency self-assessment submitted by the director",
            subject=locked,
            payload={"standards_version": version.number, "domains": sorted(cleaned)},
        )
    return rows


def self_attestation_submit(
    *, assessment: FitnessAssessment, confirms_requirements: bool, declarations: str, actor
) -> SelfAttestation:
    """The director confirms they meet the fit and proper requirements, or declares why not.

    Confirming makes the check satisfactory; declaring something makes it a
    concern for the assessor to look into.
    """
    user = _require_user(actor, "complete a self-attestation")
    _require_director(user, assessment)
    declarations = (declarations or "").strip()
    if not confirms_requirements and not declarations:
        raise ValidationError(
            {"declarations": "Enter what you need to declare, or confirm the statements"}
        )
    with transaction.atomic():
        locked = FitnessAssessment.objects.select_for_update().get(pk=assessment.pk)
        _refuse_if_concluded(locked)
        attestation, _ = SelfAttestation.objects.update_or_create(
            assessment=locked,
            defaults={
                "confirms_requirements": bool(confirms_requirements),
                "declarations": declarations,
                "attested_at": clock.now(),
                "attested_by": user,
            },
        )
        if confirms_requirements:
            outcome = CheckOutcome.SATISFACTORY
            note = "Confirmed they meet the fit and proper person requirements."
            if declarations:
                note += " Added information for the assessor."
        else:
            outcome = CheckOutcome.CONCERN
            note = "Declared something against the fit and proper person requirements."
        _director_check_fill(
            assessment=locked,
            kind=CheckKind.SELF_ATTESTATION,
            outcome=outcome,
            note=note,
            evidence=f"Self-attestation {uk_date(clock.today())}",
            user=user,
        )
        audit_record(
            actor=user,
            action="fitness.attestation.submitted",
            reason="Annual self-attestation submitted by the director",
            subject=locked,
            payload={"confirms_requirements": bool(confirms_requirements), "outcome": outcome},
        )
    return attestation


# --- Concluding ------------------------------------------------------------------


def conclude_refusal(*, assessment: FitnessAssessment, user) -> str | None:
    """Why this person may not conclude this assessment, or None when they may."""
    organisation = assessment.organisation
    if is_own(user, assessment):
        return "You cannot conclude your own assessment."
    role = concluding_role(assessment)
    if not holds_role_at(user, {role}, organisation):
        if role == "senior_independent_director":
            return (
                f"Only the senior independent director of {organisation.name} can conclude "
                "the chair's assessment."
            )
        return f"Only the chair of {organisation.name} can conclude this assessment."
    return None


def _next_referral_reference(year: int) -> str:
    prefix = f"FPR-{year}-"
    last = (
        NotFitReferral.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _referral_create(assessment: FitnessAssessment) -> NotFitReferral:
    year = clock.today().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return NotFitReferral.objects.create(
                    assessment=assessment, reference=_next_referral_reference(year)
                )
        except IntegrityError:  # another referral took the number a moment ago
            continue
    raise ValidationError("The referral could not be numbered. Try again.")


def assessment_conclude(
    *,
    assessment: FitnessAssessment,
    expected_version: int,
    outcome: str,
    reasons: str,
    actor,
) -> FitnessAssessment:
    """The chair (or, for the chair's own, the senior independent director) concludes.

    Refused while any check is pending, for one's own assessment, after the
    assessment was concluded, or over someone else's newer change. The register
    status is checked again first: if it changed, the conclusion is refused so
    the assessor sees the change. Not fit and proper refers the director to the
    regulator, whose registrars and caseworkers are told.
    """
    from steward.notifications.services import notify

    user = _require_user(actor, "conclude an assessment")
    reasons = (reasons or "").strip()
    errors = {}
    if outcome not in AssessmentOutcome.values:
        errors["outcome"] = "Select whether they are fit and proper"
    if not reasons:
        errors["reasons"] = "Enter the reasons for your conclusion"
    refusal = conclude_refusal(assessment=assessment, user=user)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    current = FitnessAssessment.objects.get(pk=assessment.pk)
    _refuse_if_concluded(current)
    if current.version != expected_version:
        raise StaleEdit()
    pending = selectors.assessment_progress(current).pending
    if pending:
        raise ValidationError(
            "You cannot conclude this assessment while checks are pending: "
            f"{', '.join(pending)}. Record them first.",
            code="pending",
        )
    if errors:
        raise ValidationError(errors)
    if register_status_check_refresh(assessment=current, actor=actor):
        check = FitnessCheck.objects.get(assessment=current, kind=CheckKind.REGISTER_STATUS)
        raise ValidationError(
            f"Their register status has changed ({check.note.rstrip('.')}). Look at the "
            "register status check again before you conclude.",
            code="register_changed",
        )
    concluded_as = (
        ConcludedAs.SENIOR_INDEPENDENT_DIRECTOR
        if concluding_role(current) == "senior_independent_director"
        else ConcludedAs.CHAIR
    )
    referral = None
    with transaction.atomic():
        now = clock.now()
        updated = FitnessAssessment.objects.filter(
            pk=current.pk, version=expected_version, outcome=""
        ).update(
            outcome=outcome,
            conclusion_reasons=reasons,
            concluded_as=concluded_as,
            concluded_at=now,
            concluded_by=user,
            concluded_by_label=actor_label(user),
            version=F("version") + 1,
        )
        if updated != 1:
            raise StaleEdit()
        if FitnessCheck.objects.filter(assessment=current, outcome=CheckOutcome.PENDING).exists():
            raise ValidationError(
                "A check was put back to pending as you concluded. Record it first.",
                code="pending",
            )
        current.refresh_from_db()
        audit_record(
            actor=user,
            action="fitness.assessment.concluded",
            reason="Fit and proper person assessment concluded",
            subject=current,
            payload={
                "year": current.year,
                "organisation": current.organisation.ods_code,
                "outcome": outcome,
                "concluded_as": concluded_as,
            },
        )
        if outcome == AssessmentOutcome.NOT_FIT:
            referral = _referral_create(current)
            audit_record(
                actor=user,
                action="fitness.referral.created",
                reason="A director found not fit and proper is referred to the regulator",
                subject=referral,
                payload={"reference": referral.reference, "assessment": current.pk},
            )
            notify(
                users=role_holders(REFERRAL_ROLES),
                subject=f"Fit and proper person referral {referral.reference}",
                body=(
                    "An employer has found a director not fit and proper and referred the "
                    f"outcome to the regulator (reference {referral.reference}). Sign in to "
                    "Steward to read the referral."
                ),
                url=reverse("fitness:referral", kwargs={"pk": referral.pk}),
                topic="fitness.referral",
            )
        director = current.registrant.user
        if director is not None:
            notify(
                users=[director],
                subject=f"Your {current.year} fit and proper person assessment is concluded",
                body=(
                    f"Your {current.year} fit and proper person assessment has been concluded. "
                    "Sign in to Steward to see the outcome and the reasons."
                ),
                url=reverse("fitness:mine"),
                topic="fitness.assessment.concluded",
            )
    return current


# --- Referrals -------------------------------------------------------------------


def referral_acknowledge(*, referral: NotFitReferral, actor) -> NotFitReferral:
    """The regulator records that it received the referral."""
    user = _require_user(actor, "acknowledge a referral")
    from steward.fitness.rules import handles_referrals

    if not handles_referrals(user):
        raise ValidationError("Only the registrar or a caseworker can acknowledge referrals.")
    with transaction.atomic():
        updated = NotFitReferral.objects.filter(
            pk=referral.pk, acknowledged_at__isnull=True
        ).update(acknowledged_at=clock.now(), acknowledged_by=user)
        if updated != 1:
            referral.refresh_from_db()
            raise ValidationError(
                f"This referral was already acknowledged on {uk_date(referral.acknowledged_at)}."
            )
        referral.refresh_from_db()
        audit_record(
            actor=user,
            action="fitness.referral.acknowledged",
            reason="The regulator recorded that it received the referral",
            subject=referral,
            payload={"reference": referral.reference},
        )
    return referral
