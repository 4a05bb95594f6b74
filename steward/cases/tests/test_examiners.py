"""Case examiners decide in pairs (a lay and a manager examiner, two different people,
neither conflicted, with reasons); each outcome moves the case; the registrant answers
undertakings."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.cases.examiners import examiner_decide, undertakings_respond
from steward.cases.models import (
    DeterminationKind,
    ExaminerDecision,
    Sanction,
    Stage,
    StageChange,
    UndertakingsResponse,
)
from steward.cases.tests.factories import (
    examiner_make,
    examiners_world,
    person_make,
    registrant_make,
)
from steward.core import clock
from steward.notifications.models import Notification

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def world(today, organisation):
    return examiners_world(organisation)


def _decide(world, outcome, **kwargs):
    values = {
        "case": world.case,
        "outcome": outcome,
        "reasons": "The evidence shows a realistic prospect of impairment.",
        "undertakings": "",
        "lay_examiner": world.lay,
        "manager_examiner": world.manager,
        "actor": world.lay,
    }
    values.update(kwargs)
    return examiner_decide(**values)


def _unchanged(world):
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CASE_EXAMINERS
    assert not ExaminerDecision.objects.exists()
    assert not world.case.determinations.exists()


def test_no_further_action_closes_the_case_and_tells_the_registrant(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(world, "no_further_action", actor=world.manager)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED and world.case.closed_on == TODAY
    assert (decision.lay_examiner, decision.manager_examiner) == (world.lay, world.manager)
    change = StageChange.objects.filter(case=world.case).latest("pk")
    assert (change.from_stage, change.to_stage) == (Stage.CASE_EXAMINERS, Stage.CLOSED)
    event = AuditEvent.objects.get(action="cases.examiner_decision.recorded")
    assert event.actor == world.manager
    assert event.payload_data["outcome"] == "no_further_action"
    assert Notification.objects.filter(user=world.account, subject__contains="decided").exists()
    assert any(world.account.email in m.to for m in mail.outbox)
    assert not world.case.determinations.exists()


def test_advice_closes_the_case_with_an_issued_determination_never_published(world):
    _decide(world, "advice")
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED
    determination = world.case.determinations.get()
    assert determination.kind == DeterminationKind.EXAMINERS
    assert determination.sanction == "advice" and determination.published_summary == ""
    assert determination.issued_at is not None and determination.appeal_by is None
    assert hashlib.sha256(bytes(determination.pdf)).hexdigest() == determination.pdf_sha256
    sanction = Sanction.objects.get(determination=determination)
    assert sanction.kind == "advice" and not sanction.published


def test_a_warning_is_an_accepted_outcome_issued_so_the_appeal_window_opens(world):
    _decide(world, "warning", published_summary="Warned about board reporting.")
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL_WINDOW
    moves = list(StageChange.objects.filter(case=world.case).values_list("to_stage", flat=True))
    assert moves[-2:] == [Stage.ACCEPTED_OUTCOME, Stage.APPEAL_WINDOW]
    determination = world.case.determinations.get()
    assert (determination.kind, determination.sanction) == ("examiners", "warning")
    assert determination.appeal_by == TODAY + dt.timedelta(days=28)
    assert determination.published_summary == "Warned about board reporting."
    sanction = Sanction.objects.get(determination=determination)
    assert sanction.kind == "warning" and sanction.published
    issued = AuditEvent.objects.get(action="cases.determination.issued")
    assert issued.payload_data["pdf_sha256"] == determination.pdf_sha256


def test_a_warning_without_a_summary_gets_a_plain_one(world):
    _decide(world, "warning")
    determination = world.case.determinations.get()
    assert determination.published_summary == (
        "The case examiners concluded the case with a warning."
    )


def test_referral_sends_the_case_to_a_panel(world):
    _decide(world, "refer_to_panel")
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PANEL_HEARING
    assert not world.case.determinations.exists()
    # The move names the examiner who recorded it, not Steward.
    change = world.case.stage_changes.latest("at")
    assert (change.to_stage, change.actor) == (Stage.PANEL_HEARING, world.lay)


# --- The two-examiner rule --------------------------------------------------------


def test_the_same_person_cannot_be_both_examiners(world):
    with pytest.raises(ValidationError, match="two different people"):
        _decide(world, "warning", manager_examiner=world.lay)
    _unchanged(world)


def test_two_lay_examiners_are_refused(world):
    other_lay = examiner_make("lay", full_name="Lou Lay")
    with pytest.raises(ValidationError, match="Lou Lay is not a manager case examiner"):
        _decide(world, "warning", manager_examiner=other_lay)
    _unchanged(world)


def test_the_examiners_must_be_in_the_categories_they_decide_in(world):
    with pytest.raises(ValidationError) as refused:
        _decide(world, "warning", lay_examiner=world.manager, manager_examiner=world.lay)
    assert refused.value.messages == [
        "Mo Manager is not a lay case examiner: choose a lay examiner",
        "Lee Lay is not a manager case examiner: choose a manager examiner",
    ]
    _unchanged(world)


def test_someone_without_a_current_case_examiner_role_is_refused(world):
    caseworker = person_make("caseworker", full_name="Cas Worker")
    with pytest.raises(ValidationError, match="Cas Worker is not a case examiner"):
        _decide(world, "warning", manager_examiner=caseworker)
    # A revoked role no longer counts.
    world.manager.role_assignments.update(revoked_at=clock.now())
    with pytest.raises(PermissionDenied):
        _decide(world, "warning", actor=world.manager)
    with pytest.raises(ValidationError, match="Mo Manager is not a case examiner"):
        _decide(world, "warning")
    _unchanged(world)


def test_a_conflicted_examiner_is_refused_naming_the_conflict(world):
    registrant_make(
        forenames="Mo",
        surname="Manager",
        user=world.manager,
        roles=[(world.organisation, dt.date(2022, 1, 1), None)],
    )
    with pytest.raises(ValidationError) as refused:
        _decide(world, "warning")
    [message] = refused.value.messages
    assert message.startswith("Mo Manager cannot decide this case: Mo Manager held a role at")
    assert "Leeds Teaching Hospitals NHS Trust" in message
    _unchanged(world)


def test_the_registrant_cannot_examine_their_own_case(world):
    world.account.role_assignments.create(role="case_examiner", panel_category="manager")
    with pytest.raises(ValidationError, match="is the registrant this case is about"):
        _decide(world, "warning", manager_examiner=world.account)
    _unchanged(world)


def test_only_one_of_the_two_examiners_records_the_decision(world):
    for actor in (examiner_make("lay"), person_make("caseworker"), world.account):
        with pytest.raises(PermissionDenied):
            _decide(world, "warning", actor=actor)
    _unchanged(world)


def test_reasons_are_required_and_undertakings_are_written_down(world):
    with pytest.raises(ValidationError, match="reasons"):
        _decide(world, "warning", reasons="  ")
    with pytest.raises(ValidationError, match="undertakings the registrant is asked"):
        _decide(world, "undertakings", undertakings="")
    with pytest.raises(ValidationError, match="Choose the case examiners' decision"):
        _decide(world, "strike_off")
    _unchanged(world)


@pytest.mark.parametrize("stage", [Stage.INVESTIGATION, Stage.PANEL_HEARING, Stage.CLOSED])
def test_examiners_decide_only_cases_referred_to_them(world, stage):
    world.case.__class__.objects.filter(pk=world.case.pk).update(stage=stage)
    with pytest.raises(ValidationError, match="once it has been referred to them"):
        _decide(world, "warning")
    assert not ExaminerDecision.objects.exists()


# --- Undertakings -----------------------------------------------------------------

UNDERTAKINGS = "Complete board governance training within six months."


@pytest.fixture
def offered(world):
    decision = _decide(world, "undertakings", undertakings=UNDERTAKINGS)
    world.case.refresh_from_db()
    return decision


def test_undertakings_are_offered_and_the_registrant_told(world, offered):
    assert world.case.stage == Stage.UNDERTAKINGS_OFFERED
    assert offered.undertakings_response == UndertakingsResponse.PENDING
    assert offered.undertakings == UNDERTAKINGS
    assert Notification.objects.filter(
        user=world.account, subject="Undertakings offered on your case"
    ).exists()


def test_accepted_undertakings_are_issued_and_the_appeal_window_opens(world, offered):
    undertakings_respond(decision=offered, accept=True, actor=world.account)
    offered.refresh_from_db()
    world.case.refresh_from_db()
    assert offered.undertakings_response == UndertakingsResponse.ACCEPTED
    assert offered.responded_at is not None
    assert world.case.stage == Stage.APPEAL_WINDOW
    determination = world.case.determinations.get()
    assert determination.sanction == "undertakings"
    assert determination.conditions == UNDERTAKINGS
    assert determination.issued_at is not None
    assert Sanction.objects.get(determination=determination).kind == "undertakings"
    # The caseworker and both examiners are told.
    told = set(
        Notification.objects.filter(subject__startswith="Undertakings accepted").values_list(
            "user_id", flat=True
        )
    )
    assert {world.lay.pk, world.manager.pk, world.case.caseworker_id} <= told


def test_refused_undertakings_send_the_case_to_a_panel(world, offered):
    undertakings_respond(decision=offered, accept=False, actor=world.account)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PANEL_HEARING
    assert not world.case.determinations.exists()
    with pytest.raises(ValidationError, match="already answered: refused"):
        undertakings_respond(decision=offered, accept=True, actor=world.account)


def test_only_the_registrant_answers_undertakings(world, offered):
    for actor in (world.lay, person_make("caseworker"), person_make("registrant")):
        with pytest.raises(PermissionDenied):
            undertakings_respond(decision=offered, accept=True, actor=actor)
    offered.refresh_from_db()
    assert offered.undertakings_response == UndertakingsResponse.PENDING


def test_a_decision_without_undertakings_cannot_be_answered(world):
    decision = _decide(world, "refer_to_panel")
    with pytest.raises(ValidationError, match="did not offer undertakings"):
        undertakings_respond(decision=decision, accept=True, actor=world.account)


def test_the_examiners_reasons_and_the_undertakings_stay_out_of_the_trail_and_messages(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offered = _decide(
            world,
            "undertakings",
            reasons="EXAMINER-SECRET the board minutes were altered",
            undertakings="UNDERTAKINGS-SECRET training within six months",
        )
        undertakings_respond(decision=offered, accept=True, actor=world.account)
    trail = " ".join(f"{e.reason} {e.payload}" for e in AuditEvent.objects.all())
    told = [f"{n.subject} {n.body}" for n in Notification.objects.all()]
    told += [f"{m.subject} {m.body}" for m in mail.outbox]
    assert Notification.objects.filter(user=world.account).exists() and mail.outbox
    for text in (trail, *told):
        assert "EXAMINER-SECRET" not in text and "UNDERTAKINGS-SECRET" not in text
