"""What appointment vetting learns from cases: an open case is a warning, an interim
order in force is shown prominently as one, and a bar from a case blocks the start."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.cases.models import Hearing, HearingKind
from steward.cases.sanctions import interim_order_make
from steward.cases.stages import stage_move
from steward.cases.tests.factories import (
    RESTRICTED,
    decide,
    make_case,
    make_registrant,
    months_later,
)
from steward.cases.tests.test_sanctions import TODAY
from steward.references.models import Appointment, AppointmentStatus
from steward.references.services import appointment_start
from steward.references.tests.factories import propose
from steward.references.vetting import VETTING_CHECKS, appointment_vet, appointments_vet
from steward.register.models import RegisterStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def appointment(registrant, region):
    from steward.organisations.models import Organisation, OrganisationType

    bradford = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=region,
    )
    return propose(bradford, registrant)


def vet(appointment):
    """Vet the appointment as a page would: read afresh, with the person's status now."""
    return appointment_vet(appointment=Appointment.objects.get(pk=appointment.pk))


def interim(case, officer, kind="suspension", conditions=""):
    hearing = Hearing.objects.create(
        case=case, kind=HearingKind.INTERIM_ORDER, starts_on=TODAY, scheduled_by=officer
    )
    return interim_order_make(
        case=case, kind=kind, months=6, conditions=conditions, hearing=hearing, actor=officer
    )


def test_the_check_is_registered_by_the_cases_app():
    from steward.cases.vetting_checks import check_cases

    assert check_cases in VETTING_CHECKS


def test_an_open_case_is_a_warning_without_details(appointment, registrant, caseworker):
    case = make_case(registrant, caseworker, restricted=True)
    vetting = vet(appointment)
    finding = vetting.finding("open_case")
    assert finding is not None and not vetting.is_blocked
    assert "Alex Morgan has an open fitness-to-practise case" in finding.message
    assert finding not in vetting.prominent_warnings
    for value in RESTRICTED.values():
        assert value not in finding.message
    stage_move(case=case, move="close_at_triage", actor=caseworker, reason="No case to answer")
    assert vet(appointment).finding("open_case") is None


def test_an_interim_suspension_is_shown_prominently_as_an_interim_order(
    appointment, registrant, caseworker, officer
):
    interim(make_case(registrant, caseworker), officer)
    vetting = vet(appointment)
    finding = vetting.finding("registrant_suspended")
    assert finding in vetting.prominent_warnings
    assert "suspended from the register by an interim order until 2 May 2027" in finding.message
    assert [f.code for f in vetting.warnings].count("registrant_suspended") == 1
    assert vetting.finding("open_case") is not None  # the case is still open


def test_interim_conditions_are_shown_prominently_as_an_interim_order(
    appointment, registrant, caseworker, officer
):
    interim(make_case(registrant, caseworker), officer, kind="conditions", conditions="Mentor")
    vetting = vet(appointment)
    finding = vetting.finding("registrant_conditions")
    assert finding in vetting.prominent_warnings
    assert "conditions set by an interim order" in finding.message


def test_a_substantive_suspension_keeps_the_plain_finding(
    appointment, registrant, caseworker, officer
):
    decide(make_case(registrant, caseworker), officer, "suspension", ends_on=months_later(6))
    finding = vet(appointment).finding("registrant_suspended")
    assert "interim" not in finding.message and "suspended from the register" in finding.message


def test_someone_barred_by_a_case_is_blocked_from_starting(
    appointment, registrant, caseworker, officer
):
    decide(make_case(registrant, caseworker), officer, "barring")
    registrant.refresh_from_db()
    assert registrant.status == RegisterStatus.BARRED
    vetting = vet(appointment)
    assert [f.code for f in vetting.blocking] == ["registrant_barred"]
    with pytest.raises(ValidationError) as refused:
        appointment_start(
            appointment=appointment,
            start_date=dt.date(2026, 12, 1),
            override_reason="",
            actor="tests",
        )
    assert "barred" in " ".join(refused.value.messages)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED and appointment.career_role is None


def test_vetting_a_list_stays_a_fixed_number_of_queries(
    registrant, caseworker, officer, region, organisation
):
    from steward.organisations.models import Organisation, OrganisationType

    def appointments(count):
        made = []
        for i in range(count):
            person = make_registrant(organisation, legal_forenames=f"Person{i}")
            interim(make_case(person, caseworker), officer)
            org = Organisation.objects.create(
                ods_code=f"RZ{i}{count}",
                name=f"Trust {i} {count}",
                org_type=OrganisationType.NHS_TRUST,
                region=region,
            )
            made.append(propose(org, person))
        return made

    few, many = appointments(1), appointments(6)
    with CaptureQueriesContext(connection) as one:
        appointments_vet(appointments=few)
    with CaptureQueriesContext(connection) as six:
        vetted = appointments_vet(appointments=many)
    assert len(six.captured_queries) == len(one.captured_queries)
    assert all(v.finding("open_case") for v in vetted.values())
