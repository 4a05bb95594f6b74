"""Every stage move: allowed only from the stages ADR 006 draws, refused elsewhere
with a clear message, and recorded (stage change row and audit event)."""

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import AuditEvent
from steward.cases.models import Case, CaseSource, Stage, StageChange
from steward.cases.stages import BY_HAND, MADE_BY, MOVES, hand_moves_from, moves_from, stage_move
from steward.register.services import registrant_create

# Written out from the ADR's diagram, not derived from the code under test.
EXPECTED = {
    "start_investigation": {"triage"},
    "close_at_triage": {"triage"},
    "refer_to_examiners": {"investigation"},
    "close_by_examiners": {"case_examiners"},
    "examiners_warn": {"case_examiners"},
    "offer_undertakings": {"case_examiners"},
    "accept_undertakings": {"undertakings_offered"},
    "refer_to_panel": {"case_examiners", "undertakings_offered"},
    "hold_hearing": {"panel_hearing"},
    "issue_determination": {"accepted_outcome", "determination"},
    "lodge_appeal": {"appeal_window"},
    "close": {"appeal_window", "appeal"},
    "open_review": {"closed"},
    "conclude_review": {"review"},
}
TARGET = {
    "start_investigation": "investigation",
    "close_at_triage": "closed",
    "refer_to_examiners": "case_examiners",
    "close_by_examiners": "closed",
    "examiners_warn": "accepted_outcome",
    "offer_undertakings": "undertakings_offered",
    "accept_undertakings": "accepted_outcome",
    "refer_to_panel": "panel_hearing",
    "hold_hearing": "determination",
    "issue_determination": "appeal_window",
    "lodge_appeal": "appeal",
    "close": "closed",
    "open_review": "review",
    "conclude_review": "closed",
}


@pytest.fixture
def case(db, make_user):
    officer = make_user("caseworker")
    registrant = registrant_create(
        legal_forenames="Alex", legal_surname="Morgan", actor=officer, reason="test"
    )
    return Case.objects.create(
        reference="FTP-2026-0001",
        registrant=registrant,
        source=CaseSource.OWN_MOTION,
        summary="A matter the regulator noticed.",
        opened_by=officer,
    )


def _put_at(case, stage):
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()


def test_the_expected_table_names_every_move():
    assert set(EXPECTED) == set(MOVES) == set(TARGET)


@pytest.mark.parametrize("stage", Stage.values)
def test_moves_from_each_stage_are_those_the_design_draws(stage):
    assert set(moves_from(stage)) == {m for m, sources in EXPECTED.items() if stage in sources}


@pytest.mark.parametrize(
    ("move", "stage"),
    [(m, s) for m, sources in EXPECTED.items() for s in sorted(sources)],
)
def test_each_allowed_move_changes_the_stage_and_is_recorded(case, make_user, move, stage):
    actor = make_user("caseworker")
    _put_at(case, stage)
    version = case.version
    change = stage_move(
        case=case,
        move=move,
        actor=actor,
        reason="Because the evidence says so",
        permitted=move not in BY_HAND,
    )
    case.refresh_from_db()
    assert case.stage == TARGET[move]
    assert case.version == version + 1
    assert (change.from_stage, change.to_stage, change.actor) == (stage, TARGET[move], actor)
    assert change.reason == "Because the evidence says so"
    event = AuditEvent.objects.filter(action="cases.stage.changed").latest("pk")
    assert event.payload_data["to"] == TARGET[move]
    assert (case.closed_on is not None) == (TARGET[move] == "closed")


@pytest.mark.parametrize(
    ("move", "stage"),
    [(m, s) for m, sources in EXPECTED.items() for s in Stage.values if s not in sources],
)
def test_each_impossible_move_is_refused_and_changes_nothing(case, make_user, move, stage):
    _put_at(case, stage)
    with pytest.raises(ValidationError) as refused:
        stage_move(case=case, move=move, actor=make_user("caseworker"), reason="Try it")
    message = " ".join(refused.value.messages)
    assert "is not possible: the case is at" in message
    assert Stage(stage).label.lower() in message
    case.refresh_from_db()
    assert case.stage == stage
    assert not StageChange.objects.filter(case=case).exists()


def test_a_move_needs_a_reason_and_a_known_name(case, make_user):
    actor = make_user("caseworker")
    with pytest.raises(ValidationError, match="reason"):
        stage_move(case=case, move="start_investigation", actor=actor, reason="  ")
    with pytest.raises(ValidationError, match="Choose what to do next"):
        stage_move(case=case, move="delete", actor=actor, reason="x")
    case.refresh_from_db()
    assert case.stage == Stage.TRIAGE


def test_only_regulator_caseworkers_move_cases_but_steward_itself_can(case, make_user):
    from django.core.exceptions import PermissionDenied

    for role in ("registrar", "auditor", "registrant"):
        with pytest.raises(PermissionDenied):
            stage_move(case=case, move="start_investigation", actor=make_user(role), reason="x")
    case.refresh_from_db()
    assert case.stage == Stage.TRIAGE
    stage_move(case=case, move="start_investigation", actor="cases worker", reason="scheduled")
    assert StageChange.objects.get(case=case).actor_label == "cases worker"


def test_a_move_from_a_version_of_the_case_since_changed_is_refused(case):
    Case.objects.filter(pk=case.pk).update(stage=Stage.APPEAL_WINDOW)
    case.refresh_from_db()
    shown = case.version
    stage_move(case=case, move="lodge_appeal", actor="test", reason="The registrant appealed")
    with pytest.raises(ValidationError, match="moved on since you opened the page"):
        stage_move(
            case=case, move="close", actor="test", reason="Window ended", expected_version=shown
        )
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL
    assert case.stage_changes.count() == 1


@pytest.mark.parametrize(
    ("move", "stage"),
    [(m, s) for m, sources in EXPECTED.items() if m not in BY_HAND for s in sorted(sources)],
)
def test_a_caseworker_cannot_make_a_decision_move_by_hand(case, make_user, move, stage):
    _put_at(case, stage)
    with pytest.raises(ValidationError, match="is not a move made by hand: it follows from"):
        stage_move(case=case, move=move, actor=make_user("caseworker"), reason="By hand")
    case.refresh_from_db()
    assert case.stage == stage
    assert not StageChange.objects.filter(case=case).exists()
    assert move not in hand_moves_from(stage)


def test_the_moves_made_by_hand_are_those_with_no_deciding_service():
    assert {
        "start_investigation",
        "close_at_triage",
        "refer_to_examiners",
        "open_review",
    } == BY_HAND
    assert set(MADE_BY) == set(MOVES) - BY_HAND
