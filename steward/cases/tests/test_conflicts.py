"""Conflicts of interest: same organisation in the past five years, from career history
on the register, declared interests and Steward roles; and declaring interests."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent
from steward.cases.conflicts import conflicts_for, interest_declare
from steward.cases.models import DeclaredInterest
from steward.cases.tests.factories import (
    case_make,
    examiner_make,
    panel_member_make,
    person_make,
    registrant_make,
)
from steward.organisations.models import Organisation, OrganisationType

OPENED = dt.date(2026, 6, 1)  # so the five years run from 1 June 2021


@pytest.fixture
def other_organisation(db, region):
    return Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        region=region,
        search_name="bradford teaching hospitals nhs foundation trust",
    )


@pytest.fixture
def case_at(organisation, travel):
    """A case opened on 1 June 2026 about someone who held a role at RR8 in ``period``."""

    def make(start: dt.date, end: dt.date | None):
        travel(OPENED)
        return case_make(registrant=registrant_make(roles=[(organisation, start, end)]))

    return make


def _career(user, organisation, start, end):
    registrant_make(
        forenames="Robin", surname="Examiner", user=user, roles=[(organisation, start, end)]
    )


def test_the_registrant_is_conflicted_with_their_own_case(case_at, organisation):
    case = case_at(dt.date(2020, 1, 1), None)
    member = panel_member_make(full_name="Alex Morgan")
    case.registrant.user = member
    case.registrant.save(update_fields=["user"])
    assert conflicts_for(user=member, case=case) == [
        "Alex Morgan is the registrant this case is about."
    ]


def test_a_role_at_the_same_organisation_in_the_past_five_years_is_a_conflict(
    case_at, organisation
):
    case = case_at(dt.date(2020, 1, 1), None)
    examiner = examiner_make("lay", full_name="Sam Lay")
    _career(examiner, organisation, dt.date(2018, 4, 1), dt.date(2022, 3, 31))
    [reason] = conflicts_for(user=examiner, case=case)
    assert reason.startswith("Sam Lay held a role at Leeds Teaching Hospitals NHS Trust")
    assert "from 1 April 2018 to 31 March 2022" in reason
    assert "the registrant held a role there (since 1 January 2020)" in reason
    assert "past five years" in reason


def test_a_role_that_ended_more_than_five_years_before_the_case_opened_is_not(
    case_at, organisation
):
    case = case_at(dt.date(2015, 1, 1), None)
    examiner = examiner_make("lay")
    # Colleagues once, but the examiner left on 31 May 2021: more than five years ago.
    _career(examiner, organisation, dt.date(2012, 1, 1), dt.date(2021, 5, 31))
    assert conflicts_for(user=examiner, case=case) == []


def test_the_boundary_of_the_five_years_counts_as_inside(case_at, organisation):
    case = case_at(dt.date(2015, 1, 1), None)
    examiner = examiner_make("lay")
    _career(examiner, organisation, dt.date(2012, 1, 1), dt.date(2021, 6, 1))
    assert len(conflicts_for(user=examiner, case=case)) == 1


@pytest.mark.parametrize(
    ("registrant_left", "conflicted"),
    [(dt.date(2016, 1, 1), True), (dt.date(2014, 12, 31), False)],
)
def test_periods_more_than_five_years_apart_are_not_a_conflict(
    case_at, organisation, registrant_left, conflicted
):
    # The examiner joined on 1 January 2021, after the registrant had left.
    case = case_at(dt.date(2010, 1, 1), registrant_left)
    examiner = examiner_make("manager")
    _career(examiner, organisation, dt.date(2021, 1, 1), None)
    assert bool(conflicts_for(user=examiner, case=case)) is conflicted


def test_a_role_at_another_organisation_is_not_a_conflict(
    case_at, organisation, other_organisation
):
    case = case_at(dt.date(2020, 1, 1), None)
    examiner = examiner_make("lay")
    _career(examiner, other_organisation, dt.date(2020, 1, 1), None)
    assert conflicts_for(user=examiner, case=case) == []


@pytest.mark.parametrize(
    ("from_date", "to_date", "conflicted"),
    [
        (dt.date(2019, 1, 1), dt.date(2023, 1, 1), True),
        (None, None, True),  # no dates: treated as always
        (dt.date(2014, 1, 1), dt.date(2021, 5, 31), False),  # ended before the five years
    ],
)
def test_a_declared_interest_in_the_organisation_is_a_conflict_within_five_years(
    case_at, organisation, from_date, to_date, conflicted
):
    case = case_at(dt.date(2019, 6, 1), None)
    member = panel_member_make("manager", full_name="Pat Manager")
    DeclaredInterest.objects.create(
        user=member,
        organisation=organisation,
        description="Governor",
        from_date=from_date,
        to_date=to_date,
    )
    reasons = conflicts_for(user=member, case=case)
    assert bool(reasons) is conflicted
    if conflicted:
        assert reasons[0].startswith(
            "Pat Manager declared an interest in Leeds Teaching Hospitals NHS Trust (Governor"
        )


def test_a_steward_role_at_the_organisation_is_a_conflict(case_at, organisation):
    case = case_at(dt.date(2020, 1, 1), None)
    member = panel_member_make("lay", full_name="Jo Chair")
    RoleAssignment.objects.create(user=member, role="chair", organisation=organisation)
    [reason] = conflicts_for(user=member, case=case)
    assert "Jo Chair holds or held the chair role in Steward at Leeds Teaching" in reason


def test_someone_with_no_connection_has_no_conflict(case_at):
    case = case_at(dt.date(2020, 1, 1), None)
    assert conflicts_for(user=panel_member_make(), case=case) == []


# --- Declaring interests ----------------------------------------------------------


def test_panel_members_declare_their_own_interests_and_it_is_audited(organisation, travel):
    travel(OPENED)
    member = panel_member_make()
    interest = interest_declare(
        user=member,
        organisation=organisation,
        description="  Non-executive director  ",
        from_date=dt.date(2019, 1, 1),
        to_date=dt.date(2022, 1, 1),
        actor=member,
    )
    assert interest.description == "Non-executive director"
    event = AuditEvent.objects.get(action="cases.interest.declared")
    assert event.payload_data["organisation"] == "RR8"
    assert event.actor == member


def test_a_hearings_officer_may_record_an_interest_for_a_panel_member(organisation):
    member = panel_member_make()
    officer = person_make("hearings_officer")
    interest = interest_declare(
        user=member,
        organisation=organisation,
        description="Spouse works there",
        from_date=None,
        to_date=None,
        actor=officer,
    )
    assert interest.user == member


def test_nobody_else_declares_interests_for_someone(organisation):
    member = panel_member_make()
    for actor in (panel_member_make(), person_make("caseworker"), person_make("registrant")):
        with pytest.raises(PermissionDenied):
            interest_declare(
                user=member,
                organisation=organisation,
                description="x",
                from_date=None,
                to_date=None,
                actor=actor,
            )
    assert not DeclaredInterest.objects.exists()


def test_only_panel_members_and_examiners_have_interests_to_declare(organisation):
    caseworker = person_make("caseworker")
    with pytest.raises(PermissionDenied):
        interest_declare(
            user=caseworker,
            organisation=organisation,
            description="x",
            from_date=None,
            to_date=None,
            actor=caseworker,
        )
    with pytest.raises(ValidationError, match="not a panel member or case examiner"):
        interest_declare(
            user=caseworker,
            organisation=organisation,
            description="x",
            from_date=None,
            to_date=None,
            actor=person_make("hearings_officer"),
        )


@pytest.mark.parametrize(
    ("organisation_given", "description", "from_date", "to_date", "field"),
    [
        (False, "Governor", None, None, "organisation"),
        (True, "   ", None, None, "description"),
        (True, "x" * 501, None, None, "description"),
        (True, "Governor", dt.date(2030, 1, 1), None, "from_date"),
        (True, "Governor", dt.date(2020, 1, 1), dt.date(2019, 1, 1), "to_date"),
    ],
)
def test_bad_declarations_are_refused_with_a_message(
    organisation, travel, organisation_given, description, from_date, to_date, field
):
    travel(OPENED)
    examiner = examiner_make()
    with pytest.raises(ValidationError) as refused:
        interest_declare(
            user=examiner,
            organisation=organisation if organisation_given else None,
            description=description,
            from_date=from_date,
            to_date=to_date,
            actor=examiner,
        )
    assert field in refused.value.message_dict
    assert not DeclaredInterest.objects.exists()
