"""Open data: the standards NHS managers are held to, as JSON under /api/v1/standards.

No sign-in needed. ``GET /standards`` gives the version in force today (or on
the date in ``?on=``); ``GET /standards/versions/{number}`` gives any published
version. Drafts are never shown.
"""

import datetime as dt
import re
from typing import Annotated

from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import BeforeValidator

from steward.core.api_schemas import ErrorOut, InvalidRequestOut
from steward.standards import selectors

router = Router(tags=["Standards"])

NOTHING_PUBLISHED = "No version of the standards has been published yet."


class StandardOut(Schema):
    ref: str = Field(description="The standard's reference, such as CC3.")
    title: str
    text: str = Field(description="What the manager does, and where the line sits.")


class CompetencyDomainOut(Schema):
    ref: str = Field(description="The domain's reference, such as D1.")
    name: str
    description: str


class NeverEventOut(Schema):
    ref: str = Field(description="The never event's reference, such as NE1.")
    title: str
    standards: list[str] = Field(description="References of the standards it breaches.")


class StandardsOut(Schema):
    version: int = Field(description="The version number.")
    effective_from: dt.date = Field(description="The date the version took, or takes, effect.")
    standards: list[StandardOut] = Field(description="The code of conduct.")
    competency_domains: list[CompetencyDomainOut] = Field(
        description="The six domains of the competency framework for board members."
    )
    never_events: list[NeverEventOut] = Field(
        description="Conduct that should always lead to a sanction."
    )


def _iso_date_only(value):
    """Only YYYY-MM-DD: pydantic alone would also read a number as a timestamp."""
    if not isinstance(value, dt.date) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        raise ValueError("Give the date as YYYY-MM-DD, like 2026-04-01")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
ON_QUERY = Query(
    None,
    description="A date (YYYY-MM-DD): the version in force on that day. Today if left "
    "out. Before the first version took effect, the first version.",
)


def _standards_out(version) -> dict:
    contents = selectors.version_contents(version=version)
    return {
        "version": contents.number,
        "effective_from": contents.effective_from,
        "standards": [
            {"ref": s.ref, "title": s.title, "text": s.text} for s in contents.standards.all()
        ],
        "competency_domains": [
            {"ref": d.ref, "name": d.name, "description": d.description}
            for d in contents.competency_domains.all()
        ],
        "never_events": [
            {"ref": e.ref, "title": e.title, "standards": [s.ref for s in e.standards.all()]}
            for e in contents.never_events.all()
        ],
    }


@router.get(
    "/standards",
    response={200: StandardsOut, 404: ErrorOut, 422: InvalidRequestOut},
    url_name="standards_current",
    summary="The standards in force",
)
def standards_current(
    request,
    on: IsoDate | None = ON_QUERY,
):
    """The code of conduct, the competency framework's domains and the never events of
    the version in force. A finding about a manager cites the version in force on the
    date of the conduct: ask with ``on`` set to that date."""
    version = selectors.version_in_force(on=on)
    if version is None:
        return Status(404, {"detail": NOTHING_PUBLISHED})
    return Status(200, _standards_out(version))


@router.get(
    "/standards/versions/{number}",
    response={200: StandardsOut, 404: ErrorOut, 422: InvalidRequestOut},
    url_name="standards_version",
    summary="One published version of the standards",
)
def standards_version(request, number: int = Path(..., description="The version number.")):
    """Any published version, whether in force, earlier or scheduled. Drafts are not
    published, so they are not found."""
    version = selectors.published_version(number=number)
    if version is None:
        return Status(404, {"detail": f"There is no published version {number} of the standards."})
    return Status(200, _standards_out(version))
