"""Fixtures for the references tests: organisations, people and their careers."""

import datetime as dt

import pytest

from steward.organisations.models import Organisation, OrganisationType
from steward.references.tests.factories import career_role, person

TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def today(travel):
    """Every test starts on the same day, so the dates in it mean the same thing."""
    travel(TODAY)
    return TODAY


@pytest.fixture
def bradford(region):
    return Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=region,
    )


@pytest.fixture
def harrogate(region):
    return Organisation.objects.create(
        ods_code="RCD",
        name="Harrogate and District NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=region,
    )


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation, full_name="Adebayo Okonkwo-Hughes")


@pytest.fixture
def hr_lead(make_user, organisation):
    return make_user("hr_lead", organisation=organisation, full_name="Priya Raghunathan")


@pytest.fixture
def chief_executive(make_user, organisation):
    return make_user("chief_executive", organisation=organisation, full_name="Zoë Clarke")


@pytest.fixture
def bradford_hr(make_user, bradford):
    return make_user("hr_lead", organisation=bradford, full_name="Tomasz Wiśniewski")


@pytest.fixture
def bradford_chair(make_user, bradford):
    return make_user("chair", organisation=bradford, full_name="Helen D'Souza")


@pytest.fixture
def candidate(bradford):
    """Someone who has worked at Bradford for the last eight years, as a director."""
    registrant = person(legal_forenames="Siobhán", legal_surname="Wiśniewski")
    career_role(
        registrant,
        bradford,
        title="Director of Finance",
        category="executive_director",
        start_date=dt.date(2018, 4, 1),
    )
    return registrant
