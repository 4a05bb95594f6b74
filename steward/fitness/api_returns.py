"""The annual fit and proper return through the API.

``GET /api/v1/regions/{region_code}/fitness-returns?year=YYYY`` is the regional
director's overview of the region; ``POST
/api/v1/organisations/{ods_code}/fitness-returns/{year}`` is the chair
submitting the organisation's return.
"""

import datetime as dt
import re
from typing import Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Path, Query, Router, Schema, Status

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.core import clock
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut
from steward.fitness import returns
from steward.fitness.models import AnnualReturn
from steward.organisations.models import Organisation, Region

router = Router(tags=["Fit and proper annual returns"])

CODE = re.compile(r"^[A-Za-z0-9]{1,10}$")
StateValue = Literal["not_submitted", "overdue", "submitted_on_time", "submitted_late", "returned"]


class InvalidOut(Schema):
    detail: str = Field(description="What is wrong with the request, in plain English.")
    errors: list[dict[str, Any]] = Field(description="Each problem and where it is.")


class ConflictOut(Schema):
    detail: str = Field(description="Why the return cannot be submitted now.")
    reasons: list[str] = Field(description="Every reason, in plain English.")


class CountsOut(Schema):
    board_members: int = Field(description="Board member assessments for the year.")
    concluded: int
    fit_and_proper: int
    not_fit_and_proper: int
    not_concluded: int


class RegionRowOut(Schema):
    ods_code: str
    name: str
    org_type: str
    assessments: CountsOut
    status: StateValue = Field(description="Where the organisation's return stands.")
    status_label: str
    first_submitted_at: dt.datetime | None = Field(
        description="When the return was first submitted; null if never."
    )
    submitted_at: dt.datetime | None = Field(description="The latest submission; null if none.")
    url: str = Field(description="The organisation's return page.")


class RegionOverrideOut(Schema):
    organisation: str = Field(description="The organisation's ODS code.")
    person: str
    role: str
    start_date: dt.date | None
    reason: str = Field(description="The chair's reason to start before every reference.")
    recorded_by: str


class RegionReturnsOut(Schema):
    region_code: str
    region_name: str
    year: int
    deadline: dt.date
    totals: CountsOut
    statuses: dict[str, int] = Field(description="How many organisations have each status.")
    organisations: list[RegionRowOut]
    overrides: list[RegionOverrideOut] = Field(
        description="Appointments started in the year before every reference was received."
    )


class ReturnIn(Schema):
    chair_statement: str = Field(
        max_length=returns.MAX_STATEMENT_LENGTH,
        description="The chair's statement: every board member was assessed this year, and "
        "anything the regional director should know.",
    )
    expected_version: int | None = Field(
        None,
        ge=0,
        le=2**31 - 1,
        description="The return's version when you read it (0 if there was none); a return "
        "changed since is refused with 409. Leave out to skip the check.",
    )


class ReturnOut(Schema):
    ods_code: str
    year: int
    status: StateValue
    status_label: str
    deadline: dt.date
    first_submitted_at: dt.datetime
    submitted_at: dt.datetime
    submitted_late: bool
    chair_statement: str
    summary: dict[str, Any] = Field(
        description="Counts as submitted: board members, fit and proper, not fit and proper, "
        "and the same by what triggered the assessment (annual, appointment)."
    )
    version: int
    url: str = Field(description="The return's page.")


def _counts(counts: returns.AssessmentCounts) -> dict:
    return {
        "board_members": counts.board_members,
        "concluded": counts.concluded,
        "fit_and_proper": counts.fit_and_proper,
        "not_fit_and_proper": counts.not_fit_and_proper,
        "not_concluded": counts.not_concluded,
    }


def _row(request, row: returns.RegionRow, year: int) -> dict:
    annual_return = row.annual_return
    return {
        "ods_code": row.organisation.ods_code,
        "name": row.organisation.name,
        "org_type": row.organisation.org_type,
        "assessments": _counts(row.counts),
        "status": row.state,
        "status_label": returns.ReturnState.LABELS[row.state],
        "first_submitted_at": annual_return.first_submitted_at if annual_return else None,
        "submitted_at": annual_return.submitted_at if annual_return else None,
        "url": request.build_absolute_uri(
            returns.return_url(organisation=row.organisation, year=year)
        ),
    }


def _override(appointment) -> dict:
    return {
        "organisation": appointment.organisation.ods_code,
        "person": appointment.registrant.display_name,
        "role": appointment.role_title,
        "start_date": appointment.start_date,
        "reason": appointment.override_reason,
        "recorded_by": appointment.override_by_label,
    }


@router.get(
    "/regions/{region_code}/fitness-returns",
    response={200: RegionReturnsOut, 404: ErrorOut, 422: InvalidOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="fitness_region_returns",
    summary="A region's annual fit and proper returns",
)
def region_returns(
    request,
    region_code: str = Path(..., max_length=10, description="The region's code, such as Y63."),
    year: int | None = Query(  # noqa: B008
        None,
        ge=returns.EARLIEST_YEAR,
        le=9998,
        description="The year the returns are for; by default the latest year with "
        "assessments in the region.",
    ),
):
    """Every open trust and integrated care board in the region: its assessments, outcomes
    and return status. For the region's regional director only (403 otherwise); 404 for a
    region that does not exist or a year too far ahead."""
    region = None
    if CODE.match(region_code):
        region = Region.objects.filter(code=region_code.upper()).first()
    if region is None:
        return Status(404, {"detail": "No region has that code."})
    user = request_user(request)
    if not user.has_perm("fitness.view_region_returns", region):
        return Status(
            403, {"detail": f"Only the regional director for {region.name} can see its returns."}
        )
    if year is None:
        year = returns.region_default_year(region=region)
    if not returns.year_is_valid(year):
        return Status(
            404,
            {
                "detail": f"There are no returns for {year}: choose {clock.today().year + 1} "
                "or earlier."
            },
        )
    overview = returns.region_overview(region=region, year=year)
    return Status(
        200,
        {
            "region_code": region.code,
            "region_name": region.name,
            "year": year,
            "deadline": overview.deadline,
            "totals": _counts(overview.totals),
            "statuses": overview.states,
            "organisations": [_row(request, row, year) for row in overview.rows],
            "overrides": [_override(a) for a in overview.overrides],
        },
    )


@router.post(
    "/organisations/{ods_code}/fitness-returns/{year}",
    response={
        201: ReturnOut,
        404: ErrorOut,
        409: ConflictOut,
        422: InvalidOut,
        **AUTH_ERRORS,
    },
    auth=bearer_or_session,
    url_name="fitness_return_submit",
    summary="Submit an organisation's annual fit and proper return",
)
def return_submit(
    request,
    payload: ReturnIn,
    ods_code: str = Path(..., max_length=10, description="The organisation's ODS code."),
    year: int = Path(..., ge=returns.EARLIEST_YEAR, le=9998, description="The year."),
):
    """The chair submits the year's return to the regional director (or resubmits it after
    it was returned). Answers 201 with the return; 409 with the reasons when it cannot be
    submitted now (assessments not all concluded, none yet, already submitted, or changed
    since you read it); 403 for anyone but the organisation's chair."""
    organisation = None
    if CODE.match(ods_code):
        organisation = (
            Organisation.objects.select_related("region").filter(ods_code=ods_code.upper()).first()
        )
    if organisation is None:
        return Status(404, {"detail": "No organisation has that ODS code."})
    if not returns.year_is_valid(year):
        return Status(404, {"detail": f"There is no annual return for {year}."})
    user = request_user(request)
    if not user.has_perm("fitness.submit_annual_return", organisation):
        return Status(
            403, {"detail": f"Only the chair of {organisation.name} can submit its return."}
        )
    try:
        annual_return = returns.annual_return_submit(
            organisation=organisation,
            year=year,
            chair_statement=payload.chair_statement,
            expected_version=payload.expected_version,
            actor=user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors = [
                {"loc": ["body", "payload", name], "msg": message, "type": "value_error"}
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            return Status(
                422, {"detail": " ".join(e["msg"] + "." for e in errors), "errors": errors}
            )
        reasons = [f"{message}." for message in error.messages]
        return Status(409, {"detail": " ".join(reasons), "reasons": reasons})
    return Status(201, _return_out(request, annual_return))


def _return_out(request, annual_return: AnnualReturn) -> dict:
    state = returns.return_state(annual_return, deadline=annual_return.deadline)
    return {
        "ods_code": annual_return.organisation.ods_code,
        "year": annual_return.year,
        "status": state,
        "status_label": returns.ReturnState.LABELS[state],
        "deadline": annual_return.deadline,
        "first_submitted_at": annual_return.first_submitted_at,
        "submitted_at": annual_return.submitted_at,
        "submitted_late": annual_return.submitted_late,
        "chair_statement": annual_return.chair_statement,
        "summary": annual_return.summary,
        "version": annual_return.version,
        "url": request.build_absolute_uri(
            returns.return_url(organisation=annual_return.organisation, year=annual_return.year)
        ),
    }
