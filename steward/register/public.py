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
from markupsafe import Markup, escape

from steward.cases.models import Sanction, SanctionKind, SanctionStatus
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


class _Paged:
    """Page arithmetic for a page of ``rows`` out of ``reachable`` (both set by subclasses)."""

    page: int
    page_size: int

    @property
    def rows(self) -> list:
        raise NotImplementedError

    @property
    def reachable(self) -> int:
        raise NotImplementedError

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.reachable // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.rows)


def missing_page(number: int, num_pages: int) -> str | None:
    """'There is no page 5: there are 3 pages', or None when the page exists."""
    if number <= num_pages:
        return None
    pages = "is 1 page" if num_pages == 1 else f"are {num_pages:,} pages"
    return f"There is no page {number}: there {pages}"


@dataclass
class SearchResults(_Paged):
    registrants: list[Registrant]
    count: int
    count_is_exact: bool
    page: int
    page_size: int

    @property
    def rows(self) -> list[Registrant]:
        return self.registrants

    @property
    def reachable(self) -> int:
        return min(self.count, search.MAX_RESULTS)


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


@dataclass(frozen=True)
class PublicSanction:
    """A sanction or interim order's public fields: never the allegations, evidence or
    the panel's reasons, only what the published summary says."""

    id: int
    kind: str
    interim: bool
    status: str
    effective_from: dt.date
    ends_on: dt.date | None
    ended_on: dt.date | None
    conditions: str
    summary: str
    publish_until: dt.date | None

    @property
    def in_force(self) -> bool:
        return self.status == SanctionStatus.IN_FORCE


PUBLIC_SANCTION_FIELDS = (
    "id",
    "kind",
    "interim",
    "status",
    "effective_from",
    "ends_on",
    "ended_on",
    "conditions",
    "published_summary",
    "publish_until",
)
# Sanctions that restrict practice while in force; the others (a warning, agreed
# undertakings) are shown for their publication period only.
RESTRICTING_KINDS = (SanctionKind.CONDITIONS, SanctionKind.SUSPENSION, SanctionKind.BARRING)


def shown_sanctions_q(today: dt.date) -> Q:
    """Sanctions the public sees: published (never advice, never a health-related
    matter) and either restricting practice now (interim orders: only then) or
    within their publication period. One replaced on appeal is unpublished."""
    in_force = Q(status=SanctionStatus.IN_FORCE) & (Q(interim=True) | Q(kind__in=RESTRICTING_KINDS))
    in_period = Q(interim=False, publish_until__gte=today) & Q(
        status__in=[SanctionStatus.IN_FORCE, SanctionStatus.ENDED, SanctionStatus.SUPERSEDED]
    )
    return (
        Q(published=True, effective_from__lte=today)
        & ~Q(kind=SanctionKind.ADVICE)
        & (in_force | in_period)
    )


def public_sanctions(registrant_id: int, *, today: dt.date | None = None) -> list[PublicSanction]:
    """The sanctions on a public entry, newest first, in one query."""
    today = today or clock.today()
    rows = (
        Sanction.objects.filter(shown_sanctions_q(today), registrant_id=registrant_id)
        .order_by("-effective_from", "-pk")
        .values_list(*PUBLIC_SANCTION_FIELDS)
    )
    return [PublicSanction(*row) for row in rows]


@dataclass
class EntryData:
    registrant: Registrant
    roles: list[CareerRole]
    qualifications: list[Qualification]
    status_change: StatusChange | None
    sanctions: list[PublicSanction] = field(default_factory=list)


def public_entry_data(registrant: Registrant) -> EntryData:
    """Everything the public entry shows, in four more queries."""
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
        sanctions=public_sanctions(registrant.pk, today=today),
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


def pagination(request, results: _Paged) -> dict | None:
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
    interim: bool = False

    @property
    def html(self) -> Markup:
        """The callout's body: when it took effect, and what it means."""
        return Markup("<p>In force since {}.</p><p>{}</p>").format(self.since, self.text)


@dataclass
class SanctionSection:
    """One sanction on the public entry: its anchor (the barred list links to it),
    heading and summary list rows."""

    anchor: str
    heading: str
    in_force: bool
    rows: list[dict]


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
    sanctions: list[SanctionSection] = field(default_factory=list)


def _status_since(data: EntryData) -> dt.date:
    if data.status_change is not None:
        return data.status_change.effective_on
    return data.registrant.status_since


# The register status each kind of sanction or interim order brings.
SANCTION_STATUS = {
    SanctionKind.CONDITIONS: RegisterStatus.CONDITIONS,
    SanctionKind.SUSPENSION: RegisterStatus.SUSPENDED,
    SanctionKind.BARRING: RegisterStatus.BARRED,
}
SANCTION_HEADINGS = {
    SanctionKind.WARNING: "Warning",
    SanctionKind.UNDERTAKINGS: "Agreed undertakings",
    SanctionKind.CONDITIONS: "Conditions on practice",
    SanctionKind.SUSPENSION: "Suspension",
    SanctionKind.BARRING: "Barred from NHS management",
}
INTERIM_TEXT = (
    "An interim order protects the public while a fitness to practise case is "
    "decided. It is not a finding that the allegations are proved."
)


def _interim_in_force(data: EntryData) -> PublicSanction | None:
    status = data.registrant.status
    return next(
        (
            s
            for s in data.sanctions
            if s.interim and s.in_force and SANCTION_STATUS.get(s.kind) == status
        ),
        None,
    )


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
    if _interim_in_force(data) is not None:
        return Restriction(
            heading=f"Interim order: {RESTRICTIONS[status].lower()}",
            since=since,
            text=f"{texts[status]} {INTERIM_TEXT}",
            interim=True,
        )
    return Restriction(heading=RESTRICTIONS[status], since=since, text=texts[status])


def sanction_anchor(sanction_id: int) -> str:
    return f"sanction-{sanction_id}"


def _paragraphs(text: str) -> Markup:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(escape(p)) for p in parts)


def _row(key: str, value: str | None = None, *, html: Markup | None = None) -> dict:
    shown = {"html": html} if html is not None else {"text": value}
    return {"key": {"text": key}, "value": shown}


def sanction_section(sanction: PublicSanction, *, today: dt.date) -> SanctionSection:
    heading = SANCTION_HEADINGS.get(sanction.kind, sanction.kind)
    if sanction.interim:
        heading = f"Interim order: {heading.lower()}"
    in_force = sanction.in_force and (sanction.ends_on is None or sanction.ends_on >= today)
    restricting = sanction.interim or sanction.kind in RESTRICTING_KINDS
    rows = []
    if restricting:
        if in_force:
            rows.append(_row("Status", "In force"))
        else:
            ended = sanction.ended_on or sanction.ends_on
            rows.append(_row("Status", f"Ended on {uk_date(ended)}" if ended else "Ended"))
    rows.append(
        _row("Took effect" if restricting else "Given on", uk_date(sanction.effective_from))
    )
    if sanction.kind == SanctionKind.BARRING and in_force:
        rows.append(_row("Ends", "When the regulator lifts it"))
    elif sanction.ends_on and in_force:
        rows.append(_row("Ends", uk_date(sanction.ends_on)))
    if sanction.kind == SanctionKind.CONDITIONS and sanction.conditions:
        rows.append(_row("Conditions", html=_paragraphs(sanction.conditions)))
    if sanction.interim:
        rows.append(_row("About interim orders", INTERIM_TEXT))
    elif sanction.summary:
        rows.append(_row("Summary of the decision", html=_paragraphs(sanction.summary)))
    if not sanction.interim and sanction.publish_until:
        rows.append(_row("Shown on the register until", uk_date(sanction.publish_until)))
    return SanctionSection(
        anchor=sanction_anchor(sanction.id), heading=heading, in_force=in_force, rows=rows
    )


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
        sanctions=[sanction_section(s, today=today) for s in data.sanctions],
    )


# --- The barred list ---------------------------------------------------------------

BARRED_MAX_PAGE = 10_000


@dataclass(frozen=True)
class BarredEntry:
    registrant: Registrant
    barred_since: dt.date
    # The published barring whose summary the entry shows; None for a bar recorded
    # before cases existed, or one that is not published.
    sanction_id: int | None


@dataclass
class BarredPage(_Paged):
    entries: list[BarredEntry]
    count: int
    page: int
    page_size: int

    @property
    def rows(self) -> list[BarredEntry]:
        return self.entries

    @property
    def reachable(self) -> int:
        return self.count


def barred_list(*, page: int = 1, page_size: int = PAGE_SIZE) -> BarredPage:
    """Everyone barred now, by surname, a page at a time, in three queries: how many,
    the page of people, and their barring sanctions in force. Someone barred before
    cases existed is listed from the date their status changed."""
    today = clock.today()
    page = max(1, page)
    barred = Registrant.objects.on_register().filter(status=RegisterStatus.BARRED)
    count = barred.count()
    offset = (page - 1) * page_size
    registrants = list(
        barred.only(*PUBLIC_REGISTRANT_FIELDS).order_by(
            "surname_key", "legal_forenames", "registration_number"
        )[offset : offset + page_size]
    )
    bars: dict[int, tuple[int, dt.date, bool]] = {}
    for registrant_id, sanction_id, effective_from, published in (
        Sanction.objects.filter(
            registrant_id__in=[r.pk for r in registrants],
            kind=SanctionKind.BARRING,
            status=SanctionStatus.IN_FORCE,
            effective_from__lte=today,
        )
        .order_by("effective_from", "pk")
        .values_list("registrant_id", "id", "effective_from", "published")
    ):
        bars.setdefault(registrant_id, (sanction_id, effective_from, published))
    entries = []
    for registrant in registrants:
        bar = bars.get(registrant.pk)
        entries.append(
            BarredEntry(
                registrant=registrant,
                barred_since=bar[1] if bar else registrant.status_since,
                sanction_id=bar[0] if bar and bar[2] else None,
            )
        )
    return BarredPage(entries=entries, count=count, page=page, page_size=page_size)


def barred_page_number(raw: str | None) -> tuple[int, str | None]:
    """The page asked for in a query string, or page 1 and what is wrong with it."""
    if raw is None or raw == "":
        return 1, None
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= BARRED_MAX_PAGE:
        return 1, "Page must be a whole number, like 2"
    return int(text), None


def barred_summary_url(entry: BarredEntry) -> str:
    """The published determination summary: its section on the public entry (or the
    entry's restriction, for a bar with no published summary)."""
    anchor = sanction_anchor(entry.sanction_id) if entry.sanction_id else "restriction"
    return f"{entry_url(entry.registrant)}#{anchor}"


def barred_rows(page: BarredPage) -> list[dict]:
    return [
        {
            "name": display_name(e.registrant),
            "url": entry_url(e.registrant),
            "registration_number": e.registrant.registration_number,
            "since": uk_date(e.barred_since),
            "summary_url": barred_summary_url(e),
            "has_summary": e.sanction_id is not None,
        }
        for e in page.entries
    ]


def barred_summary(page: BarredPage) -> str:
    total = count_text(page.count)
    if page.num_pages <= 1:
        return f"{total} barred"
    return f"Showing {page.start_index:,} to {page.end_index:,} of {total.lower()} barred"


def api_barred(request, entry: BarredEntry) -> dict:
    return {
        "registration_number": entry.registrant.registration_number,
        "name": display_name(entry.registrant),
        "barred_since": entry.barred_since,
        "determination_summary_url": request.build_absolute_uri(barred_summary_url(entry)),
        "url": api_entry_url(request, entry.registrant),
    }


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
