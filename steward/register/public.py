"""The public register: reads and their wording. Only public fields ever leave this module.

Public: registration number, legal forenames and surname, known-as name,
register status and the date it took effect, career roles (organisation,
title, category, dates, interim or not) and verified qualifications.
Everything else on a record is restricted, and this module never loads it:
every query names the columns it reads (``.only``/``.values``), so a
restricted value cannot reach a page, the API or the CSV by accident.

A "current" role has started and not ended (no end date, or one still to
come); a role starting in the future is not shown until it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.jinja import query
from steward.register import search
from steward.register.models import (
    CareerRole,
    Qualification,
    QualificationStatus,
    RegisterStatus,
    Registrant,
    RoleCategory,
    StatusChange,
)
from steward.register.numbers import clean_registration_number, registration_number_problem

PAGE_SIZE = 50
MAX_PAGE = search.MAX_RESULTS // PAGE_SIZE
PUBLIC_REGISTRANT_FIELDS = (
    "id",
    "registration_number",
    "legal_forenames",
    "legal_surname",
    "known_as",
    "status",
    "status_since",
    "merged_into_id",
)
PUBLIC_ROLE_FIELDS = (
    "id",
    "registrant_id",
    "organisation_id",
    "title",
    "category",
    "start_date",
    "end_date",
    "is_interim",
    "organisation__id",
    "organisation__ods_code",
    "organisation__name",
)
# Statuses under which a restriction is in force, and how the entry describes it.
RESTRICTIONS = {
    RegisterStatus.CONDITIONS: "Conditions on practice",
    RegisterStatus.SUSPENDED: "Suspension",
    RegisterStatus.BARRED: "Barred from NHS management",
}
STATUS_COLOURS = {
    RegisterStatus.REGISTERED: "green",
    RegisterStatus.CONDITIONS: "yellow",
    RegisterStatus.SUSPENDED: "orange",
    RegisterStatus.BARRED: "red",
    RegisterStatus.LAPSED: "grey",
    RegisterStatus.VOLUNTARILY_REMOVED: "grey",
}


# --- Selectors --------------------------------------------------------------------


def _current_roles_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def _public_roles(queryset=None):
    queryset = CareerRole.objects.all() if queryset is None else queryset
    return queryset.select_related("organisation").only(*PUBLIC_ROLE_FIELDS)


def _public_registrants():
    return Registrant.objects.only(*PUBLIC_REGISTRANT_FIELDS)


@dataclass
class SearchResults:
    registrants: list[Registrant]
    count: int
    count_is_exact: bool
    page: int
    page_size: int

    @property
    def num_pages(self) -> int:
        shown = min(self.count, search.MAX_RESULTS)
        return max(1, -(-shown // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.registrants else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.registrants)


def public_search(
    *,
    q: str = "",
    organisation=None,
    region=None,
    status: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    """One page of the public register, each registrant with ``current_roles``.

    Four queries whatever the page holds: count, page of ids, registrants,
    their current roles with organisations. Previous names are never searched.
    """
    page = max(1, page)
    found = search.registrant_search(
        q=q,
        organisation_id=organisation.pk if organisation is not None else None,
        region_id=region.pk if region is not None else None,
        status=status or None,
        offset=(page - 1) * page_size,
        limit=page_size,
        include_previous_names=False,
    )
    registrants = registrants_with_current_roles(found.ids)
    return SearchResults(
        registrants=registrants,
        count=found.count,
        count_is_exact=found.count_is_exact,
        page=page,
        page_size=page_size,
    )


@dataclass(frozen=True)
class PublicOrganisation:
    ods_code: str
    name: str


@dataclass(frozen=True)
class PublicRole:
    """A career role's public fields: what lists, the API and the CSV show."""

    title: str
    category: str
    start_date: dt.date
    end_date: dt.date | None
    is_interim: bool
    organisation: PublicOrganisation


def registrants_with_current_roles(ids: list[int]) -> list[Registrant]:
    """Registrants in the order of ``ids``, each with ``current_roles`` (two queries).

    Roles are read as plain values (no model instances): a page of results
    builds a few hundred of them, and this is the public register's busiest path.
    """
    if not ids:
        return []
    today = clock.today()
    by_id = {r.pk: r for r in _public_registrants().filter(pk__in=ids)}
    for registrant in by_id.values():
        registrant.current_roles = []
    rows = (
        CareerRole.objects.filter(_current_roles_q(today), registrant_id__in=ids)
        .order_by("-start_date", "id")
        .values_list(
            "registrant_id",
            "title",
            "category",
            "start_date",
            "end_date",
            "is_interim",
            "organisation__ods_code",
            "organisation__name",
        )
    )
    organisations: dict[tuple[str, str], PublicOrganisation] = {}
    for registrant_id, title, category, start, end, interim, ods_code, org_name in rows:
        organisation = organisations.get((ods_code, org_name))
        if organisation is None:
            organisation = organisations.setdefault(
                (ods_code, org_name), PublicOrganisation(ods_code=ods_code, name=org_name)
            )
        by_id[registrant_id].current_roles.append(
            PublicRole(
                title=title,
                category=category,
                start_date=start,
                end_date=end,
                is_interim=interim,
                organisation=organisation,
            )
        )
    return [by_id[pk] for pk in ids if pk in by_id]


class NotOnRegister(Exception):
    """No record has this number, or the number is not a real one (``problem`` says why)."""

    def __init__(self, number: str, problem: str | None = None):
        self.number = number
        self.problem = problem
        super().__init__(problem or f"No one on the register has the number {number}.")


@dataclass
class Lookup:
    registrant: Registrant
    # Set when the number asked for belongs to a record merged into this one.
    merged_from: str | None = None


def public_registrant_lookup(*, registration_number: str) -> Lookup:
    """The record a registration number (any case, spaces ignored) shows publicly.

    A record merged into another leads to the surviving record. Raises
    :class:`NotOnRegister` for an unknown or malformed number.
    """
    number = clean_registration_number(registration_number)[:20]
    problem = registration_number_problem(number)
    if problem:
        raise NotOnRegister(number, problem)
    try:
        registrant = _public_registrants().get(registration_number=number)
    except Registrant.DoesNotExist as exc:
        raise NotOnRegister(number) from exc
    seen = {registrant.pk}
    while registrant.merged_into_id is not None:
        registrant = _public_registrants().get(pk=registrant.merged_into_id)
        if registrant.pk in seen:  # a loop would be a data error; stop rather than spin
            raise NotOnRegister(number)
        seen.add(registrant.pk)
    if registrant.registration_number != number:
        return Lookup(registrant=registrant, merged_from=number)
    return Lookup(registrant=registrant)


@dataclass
class EntryData:
    registrant: Registrant
    roles: list[CareerRole]
    qualifications: list[Qualification]
    status_change: StatusChange | None


def public_entry_data(registrant: Registrant) -> EntryData:
    """Everything the public entry shows, in three more queries."""
    today = clock.today()
    roles = list(
        _public_roles(
            CareerRole.objects.filter(registrant=registrant, start_date__lte=today)
        ).order_by("-start_date", "-id")
    )
    qualifications = list(
        Qualification.objects.filter(
            registrant=registrant, status=QualificationStatus.VERIFIED
        ).only("id", "title", "awarding_body", "awarded_on")
    )
    status_change = (
        StatusChange.objects.filter(registrant=registrant, to_status=registrant.status)
        .only("id", "to_status", "effective_on")
        .order_by("-effective_on", "-recorded_at", "-pk")
        .first()
    )
    return EntryData(
        registrant=registrant,
        roles=roles,
        qualifications=qualifications,
        status_change=status_change,
    )


def public_register_batches(*, batch_size: int = 2000) -> Iterator[list[Registrant]]:
    """The whole public register, by registration number, a batch at a time.

    Two queries a batch (registrants; their current roles); memory holds one
    batch, however large the register.
    """
    last = ""
    while True:
        ids = list(
            Registrant.objects.on_register()
            .filter(registration_number__gt=last)
            .order_by("registration_number")
            .values_list("id", "registration_number")[:batch_size]
        )
        if not ids:
            return
        registrants = registrants_with_current_roles([pk for pk, _ in ids])
        yield registrants
        last = ids[-1][1]
        if len(ids) < batch_size:
            return


# --- Presenters -------------------------------------------------------------------


def display_name(registrant: Registrant) -> str:
    return registrant.display_name


def status_label(status: str) -> str:
    try:
        return RegisterStatus(status).label
    except ValueError:
        return status


def status_tag(status: str) -> dict:
    """Params for the NHS tag showing a register status."""
    return {"text": status_label(status), "colour": STATUS_COLOURS.get(status, "grey")}


def category_label(category: str) -> str:
    try:
        return RoleCategory(category).label
    except ValueError:
        return category


def entry_url(registrant: Registrant) -> str:
    return reverse("register:entry", kwargs={"registration_number": registrant.registration_number})


@dataclass
class RoleRow:
    title: str
    organisation_name: str
    organisation_ods_code: str
    organisation_url: str
    category: str
    category_label: str
    start_date: dt.date
    end_date: dt.date | None
    is_interim: bool
    dates: str
    is_current: bool


def role_row(role: CareerRole | PublicRole, *, today: dt.date) -> RoleRow:
    org = role.organisation
    current = role.end_date is None or role.end_date >= today
    if role.end_date is None:
        dates = f"Since {uk_date(role.start_date)}"
    elif current:
        dates = f"Since {uk_date(role.start_date)}, ending {uk_date(role.end_date)}"
    else:
        dates = f"{uk_date(role.start_date)} to {uk_date(role.end_date)}"
    return RoleRow(
        title=role.title + (" (interim)" if role.is_interim else ""),
        organisation_name=org.name,
        organisation_ods_code=org.ods_code,
        organisation_url=reverse("organisations:detail", kwargs={"ods_code": org.ods_code}),
        category=role.category,
        category_label=category_label(role.category),
        start_date=role.start_date,
        end_date=role.end_date,
        is_interim=role.is_interim,
        dates=dates,
        is_current=current,
    )


@dataclass
class ResultRow:
    name: str
    url: str
    registration_number: str
    status_tag: dict
    roles: list[RoleRow]


def result_rows(registrants: list[Registrant]) -> list[ResultRow]:
    today = clock.today()
    return [
        ResultRow(
            name=display_name(r),
            url=entry_url(r),
            registration_number=r.registration_number,
            status_tag=status_tag(r.status),
            roles=[role_row(role, today=today) for role in r.current_roles],
        )
        for r in registrants
    ]


def count_text(count: int, *, exact: bool = True) -> str:
    if not exact:
        return f"More than {count:,} people"
    return f"{count:,} " + ("person" if count == 1 else "people")


def results_summary(results: SearchResults) -> str:
    """'Showing 51 to 100 of 1,234 people', or just the count on one page."""
    total = count_text(results.count, exact=results.count_is_exact)
    if results.num_pages <= 1:
        return total
    return f"Showing {results.start_index:,} to {results.end_index:,} of {total.lower()}"


def status_select_items(selected: str | None) -> list[dict]:
    items = [{"value": "", "text": "Any status"}]
    items += [
        {"value": choice.value, "text": choice.label, "selected": selected == choice.value}
        for choice in RegisterStatus
    ]
    return items


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 40: the first and last pages, two each side, None for gaps."""
    wanted = {1, last, *range(current - 2, current + 3)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination(request, results: SearchResults) -> dict | None:
    """Params for the NHS pagination component: numbered pages with ellipses."""
    if results.num_pages <= 1:
        return None
    items = [
        {"ellipsis": True}
        if number is None
        else {
            "number": number,
            "href": query(request, page=number),
            "current": number == results.page,
        }
        for number in _page_numbers(results.page, results.num_pages)
    ]
    params: dict = {"items": items}
    if results.has_previous:
        params["previous"] = {"href": query(request, page=results.page - 1)}
    if results.has_next:
        params["next"] = {"href": query(request, page=results.page + 1)}
    return params


def number_hint(q: str) -> str | None:
    """When a search looks like a registration number that cannot be one, say why."""
    cleaned = clean_registration_number(q)
    if len(cleaned) >= 6 and cleaned[:1] == "M" and cleaned[1:].isdigit():
        return registration_number_problem(cleaned)
    return None


@dataclass
class Restriction:
    heading: str
    since: str
    text: str


@dataclass
class EntryPage:
    title: str
    registration_number: str
    status_tag: dict
    summary_rows: list[dict]
    restriction: Restriction | None
    current_roles: list[RoleRow] = field(default_factory=list)
    past_roles: list[RoleRow] = field(default_factory=list)
    qualifications: list[dict] = field(default_factory=list)
    merged_from: str | None = None


def _status_since(data: EntryData) -> dt.date:
    if data.status_change is not None:
        return data.status_change.effective_on
    return data.registrant.status_since


def restriction(data: EntryData) -> Restriction | None:
    """What is in force because of the current status, and since when."""
    status = data.registrant.status
    if status not in RESTRICTIONS:
        return None
    since = uk_date(_status_since(data))
    texts = {
        RegisterStatus.CONDITIONS: (
            "This person may work as an NHS manager, but must meet conditions set by the regulator."
        ),
        RegisterStatus.SUSPENDED: (
            "This person must not work as an NHS manager while the suspension is in force."
        ),
        RegisterStatus.BARRED: "This person must not work as an NHS manager.",
    }
    return Restriction(heading=RESTRICTIONS[status], since=since, text=texts[status])


def entry_page(data: EntryData, *, merged_from: str | None = None) -> EntryPage:
    registrant = data.registrant
    today = clock.today()
    rows = [
        {"key": {"text": "Registration number"}, "value": {"text": registrant.registration_number}},
        {"key": {"text": "Legal name"}, "value": {"text": registrant.legal_name}},
    ]
    if registrant.known_as:
        rows.append({"key": {"text": "Known as"}, "value": {"text": registrant.known_as}})
    rows.append(
        {
            "key": {"text": "Register status"},
            "value": {
                "text": f"{status_label(registrant.status)} since {uk_date(_status_since(data))}"
            },
        }
    )
    role_rows = [role_row(role, today=today) for role in data.roles]
    return EntryPage(
        title=display_name(registrant),
        registration_number=registrant.registration_number,
        status_tag=status_tag(registrant.status),
        summary_rows=rows,
        restriction=restriction(data),
        current_roles=[r for r in role_rows if r.is_current],
        past_roles=[r for r in role_rows if not r.is_current],
        qualifications=[
            {
                "title": q.title,
                "awarding_body": q.awarding_body,
                "awarded_on": uk_date(q.awarded_on) if q.awarded_on else "",
            }
            for q in data.qualifications
        ],
        merged_from=merged_from,
    )


# --- API and CSV ------------------------------------------------------------------


def api_role(role: CareerRole | PublicRole) -> dict:
    return {
        "organisation": {"ods_code": role.organisation.ods_code, "name": role.organisation.name},
        "title": role.title,
        "category": role.category,
        "start_date": role.start_date,
        "end_date": role.end_date,
        "is_interim": role.is_interim,
    }


_NUMBER_PLACEHOLDER = "M0000000"


def api_entry_url(request, registrant: Registrant) -> str:
    # Reversed once per request rather than once per result (a page has 50).
    cache = request.__dict__.setdefault("_register_api_url", {})
    if "template" not in cache:
        cache["template"] = request.build_absolute_uri(
            reverse("api:register_detail", kwargs={"registration_number": _NUMBER_PLACEHOLDER})
        )
    head, _, tail = cache["template"].rpartition(_NUMBER_PLACEHOLDER)
    return f"{head}{registrant.registration_number}{tail}"


def api_summary(request, registrant: Registrant) -> dict:
    return {
        "registration_number": registrant.registration_number,
        "name": display_name(registrant),
        "status": registrant.status,
        "status_label": status_label(registrant.status),
        "roles": [api_role(role) for role in registrant.current_roles],
        "url": api_entry_url(request, registrant),
    }


def api_detail(request, data: EntryData) -> dict:
    registrant = data.registrant
    today = clock.today()
    found = restriction(data)
    return {
        "registration_number": registrant.registration_number,
        "name": display_name(registrant),
        "legal_forenames": registrant.legal_forenames,
        "legal_surname": registrant.legal_surname,
        "known_as": registrant.known_as,
        "status": registrant.status,
        "status_label": status_label(registrant.status),
        "status_since": _status_since(data),
        "restriction": (
            {
                "status": registrant.status,
                "description": found.heading,
                "since": _status_since(data),
            }
            if found
            else None
        ),
        "current_roles": [
            api_role(r) for r in data.roles if r.end_date is None or r.end_date >= today
        ],
        "past_roles": [
            api_role(r) for r in data.roles if r.end_date is not None and r.end_date < today
        ],
        "qualifications": [
            {"title": q.title, "awarding_body": q.awarding_body, "awarded_on": q.awarded_on}
            for q in data.qualifications
        ],
        "url": api_entry_url(request, registrant),
    }


CSV_HEADER = [
    "registration_number",
    "name",
    "legal_forenames",
    "legal_surname",
    "known_as",
    "status",
    "status_since",
    "current_roles",
    "current_organisation_codes",
]
# Spreadsheets run a cell starting with these as a formula; a quote stops that.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_row(registrant: Registrant) -> list[str]:
    roles = registrant.current_roles
    described = [
        f"{r.title}{' (interim)' if r.is_interim else ''}, {r.organisation.name} "
        f"({r.organisation.ods_code}), {category_label(r.category).lower()}, "
        f"since {r.start_date.isoformat()}"
        for r in roles
    ]
    return [
        _cell(v)
        for v in (
            registrant.registration_number,
            display_name(registrant),
            registrant.legal_forenames,
            registrant.legal_surname,
            registrant.known_as,
            registrant.status,
            registrant.status_since.isoformat(),
            "; ".join(described),
            ";".join(dict.fromkeys(r.organisation.ods_code for r in roles)),
        )
    ]
