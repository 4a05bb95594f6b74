"""Merging duplicate records keeps both histories and never reuses a number."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import AuditEvent
from steward.register import services
from steward.register.merging import registrant_merge
from steward.register.models import (
    CareerRole,
    PreviousName,
    Qualification,
    RegisterStatus,
    Registrant,
    StaffNumber,
    StatusChange,
)
from steward.register.selectors import registrant_resolve
from steward.register.services import StaleEdit

pytestmark = pytest.mark.django_db


def _person(forenames, surname, **kwargs):
    return services.registrant_create(
        legal_forenames=forenames, legal_surname=surname, actor="tests", reason="test", **kwargs
    )


@pytest.fixture
def pair(organisation):
    survivor = _person("Amara", "Okafor", email="amara@example.org")
    duplicate = _person(
        "Amara",
        "Okafor-Jones",
        date_of_birth=dt.date(1970, 2, 3),
        phone="0113 496 0000",
        previous_names=[("Amara", "Jones")],
    )
    services.career_role_add(
        registrant=duplicate,
        organisation=organisation,
        title="Director of Finance",
        category="executive_director",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
        reason_for_leaving="Moved on",
        actor="tests",
        reason="test",
    )
    services.qualification_add(
        registrant=duplicate, title="CIMA", awarding_body="CIMA", actor="tests"
    )
    services.staff_number_set(
        registrant=duplicate, organisation=organisation, employee_number="E1", actor="tests"
    )
    services.register_status_change(
        registrant=duplicate, to_status=RegisterStatus.LAPSED, reason="Did not renew", actor="t"
    )
    return duplicate, survivor


def test_merge_keeps_both_histories(pair, make_user):
    duplicate, survivor = pair
    registrar = make_user("registrar")
    old_number = duplicate.registration_number
    registrant_merge(duplicate=duplicate, survivor=survivor, actor=registrar, reason="Same person")

    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.registration_number == old_number  # kept, never reused
    # Career, qualifications and staff numbers now belong to the survivor.
    role = CareerRole.objects.get(title="Director of Finance")
    assert role.registrant == survivor and role.reason_for_leaving == "Moved on"
    assert Qualification.objects.get(title="CIMA").registrant == survivor
    assert StaffNumber.objects.get(employee_number="E1").registrant == survivor
    # The duplicate's names become previous names of the survivor.
    names = {(p.forenames, p.surname) for p in survivor.previous_names.all()}
    assert names == {("Amara", "Jones"), ("Amara", "Okafor-Jones")}
    # The duplicate's own status history stays with it.
    assert [c.to_status for c in StatusChange.objects.filter(registrant=duplicate)] == [
        "registered",
        "lapsed",
    ]
    assert survivor.status_changes.count() == 1
    # Details the survivor lacked come from the duplicate; its own are kept.
    assert survivor.date_of_birth == dt.date(1970, 2, 3)
    assert survivor.phone == "0113 496 0000"
    assert survivor.email == "amara@example.org"
    # The old number leads to the survivor.
    assert registrant_resolve(registration_number=old_number) == survivor
    assert not Registrant.objects.on_register().filter(pk=duplicate.pk).exists()


def test_merge_is_audited_on_both_records(pair, make_user):
    duplicate, survivor = pair
    registrar = make_user("registrar")
    registrant_merge(duplicate=duplicate, survivor=survivor, actor=registrar, reason="Same person")
    kept = AuditEvent.objects.get(action="register.registrant.merged")
    assert kept.subject_id == str(survivor.pk) and kept.actor == registrar
    assert kept.reason == "Same person"
    assert kept.payload_data["career_roles_moved"] == 1
    assert "0113" not in kept.payload and "1970" not in kept.payload
    gone = AuditEvent.objects.get(action="register.registrant.merged_away")
    assert gone.subject_id == str(duplicate.pk)


def test_merge_refuses_itself_chains_and_repeats(pair, make_user):
    duplicate, survivor = pair
    registrar = make_user("registrar")
    third = _person("Someone", "Else")
    with pytest.raises(ValidationError, match="into itself"):
        registrant_merge(duplicate=survivor, survivor=survivor, actor=registrar, reason="x")
    registrant_merge(duplicate=duplicate, survivor=survivor, actor=registrar, reason="x")
    with pytest.raises(ValidationError, match="already merged"):
        registrant_merge(duplicate=duplicate, survivor=third, actor=registrar, reason="x")
    with pytest.raises(ValidationError, match="itself merged"):
        registrant_merge(duplicate=third, survivor=duplicate, actor=registrar, reason="x")
    third.refresh_from_db()
    assert third.merged_into is None


def test_merge_needs_a_reason(pair, make_user):
    duplicate, survivor = pair
    with pytest.raises(ValidationError):
        registrant_merge(
            duplicate=duplicate, survivor=survivor, actor=make_user("registrar"), reason=" "
        )
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merge_never_hides_a_restriction(make_user):
    survivor = _person("Ben", "Cole")
    duplicate = _person("Ben", "Cole")
    services.register_status_change(
        registrant=duplicate, to_status=RegisterStatus.BARRED, reason="Barred", actor="t"
    )
    with pytest.raises(ValidationError, match="barred"):
        registrant_merge(
            duplicate=duplicate, survivor=survivor, actor=make_user("registrar"), reason="x"
        )
    assert Registrant.objects.get(pk=duplicate.pk).merged_into is None


def test_merge_refuses_records_changed_since_they_were_compared(pair, make_user):
    duplicate, survivor = pair
    seen = survivor.version
    services.registrant_update(
        registrant=survivor,
        expected_version=seen,
        changes={"phone": "07700 900000"},
        actor="t",
        reason="t",
    )
    with pytest.raises(StaleEdit):
        registrant_merge(
            duplicate=duplicate,
            survivor=survivor,
            actor=make_user("registrar"),
            reason="x",
            survivor_version=seen,
            duplicate_version=duplicate.version,
        )
    assert Registrant.objects.get(pk=duplicate.pk).merged_into is None
    assert CareerRole.objects.get().registrant_id == duplicate.pk


def test_earlier_merges_point_straight_at_the_new_survivor(make_user):
    registrar = make_user("registrar")
    a, b, c = _person("A", "One"), _person("A", "One"), _person("A", "One")
    registrant_merge(duplicate=a, survivor=b, actor=registrar, reason="x")
    registrant_merge(duplicate=b, survivor=c, actor=registrar, reason="x")
    a.refresh_from_db()
    assert a.merged_into == c  # no chain a → b → c
    assert registrant_resolve(registration_number=a.registration_number) == c


def test_the_sign_in_moves_with_the_record(make_user):
    user = make_user("registrant")
    duplicate = _person("Chi", "Ng", user=user)
    survivor = _person("Chi", "Ng")
    registrant_merge(
        duplicate=duplicate, survivor=survivor, actor=make_user("registrar"), reason="x"
    )
    assert Registrant.objects.get(user=user) == survivor
    # Same legal name: nothing to add as a previous name.
    assert not PreviousName.objects.filter(registrant=survivor).exists()


def test_two_sign_ins_are_refused(make_user):
    duplicate = _person("Chi", "Ng", user=make_user("registrant"))
    survivor = _person("Chi", "Ng", user=make_user("registrant"))
    with pytest.raises(ValidationError, match="different Steward accounts"):
        registrant_merge(
            duplicate=duplicate, survivor=survivor, actor=make_user("registrar"), reason="x"
        )
