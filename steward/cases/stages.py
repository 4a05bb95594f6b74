"""Moving a case between stages: the one way a case's stage changes.

Each move is a django-fsm-2 transition on ``Case``; ``stage_move`` checks it is
possible from the current stage, records a ``StageChange`` (actor, reason, time) and
an audit event, in one transaction with the case row locked. An impossible move is
refused with a message naming the current stage and where the case can go next.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django_fsm import can_proceed

from steward.audit.services import audit_record
from steward.cases.models import Case, Stage, StageChange
from steward.core import clock
from steward.core.actors import actor_label, actor_user

# Every move, by its name on Case, with the plain-English action it is.
MOVES = {
    "start_investigation": "Start the investigation",
    "close_at_triage": "Close: no case to answer",
    "refer_to_examiners": "Refer to the case examiners",
    "close_by_examiners": "Close on the case examiners' decision",
    "examiners_warn": "Record the case examiners' warning",
    "offer_undertakings": "Offer undertakings to the registrant",
    "accept_undertakings": "Record that the registrant accepted the undertakings",
    "refer_to_panel": "Refer to a panel hearing",
    "hold_hearing": "Record that the hearing was held",
    "issue_determination": "Issue the determination and open the appeal window",
    "lodge_appeal": "Record an appeal",
    "close": "Close the case",
    "open_review": "Open a review",
    "conclude_review": "Conclude the review",
}


# Moves a caseworker makes by hand. Every other move is the consequence of a
# decision recorded through its own service, which passes ``permitted=True``.
BY_HAND = frozenset({"start_investigation", "close_at_triage", "refer_to_examiners", "open_review"})
MADE_BY = {
    "close_by_examiners": "the case examiners' decision",
    "examiners_warn": "the case examiners' decision",
    "offer_undertakings": "the case examiners' decision",
    "refer_to_panel": "the case examiners' decision (or the registrant refusing undertakings)",
    "accept_undertakings": "the registrant's answer to the undertakings",
    "hold_hearing": "the hearings officer recording the hearing as held",
    "issue_determination": "issuing the determination",
    "conclude_review": "issuing the review determination",
    "lodge_appeal": "the registrant's appeal",
    "close": "the end of the appeal window or the decision on the appeal",
}


def moves_from(stage: str) -> list[str]:
    """The moves possible from a stage, in the order above."""
    probe = Case(stage=stage)
    return [name for name in MOVES if can_proceed(getattr(probe, name))]


def hand_moves_from(stage: str) -> list[str]:
    """The moves a caseworker may make by hand from a stage."""
    return [name for name in moves_from(stage) if name in BY_HAND]


def _stage_label(stage: str) -> str:
    return Stage(stage).label.lower()


def stage_move(
    *,
    case: Case,
    move: str,
    actor,
    reason: str,
    permitted: bool = False,
    expected_version: int | None = None,
) -> StageChange:
    """Move the case by the named transition, recording who, why and when.

    Caseworkers move cases by hand, from the version of the case they were shown
    (``expected_version``: refused if it has moved since). A service that has already
    checked the actor may make the decision behind a move (an examiner's decision, a
    hearing held, the registrant's answer) passes ``permitted=True``, so the move
    names that person. By hand, only the moves in ``BY_HAND`` are possible: the others
    follow from a decision (two case examiners, a panel, the registrant), never from a
    caseworker choosing them."""
    user = actor_user(actor)
    if actor is not None and not isinstance(actor, str) and user is None:
        raise PermissionDenied("Only regulator staff move cases.")
    if user is not None and not permitted and not user.has_perm("cases.move_case", case):
        raise PermissionDenied("Only regulator staff move cases.")
    if move not in MOVES:
        raise ValidationError({"move": "Choose what to do next from the list."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for this step"})
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ValidationError(
                "The case has moved on since you opened the page: it is now at "
                f"“{_stage_label(locked.stage)}”. Check its history and choose what happens "
                "next again."
            )
        method = getattr(locked, move)
        if not can_proceed(method):
            possible = [MOVES[m].lower() for m in moves_from(locked.stage)]
            then = f" From here you can: {'; '.join(possible)}." if possible else ""
            raise ValidationError(
                f"{MOVES[move]} is not possible: the case is at "
                f"“{_stage_label(locked.stage)}”.{then}"
            )
        if not permitted and user is not None and move not in BY_HAND:
            raise ValidationError(
                f"{MOVES[move]} is not a move made by hand: it follows from {MADE_BY[move]}."
            )
        from_stage = locked.stage
        method()
        today = clock.today()
        updates = {"stage": locked.stage, "stage_since": today, "version": F("version") + 1}
        if locked.stage == Stage.CLOSED:
            updates["closed_on"] = today
        elif from_stage == Stage.CLOSED:
            updates["closed_on"] = None
        Case.objects.filter(pk=locked.pk).update(**updates)
        change = StageChange.objects.create(
            case=locked,
            from_stage=from_stage,
            to_stage=locked.stage,
            actor=actor_user(actor),
            actor_label=actor_label(actor),
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="cases.stage.changed",
            reason=reason,
            subject=locked,
            payload={"from": from_stage, "to": locked.stage, "move": move},
        )
    case.refresh_from_db()
    return change
