"""Open data: NHS organisations as JSON under /api/v1/organisations. No sign-in needed."""

import datetime as dt
from typing import Literal

from django.core.paginator import EmptyPage, Paginator
from ninja import Field, Query, Router, Schema, Status

from steward.organisations import presenters
from steward.organisations.forms import MAX_QUERY_LENGTH, OrganisationSearchForm
from steward.organisations.models import Organisation
from steward.organisations.selectors import organisation_get, organisation_search

router = Router(tags=["Organisations"])

OrgType = Literal["nhs_trust", "foundation_trust", "icb", "national_body"]
Kind = Literal["merger", "part_transfer", "replacement"]


class OrganisationErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")


class OrganisationFieldErrorOut(Schema):
    loc: list[str] = Field(description='Where the problem is, such as ["query", "region"].')
    msg: str
    type: str


class OrganisationInvalidRequestOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: list[OrganisationFieldErrorOut]


class RegionOut(Schema):
    code: str = Field(description="The NHS England region's ODS code, such as Y56.")
    name: str = Field(description="The region's name, such as London.")


class OrganisationRefOut(Schema):
    ods_code: str
    name: str


class OrganisationOut(Schema):
    ods_code: str = Field(description="The NHS Organisation Data Service code, such as RJ1.")
    name: str
    type: OrgType = Field(description="The kind of organisation.")
    type_label: str = Field(description="The kind of organisation in words.")
    region: RegionOut | None = Field(
        description="The NHS England region; null for a national body."
    )
    parent_icb: OrganisationRefOut | None = Field(
        description="For a trust, the integrated care board it belongs to."
    )
    opened_on: dt.date | None = Field(description="When it opened, where known.")
    closed_on: dt.date | None = Field(description="When it closed; null while open.")
    url: str = Field(description="This organisation in the API.")


class SuccessionLinkOut(Schema):
    ods_code: str
    name: str
    kind: Kind = Field(
        description="merger: all of the predecessor; part_transfer: part of it; "
        "replacement: the successor replaced it."
    )
    effective_on: dt.date = Field(description="The first day the successor is responsible.")
    url: str


class MemberOrganisationOut(Schema):
    ods_code: str
    name: str
    type: OrgType
    url: str


class OrganisationDetailOut(OrganisationOut):
    successors: list[SuccessionLinkOut] = Field(
        description="Organisations that took this one over (all or part of it)."
    )
    predecessors: list[SuccessionLinkOut] = Field(
        description="Organisations this one took over (all or part of them)."
    )
    member_organisations: list[MemberOrganisationOut] = Field(
        description="For an integrated care board, the trusts that belong to it; otherwise empty."
    )


class OrganisationPageOut(Schema):
    count: int = Field(description="How many organisations match, over all pages.")
    next: str | None = Field(description="The next page of results; null on the last.")
    previous: str | None = Field(description="The previous page of results; null on the first.")
    results: list[OrganisationOut]


@router.get(
    "/organisations",
    response={
        200: OrganisationPageOut,
        404: OrganisationErrorOut,
        422: OrganisationInvalidRequestOut,
    },
    url_name="organisations_list",
    summary="Search NHS organisations",
)
def organisations_list(
    request,
    q: str = Query(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="A name (every word must appear; case, accents and punctuation "
        "ignored) or an exact ODS code.",
    ),
    region: str = Query("", description="A region's code (Y56), short name (london) or name."),
    org_type: str = Query(
        "", alias="type", description="nhs_trust, foundation_trust, icb or national_body."
    ),
    page: int = Query(1, ge=1, description="The page of results, 50 to a page."),
):
    """NHS organisations in England, 50 to a page, ordered by name (exact ODS code first)."""
    form = OrganisationSearchForm({"q": q, "region": region, "type": org_type, "page": str(page)})
    if not form.is_valid():
        errors = form.api_errors()
        return Status(422, {"detail": ". ".join(e["msg"] for e in errors) + ".", "errors": errors})
    paginator = Paginator(organisation_search(**form.search_kwargs()), presenters.PAGE_SIZE)
    try:
        current = paginator.page(page)
    except EmptyPage:
        pages = "is 1 page" if paginator.num_pages == 1 else f"are {paginator.num_pages} pages"
        return Status(404, {"detail": f"There is no page {page}: there {pages} of results."})
    return Status(
        200,
        {
            "count": paginator.count,
            "next": presenters.api_page_url(
                request, current.next_page_number() if current.has_next() else None
            ),
            "previous": presenters.api_page_url(
                request, current.previous_page_number() if current.has_previous() else None
            ),
            "results": [presenters.api_organisation(request, org) for org in current.object_list],
        },
    )


@router.get(
    "/organisations/{ods_code}",
    response={200: OrganisationDetailOut, 404: OrganisationErrorOut},
    url_name="organisations_detail",
    summary="One NHS organisation",
)
def organisations_detail(request, ods_code: str):
    """An organisation by ODS code (any case), with its successions and members."""
    try:
        organisation = organisation_get(ods_code=ods_code)
    except Organisation.DoesNotExist:
        shown = ods_code if len(ods_code) <= 20 else f"{ods_code[:20]}…"
        return Status(404, {"detail": f"No organisation with ODS code '{shown}'."})
    return Status(200, presenters.api_organisation_detail(request, organisation))
