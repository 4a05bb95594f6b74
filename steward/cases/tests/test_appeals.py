"""Appeals: lodged by the registrant within the window (clock moved); decided as a new
determination that supersedes, never edits, the earlier one; windows closing."""

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.cases.appeals import appeal_decide, appeal_lodge, appeal_windows_close
from steward.cases.determinations import (
    determination_issue,
    facts_record,
    impairment_record,
    sanction_record,
)
from steward.cases.hearings import hearing_held
from steward.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    Determination,
    DeterminationKind,
    Sanction,
    SanctionStatus,
    Stage,
    StageChange,
)
from steward.cases.tests.factories import (
    case_make,
    hearing_make,
    person_make,
    registrant_make,
)
from steward.notifications.models import Notification
from steward.register.models import RegisterStatus

ISSUED_ON = dt.date(2026, 7, 1)
APPEAL_BY = dt.date(2026, 7, 29)
LESSER = {
    "advice": "Too serious for advice.",
    "warning": "A warning would not protect the public.",
    "conditions": "No workable conditions.",
    "suspension": "Repeated dishonesty.",
}


@pytest.fixture
def world(db, travel):
    """A suspension issued on 1 July 2026 after a substantive hearing."""
    travel(ISSUED_ON - dt.timedelta(days=28))
    account = person_make("registrant", full_name="Alex Morgan")
    case = case_make(registrant=registrant_make(user=account), stage=Stage.PANEL_HEARING)
    officer = person_make("hearings_officer")
    hearing = hearing_make(case=case, officer=officer)
    travel(ISSUED_ON)
    hearing_held(hearing=hearing, actor=officer)
    member = hearing.panel.get(is_chair=True).member
    draft = hearing.determinations.get()
    facts_record(determination=draft, findings={1: (True, "Shown.")}, actor=member)
    impairment_record(determination=draft, impaired=True, reasons="Serious.", actor=member)
    sanction_record(
        determination=draft,
        sanction="suspension",
        reasons="Needed to protect confidence.",
        less_severe_rejected=LESSER,
        ends_on=dt.date(2027, 1, 1),
        published_summary="Suspended for six months.",
        actor=member,
    )
    issued = determination_issue(determination=draft, actor=officer)
    case.refresh_from_db()
    return SimpleNamespace(account=account, case=case, officer=officer, issued=issued)


def _lodge(world, actor=None, grounds="The panel gave too little weight to my testimonials."):
    return appeal_lodge(determination=world.issued, grounds=grounds, actor=actor or world.account)


# --- Lodging --------------------------------------------------------------------


def test_the_registrant_appeals_within_the_window(world):
    assert world.issued.appeal_by == APPEAL_BY
    appeal = _lodge(world)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL
    assert (appeal.status, appeal.lodged_on) == (AppealStatus.LODGED, ISSUED_ON)
    assert AuditEvent.objects.filter(action="cases.appeal.lodged").exists()
    assert Notification.objects.filter(
        user=world.officer, subject=f"Appeal lodged on case {world.case.reference}"
    ).exists()


def test_the_last_day_of_the_window_is_inside_it(world, travel):
    travel(APPEAL_BY)
    assert _lodge(world).lodged_on == APPEAL_BY


def test_an_appeal_after_the_window_is_refused(world, travel):
    travel(APPEAL_BY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="The time to appeal ended on 29 July 2026"):
        _lodge(world)
    assert not Appeal.objects.exists()
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL_WINDOW


def test_only_the_registrant_appeals_and_only_once(world):
    for actor in (world.officer, person_make("registrant"), person_make("caseworker")):
        with pytest.raises(PermissionDenied):
            _lodge(world, actor=actor)
    with pytest.raises(ValidationError, match="grounds"):
        _lodge(world, grounds=" ")
    _lodge(world)
    with pytest.raises(ValidationError, match="already appealed"):
        _lodge(world)
    assert Appeal.objects.count() == 1


def test_a_draft_cannot_be_appealed(world):
    draft = Determination.objects.create(case=world.case, kind=DeterminationKind.PANEL)
    with pytest.raises(ValidationError, match="has not been issued"):
        appeal_lodge(determination=draft, grounds="x", actor=world.account)


# --- Deciding -------------------------------------------------------------------


def _decide(world, outcome, **kwargs):
    appeal = Appeal.objects.get()
    values = {"appeal": appeal, "outcome": outcome, "reasons": "Considered the grounds."}
    values.update(kwargs)
    values.setdefault("actor", world.officer)
    return appeal_decide(**values)


def _snapshot(determination: Determination) -> tuple:
    determination.refresh_from_db()
    return (
        bytes(determination.pdf),
        determination.pdf_sha256,
        determination.sanction,
        determination.ends_on,
        determination.issued_at,
        determination.appeal_by,
        determination.version,
    )


def test_a_dismissed_appeal_is_a_new_determination_carrying_the_sanction_over(world):
    before = _snapshot(world.issued)
    _lodge(world)
    decided = _decide(world, "dismissed")
    assert decided.pk != world.issued.pk
    assert (decided.kind, decided.supersedes) == (DeterminationKind.APPEAL, world.issued)
    assert (decided.sanction, decided.ends_on) == ("suspension", dt.date(2027, 1, 1))
    assert decided.facts == world.issued.facts
    assert decided.sanction_reasons == "Considered the grounds."
    assert decided.issued_at is not None and decided.appeal_by is None
    assert hashlib.sha256(bytes(decided.pdf)).hexdigest() == decided.pdf_sha256
    # The earlier determination is untouched.
    assert _snapshot(world.issued) == before
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.outcome) == (AppealStatus.DECIDED, decided)
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED
    event = AuditEvent.objects.get(action="cases.appeal.decided")
    assert event.payload_data["outcome"] == "dismissed"
    assert event.payload_data["supersedes"] == world.issued.pk
    # The earlier sanction is superseded by the same sanction under the new decision.
    assert Sanction.objects.get(determination=world.issued).status == SanctionStatus.SUPERSEDED
    assert Sanction.objects.get(determination=decided).kind == "suspension"


def test_an_allowed_appeal_leaves_no_sanction(world):
    _lodge(world)
    decided = _decide(world, "allowed")
    assert decided.sanction == "" and decided.supersedes == world.issued
    assert not Sanction.objects.filter(determination=decided).exists()
    world.case.registrant.refresh_from_db()
    assert world.case.registrant.status == RegisterStatus.REGISTERED
    world.issued.refresh_from_db()
    assert world.issued.sanction == "suspension"


def test_a_substituted_sanction_follows_the_sanction_rules(world):
    _lodge(world)
    with pytest.raises(ValidationError, match="Say why a warning would not be enough"):
        _decide(
            world,
            "substituted",
            sanction="conditions",
            conditions="Supervision.",
            ends_on=dt.date(2027, 7, 1),
            less_severe_rejected={"advice": "x"},
        )
    with pytest.raises(ValidationError, match="same sanction as before"):
        _decide(
            world,
            "substituted",
            sanction="suspension",
            ends_on=dt.date(2027, 1, 1),
            less_severe_rejected=LESSER,
            published_summary="x",
        )
    assert not Determination.objects.filter(kind=DeterminationKind.APPEAL).exists()
    decided = _decide(
        world,
        "substituted",
        sanction="conditions",
        conditions="Work under supervision.",
        ends_on=dt.date(2027, 7, 1),
        less_severe_rejected=LESSER,
        published_summary="Conditions on practice.",
    )
    assert (decided.sanction, decided.conditions) == ("conditions", "Work under supervision.")
    world.case.registrant.refresh_from_db()
    assert world.case.registrant.status == RegisterStatus.CONDITIONS


def test_only_hearings_officers_decide_appeals_and_only_once(world):
    _lodge(world)
    for actor in (world.account, person_make("caseworker")):
        with pytest.raises(PermissionDenied):
            _decide(world, "dismissed", actor=actor)
    with pytest.raises(ValidationError, match="outcome of the appeal"):
        _decide(world, "quashed")
    with pytest.raises(ValidationError, match="reasons"):
        _decide(world, "dismissed", reasons="")
    _decide(world, "dismissed")
    with pytest.raises(ValidationError, match="cannot be decided again"):
        _decide(world, "allowed")
    assert Determination.objects.filter(kind=DeterminationKind.APPEAL).count() == 1


def test_a_superseded_determination_cannot_be_appealed_again(world):
    _lodge(world)
    _decide(world, "dismissed")
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.APPEAL_WINDOW)
    with pytest.raises(ValidationError, match="has been replaced"):
        _lodge(world)


# --- Windows closing ---------------------------------------------------------------


def test_windows_close_once_passed_with_no_appeal(world, travel):
    travel(APPEAL_BY)
    assert appeal_windows_close() == 0
    travel(APPEAL_BY + dt.timedelta(days=1))
    assert appeal_windows_close() == 1
    world.case.refresh_from_db()
    assert world.case.stage == Stage.CLOSED
    change = StageChange.objects.filter(case=world.case).latest("pk")
    assert change.actor is None and change.actor_label == "Steward"
    assert change.reason == "The appeal window ended on 29 July 2026 with no appeal."
    assert appeal_windows_close() == 0


def test_windows_close_takes_the_date_it_is_given(world):
    assert appeal_windows_close(today=APPEAL_BY + dt.timedelta(days=1)) == 1


def test_a_case_under_appeal_is_not_closed(world, travel):
    _lodge(world)
    travel(APPEAL_BY + dt.timedelta(days=30))
    assert appeal_windows_close() == 0
    world.case.refresh_from_db()
    assert world.case.stage == Stage.APPEAL
