"""Open data: the public register of NHS managers as JSON under /api/v1/register, and
everyone barred now under /api/v1/barred.

No sign-in needed; every request counts towards the client's rate limit
(setting ``REGISTER_PUBLIC_RATE``). The schemas below are the whole of what
leaves: only public fields are in them.
"""

import datetime as dt
from typing import Literal

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema, Status

from steward.organisations.presenters import api_page_url
from steward.register import public, ratelimit
from steward.register.forms_public import MAX_QUERY_LENGTH, RegisterSearchForm

router = Router(tags=["Register"])

StatusValue = Literal[
    "registered", "conditions", "suspended", "barred", "lapsed", "voluntarily_removed"
]
CategoryValue = Literal[
    "chair", "chief_executive", "executive_director", "non_executive_director", "senior_manager"
]


class RegisterErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")


class RegisterFieldErrorOut(Schema):
    loc: list[str] = Field(description='Where the problem is, such as ["query", "status"].')
    msg: str
    type: str


class RegisterInvalidRequestOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: list[RegisterFieldErrorOut]


class RoleOrganisationOut(Schema):
    ods_code: str = Field(description="The NHS Organisation Data Service code, such as RR8.")
    name: str


class PublicRoleOut(Schema):
    organisation: RoleOrganisationOut
    title: str = Field(description="The job title, such as Chief Finance Officer.")
    category: CategoryValue = Field(description="The kind of role.")
    start_date: dt.date
    end_date: dt.date | None = Field(description="When the role ended (or ends); null if open.")
    is_interim: bool = Field(description="True for an interim (temporary) appointment.")


class RegistrantSummaryOut(Schema):
    registration_number: str = Field(description="M and 7 digits, the last a check digit.")
    name: str = Field(description="The name the person uses: known-as forename and surname.")
    status: StatusValue = Field(description="Register status.")
    status_label: str = Field(description="Register status in words.")
    roles: list[PublicRoleOut] = Field(description="Current roles: started and not ended.")
    url: str = Field(description="This person's entry in the API.")


class RegisterPageOut(Schema):
    count: int = Field(
        description="How many people match, over all pages. Searches count up to 10,000: "
        "when count_is_exact is false there are more."
    )
    count_is_exact: bool
    next: str | None = Field(description="The next page of results; null on the last.")
    previous: str | None = Field(description="The previous page of results; null on the first.")
    results: list[RegistrantSummaryOut]


class RestrictionOut(Schema):
    status: StatusValue
    description: str = Field(description="What is in force, such as Suspension.")
    since: dt.date = Field(description="The date it took effect.")


class QualificationOut(Schema):
    title: str
    awarding_body: str
    awarded_on: dt.date | None


class RegistrantDetailOut(Schema):
    registration_number: str
    name: str = Field(description="The name the person uses: known-as forename and surname.")
    legal_forenames: str
    legal_surname: str
    known_as: str = Field(description="The forename the person uses, if not their legal one.")
    status: StatusValue
    status_label: str
    status_since: dt.date = Field(description="When the current status took effect.")
    restriction: RestrictionOut | None = Field(
        description="Conditions, a suspension or a bar in force; null if none."
    )
    current_roles: list[PublicRoleOut]
    past_roles: list[PublicRoleOut]
    qualifications: list[QualificationOut] = Field(description="Verified qualifications only.")
    url: str


TOO_MANY = {429: RegisterErrorOut}


class BarredPersonOut(Schema):
    registration_number: str = Field(description="M and 7 digits, the last a check digit.")
    name: str = Field(description="The name the person uses: known-as forename and surname.")
    barred_since: dt.date = Field(description="The date the bar took effect.")
    determination_summary_url: str = Field(
        description="The published summary of the decision to bar, on the person's public "
        "register entry (their entry, for a bar recorded before decisions were published)."
    )
    url: str = Field(description="This person's entry in the API.")


class BarredPageOut(Schema):
    count: int = Field(description="How many people are barred now, over all pages.")
    next: str | None = Field(description="The next page; null on the last.")
    previous: str | None = Field(description="The previous page; null on the first.")
    results: list[BarredPersonOut]


def _too_many(request) -> JsonResponse | None:
    wait = ratelimit.retry_after(request)
    if wait is None:
        return None
    response = JsonResponse({"detail": ratelimit.too_many_message(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


@router.get(
    "/register",
    response={200: RegisterPageOut, 404: RegisterErrorOut, 422: RegisterInvalidRequestOut}
    | TOO_MANY,
    url_name="register_list",
    summary="Search the register of NHS managers",
)
def register_list(
    request,
    q: str = Query(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="A name (every word must start a word of the person's current name, "
        "in any order; case, accents, apostrophes and hyphens ignored) or an exact "
        "registration number.",
    ),
    organisation: str = Query("", description="An ODS code: people in a current role there."),
    region: str = Query(
        "",
        description="A region's code (Y56), short name (london) or name: people in a "
        "current role at an organisation there.",
    ),
    status: str = Query("", description="A register status, such as suspended."),
    page: int = Query(1, ge=1, description="The page of results, 50 to a page."),
):
    """People on the register, 50 to a page, best match first (exact surname, then surname
    starting with the query, then others; each by surname and forenames)."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    form = RegisterSearchForm(
        {
            "q": q,
            "organisation": organisation,
            "region": region,
            "status": status,
            "page": str(page),
        },
        regions=None,  # looked up only when a region is asked for
    )
    if not form.is_valid():
        errors = form.api_errors()
        return Status(422, {"detail": ". ".join(e["msg"] for e in errors) + ".", "errors": errors})
    results = public.public_search(**form.search_kwargs(), page=page)
    if page > results.num_pages:
        pages = "is 1 page" if results.num_pages == 1 else f"are {results.num_pages} pages"
        return Status(404, {"detail": f"There is no page {page}: there {pages} of results."})
    return Status(
        200,
        {
            "count": results.count,
            "count_is_exact": results.count_is_exact,
            "next": api_page_url(request, page + 1 if results.has_next else None),
            "previous": api_page_url(request, page - 1 if results.has_previous else None),
            "results": [public.api_summary(request, r) for r in results.registrants],
        },
    )


@router.get(
    "/register/{registration_number}",
    response={200: RegistrantDetailOut, 404: RegisterErrorOut, 422: RegisterErrorOut} | TOO_MANY,
    url_name="register_detail",
    summary="One person on the register",
)
def register_detail(request, registration_number: str):
    """A person's public entry by registration number (any case, spaces ignored). A record
    merged into another gives the surviving record."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    try:
        lookup = public.public_registrant_lookup(registration_number=registration_number)
    except public.NotOnRegister as exc:
        if exc.problem:
            return Status(422, {"detail": exc.problem})
        return Status(404, {"detail": f"No one on the register has the number {exc.number}."})
    return Status(200, public.api_detail(request, public.public_entry_data(lookup.registrant)))


@router.get(
    "/barred",
    response={200: BarredPageOut, 404: RegisterErrorOut, 422: RegisterInvalidRequestOut} | TOO_MANY,
    url_name="barred_list",
    summary="Everyone barred from NHS management",
)
def barred_list(
    request,
    page: int = Query(
        1, ge=1, le=public.BARRED_MAX_PAGE, description="The page of results, 50 to a page."
    ),
):
    """Everyone barred from the register of NHS managers now, by surname, 50 to a page."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    found = public.barred_list(page=page)
    missing = public.missing_page(page, found.num_pages)
    if missing:
        return Status(404, {"detail": f"{missing}."})
    return Status(
        200,
        {
            "count": found.count,
            "next": api_page_url(request, page + 1 if found.has_next else None),
            "previous": api_page_url(request, page - 1 if found.has_previous else None),
            "results": [public.api_barred(request, entry) for entry in found.entries],
        },
    )
