"""Applications to join the register: submitting, approving, refusing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent
from steward.register.applications import (
    application_decide,
    application_submit,
    previous_name_line,
    previous_names_parse,
)
from steward.register.models import ApplicationStatus, Registrant, RegistrationApplication

pytestmark = pytest.mark.django_db

DOB = dt.date(1975, 6, 1)


def _submit(user, **overrides):
    values = {
        "legal_forenames": "Siobhán",
        "legal_surname": "O'Connor-Hughes",
        "known_as": "Shiv",
        "previous_names": "Siobhán Murphy\nde la Cruz, Siobhán",
        "date_of_birth": DOB,
        "email": "Siobhan@Example.org",
        "phone": "0113 000 0000",
    }
    values.update(overrides)
    return application_submit(applicant=user, **values)


def test_previous_names_are_read_one_per_line():
    assert previous_names_parse("Jane Smith\n  \nJones\nde la Cruz, Maria\nJane Smith") == [
        ("Jane", "Smith"),
        ("", "Jones"),
        ("Maria", "de la Cruz"),
    ]
    for forenames, surname in [("Maria", "de la Cruz"), ("", "de la Cruz"), ("Ann", "Lee")]:
        line = previous_name_line(forenames, surname)
        assert previous_names_parse(line) == [(forenames, surname)]


def test_submit_records_the_application_without_restricted_values_in_the_audit(make_user):
    user = make_user("registrant")
    application = _submit(user)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.email == "siobhan@example.org"
    event = AuditEvent.objects.get(action="register.application.submitted")
    assert event.actor_id == user.pk
    assert "1975" not in event.payload and "example.org" not in event.payload
    assert "Murphy" not in event.payload


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"legal_forenames": "  "}, "legal_forenames"),
        ({"legal_surname": ""}, "legal_surname"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": dt.date(1850, 1, 1)}, "date_of_birth"),
        ({"email": "not an email"}, "email"),
        ({"previous_names": "\n".join(f"Name{i} Surname" for i in range(11))}, "previous_names"),
    ],
)
def test_submit_refuses_bad_answers_and_saves_nothing(make_user, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _submit(make_user("registrant"), **overrides)
    assert field in caught.value.message_dict
    assert not RegistrationApplication.objects.exists()


def test_one_open_application_at_a_time(make_user):
    user = make_user("registrant")
    _submit(user)
    with pytest.raises(ValidationError, match="already applied"):
        _submit(user)
    assert RegistrationApplication.objects.count() == 1


def test_approve_creates_the_record_linked_to_the_applicant(make_user):
    applicant = make_user()  # no role yet
    registrar = make_user("registrar")
    application = _submit(applicant)
    decided = application_decide(application=application, approve=True, reason="", actor=registrar)

    registrant = Registrant.objects.get(user=applicant)
    assert decided.status == ApplicationStatus.APPROVED
    assert decided.registrant == registrant
    assert decided.decided_by == registrar
    assert registrant.legal_surname == "O'Connor-Hughes"
    assert registrant.known_as == "Shiv"
    assert registrant.date_of_birth == DOB
    assert registrant.email == "siobhan@example.org"
    assert sorted((p.forenames, p.surname) for p in registrant.previous_names.all()) == [
        ("Siobhán", "Murphy"),
        ("Siobhán", "de la Cruz"),
    ]
    assert registrant.status_changes.count() == 1
    # The applicant now holds the registrant role, given by the registrar.
    grant = RoleAssignment.objects.get(user=applicant, role="registrant")
    assert grant.granted_by == registrar
    assert AuditEvent.objects.filter(action="register.application.decided").count() == 1
    assert AuditEvent.objects.filter(action="register.registrant.created").count() == 1


def test_approve_does_not_give_the_role_twice(make_user):
    applicant = make_user("registrant")
    application = _submit(applicant)
    application_decide(
        application=application, approve=True, reason="", actor=make_user("registrar")
    )
    assert RoleAssignment.objects.filter(user=applicant, role="registrant").count() == 1


def test_refuse_needs_reasons(make_user):
    application = _submit(make_user("registrant"))
    with pytest.raises(ValidationError) as caught:
        application_decide(
            application=application, approve=False, reason="  ", actor=make_user("registrar")
        )
    assert "reason" in caught.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_refuse_keeps_the_reasons_and_creates_nothing(make_user):
    application = _submit(make_user("registrant"))
    decided = application_decide(
        application=application,
        approve=False,
        reason="We could not confirm your identity.",
        actor=make_user("registrar"),
    )
    assert decided.status == ApplicationStatus.REFUSED
    assert decided.decision_reason == "We could not confirm your identity."
    assert not Registrant.objects.exists()


def test_an_application_is_decided_once(make_user):
    registrar = make_user("registrar")
    application = _submit(make_user("registrant"))
    application_decide(application=application, approve=False, reason="No.", actor=registrar)
    with pytest.raises(ValidationError, match="already decided"):
        application_decide(application=application, approve=True, reason="", actor=registrar)
    assert not Registrant.objects.exists()


def test_nobody_decides_their_own_application(make_user):
    registrar = make_user("registrar")
    application = _submit(registrar)
    with pytest.raises(ValidationError, match="your own"):
        application_decide(application=application, approve=True, reason="", actor=registrar)


def test_someone_already_on_the_register_cannot_apply(make_user):
    registrar = make_user("registrar")
    applicant = make_user("registrant")
    application_decide(application=_submit(applicant), approve=True, reason="", actor=registrar)
    with pytest.raises(ValidationError, match="already on the register"):
        _submit(applicant)
