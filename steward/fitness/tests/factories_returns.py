"""Board members and their assessments for the annual return's tests, made with the models."""

import datetime as dt
import itertools

from steward.core import clock
from steward.fitness.models import (
    AssessmentOutcome,
    AssessmentTrigger,
    CheckKind,
    CheckOutcome,
    ConcludedAs,
    FitnessAssessment,
    FitnessCheck,
)
from steward.organisations.models import Organisation, OrganisationType
from steward.register import services as register_services
from steward.register.models import RoleCategory

FIT = AssessmentOutcome.FIT
NOT_FIT = AssessmentOutcome.NOT_FIT
_names = itertools.cycle(
    [
        ("Adaeze", "Okafor"),
        ("Siobhán", "O'Neill"),
        ("Tomasz", "Wiśniewski"),
        ("Priya", "Raghunathan"),
        ("Gareth", "Llewellyn"),
        ("Mairéad", "Ní Bhriain"),
        ("Kwame", "Mensah"),
        ("Hélène", "Dubois-Clarke"),
    ]
)
_codes = itertools.count(1)


def organisation(region, *, name: str = "", org_type=OrganisationType.NHS_TRUST, **extra):
    """Another trust (or ICB) in the region, with a fresh ODS code."""
    number = next(_codes)
    code = extra.pop("ods_code", f"R{number:02d}" if number < 100 else f"Q{number}")
    name = name or f"Test Hospitals {number} NHS Trust"
    return Organisation.objects.create(
        ods_code=code, name=name, org_type=org_type, region=region, **extra
    )


def board_role(
    organisation,
    *,
    category: str = RoleCategory.EXECUTIVE_DIRECTOR,
    title: str = "Chief Nursing Officer",
    names: tuple[str, str] | None = None,
):
    forenames, surname = names or next(_names)
    registrant = register_services.registrant_create(
        legal_forenames=forenames, legal_surname=surname, actor="tests", reason="test data"
    )
    return register_services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title=title,
        category=category,
        start_date=dt.date(2020, 4, 1),
        actor="tests",
        reason="test data",
    )


def assessment(
    organisation,
    *,
    year: int,
    outcome: str = FIT,
    trigger: str = AssessmentTrigger.ANNUAL,
    category: str = RoleCategory.EXECUTIVE_DIRECTOR,
    title: str = "Chief Nursing Officer",
    names: tuple[str, str] | None = None,
    concluded_by=None,
) -> FitnessAssessment:
    """An assessment with one check of each kind: all satisfactory and concluded with
    ``outcome``, or (``outcome=""``) still open with every check pending."""
    role = board_role(organisation, category=category, title=title, names=names)
    now = clock.now()
    concluded = bool(outcome)
    is_chair = category == RoleCategory.CHAIR
    item = FitnessAssessment.objects.create(
        registrant=role.registrant,
        organisation=organisation,
        career_role=role,
        year=year,
        trigger=trigger,
        outcome=outcome,
        conclusion_reasons="All checks complete and satisfactory." if concluded else "",
        concluded_as=(ConcludedAs.SENIOR_INDEPENDENT_DIRECTOR if is_chair else ConcludedAs.CHAIR)
        if concluded
        else "",
        concluded_at=now if concluded else None,
        concluded_by=concluded_by if concluded else None,
        concluded_by_label=(concluded_by.full_name if concluded_by else "Test Chair")
        if concluded
        else "",
    )
    FitnessCheck.objects.bulk_create(
        FitnessCheck(
            assessment=item,
            kind=kind,
            outcome=CheckOutcome.SATISFACTORY if concluded else CheckOutcome.PENDING,
            checked_on=clock.today() if concluded else None,
        )
        for kind in CheckKind
    )
    return item


def conclude(item: FitnessAssessment, outcome: str = FIT) -> FitnessAssessment:
    item.outcome = outcome
    item.conclusion_reasons = "All checks complete."
    item.concluded_as = ConcludedAs.CHAIR
    item.concluded_at = clock.now()
    item.concluded_by_label = "Test Chair"
    item.save()
    item.checks.update(outcome=CheckOutcome.SATISFACTORY, checked_on=clock.today())
    return item
