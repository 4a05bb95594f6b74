"""Board members, their assessments and the people who run them, for the assessment tests."""

import datetime as dt
import itertools

from steward.core import clock
from steward.fitness import services
from steward.fitness.models import (
    AssessmentTrigger,
    CheckKind,
    CheckOutcome,
    FitnessAssessment,
    FitnessCheck,
)
from steward.organisations.models import Organisation, OrganisationType
from steward.register import services as register_services
from steward.register.models import RoleCategory

_names = itertools.cycle(
    [
        ("Adaeze", "Okafor"),
        ("Siobhán", "O'Neill"),
        ("Tomasz", "Wiśniewski"),
        ("Kwame", "Mensah"),
        ("Mairéad", "Ní Bhriain"),
        ("Hélène", "Dubois-Clarke"),
    ]
)
_codes = itertools.count(1)


def other_organisation(region, **extra) -> Organisation:
    number = next(_codes)
    return Organisation.objects.create(
        ods_code=extra.pop("ods_code", f"RX{number}"),
        name=extra.pop("name", f"Elsewhere {number} NHS Trust"),
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name=f"elsewhere {number} nhs trust",
        **extra,
    )


def board_member(
    organisation,
    *,
    category: str = RoleCategory.EXECUTIVE_DIRECTOR,
    title: str = "Chief Nursing Officer",
    user=None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    names: tuple[str, str] | None = None,
):
    """Someone on the register holding a board role at the organisation; returns the role."""
    forenames, surname = names or next(_names)
    registrant = register_services.registrant_create(
        legal_forenames=forenames,
        legal_surname=surname,
        user=user,
        actor="tests",
        reason="test data",
    )
    return register_services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title=title,
        category=category,
        start_date=start_date or dt.date(2020, 4, 1),
        end_date=end_date,
        actor="tests",
        reason="test data",
    )


def assessment_for(role, *, year: int | None = None) -> FitnessAssessment:
    """The year's annual assessment for a board role, all checks pending but the register's."""
    assessment = FitnessAssessment.objects.create(
        registrant=role.registrant,
        organisation=role.organisation,
        career_role=role,
        year=year or clock.today().year,
        trigger=AssessmentTrigger.ANNUAL,
    )
    services._open_checks(assessment, registrant=role.registrant, today=clock.today())
    return assessment


def complete_checks(assessment, *, leave_pending=()) -> FitnessAssessment:
    """Every check satisfactory (made directly: the services are tested on their own)."""
    FitnessCheck.objects.filter(assessment=assessment).exclude(kind__in=leave_pending).exclude(
        kind=CheckKind.REGISTER_STATUS
    ).update(
        outcome=CheckOutcome.SATISFACTORY,
        checked_on=clock.today(),
        checked_by_label="Test assessor",
    )
    FitnessCheck.objects.filter(assessment=assessment, kind__in=leave_pending).update(
        outcome=CheckOutcome.PENDING, checked_on=None
    )
    assessment.refresh_from_db()
    return assessment
