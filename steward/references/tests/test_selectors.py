"""Reads other capabilities use: the region's reasons to proceed, and disclosures."""

import datetime as dt

import pytest

from steward.organisations.models import Organisation, OrganisationType, Region
from steward.references import services
from steward.references.selectors import overrides_in_region, reference_disclosures
from steward.references.tests.factories import complete, person, propose

pytestmark = pytest.mark.django_db

REASON = "Our chief nurse left suddenly; the reference is promised."


def start_with_override(organisation, registrant, chair, start=dt.date(2026, 12, 1)):
    appointment = propose(organisation, registrant, proposed_start_date=start)
    return services.appointment_start(
        appointment=appointment, start_date=start, override_reason=REASON, actor=chair
    )


def test_overrides_in_region_by_year(organisation, region, candidate, chair, make_user, travel):
    london = Region.objects.create(code="Y56", name="London", slug="london")
    barts = Organisation.objects.create(
        ods_code="R1H",
        name="Barts Health NHS Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=london,
    )
    london_chair = make_user("chair", organisation=barts)
    started = start_with_override(organisation, candidate, chair)
    elsewhere = person(legal_forenames="Other")
    from steward.references.tests.factories import career_role

    career_role(elsewhere, organisation, start_date=dt.date(2019, 1, 1))
    start_with_override(barts, elsewhere, london_chair)
    # Started with every reference: not an override.
    newcomer = person(legal_forenames="Newcomer")
    services.appointment_start(
        appointment=propose(organisation, newcomer), start_date=dt.date(2026, 12, 1), actor=chair
    )

    found = overrides_in_region(region=region, year=2026)

    assert found == [started]
    assert found[0].override_reason == REASON
    assert found[0].override_by_label == "Adebayo Okonkwo-Hughes"
    assert found[0].organisation.name == "Leeds Teaching Hospitals NHS Trust"
    assert overrides_in_region(region=region, year=2027) == []
    assert [a.organisation.ods_code for a in overrides_in_region(region=london, year=2026)] == [
        "R1H"
    ]


def test_reference_disclosures_leave_out_superseded_references(
    organisation, candidate, bradford_hr
):
    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")
    original = complete(
        request,
        actor=bradford_hr,
        disciplinary_findings="yes",
        disciplinary_findings_details="First version",
    )
    assert [d["details"] for d in reference_disclosures(registrant=candidate)] == ["First version"]
    services.reference_update_issue(
        reference=original,
        answers={
            "roles_and_dates": "Director of Finance",
            "disciplinary_findings": "yes",
            "disciplinary_findings_details": "Corrected version",
            "investigations": "no",
            "upheld_concerns": "no",
            "fitness_outcomes": "no",
            "settlement_agreements": "no",
        },
        referee_name="Helen D'Souza",
        referee_job_title="Chair",
        actor=bradford_hr,
    )

    assert [d["details"] for d in reference_disclosures(registrant=candidate)] == [
        "Corrected version"
    ]
