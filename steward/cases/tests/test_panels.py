"""Panel composition: three panel members, at least one lay and one manager member, a
lay chair, nobody conflicted (career history and declared interests, inside and outside
five years); replaced until the hearing is held."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent
from steward.cases.models import DeclaredInterest, HearingStatus, PanelSeat, Stage
from steward.cases.panels import StaleHearing, panel_form
from steward.cases.tests.factories import (
    case_make,
    hearing_make,
    panel_member_make,
    person_make,
    registrant_make,
)
from steward.core import clock
from steward.notifications.models import Notification

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def world(today, organisation):
    registrant = registrant_make(roles=[(organisation, dt.date(2020, 1, 1), None)])
    case = case_make(registrant=registrant, stage=Stage.PANEL_HEARING)
    return SimpleNamespace(
        organisation=organisation,
        officer=person_make("hearings_officer"),
        hearing=hearing_make(case=case, panel=False),
        chair=panel_member_make("lay", full_name="Chris Chair"),
        lay=panel_member_make("lay", full_name="Lee Lay"),
        manager=panel_member_make("manager", full_name="Mo Manager"),
    )


def _form(world, members=None, chair=None, actor=None):
    return panel_form(
        hearing=world.hearing,
        members=members if members is not None else [world.chair, world.lay, world.manager],
        chair=chair or world.chair,
        actor=actor or world.officer,
    )


def _refused(world, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        _form(world, **kwargs)
    assert not PanelSeat.objects.exists()
    return refused.value.messages


def test_a_panel_of_three_with_a_lay_chair_is_seated_audited_and_told(world):
    seats = _form(world)
    assert {(s.member, s.category, s.is_chair) for s in seats} == {
        (world.chair, "lay", True),
        (world.lay, "lay", False),
        (world.manager, "manager", False),
    }
    event = AuditEvent.objects.get(action="cases.panel.formed")
    assert event.payload_data["chair"] == world.chair.pk
    assert event.payload_data["members"][str(world.manager.pk)] == "manager"
    assert Notification.objects.filter(subject="You are on a hearing panel").count() == 3


def test_exactly_three_different_people(world):
    extra = panel_member_make("manager")
    assert _refused(world, members=[world.chair, world.manager]) == [
        "Choose exactly three people for the panel"
    ]
    assert _refused(world, members=[world.chair, world.lay, world.manager, extra]) == [
        "Choose exactly three people for the panel"
    ]
    assert _refused(world, members=[world.chair, world.chair, world.manager]) == [
        "Choose three different people for the panel"
    ]


def test_at_least_one_lay_and_one_manager_member(world):
    other_lay = panel_member_make("lay")
    assert _refused(world, members=[world.chair, world.lay, other_lay]) == [
        "The panel needs at least one manager member"
    ]
    managers = [panel_member_make("manager") for _ in range(3)]
    messages = _refused(world, members=managers, chair=managers[0])
    assert "The panel needs at least one lay member" in messages


def test_the_chair_is_lay_and_on_the_panel(world):
    messages = _refused(world, chair=world.manager)
    assert messages == ["Mo Manager cannot chair the panel: the chair must be a lay member"]
    assert _refused(world, chair=panel_member_make("lay")) == [
        "Choose the chair from the three panel members"
    ]


def test_everyone_must_hold_a_current_panel_member_role(world):
    stranger = person_make("caseworker", full_name="Cas Worker")
    assert "Cas Worker is not a panel member" in _refused(
        world, members=[world.chair, world.lay, stranger]
    )
    RoleAssignment.objects.filter(user=world.manager).update(revoked_at=clock.now())
    assert "Mo Manager is not a panel member" in _refused(world)


def test_someone_appointed_in_both_categories_fills_the_gap(world):
    both = panel_member_make("lay", full_name="Bo Both")
    RoleAssignment.objects.create(user=both, role="panel_member", panel_category="manager")
    seats = _form(world, members=[world.chair, world.lay, both])
    assert {s.member.full_name: s.category for s in seats}["Bo Both"] == "manager"


def test_a_member_with_a_career_conflict_is_refused_by_name(world):
    registrant_make(
        forenames="Lee",
        surname="Lay",
        user=world.lay,
        roles=[(world.organisation, dt.date(2019, 1, 1), dt.date(2023, 1, 1))],
    )
    [message] = _refused(world)
    assert message.startswith("Lee Lay cannot sit on this panel: Lee Lay held a role at Leeds")


def test_a_career_outside_the_five_years_is_no_conflict(world):
    registrant_make(
        forenames="Lee",
        surname="Lay",
        user=world.lay,
        roles=[(world.organisation, dt.date(2010, 1, 1), dt.date(2020, 12, 31))],
    )
    assert len(_form(world)) == 3


@pytest.mark.parametrize(
    ("to_date", "conflicted"), [(dt.date(2024, 3, 31), True), (dt.date(2021, 5, 31), False)]
)
def test_declared_interests_inside_five_years_conflict(world, to_date, conflicted):
    DeclaredInterest.objects.create(
        user=world.manager,
        organisation=world.organisation,
        description="Management consultant",
        from_date=dt.date(2019, 1, 1),
        to_date=to_date,
    )
    if conflicted:
        [message] = _refused(world)
        assert message.startswith(
            "Mo Manager cannot sit on this panel: Mo Manager declared an interest in Leeds"
        )
    else:
        assert len(_form(world)) == 3


def test_every_refusal_is_listed_together(world):
    DeclaredInterest.objects.create(
        user=world.chair, organisation=world.organisation, description="Governor"
    )
    messages = _refused(world, chair=world.manager)
    assert messages[0] == "Mo Manager cannot chair the panel: the chair must be a lay member"
    assert messages[1].startswith("Chris Chair cannot sit on this panel")


def test_forming_again_replaces_the_earlier_panel(world):
    _form(world)
    new_manager = panel_member_make("manager", full_name="Max Manager")
    _form(world, members=[world.chair, world.lay, new_manager])
    assert set(world.hearing.panel.values_list("member__full_name", flat=True)) == {
        "Chris Chair",
        "Lee Lay",
        "Max Manager",
    }
    last = AuditEvent.objects.filter(action="cases.panel.formed").latest("seq")
    assert sorted(last.payload_data["replaced"]) == sorted(
        [world.chair.pk, world.lay.pk, world.manager.pk]
    )
    # Only the newcomer is told again.
    assert Notification.objects.filter(user=new_manager).count() == 1
    assert Notification.objects.filter(user=world.chair).count() == 1


def test_a_panel_formed_from_a_version_of_the_hearing_since_changed_is_refused(world):
    shown = world.hearing.version
    _form(world)  # another officer forms the panel first
    world.hearing.refresh_from_db()
    assert world.hearing.version == shown + 1
    with pytest.raises(StaleHearing):
        panel_form(
            hearing=world.hearing,
            members=[world.chair, world.lay, panel_member_make("manager", full_name="Max")],
            chair=world.chair,
            actor=world.officer,
            expected_version=shown,
        )
    assert world.hearing.panel.filter(member=world.manager).exists()
    assert not world.hearing.panel.filter(member__full_name="Max").exists()


def test_the_panel_cannot_change_once_the_hearing_is_held(world):
    _form(world)
    world.hearing.__class__.objects.filter(pk=world.hearing.pk).update(status=HearingStatus.HELD)
    with pytest.raises(ValidationError, match="still scheduled: this one is held"):
        _form(world, members=[world.chair, world.lay, panel_member_make("manager")])
    assert world.hearing.panel.filter(member=world.manager).exists()


def test_only_hearings_officers_form_panels(world):
    for role in ("caseworker", "panel_member", "case_examiner", "registrar"):
        with pytest.raises(PermissionDenied):
            category = "lay" if role in ("panel_member", "case_examiner") else ""
            _form(world, actor=person_make(role, category=category))
    assert not PanelSeat.objects.exists()
