"""Appointment vetting: what an employer must know before someone starts.

Vetting is worked out afresh whenever it is shown (only whether a support
plan is recommended is stored, on the appointment). Each check is a small
function over a batch of appointments, so a list of appointments is vetted in
a fixed number of queries whatever its length.

Extension point: another capability adds a check with :func:`vetting_check_add`
(the cases capability adds "open cases" this way once cases exist). A check
takes the list of :class:`VettingContext` and appends findings to each
``context.vetting``; it should load anything it needs for the whole batch at
once.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from steward.core.formatting import uk_date
from steward.organisations.models import RiskLevel
from steward.references.coverage import EmployerToAsk, employers_to_ask, successors_of
from steward.references.models import (
    Appointment,
    AppointmentStatus,
    ReferenceRequest,
    RequestStatus,
)
from steward.register.models import BOARD_CATEGORIES, CareerRole, RegisterStatus, Registrant

GAP_LOOK_BACK_YEARS = 5
GAP_ALLOWED = relativedelta(months=3)
ONE_DAY = dt.timedelta(days=1)

# Findings shown first and most prominently: restrictions on the person's registration.
PROMINENT_CODES = frozenset({"registrant_barred", "registrant_suspended", "registrant_conditions"})

SUPPORT_PLAN = (
    "A mentor who is an experienced board member of another NHS organisation, "
    "for at least their first year",
    "A structured induction before they take board decisions: the organisation's "
    "risks, its governance and assurance, and the duties of a board member",
    "A review with the chair every quarter for their first year",
    "A development plan against the six domains of the leadership competency "
    "framework for board members, reviewed at their first appraisal",
    "A place in a network of new board members in the region, for peer support",
)


@dataclass(frozen=True)
class Finding:
    """One thing vetting found: a stable ``code`` for systems, a ``message`` for people."""

    code: str
    message: str

    @property
    def prominent(self) -> bool:
        return self.code in PROMINENT_CODES


@dataclass
class Vetting:
    blocking: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # A recommended support and mentoring plan; empty when none is recommended.
    support_plan: list[str] = field(default_factory=list)

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocking)

    @property
    def codes(self) -> set[str]:
        return {f.code for f in [*self.blocking, *self.warnings]}

    def finding(self, code: str) -> Finding | None:
        return next((f for f in [*self.blocking, *self.warnings] if f.code == code), None)

    @property
    def prominent_warnings(self) -> list[Finding]:
        return [f for f in self.warnings if f.prominent]

    @property
    def other_warnings(self) -> list[Finding]:
        return [f for f in self.warnings if not f.prominent]

    @property
    def reference_findings(self) -> list[Finding]:
        return [f for f in self.warnings if f.code in REFERENCE_CODES]


@dataclass
class VettingContext:
    """Everything the checks read about one appointment, loaded for the batch."""

    appointment: Appointment
    registrant: Registrant
    # Every career role of the person, with its organisation, apart from the role
    # the appointment itself created when it started.
    roles: list[CareerRole]
    # The appointment's reference requests that were not withdrawn.
    requests: list[ReferenceRequest]
    employers: list[EmployerToAsk]
    vetting: Vetting = field(default_factory=Vetting)

    @property
    def on(self) -> dt.date:
        return self.appointment.proposed_start_date


VettingCheck = Callable[[list[VettingContext]], None]


# --- Register status ------------------------------------------------------------


def check_register_status(contexts: list[VettingContext]) -> None:
    for context in contexts:
        person = context.registrant
        name = person.display_name
        since = uk_date(person.status_since)
        vetting = context.vetting
        if person.status == RegisterStatus.BARRED:
            vetting.blocking.append(
                Finding(
                    "registrant_barred",
                    f"{name} is barred from the register of NHS managers. They cannot be "
                    "appointed to this role or any other NHS management role.",
                )
            )
        elif person.status == RegisterStatus.SUSPENDED:
            vetting.warnings.append(
                Finding(
                    "registrant_suspended",
                    f"{name} is suspended from the register (since {since}). They must not "
                    "work as an NHS manager while the suspension lasts. Read their register "
                    "entry before you go any further with this appointment.",
                )
            )
        elif person.status == RegisterStatus.CONDITIONS:
            vetting.warnings.append(
                Finding(
                    "registrant_conditions",
                    f"{name} is registered with conditions (since {since}). Read the "
                    "conditions on their register entry and make sure they can keep to them "
                    "in this role.",
                )
            )
        elif person.status == RegisterStatus.LAPSED:
            vetting.warnings.append(
                Finding(
                    "registrant_lapsed",
                    f"{name}'s registration has lapsed (since {since}). They must rejoin the "
                    "register before they start.",
                )
            )
        elif person.status == RegisterStatus.VOLUNTARILY_REMOVED:
            vetting.warnings.append(
                Finding(
                    "registrant_voluntarily_removed",
                    f"{name} left the register voluntarily (on {since}). They must rejoin "
                    "the register before they start.",
                )
            )


# --- Employment history -----------------------------------------------------------


def gap_is_too_long(first_day: dt.date, last_day: dt.date) -> bool:
    """Over three months: exactly three months (1 January to 31 March) is allowed."""
    return last_day + ONE_DAY > first_day + GAP_ALLOWED


def employment_gaps(
    roles: Iterable[CareerRole], *, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """Stretches of more than three months with no role, from ``start`` up to the day
    before ``end``: (first day, last day) pairs, earliest first. The stretch before
    the first role and the one after the last role count too."""
    spans = sorted(
        (max(role.start_date, start), min(role.end_date or end, end - ONE_DAY))
        for role in roles
        if role.start_date < end and (role.end_date is None or role.end_date >= start)
    )
    gaps = []
    uncovered_from = start
    for first, last in spans:
        if first > uncovered_from:
            gaps.append((uncovered_from, first - ONE_DAY))
        uncovered_from = max(uncovered_from, last + ONE_DAY)
    if uncovered_from < end:
        gaps.append((uncovered_from, end - ONE_DAY))
    return [gap for gap in gaps if gap_is_too_long(*gap)]


def check_employment_gaps(contexts: list[VettingContext]) -> None:
    for context in contexts:
        end = context.on
        start = end - relativedelta(years=GAP_LOOK_BACK_YEARS)
        gaps = employment_gaps(context.roles, start=start, end=end)
        name = context.registrant.display_name
        for first, last in gaps:
            context.vetting.warnings.append(
                Finding(
                    "employment_gap",
                    f"No NHS role is recorded for {name} from {uk_date(first)} to "
                    f"{uk_date(last)}. Ask them what they did during this time: the "
                    "register only holds NHS roles.",
                )
            )


# --- References -------------------------------------------------------------------


def _organisation_list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def employer_label(ask: EmployerToAsk) -> str:
    """'Leeds Teaching Hospitals NHS Trust (formerly Old Trust)'."""
    formerly = ask.formerly
    if not formerly:
        return ask.organisation.name
    return f"{ask.organisation.name} (formerly {_organisation_list([o.name for o in formerly])})"


REFERENCE_CODES = frozenset({"references_not_requested", "references_outstanding"})


def check_references(contexts: list[VettingContext]) -> None:
    for context in contexts:
        proposed = context.appointment.status == AppointmentStatus.PROPOSED
        live = {request.referee_organisation_id for request in context.requests}
        missing = [ask for ask in context.employers if ask.organisation.pk not in live]
        if missing:
            count = len(missing)
            employers = "one employer" if count == 1 else f"{count} employers"
            context.vetting.warnings.append(
                Finding(
                    "references_not_requested",
                    f"References have not been requested from {employers} of the past six "
                    f"years: {_organisation_list([employer_label(a) for a in missing])}."
                    + (" Request them before the appointment starts." if proposed else ""),
                )
            )
        outstanding = [r for r in context.requests if r.status == RequestStatus.REQUESTED]
        if outstanding:
            names = [
                f"{r.referee_organisation.name} (due {uk_date(r.due_by)})"
                if r.due_by
                else r.referee_organisation.name
                for r in sorted(outstanding, key=lambda r: r.referee_organisation.name)
            ]
            context.vetting.warnings.append(
                Finding(
                    "references_outstanding",
                    f"References are still to come from {_organisation_list(names)}."
                    + (
                        " The appointment cannot start until they arrive, unless the chair "
                        "records a reason to proceed."
                        if proposed
                        else ""
                    ),
                )
            )


# --- Board experience against the organisation's risk ---------------------------


def is_first_board_role(context: VettingContext) -> bool:
    appointment = context.appointment
    if appointment.role_category not in BOARD_CATEGORIES:
        return False
    return not any(
        role.category in BOARD_CATEGORIES and role.start_date < context.on for role in context.roles
    )


def check_board_experience(contexts: list[VettingContext]) -> None:
    for context in contexts:
        if not is_first_board_role(context):
            continue
        organisation = context.appointment.organisation
        name = context.registrant.display_name
        if organisation.risk_level == RiskLevel.HIGH:
            context.vetting.warnings.append(
                Finding(
                    "first_board_role_high_risk",
                    f"This would be {name}'s first board role, and {organisation.name} is "
                    "assessed as high risk. Put a support and mentoring plan in place "
                    "before they start: see the recommended plan.",
                )
            )
            context.vetting.support_plan = list(SUPPORT_PLAN)
        elif organisation.risk_level == RiskLevel.MEDIUM:
            context.vetting.warnings.append(
                Finding(
                    "first_board_role_medium_risk",
                    f"This would be {name}'s first board role, and {organisation.name} is "
                    "assessed as medium risk. Consider a mentor and a structured induction.",
                )
            )


# --- The checks, and running them ------------------------------------------------

VETTING_CHECKS: list[VettingCheck] = [
    check_register_status,
    check_employment_gaps,
    check_references,
    check_board_experience,
]


def vetting_check_add(check: VettingCheck) -> None:
    """Add a check to every vetting (for example, the cases capability's open cases)."""
    if check not in VETTING_CHECKS:
        VETTING_CHECKS.append(check)


def vetting_contexts(appointments: list[Appointment]) -> list[VettingContext]:
    """Load what the checks read for many appointments, in a fixed number of queries."""
    if not appointments:
        return []
    registrant_ids = {a.registrant_id for a in appointments}
    roles_by_person: dict[int, list[CareerRole]] = {}
    for role in CareerRole.objects.filter(registrant_id__in=registrant_ids).select_related(
        "organisation"
    ):
        roles_by_person.setdefault(role.registrant_id, []).append(role)
    requests_by_appointment: dict[int, list[ReferenceRequest]] = {}
    for request in (
        ReferenceRequest.objects.filter(appointment__in=[a.pk for a in appointments])
        .exclude(status=RequestStatus.WITHDRAWN)
        .select_related("referee_organisation")
        .order_by("referee_organisation__name", "pk")
    ):
        requests_by_appointment.setdefault(request.appointment_id, []).append(request)
    # Successions are followed for every employer in the batch at once, then each
    # appointment keeps those of employers closed before its own start date.
    organisations = {role.organisation for roles in roles_by_person.values() for role in roles}
    latest = max(a.proposed_start_date for a in appointments)
    successors = successors_of(organisations, on=latest)
    closed_on = {org.pk: org.closed_on for org in organisations}
    contexts = []
    for appointment in appointments:
        on = appointment.proposed_start_date
        roles = [
            role
            for role in roles_by_person.get(appointment.registrant_id, [])
            if role.pk != appointment.career_role_id
        ]
        employers = employers_to_ask(
            registrant=appointment.registrant,
            on=on,
            appointing_organisation=appointment.organisation,
            roles=roles,
            successors={
                pk: org
                for pk, org in successors.items()
                if closed_on.get(pk) is not None and closed_on[pk] < on
            },
        )
        contexts.append(
            VettingContext(
                appointment=appointment,
                registrant=appointment.registrant,
                roles=roles,
                requests=requests_by_appointment.get(appointment.pk, []),
                employers=employers,
            )
        )
    return contexts


def _run_checks(contexts: list[VettingContext]) -> None:
    for check in VETTING_CHECKS:
        check(contexts)


def appointments_vet(*, appointments: Iterable[Appointment]) -> dict[int, Vetting]:
    """Vet many appointments at once (for lists): appointment pk → its vetting."""
    contexts = vetting_contexts(list(appointments))
    _run_checks(contexts)
    return {context.appointment.pk: context.vetting for context in contexts}


def appointment_vet(*, appointment: Appointment) -> Vetting:
    """Vet one appointment: what blocks it and what the employer should know."""
    return appointments_vet(appointments=[appointment])[appointment.pk]


@dataclass
class CoverageRow:
    """One row of the references table: an employer to ask and its request, if any."""

    label: str
    organisation_id: int
    employer: EmployerToAsk | None
    request: ReferenceRequest | None

    @property
    def state(self) -> str:
        if self.request is None:
            return "not_requested"
        return self.request.status


@dataclass
class AppointmentReview:
    """An appointment's vetting and its references coverage, loaded together."""

    vetting: Vetting
    coverage: list[CoverageRow]

    @property
    def to_request(self) -> list[CoverageRow]:
        return [row for row in self.coverage if row.request is None]


def appointment_review(*, appointment: Appointment) -> AppointmentReview:
    """Vetting plus the references table (each employer to ask, and its request)."""
    context = vetting_contexts([appointment])[0]
    _run_checks([context])
    by_org = {r.referee_organisation_id: r for r in context.requests}
    rows = []
    for ask in context.employers:
        rows.append(
            CoverageRow(
                label=employer_label(ask),
                organisation_id=ask.organisation.pk,
                employer=ask,
                request=by_org.pop(ask.organisation.pk, None),
            )
        )
    # Requests to organisations no longer among the employers (a corrected history).
    for request in by_org.values():
        rows.append(
            CoverageRow(
                label=request.referee_organisation.name,
                organisation_id=request.referee_organisation_id,
                employer=None,
                request=request,
            )
        )
    return AppointmentReview(vetting=context.vetting, coverage=rows)
