"""The register's core services and registration numbers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from steward.audit.models import AuditEvent
from steward.register import numbers, services
from steward.register.models import (
    CareerRole,
    QualificationStatus,
    RegisterStatus,
    Registrant,
    StatusChange,
)
from steward.register.services import StaleEdit

serials = st.integers(min_value=0, max_value=numbers.MAX_SERIAL)


# --- Registration numbers ------------------------------------------------------


@given(serials)
def test_every_issued_number_is_valid(serial):
    number = numbers.registration_number(serial)
    assert numbers.PATTERN.match(number)
    assert numbers.is_valid_registration_number(number)
    assert numbers.registration_number_problem(number) is None


@given(serials, st.integers(min_value=1, max_value=7), st.integers(min_value=1, max_value=9))
def test_the_check_digit_catches_every_single_digit_error(serial, position, shift):
    number = numbers.registration_number(serial)
    digits = list(number)
    digits[position] = str((int(digits[position]) + shift) % 10)
    wrong = "".join(digits)
    assert not numbers.is_valid_registration_number(wrong)
    assert "not a real registration number" in numbers.registration_number_problem(wrong)


@given(serials, st.integers(min_value=1, max_value=6))
def test_the_check_digit_catches_every_swap_of_neighbours(serial, position):
    number = numbers.registration_number(serial)
    digits = list(number)
    if digits[position] == digits[position + 1]:
        return  # swapping equal digits changes nothing
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not numbers.is_valid_registration_number("".join(digits))


@given(st.text(max_size=30))
def test_any_text_gets_an_answer_not_an_exception(text):
    problem = numbers.registration_number_problem(text)
    assert problem is None or isinstance(problem, str)
    assert numbers.is_valid_registration_number(text) == (problem is None)


def test_numbers_are_cleaned_and_out_of_range_serials_refused():
    number = numbers.registration_number(1234)
    assert numbers.is_valid_registration_number(f" {number.lower()[:4]} {number[4:]} ")
    with pytest.raises(ValueError):
        numbers.registration_number(numbers.MAX_SERIAL + 1)


# --- Records and status ----------------------------------------------------------


def _person(**kwargs):
    values = {"legal_forenames": "Zoë", "legal_surname": "Ó Briain", "actor": "tests"}
    values.update(kwargs)
    values.setdefault("reason", "test")
    return services.registrant_create(**values)


@pytest.mark.django_db
def test_numbers_are_never_issued_twice():
    first = _person()
    second = _person()
    assert first.registration_number != second.registration_number
    issued = services.registration_numbers_issue(3)
    assert len(set(issued) | {first.registration_number, second.registration_number}) == 5


@pytest.mark.django_db
def test_create_writes_the_first_status_and_an_audit_event():
    registrant = _person(date_of_birth=dt.date(1980, 1, 2), email="Zoe@Example.org")
    assert registrant.status == RegisterStatus.REGISTERED
    assert registrant.email == "zoe@example.org"
    change = StatusChange.objects.get(registrant=registrant)
    assert (change.from_status, change.to_status) == ("", RegisterStatus.REGISTERED)
    event = AuditEvent.objects.get(action="register.registrant.created")
    assert event.subject_id == str(registrant.pk)
    assert "1980" not in event.payload and "example.org" not in event.payload


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"legal_forenames": " "},
        {"legal_surname": ""},
        {"reason": ""},
        {"date_of_birth": dt.date(2999, 1, 1)},
    ],
)
def test_create_refuses_bad_input(kwargs):
    with pytest.raises(ValidationError):
        _person(**kwargs)
    assert not Registrant.objects.exists()


@pytest.mark.django_db
def test_status_change_keeps_a_dated_history_and_is_audited(make_user):
    registrar = make_user("registrar")
    registrant = _person()
    services.register_status_change(
        registrant=registrant,
        to_status=RegisterStatus.SUSPENDED,
        reason="Interim order",
        effective_on=dt.date(2026, 1, 5),
        actor=registrar,
    )
    services.register_status_change(
        registrant=registrant,
        to_status=RegisterStatus.REGISTERED,
        reason="Order revoked",
        effective_on=dt.date(2026, 3, 1),
        actor=registrar,
    )
    registrant.refresh_from_db()
    assert registrant.status == RegisterStatus.REGISTERED
    assert registrant.status_since == dt.date(2026, 3, 1)
    history = list(
        registrant.status_changes.order_by("pk").values_list("from_status", "to_status", "reason")
    )
    assert history[1:] == [
        ("registered", "suspended", "Interim order"),
        ("suspended", "registered", "Order revoked"),
    ]
    events = AuditEvent.objects.filter(action="register.status.changed").order_by("seq")
    assert [e.payload_data["to"] for e in events] == ["suspended", "registered"]
    assert all(e.actor == registrar for e in events)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to_status", "reason"),
    [("suspended", ""), ("registered", "Already"), ("emperor", "Unknown status")],
)
def test_status_change_refuses_bad_input_and_changes_nothing(to_status, reason):
    registrant = _person()
    with pytest.raises(ValidationError):
        services.register_status_change(
            registrant=registrant, to_status=to_status, reason=reason, actor="t"
        )
    assert registrant.status_changes.count() == 1
    assert not AuditEvent.objects.filter(action="register.status.changed").exists()


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_changes_nothing():
    registrant = _person(email="first@example.org")
    # Two people open the same record at version 1.
    alice_copy = Registrant.objects.get(pk=registrant.pk)
    bob_copy = Registrant.objects.get(pk=registrant.pk)
    services.registrant_update(
        registrant=alice_copy,
        expected_version=alice_copy.version,
        changes={"email": "alice@example.org"},
        actor="alice",
        reason="update",
    )
    with pytest.raises(StaleEdit) as caught:
        services.registrant_update(
            registrant=bob_copy,
            expected_version=1,
            changes={"email": "bob@example.org", "phone": "0"},
            actor="bob",
            reason="update",
        )
    assert caught.value.messages == [services.STALE_MESSAGE]
    stored = Registrant.objects.get(pk=registrant.pk)
    assert stored.email == "alice@example.org" and stored.phone == ""
    assert stored.version == 2
    assert AuditEvent.objects.filter(action="register.registrant.updated").count() == 1


@pytest.mark.django_db
def test_update_audits_field_names_but_not_restricted_values():
    registrant = _person()
    services.registrant_update(
        registrant=registrant,
        expected_version=registrant.version,
        changes={"known_as": "Zo", "phone": "07700 900123"},
        actor="t",
        reason="update",
    )
    event = AuditEvent.objects.get(action="register.registrant.updated")
    assert event.payload_data["fields"] == ["known_as", "phone"]
    assert event.payload_data["public_values"] == {"known_as": "Zo"}
    assert "07700" not in event.payload
    registrant.refresh_from_db()
    assert "zo" in registrant.names_key.split()


@pytest.mark.django_db
def test_career_role_end_before_start_is_refused(organisation):
    registrant = _person()
    with pytest.raises(ValidationError) as caught:
        services.career_role_add(
            registrant=registrant,
            organisation=organisation,
            title="Chair",
            category="chair",
            start_date=dt.date(2024, 5, 1),
            end_date=dt.date(2024, 4, 30),
            actor="t",
            reason="t",
        )
    assert "end_date" in caught.value.message_dict
    assert not CareerRole.objects.exists()
    role = services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Chair",
        category="chair",
        start_date=dt.date(2024, 5, 1),
        actor="t",
        reason="t",
    )
    with pytest.raises(ValidationError):
        services.career_role_update(
            role=role,
            expected_version=role.version,
            changes={"end_date": dt.date(2020, 1, 1)},
            actor="t",
            reason="t",
        )
    role.refresh_from_db()
    assert role.end_date is None
    assert AuditEvent.objects.filter(action="register.career_role.added").count() == 1


@pytest.mark.django_db
def test_career_role_stale_edit_is_refused(organisation):
    role = services.career_role_add(
        registrant=_person(),
        organisation=organisation,
        title="Chair",
        category="chair",
        start_date=dt.date(2024, 5, 1),
        actor="t",
        reason="t",
    )
    services.career_role_update(
        role=role, expected_version=1, changes={"title": "Interim chair"}, actor="t", reason="t"
    )
    with pytest.raises(StaleEdit):
        services.career_role_update(
            role=role, expected_version=1, changes={"title": "Chair"}, actor="t", reason="t"
        )
    role.refresh_from_db()
    assert role.title == "Interim chair"


@pytest.mark.django_db
def test_qualification_verification(make_user):
    registrar = make_user("registrar")
    registrant = _person()
    q = services.qualification_add(
        registrant=registrant, title="MBA", awarding_body="Open University", actor="t"
    )
    assert q.status == QualificationStatus.PENDING
    with pytest.raises(ValidationError):
        services.qualification_decide(qualification=q, verified=False, note="", actor=registrar)
    decided = services.qualification_decide(
        qualification=q, verified=True, note="", actor=registrar
    )
    assert decided.status == QualificationStatus.VERIFIED and decided.decided_by == registrar
    with pytest.raises(ValidationError, match="already"):
        services.qualification_decide(qualification=q, verified=False, note="x", actor=registrar)
    assert AuditEvent.objects.filter(action="register.qualification.decided").count() == 1


@pytest.mark.django_db
def test_previous_names_are_added_once_and_audited():
    registrant = _person()
    for _ in range(2):
        services.previous_name_add(
            registrant=registrant, forenames="Zoë", surname="Smith", actor="t", reason="t"
        )
    assert registrant.previous_names.count() == 1
    assert AuditEvent.objects.filter(action="register.previous_name.added").count() == 1
