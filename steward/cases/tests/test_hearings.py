"""Hearings: the stage each kind needs, notice served on the registrant at least
``CASES_HEARING_NOTICE_DAYS`` days before, rescheduling, the registrant's response,
and holding the hearing."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.cases.hearings import (
    hearing_held,
    hearing_reschedule,
    hearing_schedule,
    registrant_response_record,
)
from steward.cases.models import (
    Case,
    Determination,
    DeterminationKind,
    Hearing,
    HearingKind,
    HearingStatus,
    Stage,
)
from steward.cases.services import evidence_add
from steward.cases.tests.factories import (
    case_make,
    hearing_make,
    person_make,
    registrant_make,
)
from steward.notifications.models import Notification

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def world(db, travel):
    travel(TODAY)
    account = person_make("registrant", full_name="Alex Morgan")
    return SimpleNamespace(
        account=account,
        case=case_make(registrant=registrant_make(user=account), stage=Stage.PANEL_HEARING),
        officer=person_make("hearings_officer"),
    )


def _schedule(world, days=28, kind=HearingKind.SUBSTANTIVE, **kwargs):
    values = {
        "case": world.case,
        "kind": kind,
        "starts_on": TODAY + dt.timedelta(days=days),
        "location": "Hearing centre, Manchester",
        "actor": world.officer,
    }
    values.update(kwargs)
    return hearing_schedule(**values)


# --- Notice -----------------------------------------------------------------------


def test_27_days_notice_is_refused_and_28_accepted(world):
    with pytest.raises(ValidationError) as refused:
        _schedule(world, days=27)
    assert refused.value.message_dict["starts_on"] == [
        "The registrant must have at least 28 days' notice of the hearing. Notice is served "
        "today, so the hearing must be on 29 June 2026 or later"
    ]
    assert not Hearing.objects.exists()
    hearing = _schedule(world, days=28)
    assert hearing.starts_on == dt.date(2026, 6, 29)
    assert hearing.notice_served_on == TODAY
    assert hearing.scheduled_by == world.officer


def test_the_notice_period_is_configurable(world, settings):
    settings.CASES_HEARING_NOTICE_DAYS = 14
    with pytest.raises(ValidationError, match="at least 14 days' notice"):
        _schedule(world, days=13)
    assert _schedule(world, days=14).starts_on == dt.date(2026, 6, 15)


def test_notice_is_served_on_the_registrant_in_steward_and_by_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _schedule(world)
    note = Notification.objects.get(user=world.account)
    assert note.subject == "Notice of a hearing"
    assert "29 June 2026" in note.body and world.case.reference in note.body
    assert "served on 1 June 2026" in note.body
    [email] = mail.outbox
    assert email.to == [world.account.email] and "29 June 2026" in email.body
    event = AuditEvent.objects.get(action="cases.hearing.scheduled")
    assert event.payload_data["notice_served_on"] == "2026-06-01"


def test_a_registrant_without_an_account_is_emailed_at_their_register_address(
    db, travel, django_capture_on_commit_callbacks
):
    travel(TODAY)
    registrant = registrant_make(email="alex.morgan@example.org")
    case = case_make(registrant=registrant, stage=Stage.PANEL_HEARING)
    world = SimpleNamespace(case=case, officer=person_make("hearings_officer"))
    with django_capture_on_commit_callbacks(execute=True):
        _schedule(world)
    [email] = mail.outbox
    assert email.to == ["alex.morgan@example.org"] and "29 June 2026" in email.body


# --- The stage each kind of hearing needs ----------------------------------------


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (HearingKind.SUBSTANTIVE, {Stage.PANEL_HEARING}),
        (HearingKind.REVIEW, {Stage.REVIEW}),
        (HearingKind.APPEAL, {Stage.APPEAL}),
        (HearingKind.INTERIM_ORDER, set(Stage.values) - {Stage.CLOSED}),
    ],
)
def test_each_kind_of_hearing_needs_its_stage(world, kind, allowed):
    for stage in Stage.values:
        Case.objects.filter(pk=world.case.pk).update(stage=stage)
        world.case.refresh_from_db()
        if stage in allowed:
            hearing = _schedule(world, kind=kind)
            assert hearing.kind == kind
            hearing.delete()
        else:
            with pytest.raises(ValidationError):
                _schedule(world, kind=kind)
    assert not Hearing.objects.exists()


def test_one_scheduled_hearing_of_a_kind_at_a_time(world):
    _schedule(world)
    with pytest.raises(ValidationError, match="already scheduled for 29 June 2026"):
        _schedule(world, days=40)


def test_bad_input_is_refused(world):
    with pytest.raises(ValidationError, match="where the hearing will be held"):
        _schedule(world, location="  ")
    with pytest.raises(ValidationError, match="Enter the date of the hearing"):
        _schedule(world, starts_on=None)
    with pytest.raises(ValidationError, match="kind of hearing"):
        _schedule(world, kind="tribunal")
    assert not Hearing.objects.exists()


def test_only_hearings_officers_schedule(world):
    for role in ("caseworker", "registrar", "registrant"):
        with pytest.raises(PermissionDenied):
            _schedule(world, actor=person_make(role))
    assert not Hearing.objects.exists()


# --- Rescheduling -----------------------------------------------------------------


def test_rescheduling_serves_fresh_notice_and_keeps_the_rule(world, travel):
    hearing = _schedule(world, days=40)
    travel(TODAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="at least 28 days' notice"):
        hearing_reschedule(
            hearing=hearing,
            starts_on=TODAY + dt.timedelta(days=10 + 27),
            reason="The registrant is unwell",
            actor=world.officer,
        )
    hearing_reschedule(
        hearing=hearing,
        starts_on=TODAY + dt.timedelta(days=10 + 28),
        location="Remote",
        reason="The registrant is unwell",
        actor=world.officer,
    )
    hearing.refresh_from_db()
    assert hearing.starts_on == dt.date(2026, 7, 9)
    assert hearing.notice_served_on == dt.date(2026, 6, 11)
    assert hearing.location == "Remote"
    event = AuditEvent.objects.get(action="cases.hearing.rescheduled")
    assert event.reason == "The registrant is unwell"
    assert (event.payload_data["from"], event.payload_data["to"]) == ("2026-07-11", "2026-07-09")
    assert Notification.objects.filter(subject="Your hearing has been moved").exists()


def test_rescheduling_refuses_stale_edits_and_held_hearings(world):
    hearing = _schedule(world)
    with pytest.raises(ValidationError, match="Someone else changed this hearing"):
        hearing_reschedule(
            hearing=hearing,
            starts_on=TODAY + dt.timedelta(days=35),
            reason="x",
            actor=world.officer,
            expected_version=hearing.version + 1,
        )
    Hearing.objects.filter(pk=hearing.pk).update(status=HearingStatus.HELD)
    with pytest.raises(ValidationError, match="Only a scheduled hearing can be moved"):
        hearing_reschedule(
            hearing=hearing,
            starts_on=TODAY + dt.timedelta(days=35),
            reason="x",
            actor=world.officer,
        )
    with pytest.raises(ValidationError, match="why the hearing is being moved"):
        hearing_reschedule(
            hearing=hearing, starts_on=TODAY + dt.timedelta(days=35), reason="", actor=world.officer
        )


# --- The registrant's response ---------------------------------------------------


def test_the_registrant_responds_before_the_hearing_with_evidence(world, travel):
    hearing = _schedule(world)
    registrant_response_record(
        hearing=hearing, response="I accept allegation 1 and dispute 2.", actor=world.account
    )
    evidence = evidence_add(
        case=world.case,
        title="My statement",
        file_name="statement.txt",
        media_type="text/plain",
        content=b"My side of events",
        actor=world.account,
        submitted_by="registrant",
    )
    hearing.refresh_from_db()
    assert hearing.registrant_response == "I accept allegation 1 and dispute 2."
    assert hearing.registrant_responded_at is not None
    assert evidence.disclosed
    assert Notification.objects.filter(
        user=world.officer, subject__startswith="The registrant responded"
    ).exists()
    event = AuditEvent.objects.get(action="cases.hearing.response_recorded")
    assert "dispute" not in event.payload  # the response itself stays out of the trail
    travel(hearing.starts_on)
    with pytest.raises(ValidationError, match="until the day before the hearing"):
        registrant_response_record(hearing=hearing, response="Late", actor=world.account)
    hearing.refresh_from_db()
    assert hearing.registrant_response.startswith("I accept")


def test_only_the_registrant_responds(world):
    hearing = _schedule(world)
    for actor in (world.officer, person_make("registrant")):
        with pytest.raises(PermissionDenied):
            registrant_response_record(hearing=hearing, response="x", actor=actor)
    with pytest.raises(ValidationError, match="Enter your response"):
        registrant_response_record(hearing=hearing, response=" ", actor=world.account)


# --- Holding the hearing ---------------------------------------------------------


def test_a_substantive_hearing_held_moves_the_case_and_starts_the_determination(world, travel):
    hearing = hearing_make(case=world.case, officer=world.officer)
    with pytest.raises(ValidationError, match="record it as held on or after that date"):
        hearing_held(hearing=hearing, actor=world.officer)
    travel(hearing.starts_on)
    hearing_held(hearing=hearing, actor=world.officer)
    hearing.refresh_from_db()
    world.case.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert world.case.stage == Stage.DETERMINATION
    draft = hearing.determinations.get()
    assert (draft.kind, draft.issued_at, draft.supersedes) == (DeterminationKind.PANEL, None, None)
    with pytest.raises(ValidationError, match="only a scheduled hearing"):
        hearing_held(hearing=hearing, actor=world.officer)


def test_a_hearing_needs_its_panel_before_it_is_held(world, travel):
    hearing = hearing_make(case=world.case, panel=False)
    travel(hearing.starts_on)
    with pytest.raises(ValidationError, match="Form the hearing's panel"):
        hearing_held(hearing=hearing, actor=world.officer)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.PANEL_HEARING


def test_only_hearings_officers_record_a_hearing_as_held(world, travel):
    hearing = hearing_make(case=world.case)
    travel(hearing.starts_on)
    chair = hearing.panel.get(is_chair=True).member
    for actor in (chair, person_make("caseworker")):
        with pytest.raises(PermissionDenied):
            hearing_held(hearing=hearing, actor=actor)


def test_a_review_hearing_starts_a_review_determination_from_the_facts_found(world, travel):
    earlier = Determination.objects.create(
        case=world.case,
        kind=DeterminationKind.PANEL,
        facts={"1": {"proved": True, "reasons": "Minutes show it."}},
        impaired=True,
        sanction="conditions",
        issued_at=dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC),
    )
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.REVIEW)
    hearing = hearing_make(case=world.case, kind=HearingKind.REVIEW)
    travel(hearing.starts_on)
    hearing_held(hearing=hearing, actor=world.officer)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.REVIEW  # it closes when the review is issued
    draft = hearing.determinations.get()
    assert draft.kind == DeterminationKind.REVIEW
    assert draft.supersedes == earlier
    assert draft.facts == earlier.facts


def test_an_interim_order_hearing_held_changes_no_stage(world, travel):
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.INVESTIGATION)
    hearing = hearing_make(case=world.case, kind=HearingKind.INTERIM_ORDER)
    travel(hearing.starts_on)
    hearing_held(hearing=hearing, actor=world.officer)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.INVESTIGATION
    assert not hearing.determinations.exists()
