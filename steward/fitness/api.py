"""The organisation's fit and proper person assessments for a year, for signed-in
employers at the organisation and the regional director of its region.

Outcomes only: the reasons for a conclusion, notes and declarations stay on
the pages, which record who viewed them.
"""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.core import clock
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut, InvalidRequestOut
from steward.fitness import selectors
from steward.organisations.models import Organisation

router = Router(tags=["Fit and proper person test"])

CheckKindCode = Literal[
    "identity",
    "right_to_work",
    "criminal_record",
    "insolvency",
    "disqualified_directors",
    "charity_trustees",
    "employment_tribunals",
    "social_media",
    "qualifications",
    "references",
    "register_status",
    "competency",
    "self_attestation",
]


class CheckOut(Schema):
    kind: CheckKindCode = Field(description="Which check.")
    outcome: Literal["pending", "satisfactory", "concern", "not_applicable"]
    checked_on: dt.date | None = Field(description="When it was done; null while pending.")


class AssessmentOut(Schema):
    id: int
    registration_number: str = Field(description="The director's registration number.")
    name: str = Field(description="The director's name as the register shows it.")
    role_title: str
    role_category: Literal[
        "chair",
        "chief_executive",
        "executive_director",
        "non_executive_director",
        "senior_manager",
    ] = Field(description="The kind of board role the assessment is for.")
    trigger: Literal["annual", "appointment"] = Field(
        description="annual: the year's assessment; appointment: opened on appointment."
    )
    outcome: Literal["fit_and_proper", "not_fit_and_proper"] | None = Field(
        description="Null until the assessment is concluded."
    )
    concluded_on: dt.date | None = Field(description="Null until concluded.")
    checks: list[CheckOut]


@router.get(
    "/organisations/{ods_code}/fitness-assessments",
    response={200: list[AssessmentOut], 404: ErrorOut, 422: InvalidRequestOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="fitness_assessments",
    summary="An organisation's fit and proper person assessments for a year",
)
def assessments_list(
    request,
    ods_code: str,
    year: int | None = Query(  # noqa: B008
        None,
        ge=1,
        le=9999,
        description="The assessment year, like 2026; this year when left out.",
    ),
):
    """Every fit and proper person assessment for the year at the organisation, with the
    outcome of each check. For the organisation's chair, chief executive, senior
    independent director and HR lead, and the regional director of its region.
    Answers 404 for an unknown ODS code, 403 for anyone else, 422 for a year that is
    not a number."""
    organisation = (
        Organisation.objects.select_related("region")
        .filter(ods_code=ods_code.strip().upper()[:10])
        .first()
    )
    if organisation is None:
        return Status(404, {"detail": "No organisation has that ODS code."})
    if not request_user(request).has_perm("fitness.view_organisation", organisation):
        return Status(
            403,
            {
                "detail": "Only the organisation's employers and its regional director can "
                "see its fit and proper person assessments."
            },
        )
    year = year or clock.today().year
    assessments = selectors.organisation_assessments_for_api(organisation=organisation, year=year)
    order = {kind: index for index, kind in enumerate(CheckKindCode.__args__)}
    return Status(
        200,
        [
            {
                "id": a.pk,
                "registration_number": a.registrant.registration_number,
                "name": a.registrant.display_name,
                "role_title": a.career_role.title,
                "role_category": a.career_role.category,
                "trigger": a.trigger,
                "outcome": a.outcome or None,
                "concluded_on": clock.localdate(a.concluded_at) if a.concluded_at else None,
                "checks": [
                    {"kind": c.kind, "outcome": c.outcome, "checked_on": c.checked_on}
                    for c in sorted(a.checks.all(), key=lambda c: order.get(c.kind, 99))
                ],
            }
            for a in assessments
        ],
    )
