"""View models: what the organisation pages and the API show, already worded.

Templates only loop and branch over these; every sentence, label and date
format is decided here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.urls import reverse

from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.jinja import query
from steward.organisations.models import (
    Organisation,
    OrganisationType,
    Region,
    Succession,
    SuccessionKind,
)

PAGE_SIZE = 50


def short_name(name: str) -> str:
    """'NHS Sussex Integrated Care Board' → 'NHS Sussex ICB', as people say it."""
    return name.replace("Integrated Care Board", "ICB")


def count_text(count: int) -> str:
    """'1 organisation', '245 organisations'."""
    return f"{count:,} organisation" + ("" if count == 1 else "s")


def status_tag(org: Organisation, *, today: dt.date | None = None) -> dict | None:
    """Params for the NHS tag shown beside a closed (or closing) organisation."""
    if org.closed_on is None:
        return None
    today = today or clock.today()
    if org.closed_on < today:
        return {"text": "Closed", "colour": "grey"}
    return {"text": f"Closing {uk_date(org.closed_on)}", "colour": "orange"}


# --- Search page ------------------------------------------------------------------


@dataclass
class ResultRow:
    name: str
    url: str
    ods_code: str
    type_label: str
    region: str
    tag: dict | None


def result_rows(organisations, *, today: dt.date | None = None) -> list[ResultRow]:
    today = today or clock.today()
    return [
        ResultRow(
            name=org.name,
            url=org.get_absolute_url(),
            ods_code=org.ods_code,
            type_label=org.type_label,
            region=org.region.name if org.region else "National",
            tag=status_tag(org, today=today),
        )
        for org in organisations
    ]


def region_select_items(regions: list[Region], selected: Region | None) -> list[dict]:
    items = [{"value": "", "text": "All regions"}]
    items += [
        {"value": region.slug, "text": region.name, "selected": selected == region}
        for region in regions
    ]
    return items


def type_select_items(selected: str | None) -> list[dict]:
    items = [{"value": "", "text": "All types"}]
    items += [
        {"value": choice.value, "text": choice.label, "selected": selected == choice.value}
        for choice in OrganisationType
    ]
    return items


def pagination(request, page: Page) -> dict | None:
    """Params for the NHS pagination component: numbered pages with ellipses."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {
                    "number": number,
                    "href": query(request, page=number),
                    "current": number == page.number,
                }
            )
    params: dict = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": query(request, page=page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": query(request, page=page.next_page_number())}
    return params


def results_summary(page: Page) -> str:
    """'Showing 51 to 100 of 245 organisations' (or just the count on one page)."""
    count = page.paginator.count
    if page.paginator.num_pages <= 1:
        return count_text(count)
    return f"Showing {page.start_index():,} to {page.end_index():,} of {count_text(count)}"


# --- Detail page ------------------------------------------------------------------


def succession_sentence(succession: Succession) -> str:
    """'On 1 April 2026 NHS North Central London ICB merged into NHS West and North London ICB.'"""
    when = uk_date(succession.effective_on)
    predecessor = short_name(succession.predecessor.name)
    successor = short_name(succession.successor.name)
    if succession.kind == SuccessionKind.MERGER:
        return f"On {when} {predecessor} merged into {successor}."
    if succession.kind == SuccessionKind.PART_TRANSFER:
        return f"On {when} part of {predecessor} transferred to {successor}."
    return f"On {when} {predecessor} was replaced by {successor}."


SUCCESSOR_KIND = {
    SuccessionKind.MERGER: "merged into",
    SuccessionKind.PART_TRANSFER: "part transferred",
    SuccessionKind.REPLACEMENT: "replaced by",
}
PREDECESSOR_KIND = {
    SuccessionKind.MERGER: "merged in",
    SuccessionKind.PART_TRANSFER: "part transferred in",
    SuccessionKind.REPLACEMENT: "replaced",
}


@dataclass
class LinkedOrganisation:
    name: str
    ods_code: str
    url: str
    detail: str = ""
    note: str = ""


@dataclass
class OrganisationPage:
    organisation: Organisation
    title: str
    summary_rows: list[dict]
    tag: dict | None
    closure_heading: str = ""
    succession_sentences: list[str] = field(default_factory=list)
    predecessors: list[LinkedOrganisation] = field(default_factory=list)
    predecessors_intro: str = ""
    members: list[LinkedOrganisation] = field(default_factory=list)
    members_heading: str = ""
    members_empty: str = ""
    show_members: bool = False


def _link(org: Organisation, *, detail: str = "", note: str = "") -> LinkedOrganisation:
    return LinkedOrganisation(
        name=org.name, ods_code=org.ods_code, url=org.get_absolute_url(), detail=detail, note=note
    )


def _row(key: str, text: str = "", *, href: str = "", links: list | None = None) -> dict:
    return {"key": key, "text": text, "href": href, "links": links or []}


def organisation_page(org: Organisation, *, today: dt.date | None = None) -> OrganisationPage:
    """Everything the organisation's page says, from ``selectors.organisation_get``."""
    today = today or clock.today()
    successions_out = list(org.successions_out.all())
    successions_in = list(org.successions_in.all())

    rows = [
        _row("ODS code", org.ods_code),
        _row("Type", org.type_label),
        _row("Region", org.region.name if org.region else "None (national body)"),
    ]
    if org.parent_icb:
        parent = org.parent_icb
        rows.append(_row("Integrated care board", parent.name, href=parent.get_absolute_url()))
    if org.opened_on:
        rows.append(_row("Opened", uk_date(org.opened_on)))
    if org.closed_on:
        rows.append(_row("Closed" if org.closed_on < today else "Closes", uk_date(org.closed_on)))
    if successions_out:
        links = [
            _link(s.successor, detail=SUCCESSOR_KIND.get(s.kind, ""), note=s.note)
            for s in successions_out
        ]
        rows.append(_row("Succeeded by", links=links))

    page = OrganisationPage(
        organisation=org,
        title=org.name,
        summary_rows=rows,
        tag=status_tag(org, today=today),
    )
    if org.closed_on:
        verb = "closed" if org.closed_on < today else "closes"
        page.closure_heading = f"This organisation {verb} on {uk_date(org.closed_on)}"
    page.succession_sentences = [
        " ".join(part for part in (succession_sentence(s), s.note) if part) for s in successions_out
    ]

    if successions_in:
        dates = sorted({s.effective_on for s in successions_in})
        name = short_name(org.name)
        page.predecessors_intro = (
            f"On {uk_date(dates[0])} {name} took over from:"
            if len(dates) == 1
            else f"{name} took over from:"
        )
        page.predecessors = [
            _link(
                s.predecessor,
                detail=PREDECESSOR_KIND.get(s.kind, "")
                + ("" if len(dates) == 1 else f" on {uk_date(s.effective_on)}"),
                note=s.note,
            )
            for s in successions_in
        ]

    if org.org_type == OrganisationType.ICB:
        page.show_members = True
        members = list(org.member_organisations.all())
        page.members = [_link(member, detail=member.type_label) for member in members]
        page.members_heading = f"Member organisations ({len(members)})"
        if not members:
            page.members_empty = (
                "No member organisations are recorded for this integrated care board yet: "
                "trusts are still listed under the boards it took over from."
                if successions_in
                else "No member organisations are recorded for this integrated care board."
            )
    return page


# --- API --------------------------------------------------------------------------


def api_detail_url(request, ods_code: str) -> str:
    return request.build_absolute_uri(
        reverse("api:organisations_detail", kwargs={"ods_code": ods_code})
    )


def api_organisation(request, org: Organisation) -> dict:
    """The fields every API view of an organisation has."""
    return {
        "ods_code": org.ods_code,
        "name": org.name,
        "type": org.org_type,
        "type_label": org.type_label,
        "region": {"code": org.region.code, "name": org.region.name} if org.region else None,
        "parent_icb": (
            {"ods_code": org.parent_icb.ods_code, "name": org.parent_icb.name}
            if org.parent_icb
            else None
        ),
        "opened_on": org.opened_on,
        "closed_on": org.closed_on,
        "url": api_detail_url(request, org.ods_code),
    }


def api_organisation_detail(request, org: Organisation) -> dict:
    """One organisation with its successions and, for an ICB, its members."""

    def succession_link(other: Organisation, succession: Succession) -> dict:
        return {
            "ods_code": other.ods_code,
            "name": other.name,
            "kind": succession.kind,
            "effective_on": succession.effective_on,
            "url": api_detail_url(request, other.ods_code),
        }

    return {
        **api_organisation(request, org),
        "successors": [succession_link(s.successor, s) for s in org.successions_out.all()],
        "predecessors": [succession_link(s.predecessor, s) for s in org.successions_in.all()],
        "member_organisations": [
            {
                "ods_code": member.ods_code,
                "name": member.name,
                "type": member.org_type,
                "url": api_detail_url(request, member.ods_code),
            }
            for member in org.member_organisations.all()
        ],
    }


def api_page_url(request, number: int | None) -> str | None:
    if number is None:
        return None
    return request.build_absolute_uri(request.path + query(request, page=number))
