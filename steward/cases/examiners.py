"""Case examiners' decisions, and the registrant's answer to undertakings.

Case examiners decide in pairs: a lay and a manager examiner, two different people,
each holding a current case examiner role in that category, neither with a conflict
(``conflicts``), with reasons. One of the two records the decision. The outcome moves
the case:

- no further action, or advice: the case closes (advice is recorded as a determination
  and a sanction that is never published);
- a warning: an accepted outcome, issued as a determination, so the appeal window opens;
- agreed undertakings: offered to the registrant, who accepts (an accepted outcome,
  issued as a determination) or refuses (the case goes to a panel);
- referral to a panel hearing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from steward.accounts.models import RoleAssignment
from steward.audit.services import audit_record
from steward.cases.conflicts import conflicts_for
from steward.cases.determinations import SANCTION_PHRASES, issue
from steward.cases.models import (
    Case,
    Determination,
    DeterminationKind,
    ExaminerDecision,
    ExaminerOutcome,
    SanctionKind,
    Stage,
    UndertakingsResponse,
)
from steward.cases.stages import stage_move
from steward.cases.tell import notify_registrant, notify_staff
from steward.cases.text import clean_text
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.formatting import uk_date

OUTCOME_SENTENCES = {
    ExaminerOutcome.NO_FURTHER_ACTION: "The case examiners decided to take no further action.",
    ExaminerOutcome.ADVICE: "The case examiners gave advice.",
    ExaminerOutcome.WARNING: "The case examiners gave a warning.",
    ExaminerOutcome.UNDERTAKINGS: "The registrant accepted the undertakings the case "
    "examiners offered.",
}


def categories_held(*, user, role: str) -> set[str]:
    """The categories (lay, manager) of the person's current assignments of a role."""
    if user is None:
        return set()
    return set(
        RoleAssignment.objects.current()
        .filter(user=user, role=role)
        .values_list("panel_category", flat=True)
    )


def _name(user) -> str:
    return user.full_name or "This person"


def _check_examiners(*, case: Case, lay_examiner, manager_examiner) -> list[str]:
    if lay_examiner is None or manager_examiner is None:
        return ["Choose a lay examiner and a manager examiner"]
    if lay_examiner.pk == manager_examiner.pk:
        problems = ["The lay examiner and the manager examiner must be two different people"]
        examiners = [lay_examiner]
    else:
        problems = []
        examiners = [lay_examiner, manager_examiner]
        for person, category in ((lay_examiner, "lay"), (manager_examiner, "manager")):
            held = categories_held(user=person, role="case_examiner")
            if not held:
                problems.append(f"{_name(person)} is not a case examiner")
            elif category not in held:
                problems.append(
                    f"{_name(person)} is not a {category} case examiner: choose a {category} "
                    "examiner"
                )
    for person in examiners:
        for reason in conflicts_for(user=person, case=case):
            problems.append(f"{_name(person)} cannot decide this case: {reason}")
    return problems


def _default_summary(kind: str) -> str:
    return f"The case examiners concluded the case with {SANCTION_PHRASES[kind]}."


def _examiners_determination(
    *, case: Case, sanction: str, reasons: str, conditions: str = "", summary: str = ""
) -> Determination:
    published = sanction != SanctionKind.ADVICE and not case.health_related
    return Determination.objects.create(
        case=case,
        kind=DeterminationKind.EXAMINERS,
        sanction=sanction,
        sanction_reasons=reasons,
        conditions=conditions,
        effective_from=clock.today(),
        published_summary=(summary or _default_summary(sanction)) if published else "",
    )


def examiner_decide(
    *,
    case: Case,
    outcome: str,
    reasons: str,
    undertakings: str = "",
    lay_examiner,
    manager_examiner,
    actor,
    published_summary: str = "",
) -> ExaminerDecision:
    """Record the case examiners' decision and move the case on (see the module
    docstring). ``published_summary`` is what the public register shows with a warning
    (undertakings the registrant accepts are shown with a plain sentence); left empty,
    a plain sentence saying what was decided."""
    user = actor_user(actor)
    if user is None or not user.has_perm("cases.decide_as_examiner"):
        raise PermissionDenied("Only case examiners decide cases.")
    if user.pk not in {getattr(lay_examiner, "pk", None), getattr(manager_examiner, "pk", None)}:
        raise PermissionDenied("Only one of the two examiners deciding the case records it.")
    case = Case.objects.select_related("registrant").get(pk=case.pk)
    if case.stage != Stage.CASE_EXAMINERS:
        raise ValidationError(
            "The case examiners decide a case once it has been referred to them: this case is "
            f"at “{case.get_stage_display().lower()}”."
        )
    if outcome not in ExaminerOutcome.values:
        raise ValidationError({"outcome": "Choose the case examiners' decision"})
    reasons = clean_text(reasons, name="reasons", message="Enter the reasons for the decision")
    undertakings = undertakings.strip() if isinstance(undertakings, str) else ""
    if outcome == ExaminerOutcome.UNDERTAKINGS:
        undertakings = clean_text(
            undertakings,
            name="undertakings",
            message="Write down the undertakings the registrant is asked to agree to",
        )
    else:
        undertakings = ""
    problems = _check_examiners(
        case=case, lay_examiner=lay_examiner, manager_examiner=manager_examiner
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.stage != Stage.CASE_EXAMINERS:
            raise ValidationError("The case has moved on since you opened it: check it again.")
        decision = ExaminerDecision.objects.create(
            case=locked,
            outcome=outcome,
            reasons=reasons,
            undertakings=undertakings,
            lay_examiner=lay_examiner,
            manager_examiner=manager_examiner,
            undertakings_response=(
                UndertakingsResponse.PENDING if outcome == ExaminerOutcome.UNDERTAKINGS else ""
            ),
        )
        audit_record(
            actor=actor,
            action="cases.examiner_decision.recorded",
            subject=locked,
            payload={
                "decision": decision.pk,
                "outcome": outcome,
                "lay_examiner": lay_examiner.pk,
                "manager_examiner": manager_examiner.pk,
            },
        )
        reason = f"Case examiners' decision: {ExaminerOutcome(outcome).label.lower()}."

        def move(name: str) -> None:
            stage_move(case=locked, move=name, actor=actor, reason=reason, permitted=True)

        if outcome == ExaminerOutcome.NO_FURTHER_ACTION:
            move("close_by_examiners")
        elif outcome == ExaminerOutcome.ADVICE:
            move("close_by_examiners")
            determination = _examiners_determination(
                case=locked, sanction=SanctionKind.ADVICE, reasons=reasons
            )
            issue(
                determination=determination,
                actor=actor,
                move=None,
                appeal_window=False,
                outcome=OUTCOME_SENTENCES[outcome],
            )
        elif outcome == ExaminerOutcome.WARNING:
            move("examiners_warn")
            determination = _examiners_determination(
                case=locked,
                sanction=SanctionKind.WARNING,
                reasons=reasons,
                summary=published_summary.strip() if isinstance(published_summary, str) else "",
            )
            issue(
                determination=determination,
                actor=actor,
                move="issue_determination",
                appeal_window=True,
                outcome=OUTCOME_SENTENCES[outcome],
            )
        elif outcome == ExaminerOutcome.UNDERTAKINGS:
            move("offer_undertakings")
            notify_registrant(
                case=locked,
                subject="Undertakings offered on your case",
                body=(
                    f"The case examiners have offered undertakings to conclude case "
                    f"{locked.reference} without a hearing. Sign in to Steward to read them "
                    "and say whether you accept them. If you refuse, the case goes to a panel "
                    "hearing."
                ),
            )
        else:
            move("refer_to_panel")
        if outcome in (ExaminerOutcome.NO_FURTHER_ACTION, ExaminerOutcome.REFER_TO_PANEL):
            notify_registrant(
                case=locked,
                subject="The case examiners have decided your case",
                body=(
                    f"The case examiners have decided case {locked.reference}: "
                    f"{ExaminerOutcome(outcome).label.lower()}. Sign in to Steward for details."
                ),
            )
    decision.refresh_from_db()
    return decision


def undertakings_respond(*, decision: ExaminerDecision, accept: bool, actor) -> ExaminerDecision:
    """The registrant accepts the undertakings (an accepted outcome, issued as a
    determination so the appeal window opens) or refuses them (the case goes to a panel
    hearing)."""
    user = actor_user(actor)
    case = decision.case
    if user is None or not user.has_perm("cases.respond", case):
        raise PermissionDenied("Only the registrant answers the undertakings offered to them.")
    if decision.outcome != ExaminerOutcome.UNDERTAKINGS:
        raise ValidationError("This decision did not offer undertakings.")
    if not isinstance(accept, bool):
        raise ValidationError({"accept": "Say whether you accept the undertakings"})
    with transaction.atomic():
        locked = ExaminerDecision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
        if locked.undertakings_response != UndertakingsResponse.PENDING:
            answer = UndertakingsResponse(locked.undertakings_response).label.lower()
            when = f" on {uk_date(locked.responded_at)}" if locked.responded_at else ""
            raise ValidationError(f"These undertakings were already answered: {answer}{when}.")
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("registrant")
            .get(pk=case.pk)
        )
        if case.stage != Stage.UNDERTAKINGS_OFFERED:
            raise ValidationError(
                f"The undertakings are no longer open: the case is at "
                f"“{case.get_stage_display().lower()}”."
            )
        response = UndertakingsResponse.ACCEPTED if accept else UndertakingsResponse.REFUSED
        ExaminerDecision.objects.filter(pk=locked.pk).update(
            undertakings_response=response, responded_at=clock.now()
        )
        audit_record(
            actor=actor,
            action="cases.undertakings.answered",
            subject=case,
            payload={"decision": locked.pk, "response": response},
        )
        if accept:
            stage_move(
                case=case,
                move="accept_undertakings",
                actor=actor,
                reason="The registrant accepted the undertakings.",
                permitted=True,
            )
            determination = _examiners_determination(
                case=case,
                sanction=SanctionKind.UNDERTAKINGS,
                reasons=locked.reasons,
                conditions=locked.undertakings,
            )
            issue(
                determination=determination,
                actor=actor,
                move="issue_determination",
                appeal_window=True,
                outcome=OUTCOME_SENTENCES[ExaminerOutcome.UNDERTAKINGS],
            )
        else:
            stage_move(
                case=case,
                move="refer_to_panel",
                actor=actor,
                reason="The registrant refused the undertakings.",
                permitted=True,
            )
        notify_staff(
            case=case,
            users=[case.caseworker, locked.lay_examiner, locked.manager_examiner],
            subject=f"Undertakings {response.label.lower()} on case {case.reference}",
            body=(
                f"The registrant {response.label.lower()} the undertakings offered on case "
                f"{case.reference}."
                + ("" if accept else " The case has been referred to a panel hearing.")
            ),
        )
    decision.refresh_from_db()
    return decision
