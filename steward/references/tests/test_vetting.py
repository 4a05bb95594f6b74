"""Appointment vetting: each finding, the five-year gap rule and six-year coverage."""

import datetime as dt

import pytest

from steward.organisations.models import Organisation, OrganisationType, Succession
from steward.references.coverage import employers_to_ask
from steward.references.tests.factories import career_role, person, propose
from steward.references.vetting import (
    SUPPORT_PLAN,
    VETTING_CHECKS,
    appointment_vet,
    appointments_vet,
    employment_gaps,
    vetting_check_add,
)
from steward.register import services as register_services

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 1)


def vet(organisation, registrant, **overrides):
    return appointment_vet(appointment=propose(organisation, registrant, **overrides))


def set_status(registrant, status):
    register_services.register_status_change(
        registrant=registrant, to_status=status, reason="panel decision", actor="tests"
    )


# --- Register status ---------------------------------------------------------------


def test_barred_person_is_blocked(organisation, candidate):
    set_status(candidate, "barred")

    vetting = vet(organisation, candidate)

    assert [f.code for f in vetting.blocking] == ["registrant_barred"]
    assert "barred" in vetting.blocking[0].message
    assert "Siobhán Wiśniewski" in vetting.blocking[0].message


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [
        ("suspended", "registrant_suspended", "suspended from the register"),
        ("conditions", "registrant_conditions", "registered with conditions"),
    ],
)
def test_suspension_and_conditions_are_prominent_warnings(
    organisation, candidate, status, code, words
):
    set_status(candidate, status)

    vetting = vet(organisation, candidate)

    assert vetting.blocking == []
    finding = vetting.finding(code)
    assert finding is not None and words in finding.message
    assert finding in vetting.prominent_warnings
    assert finding not in vetting.other_warnings


@pytest.mark.parametrize(
    ("status", "code"),
    [("lapsed", "registrant_lapsed"), ("voluntarily_removed", "registrant_voluntarily_removed")],
)
def test_someone_off_the_register_must_rejoin_before_starting(
    organisation, candidate, status, code
):
    set_status(candidate, status)

    finding = vet(organisation, candidate).finding(code)

    assert finding is not None
    assert "must rejoin the register before they start" in finding.message


def test_registered_person_has_no_register_finding(organisation, candidate):
    vetting = vet(organisation, candidate)

    assert not vetting.codes & {
        "registrant_barred",
        "registrant_suspended",
        "registrant_conditions",
        "registrant_lapsed",
        "registrant_voluntarily_removed",
    }


# --- Employment gaps ---------------------------------------------------------------


def test_gap_over_three_months_is_named_in_uk_dates(organisation, bradford, harrogate):
    registrant = person()
    career_role(registrant, harrogate, start_date=dt.date(2019, 1, 1), end_date=dt.date(2023, 3, 1))
    career_role(registrant, bradford, start_date=dt.date(2023, 10, 1))

    vetting = vet(organisation, registrant)

    gaps = [f for f in vetting.warnings if f.code == "employment_gap"]
    assert len(gaps) == 1
    assert "from 2 March 2023 to 30 September 2023" in gaps[0].message
    assert "Ask them" in gaps[0].message


def test_exactly_three_months_is_not_a_gap_and_one_day_more_is(organisation, bradford, harrogate):
    exact = person()
    career_role(exact, harrogate, start_date=dt.date(2019, 1, 1), end_date=dt.date(2023, 12, 31))
    # 1 January to 31 March 2024: exactly three months without a role.
    career_role(exact, bradford, start_date=dt.date(2024, 4, 1))
    longer = person(legal_forenames="Tomasz")
    career_role(longer, harrogate, start_date=dt.date(2019, 1, 1), end_date=dt.date(2023, 12, 31))
    career_role(longer, bradford, start_date=dt.date(2024, 4, 2))

    assert "employment_gap" not in vet(organisation, exact).codes
    gap = vet(organisation, longer).finding("employment_gap")
    assert gap is not None and "from 1 January 2024 to 1 April 2024" in gap.message


def test_gap_before_the_first_role_in_the_window_counts(organisation, bradford):
    registrant = person()
    # The five years before 1 December 2026 start on 1 December 2021.
    career_role(registrant, bradford, start_date=dt.date(2022, 6, 1))

    gap = vet(organisation, registrant).finding("employment_gap")

    assert gap is not None
    assert "from 1 December 2021 to 31 May 2022" in gap.message


def test_role_ending_before_the_window_leaves_the_whole_window_a_gap(organisation, bradford):
    registrant = person()
    career_role(
        registrant, bradford, start_date=dt.date(2015, 1, 1), end_date=dt.date(2021, 11, 30)
    )

    gap = vet(organisation, registrant).finding("employment_gap")

    assert gap is not None
    assert "from 1 December 2021 to 30 November 2026" in gap.message


def test_role_ending_on_the_first_day_of_the_window_covers_it(organisation, bradford, harrogate):
    registrant = person()
    career_role(
        registrant, harrogate, start_date=dt.date(2015, 1, 1), end_date=dt.date(2021, 12, 1)
    )
    career_role(registrant, bradford, start_date=dt.date(2021, 12, 2))

    assert "employment_gap" not in vet(organisation, registrant).codes


def test_gap_between_the_last_role_and_the_proposed_start_counts(organisation, bradford):
    registrant = person()
    career_role(registrant, bradford, start_date=dt.date(2018, 1, 1), end_date=dt.date(2026, 3, 31))

    gap = vet(organisation, registrant).finding("employment_gap")

    assert gap is not None
    assert "from 1 April 2026 to 30 November 2026" in gap.message


def test_overlapping_roles_leave_no_gap(organisation, bradford, harrogate):
    registrant = person()
    career_role(registrant, bradford, start_date=dt.date(2018, 1, 1), end_date=dt.date(2024, 6, 30))
    career_role(registrant, harrogate, start_date=dt.date(2024, 1, 1))

    assert "employment_gap" not in vet(organisation, registrant).codes


def test_employment_gaps_function_reports_every_long_gap():
    class Role:
        def __init__(self, start, end):
            self.start_date, self.end_date = start, end

    gaps = employment_gaps(
        [
            Role(dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
            Role(dt.date(2023, 6, 1), dt.date(2024, 12, 31)),
        ],
        start=dt.date(2021, 12, 1),
        end=dt.date(2026, 12, 1),
    )

    assert gaps == [
        (dt.date(2023, 1, 1), dt.date(2023, 5, 31)),
        (dt.date(2025, 1, 1), dt.date(2026, 11, 30)),
    ]


# --- References ----------------------------------------------------------------------


def test_references_not_requested_names_the_employers(organisation, candidate, harrogate):
    career_role(candidate, harrogate, start_date=dt.date(2016, 1, 1), end_date=dt.date(2021, 3, 31))

    finding = vet(organisation, candidate).finding("references_not_requested")

    assert finding is not None
    assert "2 employers" in finding.message
    assert "Bradford Teaching Hospitals NHS Foundation Trust" in finding.message
    assert "Harrogate and District NHS Foundation Trust" in finding.message


def test_requested_references_are_outstanding_until_completed(organisation, candidate):
    from steward.references import services
    from steward.references.tests.factories import complete

    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")

    vetting = appointment_vet(appointment=appointment)
    assert "references_not_requested" not in vetting.codes
    outstanding = vetting.finding("references_outstanding")
    assert outstanding is not None
    assert "Bradford Teaching Hospitals NHS Foundation Trust (due 16 November 2026)" in (
        outstanding.message
    )

    complete(request)
    assert not appointment_vet(appointment=appointment).codes & {
        "references_outstanding",
        "references_not_requested",
    }


# --- Board experience and the organisation's risk ---------------------------------


def test_first_board_role_in_a_high_risk_organisation_recommends_a_support_plan(
    organisation, bradford
):
    organisation.risk_level = "high"
    organisation.save()
    registrant = person()
    career_role(registrant, bradford, category="senior_manager", start_date=dt.date(2015, 1, 1))

    appointment = propose(organisation, registrant)
    vetting = appointment_vet(appointment=appointment)

    finding = vetting.finding("first_board_role_high_risk")
    assert finding is not None and "high risk" in finding.message
    assert vetting.support_plan == list(SUPPORT_PLAN)
    assert any("mentor" in item for item in vetting.support_plan)
    assert any("induction" in item for item in vetting.support_plan)
    assert any("chair every quarter" in item for item in vetting.support_plan)
    assert any("competency framework" in item for item in vetting.support_plan)
    appointment.refresh_from_db()
    assert appointment.support_plan_recommended is True


def test_first_board_role_in_a_medium_risk_organisation_gets_a_lighter_warning(
    organisation, bradford
):
    organisation.risk_level = "medium"
    organisation.save()
    registrant = person()
    career_role(registrant, bradford, category="senior_manager", start_date=dt.date(2015, 1, 1))

    appointment = propose(organisation, registrant)
    vetting = appointment_vet(appointment=appointment)

    assert vetting.finding("first_board_role_medium_risk") is not None
    assert "first_board_role_high_risk" not in vetting.codes
    assert vetting.support_plan == []
    appointment.refresh_from_db()
    assert appointment.support_plan_recommended is False


def test_earlier_board_role_anywhere_means_no_risk_finding(organisation, bradford, candidate):
    organisation.risk_level = "high"
    organisation.save()

    vetting = vet(organisation, candidate)  # already a director at Bradford

    assert not vetting.codes & {"first_board_role_high_risk", "first_board_role_medium_risk"}
    assert vetting.support_plan == []


def test_senior_manager_role_is_not_a_board_appointment(organisation, bradford):
    organisation.risk_level = "high"
    organisation.save()
    registrant = person()
    career_role(registrant, bradford, category="senior_manager", start_date=dt.date(2015, 1, 1))

    vetting = vet(organisation, registrant, role_category="senior_manager")

    assert "first_board_role_high_risk" not in vetting.codes


def test_low_risk_organisation_gives_no_risk_finding(organisation, bradford):
    organisation.risk_level = "low"
    organisation.save()
    registrant = person()
    career_role(registrant, bradford, category="senior_manager", start_date=dt.date(2015, 1, 1))

    assert not vet(organisation, registrant).codes & {
        "first_board_role_high_risk",
        "first_board_role_medium_risk",
    }


# --- Six-year coverage -----------------------------------------------------------------


def test_coverage_takes_every_employer_overlapping_the_six_years(organisation, bradford, harrogate):
    registrant = person()
    # The six years before 1 December 2026 start on 1 December 2020.
    career_role(
        registrant, harrogate, start_date=dt.date(2014, 1, 1), end_date=dt.date(2020, 12, 1)
    )
    career_role(registrant, bradford, start_date=dt.date(2020, 12, 2))
    old = Organisation.objects.create(
        ods_code="RXF",
        name="Mid Yorkshire Hospitals NHS Trust",
        org_type=OrganisationType.NHS_TRUST,
    )
    career_role(registrant, old, start_date=dt.date(2010, 1, 1), end_date=dt.date(2020, 11, 30))

    asks = employers_to_ask(registrant=registrant, on=START, appointing_organisation=organisation)

    assert [a.organisation.ods_code for a in asks] == ["RAE", "RCD"]
    assert asks[0].period_start == dt.date(2020, 12, 2) and asks[0].period_end is None
    assert asks[1].period_end == dt.date(2020, 12, 1)


def test_coverage_leaves_out_the_appointing_organisation(organisation, bradford):
    registrant = person()
    career_role(registrant, organisation, start_date=dt.date(2021, 1, 1))
    career_role(
        registrant, bradford, start_date=dt.date(2016, 1, 1), end_date=dt.date(2020, 12, 31)
    )

    asks = employers_to_ask(registrant=registrant, on=START, appointing_organisation=organisation)

    assert [a.organisation.ods_code for a in asks] == ["RAE"]


def test_closed_employer_is_asked_through_its_successor(organisation, bradford, harrogate):
    closed = Organisation.objects.create(
        ods_code="RXL",
        name="Airedale NHS Foundation Trust",
        org_type=OrganisationType.FOUNDATION_TRUST,
        closed_on=dt.date(2024, 3, 31),
    )
    Succession.objects.create(
        predecessor=closed, successor=bradford, kind="merger", effective_on=dt.date(2024, 4, 1)
    )
    registrant = person()
    career_role(registrant, closed, start_date=dt.date(2019, 1, 1), end_date=dt.date(2023, 12, 31))
    career_role(registrant, harrogate, start_date=dt.date(2024, 1, 1))

    asks = employers_to_ask(registrant=registrant, on=START, appointing_organisation=organisation)

    by_code = {a.organisation.ods_code: a for a in asks}
    assert set(by_code) == {"RAE", "RCD"}
    assert [o.ods_code for o in by_code["RAE"].formerly] == ["RXL"]
    finding = vet(organisation, registrant).finding("references_not_requested")
    assert (
        "Bradford Teaching Hospitals NHS Foundation Trust (formerly Airedale NHS Foundation Trust)"
        in (finding.message)
    )


def test_succession_chain_is_followed_to_the_open_organisation(organisation, bradford):
    first = Organisation.objects.create(
        ods_code="RX1", name="First Trust", org_type="nhs_trust", closed_on=dt.date(2021, 3, 31)
    )
    second = Organisation.objects.create(
        ods_code="RX2", name="Second Trust", org_type="nhs_trust", closed_on=dt.date(2023, 3, 31)
    )
    Succession.objects.create(
        predecessor=first, successor=second, kind="merger", effective_on=dt.date(2021, 4, 1)
    )
    Succession.objects.create(
        predecessor=second, successor=bradford, kind="merger", effective_on=dt.date(2023, 4, 1)
    )
    registrant = person()
    career_role(registrant, first, start_date=dt.date(2018, 1, 1), end_date=dt.date(2021, 3, 31))

    asks = employers_to_ask(registrant=registrant, on=START, appointing_organisation=organisation)

    assert [a.organisation.ods_code for a in asks] == ["RAE"]


def test_employer_merged_into_the_appointing_organisation_is_not_asked(organisation):
    closed = Organisation.objects.create(
        ods_code="RXX",
        name="Leeds Community Trust",
        org_type="nhs_trust",
        closed_on=dt.date(2024, 3, 31),
    )
    Succession.objects.create(
        predecessor=closed, successor=organisation, kind="merger", effective_on=dt.date(2024, 4, 1)
    )
    registrant = person()
    career_role(registrant, closed, start_date=dt.date(2019, 1, 1), end_date=dt.date(2024, 3, 31))

    assert (
        employers_to_ask(registrant=registrant, on=START, appointing_organisation=organisation)
        == []
    )


# --- Running the checks ------------------------------------------------------------------


def test_list_of_appointments_is_vetted_in_a_fixed_number_of_queries(
    organisation, bradford, harrogate, django_assert_max_num_queries
):
    appointments = []
    for index in range(12):
        registrant = person(legal_surname=f"Person {index}")
        career_role(
            registrant, bradford, start_date=dt.date(2018, 1, 1), end_date=dt.date(2022, 1, 1)
        )
        career_role(registrant, harrogate, start_date=dt.date(2022, 6, 1))
        appointments.append(propose(organisation, registrant))
    from steward.references.models import Appointment

    loaded = list(Appointment.objects.select_related("organisation", "registrant"))
    with django_assert_max_num_queries(8):
        vettings = appointments_vet(appointments=loaded)
    assert len(vettings) == 12
    assert all("employment_gap" in v.codes for v in vettings.values())


def test_another_capability_can_add_a_check(organisation, candidate, monkeypatch):
    from steward.references.vetting import Finding

    monkeypatch.setattr("steward.references.vetting.VETTING_CHECKS", list(VETTING_CHECKS))

    def open_cases(contexts):
        for context in contexts:
            context.vetting.blocking.append(Finding("open_case", "An open case."))

    vetting_check_add(open_cases)

    assert vet(organisation, candidate).finding("open_case") is not None
