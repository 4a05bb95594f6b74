"""Hearings, panels and interim orders: the reads their pages need and the view
models they show, and what the case pages show of them.

``staff_section`` feeds ``cases/staff/_hearings.jinja`` on the regulator's case page and
``mine_section`` feeds ``cases/mine/_hearings.jinja`` on the registrant's own case page.

Two audiences, as in ``presenters``: the regulator's staff (hearings officers, and the
panel members sitting on a hearing), and the registrant, who is never shown a member
of staff's name. Panel members' names are on the registrant's hearing notice: they
must be able to object to someone with a conflict.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from markupsafe import Markup, escape

from steward.accounts.models import RoleAssignment
from steward.cases.conflicts import conflicts_for, possibly_conflicted
from steward.cases.hearings import STAGE_FOR_KIND, earliest_hearing_date
from steward.cases.models import (
    OPEN_STAGES,
    Case,
    EvidenceParty,
    Hearing,
    HearingKind,
    HearingStatus,
    PanelSeat,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Stage,
)
from steward.cases.panels import PANEL_SIZE
from steward.cases.presenters import THE_REGULATOR, person_name, registrant_text, size_text
from steward.cases.rules import is_panel_member
from steward.cases.selectors_hearings import (
    case_hearings,
    interim_orders,
)
from steward.core import clock
from steward.core.formatting import uk_date, uk_datetime
from steward.core.nhsuk_forms import field_params

PANEL_ROLE = "panel_member"

STATUS_COLOURS = {
    HearingStatus.SCHEDULED: "blue",
    HearingStatus.HELD: "green",
    HearingStatus.ADJOURNED: "yellow",
    HearingStatus.CANCELLED: "grey",
}
ORDER_COLOURS = {
    SanctionStatus.IN_FORCE: "red",
    SanctionStatus.ENDED: "grey",
    SanctionStatus.REVOKED: "grey",
    SanctionStatus.SUPERSEDED: "grey",
}
CATEGORY_TEXT = {
    frozenset({"lay"}): "Lay member",
    frozenset({"manager"}): "Manager member",
    frozenset({"lay", "manager"}): "Lay member and manager member",
}
# What each kind of hearing is, for the registrant.
KIND_FOR_REGISTRANT = {
    HearingKind.INTERIM_ORDER: (
        "An interim order hearing decides whether you should be restricted, by conditions "
        "or a suspension, while your case goes on. It does not decide whether the "
        "allegations are true."
    ),
    HearingKind.SUBSTANTIVE: (
        "At this hearing a panel decides whether the allegations are proved, whether your "
        "fitness to practise is impaired and, if it is, what sanction applies."
    ),
    HearingKind.REVIEW: (
        "A review hearing looks at your sanction before it ends and decides what happens next."
    ),
    HearingKind.APPEAL: "An appeal hearing decides your appeal against the earlier decision.",
}


def status_tag(status: str) -> dict:
    return {"text": HearingStatus(status).label, "colour": STATUS_COLOURS[HearingStatus(status)]}


def order_kind_text(order: Sanction) -> str:
    if order.interim:
        return (
            "Interim suspension" if order.kind == SanctionKind.SUSPENSION else "Interim conditions"
        )
    return SanctionKind(order.kind).label


def order_tag(order: Sanction) -> dict:
    status = SanctionStatus(order.status)
    return {"text": status.label, "colour": ORDER_COLOURS[status]}


def panel_text(seats: int) -> str:
    if seats >= PANEL_SIZE:
        return "Complete"
    if seats == 0:
        return "Not formed"
    return f"{seats} of {PANEL_SIZE} seated"


def hearing_url(hearing: Hearing, name: str = "cases:hearing") -> str:
    return reverse(name, kwargs={"reference": hearing.case.reference, "hearing_id": hearing.pk})


def hearing_page_title(hearing: Hearing) -> str:
    return f"{HearingKind(hearing.kind).label} on {uk_date(hearing.starts_on)}"


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", kwargs={"reference": case.reference})
    return f"{url}#{anchor}" if anchor else url


def schedulable_kinds(case: Case) -> list[tuple[str, str]]:
    """The kinds of hearing the case's stage allows (the service checks again)."""
    if case.stage not in OPEN_STAGES:
        return []
    return [
        (kind.value, kind.label)
        for kind in HearingKind
        if STAGE_FOR_KIND[kind] is None or STAGE_FOR_KIND[kind] == case.stage
    ]


def may_arrange(user) -> bool:
    return user.has_perm("cases.arrange_hearings")


def may_respond(hearing: Hearing, *, today: dt.date) -> bool:
    """The registrant may respond to a scheduled hearing until the day before it."""
    return hearing.status == HearingStatus.SCHEDULED and today < hearing.starts_on


def interim_hearings(*, case: Case, user, started: bool) -> list[Hearing]:
    """The case's interim order hearings (not cancelled or adjourned) the person may
    act at: a hearings officer any, a panel member those they sit on; with
    ``started``, only those whose day has come."""
    hearings = Hearing.objects.filter(case=case, kind=HearingKind.INTERIM_ORDER).exclude(
        status__in=[HearingStatus.CANCELLED, HearingStatus.ADJOURNED]
    )
    if started:
        hearings = hearings.filter(starts_on__lte=clock.today())
    if not may_arrange(user):
        if not is_panel_member.test(user):
            return []
        hearings = hearings.filter(panel__member=user)
    found = list(hearings.order_by("-starts_on", "-pk"))
    for hearing in found:
        hearing.case = case
    return found


def hearing_choice(hearing: Hearing) -> tuple[str, str]:
    text = f"{HearingKind(hearing.kind).label} on {uk_date(hearing.starts_on)}"
    if hearing.status != HearingStatus.SCHEDULED:
        text += f" ({HearingStatus(hearing.status).label.lower()})"
    return (str(hearing.pk), text)


def acts_on_interim_orders(*, case: Case, user) -> bool:
    """A hearings officer, or a member of the panel at one of the case's interim order
    hearings."""
    return may_arrange(user) or bool(interim_hearings(case=case, user=user, started=False))


# --- The hearings list ------------------------------------------------------------------


@dataclass
class HearingRow:
    date: str
    kind: str
    reference: str
    registrant: str
    href: str
    case_href: str
    panel: str
    panel_complete: bool
    notice: str
    status: dict
    awaiting_record: bool = False
    chairing: bool = False


def hearing_rows(hearings, *, case_links: bool, today: dt.date) -> list[HearingRow]:
    rows = []
    for hearing in hearings:
        case = hearing.case
        rows.append(
            HearingRow(
                date=uk_date(hearing.starts_on),
                kind=HearingKind(hearing.kind).label,
                reference=case.reference,
                registrant=registrant_text(case),
                href=hearing_url(hearing),
                case_href=case_url(case) if case_links else "",
                panel=panel_text(hearing.seats),
                panel_complete=hearing.seats >= PANEL_SIZE,
                notice=uk_date(hearing.notice_served_on) or "Not served",
                status=status_tag(hearing.status),
                awaiting_record=(
                    hearing.status == HearingStatus.SCHEDULED and hearing.starts_on <= today
                ),
                chairing=bool(getattr(hearing, "chairing", False)),
            )
        )
    return rows


@dataclass
class ReviewRow:
    registrant: str
    reference: str
    case_href: str
    what: str
    review_by: str
    ends_on: str
    overdue: bool
    action_text: str
    action_href: str


def review_rows(sanctions, *, user, today: dt.date) -> list[ReviewRow]:
    """Orders and sanctions whose review is due, with the step that arranges it."""
    rows = []
    for sanction in sanctions:
        case = sanction.case
        if case.registrant.user_id is not None and case.registrant.user_id == user.pk:
            continue
        schedule = reverse("cases:hearing_schedule", kwargs={"reference": case.reference})
        if sanction.interim and case.stage in OPEN_STAGES:
            action = ("Schedule an interim order hearing", f"{schedule}?kind=interim_order")
        elif not sanction.interim and case.stage == Stage.REVIEW:
            action = ("Schedule a review hearing", f"{schedule}?kind=review")
        elif not sanction.interim:
            action = ("A caseworker opens a review of the case first", "")
        else:
            action = ("", "")
        rows.append(
            ReviewRow(
                registrant=str(sanction.registrant),
                reference=case.reference,
                case_href=case_url(case),
                what=order_kind_text(sanction),
                review_by=uk_date(sanction.review_by),
                ends_on=uk_date(sanction.ends_on) or "No end date",
                overdue=sanction.review_by < today,
                action_text=action[0],
                action_href=action[1],
            )
        )
    return rows


# --- One hearing --------------------------------------------------------------------------


@dataclass
class SeatView:
    name: str
    category: str
    chair: bool


def seat_views(seats: list[PanelSeat]) -> list[SeatView]:
    return [
        SeatView(
            name=person_name(seat.member),
            category="Lay member" if seat.category == "lay" else "Manager member",
            chair=seat.is_chair,
        )
        for seat in seats
    ]


@dataclass
class BundleRow:
    number: int
    title: str
    given_by: str
    added: str
    size: str
    sha256: str
    href: str


def bundle_rows(items, *, hearing: Hearing, staff: bool) -> list[BundleRow]:
    """The hearing bundle: what the registrant has seen or given. Staff download
    through the case's evidence; the panel through the hearing."""
    rows = []
    for item in items:
        if staff:
            href = reverse(
                "cases:evidence",
                kwargs={"reference": hearing.case.reference, "number": item.number},
            )
        else:
            href = reverse(
                "cases:hearing_bundle",
                kwargs={
                    "reference": hearing.case.reference,
                    "hearing_id": hearing.pk,
                    "number": item.number,
                },
            )
        rows.append(
            BundleRow(
                number=item.number,
                title=item.title,
                given_by="The registrant"
                if item.submitted_by == EvidenceParty.REGISTRANT
                else THE_REGULATOR,
                added=uk_date(item.added_at),
                size=size_text(item.size),
                sha256=item.sha256,
                href=href,
            )
        )
    return rows


@dataclass
class OrderRow:
    pk: int
    kind: str
    status: dict
    effective_from: str
    ends_on: str
    review_by: str
    ended_on: str
    conditions: str
    in_force: bool
    review_href: str = ""


def order_rows(orders: list[Sanction], *, case: Case, may_review: bool) -> list[OrderRow]:
    return [
        OrderRow(
            pk=order.pk,
            kind=order_kind_text(order),
            status=order_tag(order),
            effective_from=uk_date(order.effective_from),
            ends_on=uk_date(order.ends_on),
            review_by=uk_date(order.review_by) if order.status == SanctionStatus.IN_FORCE else "",
            ended_on=uk_date(order.ended_on),
            conditions=order.conditions,
            in_force=order.status == SanctionStatus.IN_FORCE,
            review_href=reverse(
                "cases:interim_order_review",
                kwargs={"reference": case.reference, "order_id": order.pk},
            )
            if may_review and order.status == SanctionStatus.IN_FORCE
            else "",
        )
        for order in orders
    ]


@dataclass
class HearingPage:
    hearing: Hearing
    case: Case
    title: str
    kind: str
    status: dict
    date: str
    location: str
    notice: str
    registrant: str
    seats: list[SeatView]
    panel_complete: bool
    response: str
    responded_at: str
    bundle: list[BundleRow]
    orders: list[OrderRow]
    officer: bool
    case_href: str = ""
    actions: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def hearing_page(
    hearing: Hearing, *, user, seats: list[PanelSeat], bundle, orders, today: dt.date
) -> HearingPage:
    """The hearing for a hearings officer or a member of its panel, with the steps
    they may take next."""
    case = hearing.case
    officer = may_arrange(user)
    scheduled = hearing.status == HearingStatus.SCHEDULED
    complete = len(seats) >= PANEL_SIZE
    actions: list[dict] = []
    notes: list[str] = []
    if officer and scheduled:
        actions.append(
            {"text": "Form the panel", "href": hearing_url(hearing, "cases:hearing_panel")}
        )
        actions.append(
            {"text": "Move the hearing", "href": hearing_url(hearing, "cases:hearing_reschedule")}
        )
        if hearing.starts_on > today:
            notes.append(
                "You can record that the hearing was held on or after "
                f"{uk_date(hearing.starts_on)}."
            )
        elif not complete:
            notes.append("Form the panel before recording that the hearing was held.")
        else:
            actions.append(
                {
                    "text": "Record that the hearing was held",
                    "href": hearing_url(hearing, "cases:hearing_held"),
                }
            )
    in_force = next((order for order in orders if order.status == SanctionStatus.IN_FORCE), None)
    interim_ready = (
        hearing.kind == HearingKind.INTERIM_ORDER
        and hearing.status not in (HearingStatus.CANCELLED, HearingStatus.ADJOURNED)
        and case.stage in OPEN_STAGES
    )
    if interim_ready and in_force is None:
        if hearing.starts_on <= today:
            make = reverse("cases:interim_order_make", kwargs={"reference": case.reference})
            actions.append(
                {"text": "Make an interim order", "href": f"{make}?hearing={hearing.pk}"}
            )
        else:
            notes.append(
                f"An interim order can be made at the hearing, on {uk_date(hearing.starts_on)} "
                "or after."
            )
    return HearingPage(
        hearing=hearing,
        case=case,
        title=hearing_page_title(hearing),
        kind=HearingKind(hearing.kind).label,
        status=status_tag(hearing.status),
        date=uk_date(hearing.starts_on),
        location=hearing.location or "Not given",
        notice=uk_date(hearing.notice_served_on) or "Not served",
        registrant=registrant_text(case),
        seats=seat_views(seats),
        panel_complete=complete,
        response=hearing.registrant_response,
        responded_at=uk_datetime(hearing.registrant_responded_at),
        bundle=bundle_rows(bundle, hearing=hearing, staff=officer),
        orders=order_rows(
            orders, case=case, may_review=officer or hearing.kind == HearingKind.INTERIM_ORDER
        ),
        officer=officer,
        case_href=case_url(case, "hearings") if officer else "",
        actions=actions,
        notes=notes,
    )


# --- Forming the panel -------------------------------------------------------------------


@dataclass
class Candidate:
    user: object
    categories: frozenset
    conflicts: list[str]

    @property
    def category_text(self) -> str:
        return CATEGORY_TEXT.get(self.categories, "Panel member")


def panel_candidates(*, case: Case) -> list[Candidate]:
    """Everyone holding a current panel member role, by name, with their categories and
    any conflict of interest with the case."""
    categories: dict[int, set[str]] = {}
    users = {}
    assignments = (
        RoleAssignment.objects.current()
        .filter(role=PANEL_ROLE, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    for assignment in assignments:
        users.setdefault(assignment.user_id, assignment.user)
        categories.setdefault(assignment.user_id, set()).add(assignment.panel_category)
    maybe = possibly_conflicted(case=case, user_ids=set(users))
    return [
        Candidate(
            user=user,
            categories=frozenset(categories[pk]),
            conflicts=conflicts_for(user=user, case=case) if pk in maybe else [],
        )
        for pk, user in users.items()
    ]


def _candidate_hint(candidate: Candidate, *, with_conflicts: bool) -> dict:
    if not with_conflicts or not candidate.conflicts:
        return {"text": candidate.category_text}
    lines = Markup("").join(
        Markup('<br><strong class="nhsuk-u-font-weight-bold">Conflict:</strong> {}').format(reason)
        for reason in candidate.conflicts
    )
    return {"html": escape(candidate.category_text) + lines}


def panel_fields(form, candidates: list[Candidate]) -> dict:
    """The members' checkboxes and the chair's radios, each person with their
    category and, on the checkboxes, any conflict with this case."""
    by_pk = {str(candidate.user.pk): candidate for candidate in candidates}
    members = field_params(form["members"])["params"]
    chair = field_params(form["chair"])["params"]
    for params, with_conflicts in ((members, True), (chair, False)):
        params["fieldset"]["legend"]["size"] = "m"
        for item in params["items"]:
            candidate = by_pk.get(item["value"])
            if candidate is not None:
                item["hint"] = _candidate_hint(candidate, with_conflicts=with_conflicts)
    return {"members": members, "chair": chair}


# --- The regulator's case page ----------------------------------------------------------


@dataclass
class CaseHearingRow:
    date: str
    kind: str
    status: dict
    panel: str
    notice: str
    href: str


def staff_section(*, case, user) -> dict:
    """The case's hearings and interim orders, and what the reader may do next. The
    template shows each part only when it has something in it or a step to take."""
    officer = may_arrange(user)
    today = clock.today()
    hearings = case_hearings(case=case)
    for hearing in hearings:
        hearing.case = case
    orders = interim_orders(case=case)
    in_force = any(order.status == SanctionStatus.IN_FORCE for order in orders)
    kinds = schedulable_kinds(case) if officer else []
    interim_days = [
        hearing.starts_on
        for hearing in hearings
        if hearing.kind == HearingKind.INTERIM_ORDER
        and hearing.status not in (HearingStatus.CANCELLED, HearingStatus.ADJOURNED)
    ]
    make_order = ""
    make_order_note = ""
    if officer and case.stage in OPEN_STAGES and not in_force and interim_days:
        if min(interim_days) <= today:
            make_order = reverse("cases:interim_order_make", kwargs={"reference": case.reference})
        else:
            make_order_note = (
                "An interim order can be made at the interim order hearing, on "
                f"{uk_date(min(interim_days))} or after."
            )
    return {
        "rows": [
            CaseHearingRow(
                date=uk_date(hearing.starts_on),
                kind=HearingKind(hearing.kind).label,
                status=status_tag(hearing.status),
                panel=panel_text(hearing.seats),
                notice=uk_date(hearing.notice_served_on) or "Not served",
                href=hearing_url(hearing) if officer else "",
            )
            for hearing in hearings
        ],
        "schedule_url": reverse("cases:hearing_schedule", kwargs={"reference": case.reference})
        if kinds
        else "",
        "schedule_kinds": ", ".join(label.lower() for _, label in kinds),
        "orders": order_rows(orders, case=case, may_review=officer),
        "make_order_url": make_order,
        "make_order_note": make_order_note,
    }


# --- The registrant's own case page -----------------------------------------------------


@dataclass
class MineHearing:
    kind: str
    explanation: str
    date: str
    location: str
    notice: str
    status: str
    scheduled: bool
    panel: list[SeatView]
    respond_by: str
    may_respond: bool
    respond_url: str
    response: str
    responded_at: str


@dataclass
class MineOrder:
    kind: str
    effective_from: str
    ends_on: str
    review_by: str
    conditions: str


def mine_section(*, case, user) -> dict:
    """The hearing notices served on the registrant, in plain English, and any interim
    order in force on them. No member of staff is named; the panel is."""
    today = clock.today()
    hearings = list(
        Hearing.objects.filter(case=case)
        .exclude(status=HearingStatus.CANCELLED)
        .prefetch_related("panel__member")
        .order_by("starts_on", "pk")
    )
    views = []
    for hearing in hearings:
        scheduled = hearing.status == HearingStatus.SCHEDULED
        seats = sorted(hearing.panel.all(), key=lambda seat: (not seat.is_chair, seat.pk))
        views.append(
            MineHearing(
                kind=HearingKind(hearing.kind).label,
                explanation=KIND_FOR_REGISTRANT[HearingKind(hearing.kind)],
                date=uk_date(hearing.starts_on),
                location=hearing.location or "We will tell you where",
                notice=uk_date(hearing.notice_served_on),
                status=HearingStatus(hearing.status).label,
                scheduled=scheduled,
                panel=seat_views(seats),
                respond_by=uk_date(hearing.starts_on - dt.timedelta(days=1)),
                may_respond=may_respond(hearing, today=today),
                respond_url=reverse(
                    "cases:mine_hearing_respond",
                    kwargs={"reference": case.reference, "hearing_id": hearing.pk},
                ),
                response=hearing.registrant_response,
                responded_at=uk_datetime(hearing.registrant_responded_at),
            )
        )
    orders = [
        MineOrder(
            kind=order_kind_text(order),
            effective_from=uk_date(order.effective_from),
            ends_on=uk_date(order.ends_on),
            review_by=uk_date(order.review_by),
            conditions=order.conditions,
        )
        for order in Sanction.objects.filter(
            case=case, interim=True, status=SanctionStatus.IN_FORCE
        ).order_by("-effective_from", "-pk")
    ]
    return {
        "show": bool(views or orders),
        "hearings": views,
        "orders": orders,
        "notice_days": settings.CASES_HEARING_NOTICE_DAYS,
    }


# --- Scheduling -------------------------------------------------------------------------


def earliest_text() -> str:
    return (
        f"The registrant must have at least {settings.CASES_HEARING_NOTICE_DAYS} days' notice. "
        f"Notice is served today, so the earliest date is {uk_date(earliest_hearing_date())}. "
        "For example, " + " ".join(str(part) for part in _parts(earliest_hearing_date()))
    )


def _parts(day: dt.date) -> tuple[int, int, int]:
    return day.day, day.month, day.year
