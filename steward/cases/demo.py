"""Demo fitness-to-practise cases, built through the cases services, at every stage a
case can rest at.

Each case is a story told day by day over the last seven months: the caseworker opens
and builds it, the case examiners decide, the hearings officer schedules hearings and
seats the panel, the panel records its findings, the registrant appeals. Steward's
clock is moved to each day in turn (every story's steps in date order, so the audit
trail reads in order) and put back afterwards. The worker's daily jobs run on the day
after each appeal window ends (so the case closes as it would) and once more today.

The cases are about board members on the demo register, never the demo panel members
or examiners, who have no connection with any of their organisations in the past five
years (their declared interests are older), so every panel and pair of examiners passes
the conflict check:

- triage: opened today from the concern the concerns team recommended for a case;
- investigation: an employer's referral with its evidence;
- investigation, with an interim suspension in force (Leeds Teaching Hospitals, so the
  demo trust's chair, chief executive and HR lead have a register alert);
- with the case examiners: waiting for their decision;
- with the case examiners, health-related, with interim conditions in force (never
  published: the public entry shows only the register status);
- undertakings offered: the demo registrant's case, waiting for her answer;
- referred to a panel hearing: notice served, panel formed, hearing six weeks ahead;
- determination: hearing held, facts and impairment recorded, the sanction to come;
- appeal window: a nine-month suspension issued ten days ago (Leeds Teaching
  Hospitals alerted);
- under appeal: the demo registrant's appeal against a warning, with an appeal
  hearing scheduled;
- review: conditions about to end, a review hearing scheduled;
- closed: a warning (an outcome accepted without a hearing, published), conditions in
  force, a bar (on the barred list), and advice (never published).

"Outcome accepted without a hearing" is a stage a case passes through, never one it
rests at: the examiners' warning (or the registrant's acceptance of undertakings) is
issued at once and the appeal window opens.

The not-fit-and-proper referral the fitness demo makes is left for the caseworker to
open. Idempotent: a database that already has cases is left alone.
"""

import datetime as dt
import heapq
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from steward.audit.services import audit_record
from steward.cases import appeals, conflicts, examiners, hearings, panels, sanctions, selectors
from steward.cases.determinations import (
    determination_issue,
    facts_record,
    impairment_record,
    sanction_record,
)
from steward.cases.models import (
    Case,
    CaseSource,
    Determination,
    EvidenceParty,
    ExaminerOutcome,
    Hearing,
    HearingKind,
    SanctionKind,
)
from steward.cases.services import allegation_add, case_open, evidence_add
from steward.cases.stages import stage_move
from steward.core import clock
from steward.core.formatting import uk_date
from steward.organisations.models import Organisation, OrganisationType
from steward.register.models import CareerRole, RegisterStatus, Registrant, RoleCategory
from steward.standards.models import StandardsVersion, VersionStatus

DEMO_DOMAIN = "demo.steward.example"
DEMO_TRUST = "RR8"  # Leeds Teaching Hospitals NHS Trust
# The oldest step, in days from today: about seven months back.
EARLIEST = -215
REMOTE = "Held remotely by video link"
IN_PERSON = "Hearing room 1, Leeds hearing centre"
INVESTIGATED = "The investigation is complete: for the case examiners."
# The cases are about people at trusts (the stories are about hospitals and services).
TRUSTS = (OrganisationType.NHS_TRUST, OrganisationType.FOUNDATION_TRUST)
# Whom a case is about, most likely first.
MANAGERS = (
    RoleCategory.EXECUTIVE_DIRECTOR,
    RoleCategory.SENIOR_MANAGER,
    RoleCategory.CHIEF_EXECUTIVE,
)
# Panel members and examiners' interests, all ended long before any case opened.
INTERESTS = (
    ("panel-manager", "RWY", "Director of Operations", dt.date(2009, 6, 1), dt.date(2018, 3, 31)),
    (
        "case-examiner",
        "TAD",
        "Deputy Director of Finance",
        dt.date(2008, 1, 7),
        dt.date(2017, 9, 30),
    ),
    (
        "case-examiner-lay",
        "RFF",
        "Public governor on the council of governors",
        dt.date(2013, 5, 1),
        dt.date(2019, 4, 30),
    ),
)


@contextmanager
def _clock_kept():
    """Put Steward's clock back where it was (moved or not) however the load ends."""
    offset = clock.now() - timezone.now()
    try:
        yield
    finally:
        if abs(offset) < dt.timedelta(seconds=1):
            clock.travel_back()
        else:
            clock.travel_to(timezone.now() + offset)


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


@dataclass(frozen=True)
class _Subject:
    """Whom a case is about, and their post now (None when they hold none)."""

    registrant: Registrant
    role: CareerRole | None

    @property
    def name(self) -> str:
        return self.registrant.display_name

    @property
    def title(self) -> str:
        return self.role.title if self.role else "a director"

    @property
    def trust(self) -> str:
        return self.role.organisation.name if self.role else "their trust"


class _Demo:
    """The demo people, the day the load started, and one helper per service."""

    def __init__(self, *, people: dict, start: dt.date, start_offset: dt.timedelta):
        self.caseworker = people["caseworker"]
        self.manager_examiner = people["case-examiner"]
        self.lay_examiner = people["case-examiner-lay"]
        self.officer = people["hearings-officer"]
        self.chair = people["panel-lay"]
        self.lay_member = people["panel-lay-2"]
        self.manager_member = people["panel-manager"]
        self.registrant_user = people["registrant"]
        self.people = people
        self.start = start
        self.start_offset = start_offset
        self.taken = _already_in_other_demos()
        self.surnames = _demo_surnames()
        self.first_standards = (
            StandardsVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .order_by("effective_from")
            .values_list("effective_from", flat=True)
            .first()
        ) or start
        self.opened: list[Case] = []

    # --- Dates ---------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.start + dt.timedelta(days=offset)

    def weekday(self, offset: int, *, later: bool = False) -> int:
        """The offset moved off a weekend: back to Friday, or on to Monday (``later``)."""
        while self.day(offset).weekday() >= 5:
            offset += 1 if later else -1
        return offset

    def travel(self, offset: int, order: int = 0) -> None:
        """To a working hour of the day: each story has its own (from 9am, 20 minutes
        apart), so steps taken the same day keep their order. Today: the time it is."""
        if offset == 0:
            clock.travel_to(timezone.now() + self.start_offset)
            return
        start = dt.datetime.combine(self.day(offset), dt.time(9, 0))
        clock.travel_to(timezone.make_aware(start + dt.timedelta(minutes=20 * order)))

    # --- Who the cases are about -----------------------------------------------

    def pick(self, ods_code: str, categories=MANAGERS, titles: tuple[str, ...] = ()) -> _Subject:
        """A trust board member in post for over two years, on the register with no
        restriction, in no other demo's story and sharing no surname with a demo sign-in:
        one with a job title in ``titles`` if there is one, else the first of
        ``categories`` there is; at that organisation, else in its region, else anywhere."""
        roles = (
            CareerRole.objects.filter(
                end_date__isnull=True,
                start_date__lte=self.day(EARLIEST - 550),
                registrant__user__isnull=True,
                registrant__merged_into__isnull=True,
                registrant__status=RegisterStatus.REGISTERED,
                organisation__org_type__in=TRUSTS,
            )
            .exclude(registrant_id__in=self.taken)
            .exclude(registrant__legal_surname__in=self.surnames)
            .select_related("registrant", "organisation")
            .order_by("organisation__ods_code", "registrant__registration_number", "pk")
        )
        region = (
            Organisation.objects.filter(ods_code=ods_code).values_list("region_id", flat=True)
        ).first()
        places = (
            roles.filter(organisation__ods_code=ods_code),
            roles.filter(organisation__region_id=region),
            roles,
        )
        role = None
        for matches in (
            [{"title": title} for title in titles],
            [{"category": category} for category in categories],
        ):
            for where in places:
                for match in matches:
                    role = role or where.filter(**match).first()
        if role is None:
            raise LookupError("The demo register has nobody left to open a case about.")
        self.taken.add(role.registrant_id)
        return _Subject(role.registrant, role)

    def subject(self, registrant: Registrant, organisation=None) -> _Subject:
        """The registrant in their latest post (at ``organisation``, when given)."""
        roles = CareerRole.objects.filter(registrant=registrant, end_date__isnull=True)
        if organisation is not None:
            roles = roles.filter(organisation=organisation)
        role = roles.select_related("organisation").order_by("-start_date", "pk").first()
        return _Subject(registrant, role)

    def demo_registrant(self) -> _Subject | None:
        """The demo registrant's sign-in, on the register (None if she is not)."""
        registrant = getattr(self.registrant_user, "registrant", None)
        return self.subject(registrant) if registrant is not None else None

    # --- The caseworker ------------------------------------------------------------

    def open(self, subject: _Subject, source: str, summary: str, **values) -> Case:
        """Open the case; an employer's referral comes from the trust where they work."""
        if source == CaseSource.EMPLOYER:
            values.setdefault("referring_organisation", subject.role.organisation)
        case = case_open(
            registrant=subject.registrant,
            source=source,
            summary=summary,
            actor=self.caseworker,
            **values,
        )
        self.opened.append(case)
        return case

    def allege(self, case: Case, text: str, conduct_on: dt.date, refs: list[str]) -> None:
        # Never before the first standards (only if the demo is loaded with an early date).
        conduct_on = min(max(conduct_on, self.first_standards), clock.today())
        allegation_add(
            case=case, text=text, conduct_on=conduct_on, refs=refs, actor=self.caseworker
        )

    def evidence(self, case: Case, title: str, file_name: str, text: str, *, disclosed=False):
        media_type = "text/csv" if file_name.endswith(".csv") else "text/plain"
        evidence_add(
            case=case,
            title=title,
            file_name=file_name,
            media_type=media_type,
            content=text.strip().encode("utf-8") + b"\n",
            actor=self.caseworker,
            disclosed=disclosed,
        )

    def move(self, case: Case, move: str, reason: str) -> None:
        stage_move(case=case, move=move, actor=self.caseworker, reason=reason)

    # --- The case examiners ----------------------------------------------------------

    def decide(self, case: Case, outcome: str, reasons: str, *, by_lay=False, **values):
        return examiners.examiner_decide(
            case=case,
            outcome=outcome,
            reasons=reasons,
            lay_examiner=self.lay_examiner,
            manager_examiner=self.manager_examiner,
            actor=self.lay_examiner if by_lay else self.manager_examiner,
            **values,
        )

    # --- The hearings officer and the panel -------------------------------------------

    def schedule(self, case: Case, kind: str, offset: int, location: str = REMOTE) -> Hearing:
        hearing = hearings.hearing_schedule(
            case=case, kind=kind, starts_on=self.day(offset), location=location, actor=self.officer
        )
        panels.panel_form(
            hearing=hearing,
            members=[self.chair, self.lay_member, self.manager_member],
            chair=self.chair,
            actor=self.officer,
        )
        return hearing

    def hold(self, hearing: Hearing) -> None:
        hearings.hearing_held(hearing=hearing, actor=self.officer)

    def facts(self, determination: Determination, findings: dict) -> None:
        facts_record(determination=determination, findings=findings, actor=self.chair)

    def impairment(self, determination: Determination, reasons: str) -> None:
        impairment_record(
            determination=determination, impaired=True, reasons=reasons, actor=self.chair
        )

    def sanction(self, determination: Determination, **values) -> None:
        sanction_record(determination=determination, actor=self.chair, **values)

    def issue(self, determination: Determination) -> None:
        determination_issue(determination=determination, actor=self.officer)

    # --- The worker -------------------------------------------------------------------

    def daily_jobs(self) -> None:
        """What the worker does early each day: sanctions lapse, appeal windows close."""
        sanctions.sanctions_lapse(today=clock.today())
        appeals.appeal_windows_close(today=clock.today())


def _demo_surnames() -> list[str]:
    """The surnames of the demo sign-ins, so no case is about a namesake of one."""
    from steward.accounts.models import User

    names = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list(
        "full_name", flat=True
    )
    return [name.split(" ", 1)[1] for name in names if " " in name]


def _already_in_other_demos() -> set[int]:
    """Registrants other demos tell a story about (concerns, references, fitness,
    employers' disciplinary records), kept out of the cases."""
    from steward.concerns.models import Concern
    from steward.fitness.models import NotFitReferral
    from steward.references.models import Appointment, BoardMemberReference, ReferenceRequest
    from steward.register.models import DisciplinaryAction

    taken: set[int] = set()
    for ids in (
        Concern.objects.exclude(subject_registrant=None).values_list("subject_registrant_id"),
        Appointment.objects.values_list("registrant_id"),
        ReferenceRequest.objects.values_list("registrant_id"),
        BoardMemberReference.objects.values_list("registrant_id"),
        NotFitReferral.objects.values_list("assessment__registrant_id"),
        DisciplinaryAction.objects.values_list("registrant_id"),
    ):
        taken.update(pk for (pk,) in ids)
    return taken


# Each story yields the day (an offset from today, never going back) of its next step.
Story = Iterator[int]


# --- Steps several stories take ---------------------------------------------------------
# Each is part of a story (``yield from``): it yields the days of its steps.


def _examined(
    demo: _Demo,
    case: Case,
    *,
    referred: int,
    decided: int,
    outcome: str,
    reasons: str,
    why: str = INVESTIGATED,
    by_lay: bool = False,
    **values,
) -> Story:
    """Sent to the case examiners on day ``referred`` (because ``why``), who decide on day
    ``decided`` (recorded by the lay examiner if ``by_lay``, else the manager)."""
    yield referred
    demo.move(case, "refer_to_examiners", why)
    yield decided
    demo.decide(case, outcome, reasons, by_lay=by_lay, **values)


def _held(
    demo: _Demo, case: Case, kind: str, *, scheduled: int, held: int, location: str = REMOTE
) -> Generator[int, None, Hearing]:
    """A hearing scheduled on day ``scheduled`` (notice served, the panel seated) and
    held on day ``held``."""
    yield scheduled
    hearing = demo.schedule(case, kind, held, location)
    yield held
    demo.hold(hearing)
    return hearing


def _interim_order(
    demo: _Demo, case: Case, kind: str, *, scheduled: int, held: int, months: int, **values
) -> Story:
    """An interim order hearing, and the order the panel makes at it."""
    hearing = yield from _held(
        demo, case, HearingKind.INTERIM_ORDER, scheduled=scheduled, held=held
    )
    sanctions.interim_order_make(
        case=case, kind=kind, months=months, hearing=hearing, actor=demo.chair, **values
    )


def _found(
    demo: _Demo,
    case: Case,
    *,
    scheduled: int,
    held: int,
    facts: dict,
    impairment: str,
    impaired_on: int | None = None,
    location: str = REMOTE,
) -> Generator[int, None, Determination]:
    """A substantive hearing: the panel finds the ``facts`` on the day it is held, and
    fitness to practise impaired (on day ``impaired_on``, else the same day)."""
    hearing = yield from _held(
        demo, case, HearingKind.SUBSTANTIVE, scheduled=scheduled, held=held, location=location
    )
    determination = hearing.determinations.order_by("-pk").first()
    demo.facts(determination, facts)
    if impaired_on is not None:
        yield impaired_on
    demo.impairment(determination, impairment)
    return determination


def _sanction_issued(
    demo: _Demo,
    determination: Determination,
    *,
    issued: int,
    months: int | None = None,
    closes: bool = True,
    **sanction,
) -> Story:
    """The panel's sanction (for ``months`` from the day it is issued), the determination
    issued on day ``issued`` and, if it ``closes``, no appeal: the case closes."""
    ends_on = demo.day(issued) + relativedelta(months=months) if months else None
    demo.sanction(determination, ends_on=ends_on, **sanction)
    yield issued
    demo.issue(determination)
    if closes:
        yield from _unappealed(demo, issued)


def _unappealed(demo: _Demo, issued: int) -> Story:
    """The appeal window passes with no appeal: the worker closes the case the day after."""
    yield issued + settings.CASES_APPEAL_DAYS + 1
    demo.daily_jobs()


# --- The stories ---------------------------------------------------------------------


def _interests(demo: _Demo) -> Story:
    """Panel members and examiners declare their past NHS roles when appointed."""
    yield EARLIEST
    for local_part, ods_code, description, start, end in INTERESTS:
        organisation = Organisation.objects.filter(ods_code=ods_code).first()
        user = demo.people[local_part]
        if organisation is not None:
            conflicts.interest_declare(
                user=user,
                organisation=organisation,
                description=description,
                from_date=start,
                to_date=end,
                actor=user,
            )


def _triage(demo: _Demo) -> Story:
    """Opened today from the concern the concerns team recommended for a case."""
    yield 0
    decision = (
        selectors.concern_recommendations()
        .select_related("concern__subject_registrant", "concern__organisation")
        .first()
    )
    concern = decision.concern if decision is not None else None
    if concern is None or concern.subject_registrant is None:
        return
    who = demo.subject(concern.subject_registrant, concern.organisation)
    refs = list(decision.cited_refs) or ["CC9"]
    case = demo.open(
        who,
        CaseSource.CONCERN,
        f"A concern raised anonymously, triaged on {uk_date(decision.decided_at)}, says that "
        f"{who.name}, {who.title} at {who.trust}, signed off a contract with a company "
        "they part-own without declaring the interest. The concerns team recommended a case "
        f"(citing {', '.join(refs)}). At triage: get the contract approval papers and the "
        "trust's register of interests, then decide whether to investigate.",
        concern_decision=decision,
    )
    demo.allege(
        case,
        "You took part in, and signed off, the trust's decision to award a contract to a "
        "company in which you held shares, without declaring your interest to the board or "
        "stepping out of the decision.",
        decision.conduct_on or concern.received_on,
        refs,
    )


def _investigation(demo: _Demo) -> Story:
    """An employer's referral under investigation, with its evidence."""
    yield -41
    who = demo.pick("RWA")
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after its internal auditors found "
        "claims for travel and overnight stays for meetings in London that did not take "
        "place. The trust has stopped the registrant's expenses card and started its own "
        "disciplinary process. We are investigating: we have the audit report and the claims, "
        "and have asked the registrant for their account.",
    )
    first, last = demo.day(-230), demo.day(-120)
    demo.allege(
        case,
        f"Between {_month(first)} and {_month(last)} you submitted 14 claims, totalling "
        "£4,860, for travel and overnight stays for meetings in London that did not take "
        "place or that you did not attend.",
        last,
        ["CC6", "NE6"],
    )
    demo.allege(
        case,
        "When the trust's internal auditors asked you about the claims, you told them the "
        "meetings had moved online at short notice, which was not true.",
        demo.day(-60),
        ["CC1"],
    )
    yield -39
    demo.move(
        case,
        "start_investigation",
        "The audit evidence is specific, the sums are significant and honesty is in question: "
        "investigate.",
    )
    demo.evidence(
        case,
        "Referral letter from the trust's chief executive",
        "referral-letter.txt",
        f"""
Referral to the regulator of NHS managers

{who.trust} refers {who.name}, {who.title}.

Our internal auditors reviewed travel and subsistence claims as part of the annual audit
plan. They found 14 claims for journeys to London for meetings that the organisers have no
record of, or that {who.name} did not attend. When asked, {who.name} said the meetings had moved
online. The organisers say they did not.

We have stopped the expenses card, started a formal investigation under our disciplinary
policy and will send you its outcome.
""",
        disclosed=True,
    )
    demo.evidence(
        case,
        "Internal audit report: travel and subsistence claims",
        "internal-audit-report.txt",
        f"""
Internal audit report: travel and subsistence claims by executive directors

Scope: every claim by an executive director between {_month(first)} and {_month(last)}.

Finding 1 (high risk): 14 claims by {who.name} totalling £4,860 are for meetings the
organisers have no record of, or which attendance lists show {who.name} did not attend.
Rail tickets were bought and refunded in 9 of the 14 cases.

Finding 2 (medium risk): claims by executive directors are approved by their own personal
assistants in the expenses system, with no second check.

Recommendations: refer finding 1 to the counter-fraud specialist and the regulator; require
approval of executive directors' claims by the chief executive or the chair.
""",
    )
    yield -25
    demo.evidence(
        case,
        "Expense claims and the meeting records they cite",
        "expense-claims.csv",
        "\n".join(
            [
                "claim_date,destination,meeting_claimed,amount_gbp,meeting_record",
                *(
                    f"{demo.day(-230 + 8 * n).isoformat()},London,{meeting},{amount},{record}"
                    for n, (meeting, amount, record) in enumerate(
                        [
                            ("National finance directors' forum", "412.60", "no such meeting"),
                            ("Provider collaborative board", "298.10", "not on attendance list"),
                            ("Shelford group workshop", "355.00", "no such meeting"),
                            ("NHS Providers roundtable", "401.25", "not on attendance list"),
                            ("Regional workforce summit", "327.40", "held online only"),
                        ]
                    )
                ),
            ]
        ),
        disclosed=True,
    )


def _examiners_waiting(demo: _Demo) -> Story:
    """Investigated, answered by the registrant, and waiting for the case examiners."""
    yield -160
    who = demo.pick("RHQ")
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after its Freedom to Speak Up guardian "
        "heard from nine members of the registrant's directorate about how they were treated, and "
        "about a manager taken off a programme soon after she raised a fire safety concern. "
        "The investigation is complete and the registrant has responded. For the case "
        "examiners to decide.",
    )
    first, last = demo.day(-400), demo.day(-200)
    demo.allege(
        case,
        f"Between {_month(first)} and {_month(last)}, in directorate meetings, you repeatedly "
        "shouted at and belittled members of your senior team, including calling a named "
        "manager “useless” in front of colleagues.",
        last,
        ["CC4", "NE4"],
    )
    demo.allege(
        case,
        "You removed a manager from leading the ward refurbishment programme two weeks after "
        "she raised a concern about a contractor's fire safety work, and recorded no reason.",
        demo.day(-230),
        ["CC3", "NE1"],
    )
    yield -158
    demo.move(
        case,
        "start_investigation",
        "Nine people describe a pattern of behaviour, and one describes detriment after "
        "speaking up: investigate.",
    )
    yield -150
    demo.evidence(
        case,
        "Freedom to Speak Up guardian's report to the board",
        "speak-up-report.txt",
        f"""
Freedom to Speak Up guardian: report on concerns from one directorate

Nine members of staff came to me separately over four months. Each described being shouted
at or belittled in directorate meetings led by {who.name}. Four said they no longer raise
problems in those meetings. One manager told me she was removed from leading the ward
refurbishment programme two weeks after she raised a concern about a contractor's fire
safety work.

I have shared this report with the chief executive and the chair, with the agreement of
everyone who spoke to me.
""",
        disclosed=True,
    )
    yield -120
    demo.evidence(
        case,
        "Witness statements from nine members of staff (names removed)",
        "witness-statements.txt",
        """
Witness A: "In the March meeting I was told my report was useless in front of eight people."
Witness B: "I stopped raising risks in the meeting because of how people were spoken to."
Witness C: "I raised the fire stopping problem on a Monday. Two weeks later I was told
someone else would lead the programme. Nobody gave me a reason."
Witnesses D to I describe raised voices and sarcasm in most directorate meetings that year.
""",
        disclosed=True,
    )
    yield -60
    demo.evidence(
        case,
        "The registrant's response to the allegations (sent by email)",
        "registrant-response.txt",
        """
I accept that some meetings were tense during a very difficult year, and I am sorry that
colleagues felt belittled. I did not intend that. I deny that I called anyone useless.

The change of lead for the refurbishment programme was planned before the fire safety
concern was raised, because the programme was moving into a new phase. I accept that I did
not write the reason down.
""",
        disclosed=True,
    )
    yield -7
    demo.move(
        case,
        "refer_to_examiners",
        "The investigation is complete and the registrant has responded: for the case examiners.",
    )


def _warning(demo: _Demo) -> Story:
    """Closed with a published warning: an outcome accepted without a hearing."""
    yield -190
    who = demo.pick("RCB")
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"The Information Commissioner's Office told us it had reprimanded {who.trust} after board "
        "papers containing staff personal information were shared in a messaging group that "
        f"included people outside the trust. The papers were shared by {who.name}, {who.title}. "
        "We opened a case on our own motion.",
    )
    demo.allege(
        case,
        "You shared confidential board papers, including a list of staff at risk of redundancy "
        "with their sickness absence records, in a messaging group that included two people "
        "who did not work for the trust.",
        demo.day(-260),
        ["CC10"],
    )
    yield -186
    demo.move(case, "start_investigation", "The facts are not in dispute; gather the records.")
    demo.evidence(
        case,
        "The Information Commissioner's reprimand",
        "ico-reprimand.txt",
        f"""
Reprimand issued to {who.trust}

Board papers containing the names and sickness absence records of staff at risk of
redundancy were shared in a messaging group that included two people who did not work for
the trust. The trust reported the breach within 72 hours, contacted the people affected and
has since changed how board papers are shared.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-112,
        why="The registrant admits the facts and has said what they have changed: for the case "
        "examiners.",
        decided=-98,
        outcome=ExaminerOutcome.WARNING,
        reasons="The allegation is admitted and the messages prove it. Sharing staff personal "
        "information outside the trust fell well below the standard expected, but it was a "
        "single episode: the registrant reported it to the data protection officer the next "
        "day, apologised to the staff affected and completed data protection training. There "
        "is no realistic prospect that a panel would find fitness to practise currently "
        "impaired, but a warning is needed to mark the seriousness of the breach.",
        published_summary=f"The case examiners found that {who.name} shared confidential board "
        "papers containing staff personal information in a messaging group that included "
        "people outside the trust, contrary to standard CC10 (keep accurate records and use "
        "information properly). They gave a warning.",
    )
    yield from _unappealed(demo, -98)


def _undertakings(demo: _Demo) -> Story:
    """The demo registrant's case: undertakings offered, waiting for her answer."""
    yield -121
    who = demo.demo_registrant()
    if who is None:
        return
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"An employment tribunal judgment against {who.trust} found that a restructure of its "
        "corporate services went ahead without the equality impact assessment the trust's own "
        "policy requires, and that the redundancy selection put staff from ethnic minority "
        f"backgrounds at a particular disadvantage. {who.name}, {who.title}, led the restructure. "
        "We opened a case on our own motion.",
    )
    demo.allege(
        case,
        "You led the restructure of the trust's corporate services and confirmed 38 "
        "redundancies without carrying out an equality impact assessment, although the "
        "trust's policy required one.",
        demo.day(-300),
        ["CC5"],
    )
    yield -118
    demo.move(case, "start_investigation", "The tribunal's findings need to be looked into.")
    yield -100
    demo.evidence(
        case,
        "Employment tribunal judgment (extract)",
        "tribunal-judgment-extract.txt",
        """
Judgment (extract)

The respondent did not carry out an equality impact assessment before confirming the
redundancies, although its organisational change policy required one. Had it done so, it
would have seen that the selection criteria put staff from ethnic minority backgrounds at a
particular disadvantage. The claim of indirect race discrimination succeeds.
""",
        disclosed=True,
    )
    yield -70
    demo.evidence(
        case,
        "The trust's organisational change policy",
        "organisational-change-policy.txt",
        """
Organisational change policy, section 6

An equality impact assessment must be completed, and reviewed by the head of equality,
diversity and inclusion, before any proposal that affects jobs is approved.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-21,
        why="The facts come from a tribunal judgment and are not disputed: for the case examiners.",
        decided=-6,
        outcome=ExaminerOutcome.UNDERTAKINGS,
        reasons="The tribunal's findings are clear and the registrant accepts them. The failure "
        "was serious because it affected many staff, but it was a failure of process, not of "
        "honesty; the registrant has co-operated fully and has started the trust's equality "
        "training. Undertakings that close the gap in her practice protect the public without a "
        "hearing. If she does not accept them, the case goes to a panel.",
        undertakings="1. Complete an accredited course on equality impact assessment within "
        "six months, and send us the certificate.\n"
        "2. For 12 months, have every proposal for organisational change that you take to "
        "the board reviewed by the trust's head of equality, diversity and inclusion first, "
        "and keep a record of each review.\n"
        "3. Tell us within 7 days if you take up a new role, and give these undertakings to "
        "your new employer.",
    )


def _panel_scheduled(demo: _Demo) -> Story:
    """Referred to a panel: notice served, panel formed, the hearing six weeks away."""
    yield -200
    who = demo.pick("RTD", titles=("Chief Nurse",))
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"The Care Quality Commission told us that nurse staffing figures {who.name}, "
        f"{who.title} at {who.trust}, gave its inspectors did not match the trust's own rosters. "
        "We opened a case on our own motion.",
    )
    demo.allege(
        case,
        "During the Care Quality Commission's inspection you gave its inspectors figures for "
        "registered nurses on duty on the medical wards that you knew overstated the number "
        "on duty.",
        demo.day(-240),
        ["CC8", "NE5"],
    )
    demo.allege(
        case,
        "You told the board's quality committee that the medical wards met safe staffing "
        "levels, when the rosters you had seen showed that they did not.",
        demo.day(-255),
        ["CC1", "CC7"],
    )
    yield -197
    demo.move(case, "start_investigation", "Dishonesty to a regulator is alleged: investigate.")
    demo.evidence(
        case,
        "Letter from the Care Quality Commission",
        "cqc-letter.txt",
        f"""
During our inspection of {who.trust} we were given figures for registered nurses on duty on six
medical wards. The trust's rosters for the same shifts, obtained later, show between two and
five fewer registered nurses on duty than we were told.
""",
        disclosed=True,
    )
    yield -150
    demo.evidence(
        case,
        "Rosters for the medical wards during the inspection",
        "rosters.csv",
        "ward,shift,registered_nurses_reported,registered_nurses_rostered\n"
        "Ward 21,early,6,4\nWard 21,late,6,3\nWard 22,early,5,3\nWard 23,night,4,2\n"
        "Ward 24,early,6,4\nWard 25,late,5,2",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-72,
        decided=-57,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="Giving a regulator figures known to be wrong is dishonesty, a never event. The "
        "registrant disputes that they knew the figures were wrong, so the facts need to be "
        "tested at a hearing. There is a realistic prospect of a panel finding fitness to "
        "practise impaired.",
        by_lay=True,
    )
    yield -4
    demo.schedule(case, HearingKind.SUBSTANTIVE, demo.weekday(38, later=True), IN_PERSON)


def _interim_suspension(demo: _Demo) -> Story:
    """Under investigation, with an interim suspension in force (the employer alerted)."""
    yield -71
    who = demo.pick(DEMO_TRUST, (RoleCategory.NON_EXECUTIVE_DIRECTOR,))
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title} and chair of its quality committee, after "
        "finding that 11 serious incident reports about maternity care had been held back "
        "from the board and the national reporting system for up to five months with the "
        "registrant's agreement. The trust asked us to consider an interim order while we "
        "investigate.",
    )
    demo.allege(
        case,
        "As chair of the board's quality committee, you agreed that 11 serious incidents in "
        "maternity services should not be reported to the board or the national reporting "
        "system until after the trust's maternity review had been published.",
        demo.day(-110),
        ["CC2", "NE3"],
    )
    yield -70
    demo.move(
        case,
        "start_investigation",
        "Patient safety concerns were held back: investigate, and ask for an interim order.",
    )
    demo.evidence(
        case,
        "The trust's referral and its timeline of the 11 incidents",
        "referral-and-timeline.txt",
        """
The patient safety team logged 11 serious incidents in maternity services. None was reported
to the board's quality committee or the national reporting system until five months later.
Two members of the team say the chair of the quality committee agreed they should wait until
the maternity review was published.
""",
        disclosed=True,
    )
    yield from _interim_order(
        demo, case, SanctionKind.SUSPENSION, scheduled=-69, held=demo.weekday(-38), months=9
    )


def _determination(demo: _Demo) -> Story:
    """Hearing held, facts and impairment recorded: the sanction is for the panel."""
    yield -205
    who = demo.pick("RAE", titles=("Chief Executive",))
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after finding that an interim director "
        "of finance the registrant appointed had started work without the fit and proper "
        "person checks or references, and that their previous employer had dismissed them "
        "for fraud.",
    )
    appointed = demo.day(-300)
    demo.allege(
        case,
        "You appointed an interim director of finance without the fit and proper person "
        "checks and board member references, knowing that their previous employer had "
        "dismissed them for fraud.",
        appointed,
        ["CC7", "NE7"],
    )
    demo.allege(
        case,
        "You told the board's nominations committee that the checks had been done.",
        appointed + dt.timedelta(days=14),
        ["CC1"],
    )
    demo.allege(
        case,
        "You asked the HR team to backdate the request for references.",
        appointed + dt.timedelta(days=40),
        ["NE2"],
    )
    yield -203
    demo.move(case, "start_investigation", "A never event is alleged: investigate.")
    demo.evidence(
        case,
        "Nominations committee minutes",
        "nominations-committee-minutes.txt",
        f"""
Item 4. Interim director of finance. {who.name} confirmed that the fit and proper person checks
and references had been completed and were satisfactory. The committee noted the
appointment.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-125,
        decided=-112,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="Knowingly appointing an unfit person is a never event and the registrant disputes "
        "what they knew and said. The facts need a hearing.",
    )
    held = demo.weekday(-16)
    yield from _found(
        demo,
        case,
        scheduled=-52,
        held=held,
        location=IN_PERSON,
        facts={
            1: (
                True,
                "The previous employer's letter, sent to the registrant before the start date, "
                "says why the person was dismissed. No checks were recorded.",
            ),
            2: (
                True,
                "The minutes record the registrant's assurance, and they accepted saying it.",
            ),
            3: (
                False,
                "The HR adviser's account was not consistent and no message supports it: not "
                "proved on the balance of probabilities.",
            ),
        },
        impaired_on=demo.weekday(held + 1, later=True),
        impairment="Appointing someone known to have been dismissed for fraud to a senior post, "
        "and then assuring the board the checks were done, put public money at risk and was "
        "dishonest. The registrant has shown limited insight. Public confidence would be "
        "undermined without a finding of impairment.",
    )


def _appeal_window(demo: _Demo) -> Story:
    """A suspension issued ten days ago: register status suspended, the employer alerted,
    the appeal window open."""
    yield -214
    who = demo.pick(DEMO_TRUST)
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after a junior member of their team "
        "complained of months of unwanted messages and comments, and said she had been told "
        "a complaint would not help her career.",
    )
    first, last = demo.day(-420), demo.day(-260)
    demo.allege(
        case,
        f"Between {_month(first)} and {_month(last)} you sent a junior member of your team "
        "messages of a sexual nature and commented on her appearance in front of colleagues, "
        "after she had asked you to stop.",
        last,
        ["CC4", "NE4"],
    )
    demo.allege(
        case,
        "You told her that making a complaint would “not help her career”.",
        last,
        ["CC3", "NE1"],
    )
    yield -212
    demo.move(case, "start_investigation", "Harassment of a junior colleague is alleged.")
    demo.evidence(
        case,
        "The trust's investigation report",
        "trust-investigation-report.txt",
        """
The investigation upheld the complaint. The messages were read in full; three colleagues
confirmed the comments; the complainant's account of being told a complaint would not help
her career was consistent and was recorded in a note she made that day.
""",
    )
    yield from _examined(
        demo,
        case,
        referred=-142,
        decided=-131,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="Sexual harassment of a junior colleague and discouraging a complaint are never "
        "events. Only a panel can impose the restriction that may be needed.",
        by_lay=True,
    )
    held = demo.weekday(-24)
    determination = yield from _found(
        demo,
        case,
        scheduled=-62,
        held=held,
        location=IN_PERSON,
        facts={
            1: (True, "The messages were produced and three colleagues heard the comments."),
            2: (True, "The complainant's note made that day is consistent with her evidence."),
        },
        impaired_on=held + 1,
        impairment="Harassing a junior colleague and discouraging her from complaining are serious "
        "departures from standards CC3 and CC4. The registrant accepted the facts only at the "
        "hearing and showed little insight into their effect. Fitness to practise is impaired.",
    )
    yield from _sanction_issued(
        demo,
        determination,
        issued=demo.weekday(-10),
        months=9,
        closes=False,
        sanction=SanctionKind.SUSPENSION,
        reasons="The behaviour was repeated, aimed at someone junior, and continued after she "
        "asked it to stop. Staff need protecting while the registrant shows real insight; a "
        "suspension marks the seriousness without ending their career.",
        less_severe_rejected={
            SanctionKind.ADVICE: "Advice would not mark how serious repeated harassment is.",
            SanctionKind.WARNING: "A warning would not protect staff: the behaviour continued "
            "after she asked it to stop.",
            SanctionKind.CONDITIONS: "No workable conditions would protect the staff the "
            "registrant manages while they lack insight.",
        },
        published_summary=f"A panel found that {who.name} harassed a junior colleague, including "
        "sending messages of a sexual nature, and discouraged her from complaining, contrary "
        "to standards CC3 and CC4 and never events NE1 and NE4. It found their fitness to "
        "practise impaired and suspended their registration for 9 months.",
    )


def _appeal(demo: _Demo) -> Story:
    """The demo registrant's appeal against a warning, with an appeal hearing ahead."""
    yield -209
    who = demo.demo_registrant()
    if who is None:
        return
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"The external auditors' report to {who.trust}'s audit committee said a £95,000 extension "
        f"of the HR software contract was approved by {who.name}, {who.title}, without the "
        "waiver of competition the standing financial instructions require. We opened a case "
        "on our own motion.",
    )
    demo.allege(
        case,
        "You approved a £95,000 extension of the contract for the trust's HR software without "
        "the waiver of competition that the trust's standing financial instructions require.",
        demo.day(-280),
        ["CC6", "CC7"],
    )
    yield -206
    demo.move(case, "start_investigation", "Gather the contract papers and the auditors' report.")
    demo.evidence(
        case,
        "External auditors' report to the audit committee (extract)",
        "auditors-report-extract.txt",
        """
Contract extensions: one extension, of £95,000 for HR software, was approved by the chief
people officer. We found no waiver of competition on file. The audit committee minutes
record a waiver two months after the extension was signed.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-81,
        decided=-45,
        outcome=ExaminerOutcome.WARNING,
        reasons="The extension was signed before any waiver was recorded, contrary to the standing "
        "financial instructions. The registrant says a waiver was agreed by email in time, "
        "but sent no copy. This is a lapse in governance, not dishonesty, and a warning is "
        "enough to mark it.",
        published_summary=f"The case examiners found that {who.name} approved a contract "
        "extension without the waiver of competition the trust's standing financial "
        "instructions require, contrary to standards CC6 and CC7. They gave a warning.",
    )
    yield -31
    determination = Determination.objects.filter(case=case, issued_at__isnull=False).latest("pk")
    evidence_add(
        case=case,
        title="Email from the director of finance agreeing the waiver",
        file_name="waiver-email.txt",
        media_type="text/plain",
        content=(
            b"From: Director of Finance\nSubject: RE: HR software extension - waiver\n\n"
            b"Agreed: a waiver of competition is justified for a 12-month extension while the "
            b"national framework is retendered. Please take it to the next audit committee.\n"
        ),
        actor=demo.registrant_user,
        submitted_by=EvidenceParty.REGISTRANT,
    )
    appeals.appeal_lodge(
        determination=determination,
        grounds="The waiver was agreed by the director of finance by email before I signed the "
        "extension; I attach the email. The audit committee recorded it late because of an "
        "administrative delay. The warning should be withdrawn.",
        actor=demo.registrant_user,
    )
    yield -8
    demo.schedule(case, HearingKind.APPEAL, demo.weekday(30, later=True))


def _closed_conditions(demo: _Demo) -> Story:
    """Closed, with conditions in force for another eight months."""
    yield -213
    who = demo.pick("RXF", titles=("Chief Operating Officer", "Deputy Chief Operating Officer"))
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"NHS England's regional team told us that {who.trust}'s board had not been told about "
        "months of ambulance handover delays of over four hours, and that escalation beds had "
        f"been closed to meet a savings target. {who.name}, {who.title}, was responsible.",
    )
    first, last = demo.day(-420), demo.day(-300)
    demo.allege(
        case,
        f"Between {_month(first)} and {_month(last)} you did not tell the board about repeated "
        "reports from the emergency department that ambulance handover delays were over four "
        "hours.",
        last,
        ["CC2", "CC7"],
    )
    demo.allege(
        case,
        "You closed the escalation beds on the acute medical unit to meet a savings target "
        "without a quality impact assessment.",
        demo.day(-310),
        ["CC2", "CC6"],
    )
    yield -211
    demo.move(case, "start_investigation", "Patient safety risks were not escalated.")
    demo.evidence(
        case,
        "Emergency department escalation reports",
        "escalation-reports.txt",
        """
Twelve weekly escalation reports from the emergency department, each sent to the registrant,
record ambulance handover delays of over four hours. None appears in the board's papers.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-178,
        decided=-168,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="Patients were put at risk and the board was not told. A panel should decide "
        "whether restrictions are needed.",
    )
    held = demo.weekday(-126)
    determination = yield from _found(
        demo,
        case,
        scheduled=-160,
        held=held,
        facts={
            1: (True, "The reports were sent to the registrant and are absent from board papers."),
            2: (True, "The registrant accepted closing the beds without an assessment."),
        },
        impairment="The registrant kept known risks to patients from the board for months. They "
        "have since shown insight and taken training, but the failings are recent and serious.",
    )
    yield from _sanction_issued(
        demo,
        determination,
        issued=demo.weekday(held + 2, later=True),
        months=12,
        sanction=SanctionKind.CONDITIONS,
        reasons="The registrant's failings can be put right and they have engaged with the "
        "process. Conditions protect patients while they show that they escalate risks.",
        less_severe_rejected={
            SanctionKind.ADVICE: "Advice would not protect patients from the risk found.",
            SanctionKind.WARNING: "A warning would not make sure risks reach the board.",
        },
        conditions="1. You must not hold a role responsible for urgent and emergency care "
        "without a mentor we have approved.\n"
        "2. You must complete a recognised course in quality impact assessment within six "
        "months.\n"
        "3. You must give every employer, and anyone who offers you a role, a copy of these "
        "conditions.\n"
        "4. Your chief executive must send us a report on how you escalate risks every three "
        "months.",
        published_summary=f"A panel found that {who.name} did not tell the board about long "
        "ambulance handover delays and closed escalation beds without assessing the risk to "
        "patients, contrary to standards CC2, CC6 and CC7. It found their fitness to practise "
        "impaired and imposed conditions for 12 months.",
    )


def _closed_barring(demo: _Demo) -> Story:
    """Closed with a bar: on the barred list."""
    yield -211
    who = demo.pick("RJL")
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after its counter-fraud specialist found "
        "£212,000 paid to a consultancy for work that was never done. The consultancy is "
        "owned by a relative of the registrant, an interest they never declared.",
    )
    first, last = demo.day(-500), demo.day(-330)
    demo.allege(
        case,
        f"Between {_month(first)} and {_month(last)} you arranged for the trust to pay "
        "£212,000 of invoices to a consultancy for work that was not done.",
        last,
        ["CC1", "CC6", "NE6"],
    )
    demo.allege(
        case,
        "You did not declare that the consultancy was owned by a relative of yours.",
        first,
        ["CC9", "NE8"],
    )
    demo.allege(
        case,
        "You deleted the trust's copies of the engagement letters when the counter-fraud "
        "specialist asked for them.",
        demo.day(-280),
        ["NE2"],
    )
    yield -209
    demo.move(case, "start_investigation", "Fraud and concealment are alleged.")
    demo.evidence(
        case,
        "Counter-fraud specialist's report",
        "counter-fraud-report.txt",
        """
Payments of £212,000 were made on invoices approved by the registrant. No deliverables were
found. Companies House shows the consultancy's director is the registrant's brother-in-law.
The engagement letters were deleted from the shared drive the day after we asked for them.
""",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-171,
        decided=-163,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="Fraud, a concealed interest and destroyed records are never events: a panel must "
        "decide.",
        by_lay=True,
    )
    held = demo.weekday(-112)
    determination = yield from _found(
        demo,
        case,
        scheduled=-150,
        held=held,
        location=IN_PERSON,
        facts={
            1: (True, "The invoices, approvals and bank records prove it."),
            2: (True, "The registrant's declarations of interest never mention the firm."),
            3: (True, "The drive's audit log shows the registrant deleted the letters."),
        },
        impairment="Deliberate fraud on public money, hidden by a false declaration and destroyed "
        "records, is dishonesty at the most serious level. Fitness to practise is impaired.",
    )
    yield held + 1
    yield from _sanction_issued(
        demo,
        determination,
        issued=demo.weekday(held + 5, later=True),
        sanction=SanctionKind.BARRING,
        reasons="The dishonesty was planned, repeated, for personal gain and concealed. It is "
        "fundamentally incompatible with managing in the NHS.",
        less_severe_rejected={
            SanctionKind.ADVICE: "Advice cannot answer deliberate fraud.",
            SanctionKind.WARNING: "A warning would not protect public money or confidence.",
            SanctionKind.CONDITIONS: "No conditions can address planned dishonesty.",
            SanctionKind.SUSPENSION: "A suspension would let the registrant return to managing "
            "public money; nothing suggests the dishonesty would not recur.",
        },
        published_summary=f"A panel found that {who.name} arranged for £212,000 of public money "
        "to be paid to a consultancy owned by a relative for work that was not done, hid the "
        "interest and destroyed records, contrary to standards CC1, CC6 and CC9 and never "
        "events NE2, NE6 and NE8. It barred them from the register.",
    )


def _health(demo: _Demo) -> Story:
    """A health matter with the examiners, interim conditions in force: never published."""
    yield -112
    who = demo.pick("RCD")
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust} referred {who.name}, {who.title}, after they attended two board committee "
        "meetings too unwell to take part, and occupational health advised a reduction in "
        "duties that has not happened. A health matter: never published.",
        health_related=True,
    )
    demo.allege(
        case,
        f"Your fitness to practise is impaired because of your health: in {_month(demo.day(-130))} "
        "you twice attended the finance and performance committee when you were too unwell "
        "to take part, and you have not followed occupational health advice to reduce your "
        "duties.",
        demo.day(-130),
        ["CC11"],
    )
    yield -110
    demo.move(case, "start_investigation", "Obtain the occupational health advice.")
    demo.evidence(
        case,
        "Occupational health report",
        "occupational-health-report.txt",
        """
Confidential. The registrant has a health condition that currently affects their
concentration at long meetings. I advised a phased reduction in duties and regular review.
With treatment and the adjustments advised, I expect them to be able to work fully.
""",
        disclosed=True,
    )
    yield from _interim_order(
        demo,
        case,
        SanctionKind.CONDITIONS,
        scheduled=-101,
        held=demo.weekday(-70),
        months=12,
        conditions="1. You must stay under the care of your GP and the trust's occupational "
        "health service, and follow their advice.\n"
        "2. You must not chair a board or committee meeting.\n"
        "3. You must let your occupational health physician tell us about your health every "
        "three months.",
    )
    yield -9
    demo.move(
        case,
        "refer_to_examiners",
        "Occupational health has reported: for the case examiners, with the interim conditions "
        "in force.",
    )


def _review(demo: _Demo) -> Story:
    """Conditions about to end: a review opened and its hearing scheduled."""
    yield -212
    who = demo.pick("RTR", titles=("Chief Digital Information Officer",))
    case = demo.open(
        who,
        CaseSource.OWN_MOTION,
        f"The Information Commissioner's Office told us that a cyber attack on {who.trust} "
        f"exposed patient records and was not reported within 72 hours. {who.name}, {who.title}, "
        "was responsible for reporting it. We opened a case on our own motion.",
    )
    demo.allege(
        case,
        "You did not report a cyber security incident affecting patient records to the board "
        "or the Information Commissioner's Office within the 72 hours required.",
        demo.day(-290),
        ["CC8", "CC10"],
    )
    yield -210
    demo.move(case, "start_investigation", "Gather the incident log.")
    yield from _examined(
        demo,
        case,
        referred=-193,
        decided=-188,
        outcome=ExaminerOutcome.REFER_TO_PANEL,
        reasons="A panel should decide whether restrictions are needed while the registrant learns "
        "how to handle incidents.",
    )
    held = demo.weekday(-153)
    determination = yield from _found(
        demo,
        case,
        scheduled=-186,
        held=held,
        facts={1: (True, "The incident log shows the report was made nine days after the attack.")},
        impairment="The late report left patients unaware that their records were exposed. The "
        "registrant has begun to put this right but has not yet shown they can lead the "
        "response to an incident.",
    )
    issued = demo.weekday(held + 2, later=True)
    yield from _sanction_issued(
        demo,
        determination,
        issued=issued,
        months=6,
        sanction=SanctionKind.CONDITIONS,
        reasons="The gap in the registrant's practice can be put right with supervision and "
        "training; six months is enough to show it has been.",
        less_severe_rejected={
            SanctionKind.ADVICE: "Advice would not make sure the gap is closed.",
            SanctionKind.WARNING: "A warning would not give the support the registrant needs.",
        },
        conditions="1. You must work with a mentor we have approved on incident reporting.\n"
        "2. You must complete training in information governance and incident response.\n"
        "3. You must send us your mentor's report before the review hearing.",
        published_summary=f"A panel found that {who.name} did not report a cyber security incident "
        "affecting patient records within 72 hours, contrary to standards CC8 and CC10. It "
        "found their fitness to practise impaired and imposed conditions for 6 months.",
    )
    yield -25
    ends = demo.day(issued) + relativedelta(months=6)
    demo.move(
        case,
        "open_review",
        f"The conditions end on {uk_date(ends)}: a review hearing must decide before then "
        "whether to let them end, extend them or vary them.",
    )
    yield -24
    demo.schedule(case, HearingKind.REVIEW, demo.weekday(10, later=True))


def _advice(demo: _Demo) -> Story:
    """Closed by the examiners with advice: never published."""
    yield -160
    who = demo.pick("RX8", categories=(RoleCategory.NON_EXECUTIVE_DIRECTOR,))
    case = demo.open(
        who,
        CaseSource.EMPLOYER,
        f"{who.trust}'s audit committee told us that {who.name}, {who.title}, declared hospitality "
        "from a supplier four months late, after the supplier had bid for a contract.",
    )
    demo.allege(
        case,
        "You accepted hospitality from a supplier and did not declare it until four months "
        "later, by which time the supplier had bid for a contract with the trust.",
        demo.day(-260),
        ["CC9"],
    )
    yield -158
    demo.move(case, "start_investigation", "Check the register of interests.")
    demo.evidence(
        case,
        "Register of interests and hospitality (extract)",
        "register-of-interests.txt",
        "Hospitality: two tickets to a football match, value £180, from a catering supplier. "
        "Declared four months after the event. The registrant sat on no panel for that "
        "supplier's bid.",
        disclosed=True,
    )
    yield from _examined(
        demo,
        case,
        referred=-62,
        decided=-50,
        outcome=ExaminerOutcome.ADVICE,
        reasons="The declaration was late but made without prompting, the value was modest and the "
        "registrant had no part in the supplier's bid. Advice on declaring hospitality at the "
        "time is enough.",
        by_lay=True,
    )


STORIES: tuple[Callable[[_Demo], Story], ...] = (
    _interests,
    _triage,
    _investigation,
    _examiners_waiting,
    _warning,
    _undertakings,
    _panel_scheduled,
    _interim_suspension,
    _determination,
    _appeal_window,
    _appeal,
    _closed_conditions,
    _closed_barring,
    _health,
    _review,
    _advice,
)


def _run(demo: _Demo, stories) -> None:
    """Tell the stories together, a day at a time in date order."""
    queue: list[tuple[int, int, Story]] = []
    current = EARLIEST

    def advance(order: int, story: Story) -> None:
        offset = next(story, None)
        if offset is None:
            return
        if offset < current:
            raise ValueError(f"A demo case story went back in time, to day {offset}.")
        heapq.heappush(queue, (offset, order, story))

    for order, make in enumerate(stories):
        advance(order, make(demo))
    while queue:
        current, order, story = heapq.heappop(queue)
        demo.travel(current, order)
        advance(order, story)


def _people() -> dict | None:
    from steward.accounts.models import User

    wanted = (
        "caseworker",
        "case-examiner",
        "case-examiner-lay",
        "hearings-officer",
        "panel-lay",
        "panel-lay-2",
        "panel-manager",
        "registrant",
    )
    users = {
        user.email.split("@", 1)[0]: user
        for user in User.objects.filter(email__in=[f"{w}@{DEMO_DOMAIN}" for w in wanted])
    }
    return users if len(users) == len(wanted) else None


def cases_demo_load(*, actor) -> None:
    """Load the demo cases once (see the module docstring). Needs the demo people, the
    register, the standards and the concerns demo first; does nothing without them or
    when there are cases already."""
    if Case.objects.exists() or not Registrant.objects.exists():
        return
    people = _people()
    if people is None:
        return
    with transaction.atomic(), _clock_kept():
        start = clock.today()
        demo = _Demo(people=people, start=start, start_offset=clock.now() - timezone.now())
        _run(demo, STORIES)
        demo.travel(0)
        demo.daily_jobs()
        audit_record(
            actor=actor,
            action="cases.demo.loaded",
            reason="demo data",
            payload={"cases": len(demo.opened), "references": [c.reference for c in demo.opened]},
        )
