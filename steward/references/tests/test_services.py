"""The services: proposing, requesting, giving and updating references, starting,
withdrawing, leaving references and retention."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import AuditEvent
from steward.notifications.models import Notification
from steward.references import services
from steward.references.models import (
    Appointment,
    BoardMemberReference,
    ReferenceRequest,
)
from steward.references.questions import DETAILS_REQUIRED, STEMS
from steward.references.tests.factories import all_no, career_role, complete, person, propose
from steward.register import services as register_services
from steward.register.models import CareerRole
from steward.register.numbers import registration_number

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Proposing ---------------------------------------------------------------------


def test_propose_resolves_a_merged_number_to_the_kept_record(organisation, candidate, hr_lead):
    duplicate = person(legal_forenames="Siobhan", legal_surname="Wisniewski")
    duplicate.merged_into = candidate
    duplicate.save()

    appointment = propose(organisation, duplicate, actor=hr_lead)

    assert appointment.registrant == candidate
    event = AuditEvent.objects.get(action="references.appointment.proposed")
    assert event.actor == hr_lead
    assert event.subject_id == str(appointment.pk)


def test_propose_unknown_number_is_refused_on_that_field(organisation, hr_lead):
    unknown = registration_number(999_999)
    with pytest.raises(ValidationError) as excinfo:
        services.appointment_propose(
            organisation=organisation,
            registration_number=unknown,
            role_title="Chair",
            role_category="chair",
            proposed_start_date=dt.date(2026, 12, 1),
            actor=hr_lead,
        )
    assert (
        f"No one on the register has the registration number {unknown}"
        in (errors_of(excinfo)["registration_number"][0])
    )
    assert not Appointment.objects.exists()


def test_propose_needs_every_field(organisation, hr_lead):
    with pytest.raises(ValidationError) as excinfo:
        services.appointment_propose(
            organisation=organisation,
            registration_number="",
            role_title=" ",
            role_category="bishop",
            proposed_start_date=None,
            actor=hr_lead,
        )
    assert set(errors_of(excinfo)) == {
        "registration_number",
        "role_title",
        "role_category",
        "proposed_start_date",
    }


def test_propose_twice_for_the_same_person_is_refused(organisation, candidate, hr_lead):
    propose(organisation, candidate, actor=hr_lead)
    with pytest.raises(ValidationError) as excinfo:
        propose(organisation, candidate, actor=hr_lead)
    assert "already has a proposed appointment" in errors_of(excinfo)["registration_number"][0]


@pytest.mark.parametrize("role", ["senior_independent_director", "registrar", "registrant"])
def test_only_chair_chief_executive_or_hr_lead_may_propose(
    organisation, candidate, make_user, role
):
    user = make_user(role, organisation=organisation if role.startswith("senior") else None)
    with pytest.raises(PermissionDenied):
        propose(organisation, candidate, actor=user)


def test_employer_elsewhere_may_not_propose_here(organisation, candidate, bradford_hr):
    with pytest.raises(PermissionDenied):
        propose(organisation, candidate, actor=bradford_hr)


# --- Requesting references ---------------------------------------------------------


def test_requests_go_to_every_employer_once_and_tell_them(
    organisation, candidate, harrogate, hr_lead, bradford_hr, bradford_chair, make_user
):
    career_role(candidate, harrogate, start_date=dt.date(2016, 1, 1), end_date=dt.date(2021, 3, 31))
    harrogate_ceo = make_user("chief_executive", organisation=harrogate)
    appointment = propose(organisation, candidate, actor=hr_lead)

    created = services.reference_requests_create(appointment=appointment, actor=hr_lead)

    assert sorted(r.referee_organisation.ods_code for r in created) == ["RAE", "RCD"]
    assert all(r.due_by == dt.date(2026, 11, 16) for r in created)
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert {bradford_hr.email, bradford_chair.email, harrogate_ceo.email} <= told
    assert hr_lead.email not in told
    note = Notification.objects.filter(user=bradford_hr).get()
    assert "Siobhán" not in note.subject + note.body  # nothing about the person in the message
    assert note.url == "/references/"
    assert AuditEvent.objects.filter(action="references.request.created").count() == 2
    # Asking again asks nobody new.
    assert services.reference_requests_create(appointment=appointment, actor=hr_lead) == []
    assert ReferenceRequest.objects.count() == 2


def test_requests_store_the_employment_period(organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)
    assert request.period_start == dt.date(2018, 4, 1)
    assert request.period_end is None
    assert request.kind == "appointment"


# --- Giving a reference --------------------------------------------------------------


@pytest.fixture
def request_for(organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)
    return request


def test_reference_completed_keeps_until_75th_birthday_and_tells_the_requester(
    request_for, bradford_hr, hr_lead, chair
):
    mail.outbox.clear()
    Notification.objects.all().delete()

    reference = complete(request_for, actor=bradford_hr)

    assert reference.retain_until == dt.date(2046, 5, 17)  # born 17 May 1971
    request_for.refresh_from_db()
    assert request_for.status == "completed"
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {hr_lead.pk, chair.pk}
    event = AuditEvent.objects.get(action="references.reference.completed")
    assert event.actor == bradford_hr
    assert "disciplinary" not in event.payload  # the answers never go into the trail


def test_retention_date_of_a_29_february_birthday(organisation, bradford, bradford_hr, hr_lead):
    leap = person(date_of_birth=dt.date(1972, 2, 29))
    career_role(leap, bradford, start_date=dt.date(2019, 1, 1))
    appointment = propose(organisation, leap, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)

    assert complete(request, actor=bradford_hr).retain_until == dt.date(2047, 2, 28)


def test_retention_date_unknown_without_a_date_of_birth(
    organisation, bradford, bradford_hr, hr_lead
):
    unknown = person(date_of_birth=None)
    career_role(unknown, bradford, start_date=dt.date(2019, 1, 1))
    appointment = propose(organisation, unknown, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)

    assert complete(request, actor=bradford_hr).retain_until is None


@pytest.mark.parametrize("stem", STEMS)
def test_every_question_must_be_answered(request_for, bradford_hr, stem):
    answers = all_no()
    del answers[stem]

    with pytest.raises(ValidationError) as excinfo:
        services.reference_complete(
            request=request_for,
            answers=answers,
            referee_name="Helen D'Souza",
            referee_job_title="Chair",
            actor=bradford_hr,
        )
    assert stem in errors_of(excinfo)
    assert not BoardMemberReference.objects.exists()


@pytest.mark.parametrize("stem", STEMS)
def test_a_yes_needs_details(request_for, bradford_hr, stem):
    with pytest.raises(ValidationError) as excinfo:
        complete(request_for, actor=bradford_hr, **{stem: "yes"})
    assert errors_of(excinfo)[f"{stem}_details"] == [DETAILS_REQUIRED[stem]]


def test_a_yes_with_details_is_kept_and_a_no_drops_stray_details(request_for, bradford_hr):
    reference = complete(
        request_for,
        actor=bradford_hr,
        settlement_agreements="yes",
        settlement_agreements_details="Settlement on leaving in 2024, with confidentiality terms.",
        investigations_details="typed by mistake",
    )
    assert reference.settlement_agreements == "yes"
    assert reference.settlement_agreements_details.startswith("Settlement on leaving")
    assert reference.investigations_details == ""
    assert reference.disclosures == ["settlement_agreements"]


def test_roles_and_referee_are_required(request_for, bradford_hr):
    with pytest.raises(ValidationError) as excinfo:
        services.reference_complete(
            request=request_for,
            answers=all_no(roles_and_dates=""),
            referee_name="",
            referee_job_title="",
            actor=bradford_hr,
        )
    assert set(errors_of(excinfo)) == {"roles_and_dates", "referee_name", "referee_job_title"}


def test_only_the_hr_lead_completes_on_behalf_of_the_referee(
    request_for, bradford_chair, bradford_hr
):
    with pytest.raises(ValidationError) as excinfo:
        services.reference_complete(
            request=request_for,
            answers=all_no(),
            referee_name="Someone Else",
            referee_job_title="Chief Executive",
            on_behalf_of_referee=True,
            actor=bradford_chair,
        )
    assert "on_behalf_of_referee" in errors_of(excinfo)

    reference = services.reference_complete(
        request=request_for,
        answers=all_no(),
        referee_name="Someone Else",
        referee_job_title="Chief Executive",
        on_behalf_of_referee=True,
        actor=bradford_hr,
    )
    assert reference.on_behalf_of_referee is True
    assert reference.completed_by == bradford_hr


def test_the_requesting_organisation_cannot_give_the_reference(request_for, hr_lead):
    with pytest.raises(PermissionDenied):
        complete(request_for, actor=hr_lead)


def test_a_reference_is_given_once(request_for, bradford_hr):
    complete(request_for, actor=bradford_hr)
    with pytest.raises(ValidationError, match="already been given"):
        complete(request_for, actor=bradford_hr)


# --- Updates ---------------------------------------------------------------------------


def test_update_within_six_years_supersedes_and_tells_the_requester(
    request_for, bradford_hr, hr_lead, travel
):
    original = complete(request_for, actor=bradford_hr)
    travel(dt.date(2032, 10, 1))
    Notification.objects.all().delete()

    update = services.reference_update_issue(
        reference=original,
        answers=all_no(investigations="yes", investigations_details="Investigation opened in 2027"),
        referee_name="Helen D'Souza",
        referee_job_title="Chair",
        actor=bradford_hr,
    )

    assert update.supersedes == original
    assert update.request == original.request
    note = Notification.objects.get(user=hr_lead)
    assert "Update to a board member reference" in note.subject
    assert "update" in note.body
    assert note.url == f"/references/{update.pk}/"
    assert AuditEvent.objects.filter(action="references.reference.updated").count() == 1
    # The original now has an update: it cannot be updated again.
    with pytest.raises(ValidationError, match="already been updated"):
        services.reference_update_issue(
            reference=original,
            answers=all_no(),
            referee_name="Helen D'Souza",
            referee_job_title="Chair",
            actor=bradford_hr,
        )


def test_update_after_six_years_is_refused(request_for, bradford_hr, travel):
    original = complete(request_for, actor=bradford_hr)
    travel(dt.date(2032, 11, 3))

    with pytest.raises(ValidationError, match="last six years"):
        services.reference_update_issue(
            reference=original,
            answers=all_no(),
            referee_name="Helen D'Souza",
            referee_job_title="Chair",
            actor=bradford_hr,
        )
    assert BoardMemberReference.objects.count() == 1


def test_only_the_referee_organisation_issues_updates(request_for, bradford_hr, hr_lead):
    original = complete(request_for, actor=bradford_hr)
    with pytest.raises(PermissionDenied):
        services.reference_update_issue(
            reference=original,
            answers=all_no(),
            referee_name="X",
            referee_job_title="Y",
            actor=hr_lead,
        )


# --- Leaving references --------------------------------------------------------------


def test_board_member_leaving_is_owed_a_reference_once(candidate, bradford, bradford_hr):
    role = CareerRole.objects.get(registrant=candidate)
    register_services.career_role_update(
        role=role,
        expected_version=role.version,
        changes={"end_date": dt.date(2026, 10, 31), "reason_for_leaving": "New post"},
        actor="tests",
        reason="test",
    )
    role.refresh_from_db()

    request = services.leaving_reference_request(career_role=role, actor="tests")
    again = services.leaving_reference_request(career_role=role, actor="tests")

    assert request is not None and again == request
    assert request.kind == "leaving"
    assert request.referee_organisation == bradford
    assert request.period_end == dt.date(2026, 10, 31)
    assert ReferenceRequest.objects.count() == 1
    assert Notification.objects.filter(user=bradford_hr).count() == 1

    reference = complete(request, actor=bradford_hr)
    assert reference.request == request
    assert reference.retain_until == dt.date(2046, 5, 17)


def test_no_leaving_reference_for_a_senior_manager_or_a_current_role(bradford):
    manager = person()
    ended = career_role(manager, bradford, category="senior_manager", end_date=dt.date(2026, 1, 1))
    current = career_role(manager, bradford, category="executive_director")

    assert services.leaving_reference_request(career_role=ended, actor="tests") is None
    assert services.leaving_reference_request(career_role=current, actor="tests") is None
    assert not ReferenceRequest.objects.exists()


# --- Starting -----------------------------------------------------------------------------


def test_start_refused_while_references_are_not_requested_or_outstanding(
    organisation, candidate, hr_lead
):
    appointment = propose(organisation, candidate, actor=hr_lead)

    with pytest.raises(ValidationError) as excinfo:
        services.appointment_start(
            appointment=appointment, start_date=dt.date(2026, 12, 1), actor=hr_lead
        )
    assert [e.code for e in excinfo.value.error_list] == ["references_outstanding"]
    assert "Bradford Teaching Hospitals" in excinfo.value.messages[0]

    services.reference_requests_create(appointment=appointment, actor=hr_lead)
    with pytest.raises(ValidationError) as excinfo:
        services.appointment_start(
            appointment=appointment, start_date=dt.date(2026, 12, 1), actor=hr_lead
        )
    assert "still to come" in excinfo.value.messages[0]
    appointment.refresh_from_db()
    assert appointment.status == "proposed"
    assert not CareerRole.objects.filter(organisation=organisation).exists()


def test_start_once_every_reference_has_arrived(organisation, candidate, hr_lead, bradford_hr):
    appointment = propose(organisation, candidate, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)
    complete(request, actor=bradford_hr)

    started = services.appointment_start(
        appointment=appointment, start_date=dt.date(2026, 12, 1), actor=hr_lead
    )

    assert started.status == "started"
    assert started.start_date == dt.date(2026, 12, 1)
    assert started.override_reason == ""
    role = started.career_role
    assert role.organisation == organisation and role.registrant == candidate
    assert role.title == "Chief Finance Officer" and role.start_date == dt.date(2026, 12, 1)
    added = AuditEvent.objects.get(action="register.career_role.added", payload__contains='"RR8"')
    assert f"Appointment {appointment.pk}" in added.reason
    assert AuditEvent.objects.filter(action="references.appointment.started").exists()
    assert not AuditEvent.objects.filter(action="references.appointment.override_recorded").exists()


def test_chair_override_is_recorded_and_audited(organisation, candidate, chair):
    appointment = propose(organisation, candidate, actor=chair)
    services.reference_requests_create(appointment=appointment, actor=chair)

    started = services.appointment_start(
        appointment=appointment,
        start_date=dt.date(2026, 12, 1),
        override_reason="Interim cover is needed at once; the reference is promised this week.",
        actor=chair,
    )

    assert started.status == "started"
    assert started.override_reason.startswith("Interim cover")
    assert started.override_by == chair
    assert started.override_at is not None
    event = AuditEvent.objects.get(action="references.appointment.override_recorded")
    assert event.reason.startswith("Interim cover")
    assert "Interim cover" not in event.payload
    assert event.actor == chair


@pytest.mark.parametrize("role", ["hr_lead", "chief_executive"])
def test_only_the_chair_can_record_a_reason_to_proceed(organisation, candidate, make_user, role):
    user = make_user(role, organisation=organisation)
    appointment = propose(organisation, candidate, actor=user)

    with pytest.raises(ValidationError) as excinfo:
        services.appointment_start(
            appointment=appointment,
            start_date=dt.date(2026, 12, 1),
            override_reason="We need them now",
            actor=user,
        )
    assert errors_of(excinfo)["override_reason"] == [services.OVERRIDE_CHAIR_ONLY]
    appointment.refresh_from_db()
    assert appointment.status == "proposed" and appointment.override_reason == ""


def test_chair_of_another_organisation_cannot_override(
    organisation, candidate, bradford_chair, hr_lead
):
    appointment = propose(organisation, candidate, actor=hr_lead)
    with pytest.raises(PermissionDenied):
        services.appointment_start(
            appointment=appointment,
            start_date=dt.date(2026, 12, 1),
            override_reason="Because",
            actor=bradford_chair,
        )


def test_barred_person_never_starts_even_with_an_override(organisation, candidate, chair):
    register_services.register_status_change(
        registrant=candidate, to_status="barred", reason="panel", actor="tests"
    )
    appointment = propose(organisation, candidate, actor=chair)

    with pytest.raises(ValidationError) as excinfo:
        services.appointment_start(
            appointment=appointment,
            start_date=dt.date(2026, 12, 1),
            override_reason="We accept the risk",
            actor=chair,
        )
    assert [e.code for e in excinfo.value.error_list] == ["blocked"]
    appointment.refresh_from_db()
    assert appointment.status == "proposed"
    assert not AuditEvent.objects.filter(action="references.appointment.started").exists()


def test_started_appointment_cannot_start_again(organisation, chair):
    newcomer = person()
    appointment = propose(organisation, newcomer, actor=chair)  # no employers to ask
    services.appointment_start(
        appointment=appointment, start_date=dt.date(2026, 12, 1), actor=chair
    )
    with pytest.raises(ValidationError, match="already started"):
        services.appointment_start(
            appointment=appointment, start_date=dt.date(2026, 12, 1), actor=chair
        )


# --- Withdrawing ----------------------------------------------------------------------------


def test_withdraw_releases_outstanding_requests(organisation, candidate, hr_lead, bradford_hr):
    appointment = propose(organisation, candidate, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)
    Notification.objects.all().delete()

    services.appointment_withdraw(
        appointment=appointment, reason="Candidate declined", actor=hr_lead
    )

    appointment.refresh_from_db()
    request.refresh_from_db()
    assert appointment.status == "withdrawn"
    assert request.status == "withdrawn"
    assert Notification.objects.filter(
        user=bradford_hr, subject__contains="no longer needed"
    ).exists()
    with pytest.raises(ValidationError, match="withdrawn"):
        complete(request, actor=bradford_hr)


def test_withdraw_needs_a_reason(organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate, actor=hr_lead)
    with pytest.raises(ValidationError):
        services.appointment_withdraw(appointment=appointment, reason="  ", actor=hr_lead)


# --- Retention -------------------------------------------------------------------------------


def test_purge_after_the_75th_birthday(request_for, bradford_hr, travel):
    original = complete(request_for, actor=bradford_hr)
    update = services.reference_update_issue(
        reference=original,
        answers=all_no(),
        referee_name="Helen D'Souza",
        referee_job_title="Chair",
        actor=bradford_hr,
    )
    assert update.retain_until == dt.date(2046, 5, 17)

    travel(dt.date(2046, 5, 17))
    assert services.references_purge_expired() == 0
    assert BoardMemberReference.objects.count() == 2

    travel(dt.date(2046, 5, 18))
    assert services.references_purge_expired() == 2
    assert not BoardMemberReference.objects.exists()
    assert not ReferenceRequest.objects.filter(pk=request_for.pk).exists()
    event = AuditEvent.objects.get(action="references.reference.purged")
    assert '"references":2' in event.payload


def test_purge_keeps_references_without_a_date_of_birth_until_one_is_known(
    organisation, bradford, bradford_hr, hr_lead, travel
):
    unknown = person(date_of_birth=None)
    career_role(unknown, bradford, start_date=dt.date(2019, 1, 1))
    appointment = propose(organisation, unknown, actor=hr_lead)
    [request] = services.reference_requests_create(appointment=appointment, actor=hr_lead)
    reference = complete(request, actor=bradford_hr)

    travel(dt.date(2060, 1, 1))
    assert services.references_purge_expired() == 0
    register_services.registrant_update(
        registrant=unknown,
        expected_version=unknown.version,
        changes={"date_of_birth": dt.date(1950, 1, 1)},
        actor="tests",
        reason="date of birth found",
    )
    assert services.references_purge_expired() == 1
    assert not BoardMemberReference.objects.filter(pk=reference.pk).exists()


def test_purge_task_and_schedule(db):
    from django_q.models import Schedule

    from steward.references.apps import DAILY_PURGE_FUNC
    from steward.references.tasks import purge_expired_references

    assert "Deleted 0" in purge_expired_references()
    # The schedule is made by post_migrate, which the test database ran.
    assert Schedule.objects.filter(func=DAILY_PURGE_FUNC, schedule_type="D").exists()


def test_start_opens_the_fit_and_proper_assessment_for_the_new_board_role(organisation, hr_lead):
    from steward.fitness.models import FitnessAssessment

    newcomer = person()
    appointment = propose(organisation, newcomer, actor=hr_lead)  # no employers to ask

    started = services.appointment_start(
        appointment=appointment, start_date=dt.date(2026, 12, 1), actor=hr_lead
    )

    assessment = FitnessAssessment.objects.get(career_role=started.career_role)
    assert assessment.trigger == "appointment"
    assert assessment.organisation == organisation
