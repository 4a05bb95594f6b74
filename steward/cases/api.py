"""Open data: everyone barred from NHS management now, as JSON under /api/v1/barred.

No sign-in needed; every request counts towards the public register's rate limit
(setting ``REGISTER_PUBLIC_RATE``). Only public fields leave: name, registration
number, the date the bar took effect and a link to the published summary.
"""

import datetime as dt

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema, Status

from steward.organisations.presenters import api_page_url
from steward.register import public, ratelimit

router = Router(tags=["Register"])


class BarredErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")


class BarredInvalidRequestOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: list[dict] = Field(
        default_factory=list, description="For each bad parameter, where and what."
    )


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
    "/barred",
    response={
        200: BarredPageOut,
        404: BarredErrorOut,
        422: BarredInvalidRequestOut,
        429: BarredErrorOut,
    },
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
    if page > found.num_pages:
        pages = "is 1 page" if found.num_pages == 1 else f"are {found.num_pages} pages"
        return Status(404, {"detail": f"There is no page {page}: there {pages}."})
    return Status(
        200,
        {
            "count": found.count,
            "next": api_page_url(request, page + 1 if found.has_next else None),
            "previous": api_page_url(request, page - 1 if found.has_previous else None),
            "results": [public.api_barred(request, entry) for entry in found.entries],
        },
    )
